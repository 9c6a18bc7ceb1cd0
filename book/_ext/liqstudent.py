"""liqstudent: remove every solution at read time, for the student edition only.

sphinx-exercise's ``hide_solutions`` handles the plain ``{solution}`` directive
but crashes on ``solution-start`` / ``solution-end`` (unknown node type
``solution_end_node``).  This extension instead edits each page's *source* on
Sphinx's ``source-read`` event, before MyST or myst-nb parse it, so that neither
the page, nor its executed notebook, nor the search index ever sees the
solutions.  It removes

* everything from a ``{solution-start}`` directive to the closing fence of the
  matching ``{solution-end}`` directive (prose, maths and ``{code-cell}`` blocks
  in between), and
* every plain ``{solution}`` directive up to its closing fence,

in MyST Markdown pages (fences of backticks, tildes or colons) and in ``.ipynb``
notebooks (cells in between are dropped).  Exercises stay.

It also turns off, whatever the configuration says, the copied page sources
(``html_copy_source``) and the theme's download, repository, issues, edit and
launch buttons, which all lead to the full sources.

Only ``tools/student.py`` (``make student``) loads it, through the generated
student configuration; the full site never does.

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

import json
import re
from dataclasses import dataclass, field
from typing import Any

OPENING = re.compile(r"^\s*(?P<fence>`{3,}|~{3,}|:{3,})\s*\{(?P<name>[\w-]+)\}\s*(?P<arg>\S*)")


class UnclosedSolution(ValueError):
    """A ``solution-start`` without its ``solution-end`` (or an unclosed ``{solution}``)."""


@dataclass
class _Scanner:
    """Line-by-line state machine; the state survives across notebook cells."""

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


def strip_notebook(text: str, where: str = "<notebook>") -> tuple[str, int]:
    """(.ipynb JSON without its solutions, number removed): cells inside a solution go."""
    nb = json.loads(text)
    scanner = _Scanner()
    cells = []
    for cell in nb.get("cells", []):
        source = cell.get("source", "")
        lines = source if isinstance(source, list) else source.splitlines(keepends=True)
        if cell.get("cell_type") == "markdown" or scanner.mode:
            if cell.get("cell_type") == "markdown":
                kept = [line for line in lines if scanner.feed(line)]
            else:
                kept = []                           # a code cell inside a solution
            if kept and any(line.strip() for line in kept):
                cells.append({**cell, "source": kept})
        else:
            cells.append(cell)
    scanner.finish(where)
    nb["cells"] = cells
    return json.dumps(nb, ensure_ascii=False, indent=1), scanner.removed


def _on_source_read(app: Any, docname: str, source: list[str]) -> None:
    from sphinx.util import logging

    path = str(app.env.doc2path(docname))
    strip = strip_notebook if path.endswith(".ipynb") else strip_solutions
    try:
        source[0], removed = strip(source[0], path)
    except UnclosedSolution as exc:
        # fail loudly (a -W build stops) rather than publish a half-removed solution
        logging.getLogger(__name__).warning(str(exc), location=docname)
        source[0] = ""
        return
    app.env.liqstudent_removed = getattr(app.env, "liqstudent_removed", 0) + removed


def _report(app: Any, exception: Exception | None) -> None:
    if exception is None:
        from sphinx.util import logging

        n = getattr(app.env, "liqstudent_removed", 0)
        logging.getLogger(__name__).info(f"liqstudent: removed {n} solutions (pages re-read)")


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
    app.connect("config-inited", _student_config)
    app.connect("source-read", _on_source_read)
    app.connect("build-finished", _report)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True,
            "env_version": 1}
