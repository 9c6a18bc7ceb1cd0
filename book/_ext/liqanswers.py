"""liqanswers: an answer box after each numeric exercise, checked in the reader's browser.

Data flow.  Every worked solution calls a ``liqlearn.check`` function.  In the strict build
(``LIQLEARN_STRICT_CHECKS=1``: ``make book``, ``make student``) each check call also shows a
hidden output in its solution cell (:func:`liqlearn.course.judge.record`): an inert
``<script type="application/json" class="liqlearn-answer-data">`` holding the check's
expected value, tolerances, fallback message and every distinguishable mistake (code, value,
message) in the order the check tries them (:func:`liqlearn.course.judge.verdict_data`).
Being a cell output, it is cached by jupyter-cache with the notebook: a cached build has it
without running anything again.

This extension's transform (read phase, after myst-nb executed the page, before
sphinx-exercise merges the solution runs and before ``liqstudent`` removes them) walks each
``solution-start`` … ``solution-end`` run, pairs the check calls in each code cell's source
(found with :mod:`ast`, in source order) with the data outputs of that cell, removes the
data outputs from the solution, and inserts after the exercise one box per check whose
answer argument is the exercise's answer (see :func:`eligible`).  The box carries the data
in a ``data-liqanswer`` attribute; ``liqanswers_assets/answers.js`` (a classic script, so it
runs from ``file://`` too) only compares, with the rule of ``liqlearn.course.judge.close``,
and prints the check's own message.  The expected value is never shown.

In the student edition (``liqstudent`` loaded) no box and no data is written: the exercise
gets a note to check the answer with ``liqlearn.check`` in a kernel instead.
"""

from __future__ import annotations

import ast
import html
import json
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx

from liqenv import PerPage  # a record per page in the Sphinx environment (book/_ext)

HERE = Path(__file__).resolve().parent
ASSETS = HERE / "liqanswers_assets"
SCRIPT, STYLE = "liqlearn/answers.js", "liqlearn/answers.css"
DATA_CLASS = "liqlearn-answer-data"
BOX_CLASS = "liqanswer"
NOTE_CLASS = "liqanswer-student"


@dataclass(frozen=True)
class CheckCall:
    """One ``check.NAME(...)`` call in a solution cell's source."""

    name: str                       # the check function, e.g. "liquidation_price_short"
    argument: str                   # the answer argument's source text
    keywords: tuple[tuple[str, str], ...]   # (keyword, value source) in order
    eligible: bool                  # the argument is the exercise's answer (see eligible())


def eligible(name: str, first: ast.expr | None, keywords: list[ast.keyword]) -> bool:
    """A check call gets a box when the reader's number is what it checks: the answer
    argument is a plain variable (``check.liquidation_price(liq_short, ...)``) -- for the
    generic ``check.number`` the variable must be ``answer``, since there a plain variable
    is often a derived quantity (``check.number(error, 10.0)`` checks a method, not the
    reader's answer) -- and the call is no demonstration of a wrong answer (``strict=``)."""
    if not isinstance(first, ast.Name) or any(k.arg == "strict" for k in keywords):
        return False
    return name != "number" or first.id == "answer"


def check_calls(source: str) -> list[CheckCall] | None:
    """The ``check.NAME(...)`` calls of a cell's source in source order (None: not Python,
    or a call inside a loop or function, whose number of runs the source does not tell)."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return None
    calls, repeated = [], False
    for node in ast.walk(tree):
        if isinstance(node, (ast.For, ast.While, ast.FunctionDef, ast.Lambda, ast.ListComp,
                             ast.GeneratorExp, ast.DictComp, ast.SetComp)):
            repeated = repeated or any(_is_check(n) for n in ast.walk(node))
        if _is_check(node):
            calls.append(node)
    if repeated:
        return None
    calls.sort(key=lambda c: (c.lineno, c.col_offset))
    out = []
    for c in calls:
        first = c.args[0] if c.args else None
        out.append(CheckCall(
            c.func.attr, ast.get_source_segment(source, first) if first is not None else "",
            tuple((k.arg or "**", ast.get_source_segment(source, k.value) or "")
                  for k in c.keywords),
            eligible(c.func.attr, first, c.keywords)))
    return out


def _is_check(node: ast.AST) -> bool:
    return (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
            and isinstance(node.func.value, ast.Name) and node.func.value.id == "check")


def label_of(call: CheckCall, others: list[CheckCall]) -> str:
    """The box's label: the checked quantity, with the keywords that tell it apart from the
    exercise's other boxes of the same quantity."""
    kw = dict(call.keywords)
    if call.name == "number":
        text = _literal(kw.get("name")) or "your answer"
    else:
        text = call.name.replace("_", " ")
    same = [o for o in others if o is not call and o.name == call.name]
    if same:
        differing = [(k, v) for k, v in call.keywords
                     if k not in ("name", "rel_tol", "abs_tol", "mistakes")
                     and any(dict(o.keywords).get(k) != v for o in same)]
        differing += [(k, "default") for o in same for k in dict(o.keywords)
                      if k not in kw and k not in ("name", "rel_tol", "abs_tol", "mistakes")
                      and (k, "default") not in differing]
        if differing:
            text += " (" + ", ".join(f"{k} = {v}" for k, v in differing) + ")"
    return text[:1].upper() + text[1:]


def _literal(source: str | None) -> str:
    try:
        value = ast.literal_eval(source) if source else None
    except (ValueError, SyntaxError):
        return ""
    return value if isinstance(value, str) else ""


# ---------------------------------------------------------------------------
# The doctree
# ---------------------------------------------------------------------------


def _cells(run: list[nodes.Node]) -> list[nodes.container]:
    return [c for node in run for c in node.findall(nodes.container)
            if "cell" in c.get("classes", [])]


def _source(cell: nodes.container) -> str:
    for inp in cell.findall(nodes.container):
        if "cell_input" in inp.get("classes", []):
            for block in inp.findall(nodes.literal_block):
                return block.astext()
    return ""


def _data_nodes(cell: nodes.Node) -> list[nodes.raw]:
    return [r for r in cell.findall(nodes.raw) if DATA_CLASS in r.astext()]


def _parse(raw: nodes.raw) -> dict[str, Any]:
    text = raw.astext()
    body = text[text.index(">") + 1: text.rindex("</script>")]
    return json.loads(body.replace("<\\/", "</"))


def _drop(raw: nodes.raw) -> None:
    """Remove a data output: the whole output (myst-nb's bundle of its MIME types, with the
    empty ``text/plain``), and its output container too when it holds nothing else."""
    node, up = raw, raw.parent
    while isinstance(up, nodes.container) and "cell" not in up.get("classes", []):
        if up.get("nb_element") == "mime_bundle":
            node = up
            break
        up = up.parent
    while (isinstance(node.parent, nodes.container) and len(node.parent.children) == 1
           and "cell" not in node.parent.get("classes", [])):
        node = node.parent
    node.parent.remove(node)


def box_html(box_id: str, label: str, data: dict[str, Any]) -> str:
    """One answer box: label, input, button, live region; the data in an attribute."""
    payload = html.escape(json.dumps(data, ensure_ascii=True, sort_keys=True), quote=True)
    return (
        f'<form class="{BOX_CLASS}" data-liqanswer="{payload}" novalidate>'
        f'<label for="{box_id}">{html.escape(label)}</label>'
        f'<span class="liqanswer-row">'
        f'<input id="{box_id}" name="{box_id}" type="text" inputmode="decimal" '
        f'autocomplete="off" spellcheck="false" aria-describedby="{box_id}-result">'
        f'<button type="submit">Check</button></span>'
        f'<output id="{box_id}-result" class="liqanswer-result" role="status" '
        f'aria-live="polite" for="{box_id}"></output></form>')


def process(document: nodes.document, student: bool) -> tuple[int, list[str], list[str]]:
    """Insert the boxes (or, for the student edition, the notes): (boxes, skipped, problems).

    ``skipped`` names each check call without a box and why; ``problems`` are data missing
    from a cell that calls checks (the page was executed without ``LIQLEARN_STRICT_CHECKS``).
    """
    from sphinx_exercise.nodes import solution_end_node, solution_start_node

    boxes, skipped, problems = 0, [], []
    for start in list(document.findall(solution_start_node)):
        parent, label = start.parent, start.get("target_label", "")
        if parent is None:
            continue
        i = parent.index(start)
        end = next((k for k in range(i + 1, len(parent.children))
                    if isinstance(parent.children[k], solution_end_node)), len(parent.children))
        run = parent.children[i + 1:end]
        found: list[tuple[CheckCall, dict[str, Any]]] = []
        for cell in _cells(run):
            calls, raws = check_calls(_source(cell)), _data_nodes(cell)
            data = [_parse(r) for r in raws]
            for r in raws:
                _drop(r)
            if calls is None:
                if raws:
                    skipped.append(f"{label}: checks in a loop or function")
                continue
            if calls and not raws:
                problems.append(f"{label}: the solution calls liqlearn.check but its cell has "
                                "no answer data (build with LIQLEARN_STRICT_CHECKS=1, e.g. "
                                "`make book`, after `make clean-cache`)")
                continue
            if len(calls) != len(data):
                skipped.append(f"{label}: {len(calls)} check calls, {len(data)} data outputs")
                continue
            for call, d in zip(calls, data):
                if call.eligible:
                    found.append((call, d))
                else:
                    skipped.append(f"{label}: check.{call.name}({call.argument}, ...) checks "
                                   "a derived quantity, not the reader's answer")
        exercise = next((n for n in document.findall(nodes.Element)
                         if label in n.get("ids", []) and n.get("type") == "exercise"), None)
        if not found or exercise is None:
            continue
        unique = list({(c.name, c.keywords): (c, d) for c, d in found}.values())
        calls_only = [c for c, _ in unique]
        if student:
            names = ", ".join(dict.fromkeys(f"check.{c.name}" for c in calls_only))
            html_text = (f'<p class="{NOTE_CLASS}">This edition has no answer boxes: check '
                         f'your answer in a kernel (Binder or a local install) with '
                         f'<code>liqlearn.check</code> ({html.escape(names)}).</p>')
        else:
            html_text = "".join(
                box_html(f"liqanswer-{label}-{k}", "Your answer — " + label_of(c, calls_only), d)
                for k, (c, d) in enumerate(unique, 1))
            boxes += len(unique)
        container = nodes.container(classes=["liqanswers"])
        container += nodes.raw("", html_text, format="html")
        exercise.parent.insert(exercise.parent.index(exercise) + 1, container)
    return boxes, skipped, problems


def _transform() -> type:
    from sphinx.transforms import SphinxTransform
    from sphinx.util import logging

    class AnswerBoxes(SphinxTransform):
        """After sphinx-exercise checks the gated directives (1), before liqstudent (5)
        removes the solutions and sphinx-exercise merges them (10)."""

        default_priority = 4

        def apply(self, **kwargs: Any) -> None:
            student = "liqstudent" in self.app.extensions
            boxes, skipped, problems = process(self.document, student)
            logger = logging.getLogger(__name__)
            for msg in problems:     # a warning: the strict build fails loudly
                logger.warning(f"liqanswers: {msg}", location=self.env.docname)
            for msg in skipped:
                logger.verbose(f"liqanswers: no box: {msg}", location=self.env.docname)
            _counts(self.env)[self.env.docname] = (boxes, len(skipped))

    return AnswerBoxes


_counts = PerPage("liqanswers_counts")  # docname -> what this extension did on the page


def add_page_assets(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any],
                    doctree: Any) -> None:
    if doctree is None or "liqstudent" in app.extensions:
        return
    if any(BOX_CLASS in r.astext() for r in doctree.findall(nodes.raw)):
        app.add_js_file(SCRIPT)
        app.add_css_file(STYLE)


def finish(app: Sphinx, exception: Exception | None) -> None:
    if exception is not None or app.builder.format != "html":
        return
    from sphinx.util import logging

    counts = _counts(app.env)
    logging.getLogger(__name__).info(
        f"liqanswers: {sum(b for b, _ in counts.values())} answer boxes on "
        f"{sum(1 for b, _ in counts.values() if b)} pages; "
        f"{sum(s for _, s in counts.values())} check calls without a box")
    if "liqstudent" in app.extensions:
        return
    out = Path(app.outdir) / "_static" / "liqlearn"
    out.mkdir(parents=True, exist_ok=True)
    for path in ASSETS.iterdir():
        dest = out / path.name
        if path.is_file() and (not dest.exists() or dest.read_bytes() != path.read_bytes()):
            shutil.copyfile(path, dest)


def setup(app: Sphinx) -> dict[str, Any]:
    app.setup_extension("sphinx_exercise")
    app.add_transform(_transform())
    _counts.connect(app)
    app.connect("html-page-context", add_page_assets)
    app.connect("build-finished", finish)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True,
            "env_version": 1}
