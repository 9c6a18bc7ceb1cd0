"""Grading a returned problem-set notebook without running the student's code.

The set is regenerated from the student id; each ``answer = <number>`` cell is read
with a small arithmetic evaluator (numbers and + - * / only), and judged by the
matching ``liqlearn.check``.
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

from .problems import generate

__all__ = ["grade"]


_OPS = {ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul,
        ast.Div: operator.truediv, ast.Pow: operator.pow, ast.USub: operator.neg,
        ast.UAdd: operator.pos}


def _arithmetic(node: ast.AST) -> float:
    """Evaluate a plain arithmetic expression (numbers, + - * / **, parentheses) safely."""
    if isinstance(node, ast.Constant) and isinstance(node.value, (int, float)) \
            and not isinstance(node.value, bool):
        return float(node.value)
    if isinstance(node, ast.BinOp) and type(node.op) in _OPS:
        return _OPS[type(node.op)](_arithmetic(node.left), _arithmetic(node.right))
    if isinstance(node, ast.UnaryOp) and type(node.op) in _OPS:
        return _OPS[type(node.op)](_arithmetic(node.operand))
    raise ValueError("not a plain number or arithmetic expression")


def _submitted(source: str) -> float | None:
    """The number assigned to ``answer`` in an answer cell (None: left blank or not plain)."""
    for node in ast.parse(source).body:
        if isinstance(node, ast.Assign) and [getattr(t, "id", None) for t in node.targets] \
                == ["answer"]:
            if isinstance(node.value, ast.Constant) and node.value.value is Ellipsis:
                return None
            try:
                return _arithmetic(node.value)
            except (ValueError, ArithmeticError, RecursionError):
                return None
    return None


def grade(notebook: str | Path, student_id: str | None = None) -> list[dict[str, Any]]:
    """Grade a returned problem-set notebook without running the student's code.

    The set is regenerated from the student id (given, or read from the notebook's
    metadata), so no key file is needed.  Each answer cell's ``answer = ...`` must be a
    number or plain arithmetic; anything else is reported for grading by hand.  Returns one
    row per problem: number, title, submitted value, correct (True/False/None) and the
    diagnosed mistake code.

    >>> import tempfile, nbformat
    >>> ps = generate("alice")
    >>> nb = ps.notebook()
    >>> nb.cells[3].source = nb.cells[3].source.replace("...", repr(ps.problems[0].answer), 1)
    >>> path = Path(tempfile.mkdtemp()) / "returned.ipynb"
    >>> nbformat.write(nb, path)
    >>> rows = grade(path)
    >>> rows[0]["correct"], rows[1]["correct"], rows[1]["mistake"]
    (True, None, 'blank')
    """
    import nbformat

    nb = nbformat.read(str(notebook), as_version=4)
    sid = student_id or nb.metadata.get("liqlearn", {}).get("problem_set")
    if not sid:
        raise ValueError(f"{notebook}: no student id given and none in the notebook's metadata")
    ps = generate(sid)
    cells = {c.get("id"): c.source for c in nb.cells if c.cell_type == "code"}
    rows = []
    for p in ps.problems:
        source = cells.get(f"p{p.number}-answer")
        value = _submitted(source) if source is not None else None
        row: dict[str, Any] = {"number": p.number, "title": p.title, "submitted": value,
                               "correct": None, "mistake": None}
        if source is None:
            row["mistake"] = "cell missing"
        elif value is None:
            blank = re.search(r"^\s*answer\s*=\s*\.\.\.", source, re.M)
            row["mistake"] = "blank" if blank else "not a plain number: grade by hand"
        else:
            verdict = p.run_check(value, strict=False)
            row["correct"], row["mistake"] = verdict.correct, verdict.mistake
        rows.append(row)
    return rows
