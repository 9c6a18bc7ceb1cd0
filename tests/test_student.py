"""The student edition (``make student``): every exercise, no solution anywhere.

The fast tests check the pieces (the doctree transform, the source scanner the tests use,
the generated configuration). The
``book`` tests check the built site in ``_build/student/html``: no distinctive passage of any
solution in any built file (pages, ``searchindex.js``, everything else), no solution-only word
in the search index, no page sources and no buttons to them, while every exercise is there.
The same detectors run on the full site (``_build/html``) as a positive control: they must
find the solutions there.
"""

from __future__ import annotations

import html as htmllib
import json
import os
import re
import sys
from functools import lru_cache
from pathlib import Path

import pytest

from _book import HTML, ROOT, require_site, source_text, toc_docnames

sys.path.insert(0, str(ROOT / "book" / "_ext"))
sys.path.insert(0, str(ROOT / "tools"))
import liqstudent  # noqa: E402
import student  # noqa: E402

STUDENT = ROOT / "_build" / "student"
# LIQLEARN_STUDENT_SITE points the tests at a student edition built elsewhere
STUDENT_HTML = Path(os.environ.get("LIQLEARN_STUDENT_SITE", STUDENT / "html"))
SHINGLE = 8            # words in a row that make a passage distinctive
WORD = re.compile(r"[a-z0-9]+")


# ---------------------------------------------------------------------------
# The solution removal and the configuration (fast)
# ---------------------------------------------------------------------------

SAMPLE = """\
# A chapter

````{exercise}
:label: ex-a
What is the price?
````

```{solution-start} ex-a
:class: dropdown
```
Unique solution prose alpha.
```{code-cell} ipython3
answer = 1
check.number(answer, 1)
```
```{solution-end}
```

:::{solution} ex-b
:class: dropdown
Plain solution bravo.
```python
x = 1
```
:::

Text after.
"""


def test_strip_removes_both_solution_forms_and_keeps_exercises():
    out, n = liqstudent.strip_solutions(SAMPLE)
    assert n == 2
    assert "alpha" not in out and "bravo" not in out and "check.number" not in out
    assert "What is the price?" in out and out.rstrip().endswith("Text after.")
    assert [lab for lab, _ in liqstudent.find_solutions(SAMPLE)] == ["ex-a", "ex-b"]


def test_unclosed_solution_is_an_error():
    with pytest.raises(liqstudent.UnclosedSolution):
        liqstudent.strip_solutions("```{solution-start} ex\n```\nno end\n")
    with pytest.raises(liqstudent.UnclosedSolution):
        liqstudent.strip_solutions("````{solution}\n```\ncode\n```\n")


def _doctree(*, closed: bool = True):
    """A page's doctree as sphinx-exercise and myst-nb leave it before the merge: an
    exercise, a solution-start … solution-end run with a code cell and its output between,
    a plain solution, text around."""
    from docutils import nodes
    from docutils.frontend import get_default_settings
    from docutils.parsers.rst import Parser
    from docutils.utils import new_document
    from sphinx_exercise.nodes import (exercise_node, solution_end_node, solution_node,
                                       solution_start_node)

    doc = new_document("page", get_default_settings(Parser))
    section = nodes.section(ids=["page"])
    doc += section

    def named(node, name):
        node["ids"], node["names"] = [name], [name]
        doc.ids[name], doc.nameids[name], doc.nametypes[name] = node, name, True
        return node

    start = named(solution_start_node(label="ex-a"), "sol-ex-a")
    start += nodes.title(text="Solution to")
    cell = nodes.container(classes=["cell"])
    cell += nodes.literal_block(text="secret_code = 1")
    cell += nodes.container("", nodes.literal_block(text="secret output"), classes=["output"])
    exercise = named(exercise_node(label="ex-a"), "ex-a")
    exercise += nodes.paragraph(text="What?")
    plain = named(solution_node(label="ex-b"), "sol-ex-b")
    plain += nodes.paragraph(text="plain solution bravo")
    section += [nodes.paragraph(text="before"),
                exercise,
                start, nodes.paragraph(text="secret prose"), cell,
                *([solution_end_node()] if closed else []),
                nodes.paragraph(text="after"), plain]
    return doc


def test_remove_solutions_from_the_doctree():
    doc = _doctree()
    labels, problems = liqstudent.remove_solutions(doc)
    text = doc.astext()
    assert labels == ["ex-a", "ex-b"] and problems == []
    assert "secret" not in text and "bravo" not in text and "Solution to" not in text
    assert "before" in text and "What?" in text and "after" in text
    assert "ex-a" in doc.ids and not {"sol-ex-a", "sol-ex-b"} & (set(doc.ids) | set(doc.nameids))


def test_a_widget_in_a_solution_is_reported():
    from docutils import nodes

    doc = _doctree()
    cell = next(n for n in doc.findall(nodes.container) if "cell" in n["classes"])
    cell += nodes.raw(text='<script type="application/vnd.jupyter.widget-view+json">{}</script>',
                      format="html")
    labels, problems = liqstudent.remove_solutions(doc)
    assert labels == ["ex-a", "ex-b"] and len(problems) == 1 and "widget" in problems[0]
    assert not list(doc.findall(nodes.raw))


def test_unclosed_solution_in_the_doctree_removes_the_rest_and_reports_it():
    doc = _doctree(closed=False)
    labels, problems = liqstudent.remove_solutions(doc)
    assert labels == ["ex-a"] and len(problems) == 1 and "ex-a" in problems[0]
    text = doc.astext()
    assert "secret" not in text and "bravo" not in text and "after" not in text
    assert "What?" in text


def test_extension_forces_the_student_settings():
    class Config:
        html_theme_options = {"use_download_button": True, "repository_url": "x",
                              "launch_buttons": {"binderhub_url": "https://mybinder.org"}}
        html_copy_source = True
        html_show_sourcelink = True

    conf = Config()
    liqstudent._student_config(None, conf)
    opts = conf.html_theme_options
    assert not any(opts[k] for k in liqstudent.SOURCE_BUTTONS) and "launch_buttons" not in opts
    assert conf.html_copy_source is False and conf.html_show_sourcelink is False


def test_student_config():
    import yaml

    config = yaml.safe_load((ROOT / "_config.yml").read_text())
    cfg = student.student_config(config, STUDENT)
    assert "student edition" in cfg["title"]
    assert not any(cfg["html"][k] for k in ("use_download_button", "use_repository_button",
                                             "use_issues_button", "use_edit_page_button"))
    assert "repository" not in cfg and not cfg["launch_buttons"]["binderhub_url"]
    assert cfg["sphinx"]["config"]["html_copy_source"] is False
    local = cfg["sphinx"]["local_extensions"]
    assert Path(local["liqstudent"]) == ROOT / "book" / "_ext"
    assert all(Path(p).is_absolute() for p in local.values())
    # the full book's execution cache, shared (the student pages execute unmodified)
    assert Path(cfg["execute"]["cache"]) == (ROOT / "_build" / ".jupyter_cache").resolve()
    assert Path(cfg["execute"]["cache"]) == student.shared_cache(config)
    assert config.get("repository"), "the full book's config is left untouched"
    # the full book never loads the filter
    assert "liqstudent" not in (config.get("sphinx", {}).get("local_extensions") or {})


# ---------------------------------------------------------------------------
# What counts as solution text
# ---------------------------------------------------------------------------


def words(text: str) -> list[str]:
    return WORD.findall(text.lower())


def shingles(ws: list[str]) -> set[tuple[str, ...]]:
    return {tuple(ws[i:i + SHINGLE]) for i in range(len(ws) - SHINGLE + 1)}


@lru_cache(maxsize=None)
def corpus() -> tuple[set, set, set, set]:
    """(solution shingles, solution-only words, everything-else shingles, everything-else words).

    'Everything else' is the book without its solutions plus the package's source (autodoc
    puts docstrings on the API page), so a passage shared with them is not distinctive.
    """
    sol_sh, sol_w, rest_sh, rest_w = set(), set(), set(), set()
    for doc in toc_docnames():
        text = source_text(doc)
        for _, body in liqstudent.find_solutions(text, doc):
            ws = words(body)
            sol_sh |= shingles(ws)
            sol_w |= set(ws)
        ws = words(liqstudent.strip_solutions(text, doc)[0])
        rest_sh |= shingles(ws)
        rest_w |= set(ws)
    for text in [*(p.read_text(encoding="utf-8") for p in sorted((ROOT / "liqlearn").rglob("*.py"))),
                 *signatures()]:
        ws = words(text)
        rest_sh |= shingles(ws)
        rest_w |= set(ws)
    return sol_sh - rest_sh, sol_w - rest_w, rest_sh, rest_w


def signatures() -> list[str]:
    """Public functions as the API page renders them: ``liqlearn.mod.name(a, *, b='x')``."""
    import importlib
    import inspect
    import pkgutil

    import liqlearn

    out = []
    for info in pkgutil.walk_packages(liqlearn.__path__, "liqlearn."):
        try:
            mod = importlib.import_module(info.name)
        except ImportError:
            continue
        for name, obj in vars(mod).items():
            if name.startswith("_") or not callable(obj) or getattr(obj, "__module__", "") != mod.__name__:
                continue
            try:
                sig = inspect.signature(obj)
            except (TypeError, ValueError):
                continue
            params = ", ".join(p.name if p.default is p.empty else f"{p.name}={p.default!r}"
                               for p in sig.parameters.values())
            out.append(f"{mod.__name__}.{name}({params})")
    return out


def built_text(path: Path) -> str:
    text = path.read_text(encoding="utf-8", errors="replace")
    if path.suffix == ".html":
        text = re.sub(r"<[^>]+>", " ", text)
        text = htmllib.unescape(text)
    return text


def leaks(site: Path) -> dict[str, int]:
    """Built files holding distinctive solution passages: file -> number of passages."""
    distinctive = corpus()[0]
    found = {}
    for path in sorted(site.rglob("*")):
        if not path.is_file() or path.suffix not in (".html", ".js", ".txt", ".ipynb", ".md",
                                                     ".json"):
            continue
        if "_static" in path.parts and path.name != "searchindex.js":
            continue
        n = len(shingles(words(built_text(path))) & distinctive)
        if n:
            found[str(path.relative_to(site))] = n
    return found


def index_terms(site: Path) -> set[str]:
    raw = (site / "searchindex.js").read_text(encoding="utf-8")
    data = json.loads(raw[raw.index("(") + 1: raw.rindex(")")])
    return set(data["terms"]) | set(data.get("titleterms", {}))


def solution_only_stems() -> set[str]:
    """Stems of words that occur only inside solutions (not of any other word)."""
    from sphinx.search.en import SearchEnglish

    stem = SearchEnglish({}).stem
    _, sol_only, _, rest = corpus()
    rest_stems = {stem(w) for w in rest}
    return {stem(w) for w in sol_only if not w.isdigit() and len(w) > 2} - rest_stems


# ---------------------------------------------------------------------------
# The built student site (make student)
# ---------------------------------------------------------------------------


def _newest_source() -> float:
    paths = [*ROOT.glob("book/*.md"), ROOT / "_config.yml", ROOT / "_toc.yml",
             ROOT / "book" / "_ext" / "liqstudent.py", ROOT / "book" / "_ext" / "liqanswers.py",
             ROOT / "tools" / "student.py"]
    return max(p.stat().st_mtime for p in paths if p.exists())


@pytest.fixture(scope="module")
def student_site() -> Path:
    index = STUDENT_HTML / "index.html"
    if os.environ.get("LIQLEARN_STUDENT_SITE"):
        assert index.exists(), f"LIQLEARN_STUDENT_SITE: {index} is missing"
        return STUDENT_HTML
    if index.exists() and index.stat().st_mtime >= _newest_source():
        return STUDENT_HTML
    state = "is out of date" if index.exists() else "is missing"
    if os.environ.get("LIQLEARN_BUILD_STUDENT"):
        assert student.main([]) == 0, "make student failed"
    elif os.environ.get("LIQLEARN_REQUIRE_BUILD"):
        # `make test` builds the student edition before pytest starts
        pytest.fail(f"{STUDENT_HTML} {state}: `make test` should have built it (make student)")
    else:
        pytest.skip(f"{STUDENT_HTML} {state}: run `make student` "
                    "(or set LIQLEARN_BUILD_STUDENT=1 to build it here)")
    return STUDENT_HTML


@pytest.mark.book
@pytest.mark.editions
@pytest.mark.slow
def test_student_site_has_no_solution_text(student_site):
    assert len(corpus()[0]) > 100, "too few distinctive solution passages to test with"
    found = leaks(student_site)
    assert not found, f"solution text in the student edition: {found}"


@pytest.mark.book
@pytest.mark.editions
@pytest.mark.slow
def test_student_search_index_has_no_solution_words(student_site):
    stems = solution_only_stems()
    assert stems, "no solution-only words to test with"
    leaked = sorted(stems & index_terms(student_site))
    assert not leaked, f"solution-only words in the student search index: {leaked[:20]}"


@pytest.mark.book
@pytest.mark.editions
@pytest.mark.slow
def test_student_site_has_no_sources_or_source_buttons(student_site):
    assert not (student_site / "_sources").exists()
    assert student.scan(student_site) == []
    for page in student_site.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        assert "{solution-start}" not in text and 'class="solution' not in text, page


@pytest.mark.book
@pytest.mark.editions
@pytest.mark.slow
def test_student_site_keeps_every_exercise(student_site):
    from test_exercises import exercises

    total = 0
    for doc in toc_docnames():
        labels = exercises(doc)
        if not labels:
            continue
        page = (student_site / f"{doc}.html").read_text(encoding="utf-8")
        for label in labels:
            assert f'class="exercise admonition" id="{label}"' in page, (doc, label)
        total += len(labels)
    assert total > 0
    assert "(student edition)" in (student_site / "book" / "intro.html").read_text(encoding="utf-8")


@pytest.mark.book
def test_detectors_find_the_solutions_in_the_full_site():
    """Positive control: on the full site the same detectors see the solutions."""
    require_site()
    found = leaks(HTML)
    # pages of the full site (as last built) that show solution dropdowns
    with_solutions = {str(p.relative_to(HTML)) for p in HTML.glob("book/*.html")
                      if 'class="solution' in p.read_text(encoding="utf-8")}
    assert with_solutions, "the full site shows no solutions"
    missed = with_solutions - set(found)
    assert len(missed) <= len(with_solutions) // 5, f"detector misses solutions in {missed}"
    assert solution_only_stems() & index_terms(HTML), "the index detector sees nothing"


def answer_data(site: Path) -> list[dict]:
    """The answer boxes' data on a built site (liqanswers: ``data-liqanswer``)."""
    out = []
    for page in sorted(site.rglob("*.html")):
        for raw in re.findall(r'data-liqanswer="([^"]*)"', page.read_text(encoding="utf-8")):
            out.append(json.loads(htmllib.unescape(raw)))
    return out


def without_solutions_and_boxes(text: str) -> str:
    """A full-site page without its answer boxes' data and its solution dropdowns."""
    text = re.sub(r'data-liqanswer="[^"]*"', "", text)
    out, depth, pos = [], 0, 0
    for m in re.finditer(r'<div\b[^>]*>|</div>', text):
        if depth == 0:
            out.append(text[pos:m.start()])
        if depth:
            depth += 1 if m.group().startswith("<div") else -1
        elif re.match(r'<div[^>]*class="solution\b', m.group()):
            depth = 1
        else:
            out.append(m.group())
        pos = m.end()
    out.append(text[pos:] if depth == 0 else "")
    return "".join(out)


def answer_values(site: Path) -> set[str]:
    """The distinctive numbers of the full site's answer data as JSON writes them: at least
    7 characters (a round 10.0 any page may hold is not counted) and found nowhere on the
    full site outside the boxes and the solutions (an explorer's state may hold the same
    number as a mistake's value: that is no leak)."""
    data = answer_data(site)
    values = {d["expected"] for d in data} | {m["value"] for d in data for m in d["mistakes"]}
    found = {s for s in (json.dumps(v) for v in values) if len(s.lstrip("-")) >= 7}
    for path in site.rglob("*"):
        if path.is_file() and path.suffix in (".html", ".js", ".json", ".txt"):
            rest = without_solutions_and_boxes(path.read_text(encoding="utf-8",
                                                              errors="replace"))
            found = {v for v in found if v not in rest}
    return found


@pytest.mark.book
@pytest.mark.editions
@pytest.mark.slow
def test_student_site_has_no_answer_data(student_site):
    """No answer box, no check data and none of its values in the student edition's HTML,
    scripts, search index or sources (the values come from the full site's boxes)."""
    require_site()
    assert len(answer_data(HTML)) >= 40, "the full site has too few answer boxes to test with"
    values = answer_values(HTML)
    assert len(values) > 100, "too few distinctive answer values to test with"
    found = {}
    for path in sorted(student_site.rglob("*")):
        if not path.is_file() or path.suffix not in (".html", ".js", ".txt", ".ipynb", ".md",
                                                     ".json"):
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        hits = [v for v in values if v in text]
        if "data-liqanswer" in text or "liqlearn-answer-data" in text:
            hits.append("answer data")
        if hits:
            found[str(path.relative_to(student_site))] = hits[:5]
    assert not found, f"answer data in the student edition: {found}"
    assert not answer_data(student_site)
    assert not (student_site / "_static" / "liqlearn" / "answers.js").exists()
    pages = [p for p in student_site.glob("book/*.html")
             if 'class="liqanswer-student"' in p.read_text(encoding="utf-8")]
    assert len(pages) >= 10, "the student edition must say how to check answers"
