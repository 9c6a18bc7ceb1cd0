"""Per-student problem sets: ``python -m liqlearn problems --seed STUDENT_ID --out DIR``.

Each student gets the same ten kinds of problem -- one per idea of the book --
with parameters drawn from their id: margin and effective leverage, the margin
ratio, the liquidation price on both maintenance bases, the bankruptcy price
with a fee, a tiered liquidation price, a cross-margin liquidation price, an
inverse contract, a funding rate and a touch probability.  Every draw is a
valid position (a draw a liqlearn function rejects is replaced by the next one).

The same id always gives byte-identical files; another id gives other numbers.
The id is hashed with SHA-256 (not Python's salted ``hash()``), and every
parameter comes from its own SHA-256 stream, so the numbers do not depend on the
Python or NumPy version either.

>>> ps = generate("alice")
>>> ps == generate("alice"), ps.seed == generate("bob").seed
(True, False)
>>> [p.key for p in ps.problems][:3]
['effective_leverage', 'margin_ratio', 'liquidation_mark']
>>> bool(ps.problems[2].run_check(ps.problems[2].answer, strict=True))
True

Written files (``ProblemSet.write``): for the student ``problems-<id>.ipynb``
(and the same as a MyST ``problems-<id>.md``), each problem followed by an
answer cell that calls the matching ``liqlearn.course.check``; for the instructor
``answer_keys/key-<id>.json`` and ``answer_keys/key-<id>.md``.

``liqlearn.course.grading.grade(notebook)`` (``python -m liqlearn problems --grade FILE``) grades a returned
notebook: it regenerates the set from the id, reads each ``answer = <number>`` without
running the student's code, and reports right, wrong (with the diagnosed mistake) or blank.
"""

from __future__ import annotations

import ast
import hashlib
import json
import operator
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterator, Mapping, Sequence

from .problem_kinds import (MMRS, PROBLEMS, Problem, build_problem,  # noqa: F401
                            materialise, seed_from)

__all__ = ["Problem", "ProblemSet", "generate", "seed_from"]


INTRO = (
    "Work each problem by hand or with liqlearn, put your number in place of `...` in the cell "
    "below it and run the cell: the check says **✓ Correct.** or **✗ Not yet** with a hint "
    "about the likely mistake. It never shows the answer. The numbers are yours alone: "
    "your neighbour's set has other parameters."
)
SETUP = "from liqlearn import check, MaintenanceTiers"


@dataclass(frozen=True)
class ProblemSet:
    student_id: str
    seed: int
    problems: tuple[Problem, ...] = field(default_factory=tuple)

    @property
    def slug(self) -> str:
        """The id made safe for a file name (with a hash suffix if anything was changed)."""
        clean = re.sub(r"[^A-Za-z0-9_-]+", "-", self.student_id).strip("-")[:40]
        if clean != self.student_id or not clean:
            clean = f"{clean or 'student'}-{self.seed:016x}"[:57]
        return clean

    def title(self) -> str:
        return f"liqlearn problem set for {self.student_id}"

    def _cells(self) -> Iterator[tuple[str, str, str]]:
        """(kind, id, source) for each notebook cell."""
        yield "markdown", "intro", f"# {self.title()}\n\n{INTRO}"
        yield "code", "setup", SETUP
        for p in self.problems:
            yield ("markdown", f"p{p.number}-text",
                   f"## Problem {p.number}: {p.title}\n\n{p.text}\n\n*Chapter: {p.chapter}.*")
            yield "code", f"p{p.number}-answer", p.code()

    def notebook(self) -> Any:
        """The student's notebook (nbformat 4.5, deterministic cell ids)."""
        import nbformat

        v4 = nbformat.v4
        cells = [(v4.new_markdown_cell if kind == "markdown" else v4.new_code_cell)(src, id=cid)
                 for kind, cid, src in self._cells()]
        nb = v4.new_notebook(cells=cells, metadata={
            "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
            "language_info": {"name": "python"},
            "liqlearn": {"problem_set": self.student_id},
        })
        nbformat.validate(nb)
        return nb

    def myst(self) -> str:
        """The same notebook as MyST Markdown (opens in JupyterLab with jupytext)."""
        head = ("---\njupytext:\n  text_representation:\n    extension: .md\n    format_name: myst\n"
                "kernelspec:\n  display_name: Python 3\n  language: python\n  name: python3\n---\n")
        parts = [head]
        for kind, _, src in self._cells():
            parts.append(src if kind == "markdown" else f"```{{code-cell}} ipython3\n{src}\n```")
        return "\n\n".join(parts) + "\n"

    def answer_key(self) -> dict[str, Any]:
        """The instructor's key: every problem's check, parameters and answer."""
        from .. import __version__

        return {
            "student_id": self.student_id, "seed": self.seed, "liqlearn_version": __version__,
            "problems": [{"number": p.number, "key": p.key, "chapter": p.chapter,
                          "title": p.title, "check": p.check, "params": p.params,
                          "answer": p.answer, "unit": p.unit} for p in self.problems],
        }

    def answer_key_markdown(self) -> str:
        rows = "\n".join(f"| {p.number} | {p.title} | {p.chapter} | `check.{p.check}` | "
                         f"{p.formatted_answer()} |" for p in self.problems)
        return (f"# Answer key: {self.student_id}\n\nSeed {self.seed} (SHA-256 of the id). "
                "Regrade a student's number with the check shown and the parameters in the JSON "
                "key; the default tolerance is relative 1e-4.\n\n"
                f"| # | problem | chapter | check | answer |\n|---|---|---|---|---|\n{rows}\n")

    def write(self, out: str | Path, key_dir: str | Path | None = None, *,
              markdown: bool = True) -> list[Path]:
        """Write the student's files to ``out`` and the key to ``key_dir``
        (default ``out/answer_keys``); return the paths written."""
        import nbformat

        out = Path(out)
        keys = Path(key_dir) if key_dir is not None else out / "answer_keys"
        out.mkdir(parents=True, exist_ok=True)
        keys.mkdir(parents=True, exist_ok=True)
        files = {out / f"problems-{self.slug}.ipynb": nbformat.writes(self.notebook()) + "\n",
                 keys / f"key-{self.slug}.json":
                     json.dumps(self.answer_key(), indent=2, ensure_ascii=False) + "\n",
                 keys / f"key-{self.slug}.md": self.answer_key_markdown()}
        if markdown:
            files[out / f"problems-{self.slug}.md"] = self.myst()
        for path, text in files.items():
            path.write_text(text, encoding="utf-8", newline="\n")
        return list(files)


def generate(seed: Any) -> ProblemSet:
    """The problem set of a student id (any string; an int is used as its decimal string)."""
    student_id = str(seed)
    if not student_id.strip():
        raise ValueError("seed (the student id) must be a non-empty string")
    s = seed_from(student_id)
    problems = tuple(build_problem(s, i, key, builder) for i, (key, builder) in enumerate(PROBLEMS, 1))
    return ProblemSet(student_id=student_id, seed=s, problems=problems)
