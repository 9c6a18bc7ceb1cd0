"""The answer boxes' data and rule: what a check records is what the check decides.

* :func:`liqlearn.course.judge.verdict_data` (recorded by every check call): the expected
  value equals the public liqlearn function's; every mistake is named in ``MISTAKES`` (or is
  a ``check.number`` hint); each recorded mistake value, given to the Python check, gets
  exactly that mistake's message.
* ``book/_ext/liqanswers_assets/answers.js``, run by Node on the recorded data, prints the
  same message as the Python check for the same answers (one Node process for all).
* ``book/_ext/liqanswers.py``: which check calls get a box, and their labels; on the built
  site, every exercise whose solution checks the reader's answer has its boxes, each with
  valid data, and no box shows its expected value.
"""

from __future__ import annotations

import html as htmllib
import json
import math
import random
import re
import shutil
import subprocess
import sys

import pytest

import liqlearn as ll
from _book import HTML, ROOT, require_site, source_text, toc_docnames
from liqlearn import check
from liqlearn.course.judge import recording, verdict_data
from liqlearn.course.mistakes import MISTAKES

sys.path.insert(0, str(ROOT / "book" / "_ext"))
import liqanswers  # noqa: E402
import liqstudent  # noqa: E402

SCRIPT = ROOT / "book" / "_ext" / "liqanswers_assets" / "answers.js"
TIERS = [(50_000, 0.004), (250_000, 0.005), (1_000_000, 0.01), (5_000_000, 0.025)]

# (check name, keyword arguments, the expected value from the public function)
CASES = [
    ("liquidation_price_short", {}, lambda: ll.liquidation_price("short", 60_000, 1 / 6, 1_000,
                                                                 0.005)),
    ("liquidation_price_long", {"leverage": 20, "mm_basis": "entry"},
     lambda: ll.liquidation_price("long", 60_000, 1 / 3, 1_000, 0.005, mm_basis="entry")),
    ("liquidation_price", {"side": "long", "quantity": 2, "margin": 12_000,
                           "mmr": ll.MaintenanceTiers(TIERS), "fee_rate": 0.0005},
     lambda: ll.liquidation_price("long", 60_000, 2, 12_000, ll.MaintenanceTiers(TIERS),
                                  fee_rate=0.0005)),
    ("bankruptcy_price", {}, lambda: ll.bankruptcy_price("long", 60_000, 1 / 6, 1_000)),
    ("margin_ratio", {}, lambda: ll.margin_ratio("long", 60_000, 57_000, 1 / 6, 1_000, 0.005)),
    ("unrealized_pnl", {"side": "short", "mark_price": 61_500},
     lambda: ll.unrealized_pnl("short", 60_000, 61_500, 1 / 6)),
    ("initial_margin", {}, lambda: 1_000.0),
    ("notional", {"quantity": 0.75, "price": 64_000}, lambda: 48_000.0),
]


def _run(name, answer, **kw):
    return getattr(check, name)(answer, strict=False, **kw)


@pytest.mark.parametrize("name,kw,expected", CASES, ids=[c[0] for c in CASES])
def test_recorded_data_is_the_checks_verdict(name, kw, expected):
    e = float(expected())
    with recording() as seen:
        assert _run(name, e, **kw).correct
    assert len(seen) == 1, "one check call records once"
    data = seen[0]
    assert data["expected"] == pytest.approx(e, rel=1e-12)
    assert data["correct"] == "✓ Correct."
    assert data["mistakes"], "every check diagnoses at least the generic mistakes"
    codes = [m["code"] for m in data["mistakes"]]
    assert codes[-3:] == ["times_100", "over_100", "sign"], "the generic mistakes come last"
    for m in data["mistakes"]:
        assert m["code"] in MISTAKES, m
        assert m["message"] == f"✗ Not yet — {MISTAKES[m['code']]}"
        res = _run(name, m["value"], **kw)
        # the Python check names the first mistake that matches, exactly as the data lists
        first = next(x for x in data["mistakes"]
                     if ll.course.judge.close(m["value"], x["value"], data["rel_tol"],
                                              data["abs_tol"]))
        assert (res.mistake, res.message) == (first["code"], first["message"])
    # the fallback: a number no mistake explains
    odd = e * 1.37 + 11.0
    if not any(ll.course.judge.close(odd, m["value"], data["rel_tol"], data["abs_tol"])
               for m in data["mistakes"]):
        assert _run(name, odd, **kw).message == data["fallback"]


def test_number_records_its_own_hints_before_the_generic_ones():
    with recording() as seen:
        check.number(0.25, 0.25, name="the share", mistakes={"you doubled it": 0.5,
                                                             "same as right": 0.25})
    (data,) = seen
    assert [m["code"] for m in data["mistakes"]] == ["custom", "times_100", "over_100", "sign"]
    assert data["mistakes"][0] == {"code": "custom", "value": 0.5,
                                   "message": "✗ Not yet — you doubled it"}
    assert data["fallback"] == ("✗ Not yet — the share is not within tolerance; check your "
                                "working and units.")
    assert check.number(0.5, 0.25, mistakes={"you doubled it": 0.5}, strict=False).mistake \
        == "custom"


def test_verdict_data_validates_and_skips_infinite():
    assert verdict_data(math.inf, [], fallback="x", rel_tol=1e-4, abs_tol=0.0) is None
    with pytest.raises(ValueError, match="rel_tol"):
        verdict_data(1.0, [], fallback="x", rel_tol=2.0, abs_tol=0.0)
    with recording() as seen:
        pass
    assert seen == []


def _answers(data: dict, rng: random.Random) -> list[str]:
    e = data["expected"]
    tol = max(data["rel_tol"] * abs(e), data["abs_tol"])
    xs = [e, e + 0.9 * tol, e - 0.9 * tol, e + 1.1 * tol + 1e-9, -e, e * 100, e / 100, 0.0,
          *(m["value"] for m in data["mistakes"]),
          *(m["value"] * (1 + 0.5 * data["rel_tol"]) for m in data["mistakes"]),
          *(e * rng.uniform(0.5, 1.5) for _ in range(20))]
    return [repr(float(x)) for x in xs] + ["", "abc", "1,2.3.4"]


def test_the_browser_rule_prints_what_the_python_check_prints():
    """answers.js (Node) and the Python check agree on every answer, message for message."""
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is missing (`make node` installs Debian's nodejs)")
    rng = random.Random(9)
    jobs = []
    for name, kw, expected in CASES:
        with recording() as seen:
            _run(name, float(expected()), **kw)
        for text in _answers(seen[0], rng):
            value = float(text) if re.fullmatch(r"[-+0-9.e]+", text) else text
            python = _run(name, value, **kw)
            jobs.append({"data": seen[0], "text": text, "python": python.message,
                         "code": python.mistake})
    program = ("const a = require(process.argv[1]); let s = '';"
               "process.stdin.on('data', d => s += d); process.stdin.on('end', () => {"
               "const jobs = JSON.parse(s);"
               "console.log(JSON.stringify(jobs.map(j => a.verdict(j.data, j.text))));});")
    out = subprocess.run([node, "-e", program, str(SCRIPT)], input=json.dumps(jobs),
                         capture_output=True, text=True, check=True, timeout=60)
    verdicts = json.loads(out.stdout)
    assert len(verdicts) == len(jobs) > 200
    for job, v in zip(jobs, verdicts):
        if job["code"] == "not_a_number":   # the browser's own words for text
            assert v["code"] == "not_a_number" and not v["correct"], job["text"]
            continue
        assert v["message"] == job["python"], (job["text"], v, job["python"])
        assert v["code"] == job["code"], (job["text"], v, job["code"])


def test_the_browser_reads_thousands_separators():
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is missing")
    texts = ["65,671.64", " 65 671.64 ", "65_671.64", "−500", "1e3", "12.", ".5", "1.2.3", "",
             "0x10", "50%"]
    out = subprocess.run([node, "-e", "const a = require(process.argv[1]);"
                          "console.log(JSON.stringify(JSON.parse(process.argv[2]).map(a.parse)))",
                          str(SCRIPT), json.dumps(texts)],
                         capture_output=True, text=True, check=True, timeout=60)
    assert json.loads(out.stdout) == [65671.64, 65671.64, 65671.64, -500, 1000, 12, 0.5, None,
                                      None, None, None]


# ---------------------------------------------------------------------------
# The extension: which calls get a box, with which label
# ---------------------------------------------------------------------------


def test_which_check_calls_get_a_box():
    src = ("answer = 66_000 / 1.005\ncheck.liquidation_price_short(answer)\n"
           "check.number(error, 10.0, name='error')\n"
           "check.liquidation_price(liq_short, side='short')\n"
           "check.liquidation_price_long(54_300, strict=False)\n"
           "check.number(ll.exact_move('long', answer, 0.005), 0.01)\n"
           "check.number(answer, 0.25, name='the share')\n")
    calls = liqanswers.check_calls(src)
    assert [(c.name, c.eligible) for c in calls] == [
        ("liquidation_price_short", True), ("number", False), ("liquidation_price", True),
        ("liquidation_price_long", False), ("number", False), ("number", True)]
    assert liqanswers.check_calls("for x in xs:\n    check.number(x, 1)\n") is None
    assert liqanswers.check_calls("%%time\nx = 1") is None


def test_labels_tell_the_boxes_of_one_exercise_apart():
    calls = liqanswers.check_calls(
        "check.liquidation_price_long(answer, leverage=20)\n"
        "check.liquidation_price_long(answer, leverage=20, mm_basis='entry')\n"
        "check.number(answer, 3, name='the number of steps')\n")
    labels = [liqanswers.label_of(c, calls) for c in calls]
    assert labels == ["Liquidation price long (mm_basis = default)",
                      "Liquidation price long (mm_basis = 'entry')",
                      "The number of steps"]


def _doctree(source: str, outputs: list[dict]):
    """A page as myst-nb and sphinx-exercise leave it before the merge: an exercise, then a
    solution-start … solution-end run holding one code cell with its data outputs."""
    from docutils import nodes
    from docutils.frontend import get_default_settings
    from docutils.parsers.rst import Parser
    from docutils.utils import new_document
    from sphinx_exercise.nodes import exercise_node, solution_end_node, solution_start_node

    from liqlearn.course.judge import answer_data_html

    doc = new_document("page", get_default_settings(Parser))
    section = nodes.section(ids=["page"])
    doc += section
    exercise = exercise_node(label="ex-a", type="exercise", ids=["ex-a"])
    exercise += nodes.paragraph(text="What is the liquidation price?")
    cell = nodes.container(classes=["cell"])
    cell += nodes.container("", nodes.literal_block(text=source), classes=["cell_input"])
    out = nodes.container(classes=["cell_output"])
    for data in outputs:       # myst-nb keeps every MIME type of an output in a bundle
        bundle = nodes.container(nb_element="mime_bundle")
        bundle += nodes.container("", nodes.raw("", answer_data_html(data), format="html"),
                                  mime_type="text/html")
        bundle += nodes.container("", nodes.literal_block(text=""), mime_type="text/plain")
        out += bundle
    out += nodes.literal_block(text="✓ Correct.")
    cell += out
    section += [exercise, solution_start_node(label="sol-a", target_label="ex-a"), cell,
                solution_end_node()]
    return doc


def test_the_extension_moves_the_data_into_boxes_after_the_exercise():
    from docutils import nodes

    with recording() as seen:
        check.liquidation_price_short(65_671.64)
        check.number(10.0, 10.0, name="error")
    source = ("answer = 66_000 / 1.005\ncheck.liquidation_price_short(answer)\n"
              "check.number(error, 10.0, name='error')\n")
    doc = _doctree(source, seen)
    boxes, skipped, problems = liqanswers.process(doc, student=False)
    assert (boxes, problems) == (1, []) and len(skipped) == 1 and "derived" in skipped[0]
    page = "".join(r.astext() for r in doc.findall(lambda n: n.tagname == "raw"))
    assert "liqlearn-answer-data" not in page, "the data outputs leave the solution"
    assert not [n for n in doc.findall(nodes.Element) if n.get("nb_element") == "mime_bundle"], \
        "with their empty text/plain"
    assert boxes_in(page) == [seen[0]]
    assert 'for="liqanswer-ex-a-1"' in page and "Liquidation price short" in page
    assert doc.children[0].children[1].tagname == "container", "the box follows the exercise"

    doc = _doctree(source, seen)
    assert liqanswers.process(doc, student=True)[0] == 0
    page = "".join(r.astext() for r in doc.findall(lambda n: n.tagname == "raw"))
    assert "data-liqanswer" not in page and "liqanswer-student" in page
    assert "check.liquidation_price_short" in page

    doc = _doctree(source, [])      # executed without LIQLEARN_STRICT_CHECKS: said loudly
    assert "no answer data" in liqanswers.process(doc, student=False)[2][0]


# ---------------------------------------------------------------------------
# The built site
# ---------------------------------------------------------------------------

BOX = re.compile(r'<form class="liqanswer" data-liqanswer="([^"]*)"')


def boxes_in(page: str) -> list[dict]:
    return [json.loads(htmllib.unescape(m)) for m in BOX.findall(page)]


def expected_boxes(doc: str) -> dict[str, int]:
    """exercise label -> number of boxes the sources call for (distinct eligible calls)."""
    out = {}
    for label, body in liqstudent.find_solutions(source_text(doc), doc):
        calls = []
        for cell in re.findall(r"^(`{3,})\{code-cell\}[^\n]*\n(.*?)^\1\s*$", body, re.M | re.S):
            code = re.sub(r"\A(---\n.*?\n---\n|(\s*:[\w-]+:[^\n]*\n)+)", "", cell[1],
                          flags=re.S)      # the cell's options (YAML block or :key: lines)
            found = liqanswers.check_calls(code)
            calls += [c for c in (found or []) if c.eligible]
        n = len({(c.name, c.keywords) for c in calls})
        if n:
            out[label] = n
    return out


@pytest.mark.book
def test_every_checked_exercise_has_its_boxes_on_the_site():
    require_site()
    total = 0
    for doc in toc_docnames():
        page_path = HTML / f"{doc}.html"
        if not page_path.exists():
            continue
        page = page_path.read_text(encoding="utf-8")
        want = expected_boxes(doc)
        for label, n in want.items():
            got = len(re.findall(rf'<form class="liqanswer"[^>]*>\s*<label for="liqanswer-'
                                 rf'{re.escape(label)}-\d+"', page))
            assert got == n, (doc, label, got, n)
        data = boxes_in(page)
        assert len(data) == sum(want.values()), doc
        assert "liqlearn-answer-data" not in page, f"{doc}: a data output left in a solution"
        for d in data:
            assert set(d) == {"expected", "rel_tol", "abs_tol", "correct", "fallback",
                              "mistakes"}
            assert all(m["code"] in MISTAKES or m["code"] == "custom" for m in d["mistakes"])
            # never displayed: outside the data attribute the page does not hold it
            visible = BOX.sub("", page)
            assert f'"expected": {d["expected"]!r}' not in visible
        if data:
            assert "_static/liqlearn/answers.js" in page and "answers.css" in page
        total += len(data)
    assert total >= 40, f"only {total} answer boxes on the site"
