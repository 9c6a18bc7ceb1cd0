"""liqstudent: the student edition's extension: every solution removed after execution.

Only ``tools/student.py`` (``make student``) loads it, through the generated student
configuration; the full site never does.

The pages are read and executed exactly as in the full book (so jupyter-cache serves the
outputs the full build already computed: nothing runs twice).  Then, in the doctree, a
transform removes each solution: every node from a sphinx-exercise ``solution_start_node``
through its ``solution_end_node`` (prose, maths, code cells and their outputs) and every
plain ``{solution}`` (``solution_node``), together with their ids and labels.  It runs in
the read phase, before Sphinx collects images, labels and the search index from the doctree,
so no page, image or index entry of the site ever sees a solution.  sphinx-exercise's own
``hide_solutions`` cannot do this: it crashes on ``solution-start``/``solution-end``.

It also turns off, whatever the configuration says, the copied page sources
(``html_copy_source``) and the theme's download, repository, issues, edit and launch
buttons, which all lead to the full sources.

The source-level scanner below (:func:`find_solutions`, :func:`strip_solutions`) is the
tests' view of the same solutions: what text is solution text, to look for in the built site.

>>> text = '''Intro.
... ```{exercise}
... :label: ex-1
... Compute it.
... ```
... ```{solution-start} ex-1
... :class: dropdown
... ```
... The answer is 42.
... ```{code-cell} ipython3
... check.number(42, 42)
... ```
... ```{solution-end}
... ```
... After.'''
>>> stripped, n = strip_solutions(text)
>>> n, "42" in stripped, "Compute it." in stripped, stripped.splitlines()[-1]
(1, False, True, 'After.')
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from liqenv import PerPage  # a record per page in the Sphinx environment (book/_ext)

OPENING = re.compile(r"^\s*(?P<fence>`{3,}|~{3,}|:{3,})\s*\{(?P<name>[\w-]+)\}\s*(?P<arg>\S*)")


class UnclosedSolution(ValueError):
    """A ``solution-start`` without its ``solution-end`` (or an unclosed ``{solution}``)."""


@dataclass
class _Scanner:
    """Line-by-line state machine over a page's MyST source."""

    mode: str = ""               # "" outside, "start" inside solution-start..end, "fence" waiting
    fence: str = ""              # the fence that closes the current directive
    removed: int = 0
    solutions: list[tuple[str, list[str]]] = field(default_factory=list)  # (label, lines)

    @staticmethod
    def _closes(line: str, fence: str) -> bool:
        s = line.strip()
        return bool(fence) and len(s) >= len(fence) and set(s) == {fence[0]}

    def feed(self, line: str) -> bool:
        """True if the line is kept."""
        if not self.mode:
            m = OPENING.match(line)
            if not m or m.group("name") not in ("solution-start", "solution"):
                return True
            self.removed += 1
            self.solutions.append((m.group("arg"), []))
            if m.group("name") == "solution-start":
                self.mode = "start"
            else:
                self.mode, self.fence = "fence", m.group("fence")
        elif self.mode == "fence":                  # inside a solution directive's own fence
            if self._closes(line, self.fence):
                self.mode, self.fence = "", ""
        else:                                       # between solution-start and solution-end
            m = OPENING.match(line)
            if m and m.group("name") == "solution-end":
                self.mode, self.fence = "fence", m.group("fence")
        self.solutions[-1][1].append(line)
        return False

    def finish(self, where: str) -> None:
        if self.mode:
            raise UnclosedSolution(f"{where}: a solution is not closed "
                                   "(solution-start without solution-end, or an open fence)")


def strip_solutions(text: str, where: str = "<text>") -> tuple[str, int]:
    """(MyST text without its solutions, number of solutions removed)."""
    scanner = _Scanner()
    kept = [line for line in text.splitlines(keepends=True) if scanner.feed(line)]
    scanner.finish(where)
    return "".join(kept), scanner.removed


def find_solutions(text: str, where: str = "<text>") -> list[tuple[str, str]]:
    """(label, full text) of each solution in MyST text, in order.

    The label is the directive's argument (for ``solution-start`` the exercise's label).
    """
    scanner = _Scanner()
    for line in text.splitlines(keepends=True):
        scanner.feed(line)
    scanner.finish(where)
    return [(label, "".join(lines)) for label, lines in scanner.solutions]


# ---------------------------------------------------------------------------
# The doctree: remove the solutions after execution
# ---------------------------------------------------------------------------


def _forget(document: Any, node: Any) -> None:
    """Drop the ids and names of ``node`` and its descendants from the document, so no
    label or reference can point at a removed solution."""
    for n in node.findall():
        if not hasattr(n, "get"):
            continue
        for ident in n.get("ids", []):
            document.ids.pop(ident, None)
        for name in n.get("names", []):
            document.nameids.pop(name, None)
            document.nametypes.pop(name, None)


WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


def _shows_widget(node: Any) -> bool:
    """True if ``node`` holds a widget output (myst-nb renders it as a raw script)."""
    from docutils import nodes

    return any(WIDGET_VIEW in raw.astext() for raw in node.findall(nodes.raw))


def remove_solutions(document: Any) -> tuple[list[str], list[str]]:
    """Remove every solution from a doctree: (labels removed, problems).

    ``solution_start_node`` … ``solution_end_node`` runs are removed with every sibling
    between them (sphinx-exercise requires them to be siblings); plain ``solution_node``
    are removed whole.  A ``solution-start`` without a following ``solution-end`` is a
    problem: everything after it in its parent goes too (never publish half a solution).
    A solution that displays a widget is a problem too: myst-nb keeps the notebook's
    widget state in the page, so the widget's values would stay in the student edition.
    """
    from sphinx_exercise.nodes import solution_end_node, solution_node, solution_start_node

    removed, problems = [], []
    for start in list(document.findall(solution_start_node)):
        parent = start.parent
        if parent is None:          # inside a run removed already
            continue
        i = parent.index(start)
        end = next((k for k in range(i + 1, len(parent.children))
                    if isinstance(parent.children[k], solution_end_node)), None)
        if end is None:
            problems.append(f"solution-start {start.get('label', '')!r} has no solution-end "
                            "at the same level: removed everything after it in its section")
            end = len(parent.children) - 1
        run = parent.children[i:end + 1]
        if any(_shows_widget(node) for node in run):
            problems.append(_WIDGET_PROBLEM.format(start.get("label", "")))
        for node in run:
            _forget(document, node)
            parent.remove(node)
        removed.append(start.get("label", ""))
    for node in list(document.findall(solution_node)):
        if node.parent is not None:
            if _shows_widget(node):
                problems.append(_WIDGET_PROBLEM.format(node.get("label", "")))
            _forget(document, node)
            node.parent.remove(node)
            removed.append(node.get("label", ""))
    for node in list(document.findall(solution_end_node)):
        problems.append("solution-end without a solution-start: removed")
        node.parent.remove(node)
    return removed, problems


_WIDGET_PROBLEM = ("solution {!r} displays a widget: its state stays in the page's "
                   "widget state, so show widgets in the exercise, not in the solution")


def _transform() -> type:
    from sphinx.transforms import SphinxTransform
    from sphinx.util import logging

    class RemoveSolutions(SphinxTransform):
        """Runs after sphinx-exercise checks the gated directives (priority 1) and before
        it merges them into solution nodes (10); after myst-nb has executed the page."""

        default_priority = 5

        def apply(self, **kwargs: Any) -> None:
            labels, problems = remove_solutions(self.document)
            logger = logging.getLogger(__name__)
            for msg in problems:   # a warning: the strict (-W) student build fails
                logger.warning(f"liqstudent: {msg}", location=self.env.docname)
            registry = getattr(self.env, "sphinx_exercise_registry", {})
            for label in labels:
                if registry.get(label, {}).get("docname") == self.env.docname:
                    del registry[label]
            _removed(self.env)[self.env.docname] = len(labels)

    return RemoveSolutions


_removed = PerPage("liqstudent_removed")  # docname -> what this extension did on the page


def _report(app: Any, exception: Exception | None) -> None:
    if exception is None:
        from sphinx.util import logging

        counts = _removed(app.env)
        logging.getLogger(__name__).info(
            f"liqstudent: {sum(counts.values())} solutions removed from "
            f"{sum(1 for n in counts.values() if n)} pages")


# sphinx-book-theme buttons that lead to the full sources (the download button offers the
# page source and the .ipynb; the others open the repository or a launcher on it)
SOURCE_BUTTONS = ("use_download_button", "use_repository_button", "use_issues_button",
                  "use_edit_page_button", "use_source_button")


def _student_config(app: Any, config: Any) -> None:
    """Whatever the configuration says: no page sources, no buttons to the sources."""
    options = dict(config.html_theme_options or {})
    options.update({key: False for key in SOURCE_BUTTONS})
    options.pop("launch_buttons", None)
    config.html_theme_options = options
    config.html_copy_source = False
    config.html_show_sourcelink = False


def setup(app: Any) -> dict[str, Any]:
    app.setup_extension("sphinx_exercise")
    app.connect("config-inited", _student_config)
    app.add_transform(_transform())
    _removed.connect(app)
    app.connect("build-finished", _report)
    return {"version": "2.0", "parallel_read_safe": True, "parallel_write_safe": True,
            "env_version": 2}
