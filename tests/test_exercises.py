"""Every chapter's exercises: labelled, each with its own solution-start/-end dropdown;
solutions that compute an answer grade it with ``liqlearn.course.check`` (so the strict build
proves them); the book holds at least 40 exercises.

Run with ``-s`` (or ``-rA``) to see the per-chapter report.
"""

from __future__ import annotations

import ast
import inspect
import re
import sys
from collections import Counter

import pytest

from _book import ROOT, source_text, toc_docnames

sys.path.insert(0, str(ROOT / "book" / "_ext"))
import liqstudent  # noqa: E402

from liqlearn import check  # noqa: E402

PLACEHOLDER = "*This chapter is being written.*"
MIN_EXERCISES = 40
MIN_PER_CHAPTER = 3

EXERCISE = re.compile(r"^(?P<fence>`{3,}|:{3,})\{exercise\}[^\n]*\n(?P<options>(?:\s*:[\w-]+:[^\n]*\n)*)",
                      re.M)
LABEL = re.compile(r":label:\s*(\S+)")
SOLUTION_START = re.compile(r"^(?:`{3,}|:{3,})\{solution-start\}\s*(\S*)", re.M)
SOLUTION_END = re.compile(r"^(?:`{3,}|:{3,})\{solution-end\}", re.M)
CODE_CELL = re.compile(r"^(?P<fence>`{3,})\{code-cell\}[^\n]*\n(?P<body>.*?)^(?P=fence)\s*$",
                       re.M | re.S)


def numbered_chapters() -> list[str]:
    """The chapters of the numbered parts (not the appendices)."""
    import yaml

    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    return [c["file"].removesuffix(".md") for part in toc.get("parts", [])
            if part.get("numbered") for c in part.get("chapters", [])]


def exercises(doc: str) -> list[str]:
    """Labels of the exercises of a page ('' for an unlabelled one)."""
    out = []
    for m in EXERCISE.finditer(source_text(doc)):
        label = LABEL.search(m.group("options"))
        out.append(label.group(1) if label else "")
    return out


def solution_code(body: str) -> str:
    return "\n".join(m.group("body") for m in CODE_CELL.finditer(body))


def check_calls(code: str) -> list[ast.Call]:
    """Calls ``check.NAME(...)`` in a solution's code (unparsable code: none)."""
    try:
        tree = ast.parse(code)
    except SyntaxError:
        return []
    return [n for n in ast.walk(tree) if isinstance(n, ast.Call)
            and isinstance(n.func, ast.Attribute) and isinstance(n.func.value, ast.Name)
            and n.func.value.id == "check"]


DOCS = [d for d in toc_docnames()]


@pytest.mark.parametrize("doc", DOCS)
def test_each_exercise_is_labelled_and_has_its_solution(doc):
    text = source_text(doc)
    labels = exercises(doc)
    assert "" not in labels, f"{doc}: an exercise without :label:"
    assert len(set(labels)) == len(labels), f"{doc}: duplicate exercise labels"
    starts = SOLUTION_START.findall(text)
    assert len(SOLUTION_END.findall(text)) == len(starts), f"{doc}: solution-start/-end unpaired"
    assert Counter(starts) == Counter(labels), (
        f"{doc}: each exercise needs exactly one solution-start with its label; "
        f"exercises {sorted(labels)}, solutions {sorted(starts)}")
    # a solution follows its exercise
    for label in labels:
        ex = re.search(rf":label:\s*{re.escape(label)}\s*$", text, re.M).start()
        sol = re.search(rf"\{{solution-start\}}\s*{re.escape(label)}\s*$", text, re.M).start()
        assert sol > ex, f"{doc}: the solution of {label} comes before the exercise"
    # the scanner the student edition uses sees the same solutions, closed properly
    found = liqstudent.find_solutions(text, doc)
    assert [lab for lab, _ in found] == starts
    stripped, n = liqstudent.strip_solutions(text, doc)
    assert n == len(starts) and "{solution" not in stripped
    assert len(EXERCISE.findall(stripped)) == len(labels)


def test_exercise_labels_are_unique_across_the_book():
    labels = [lab for d in DOCS for lab in exercises(d)]
    dupes = [lab for lab, n in Counter(labels).items() if n > 1]
    assert not dupes, dupes


@pytest.mark.parametrize("doc", DOCS)
def test_numeric_solutions_call_a_check(doc):
    """A solution that computes an ``answer`` grades it with a check; every check call names
    a real check with keywords it accepts."""
    for label, body in liqstudent.find_solutions(source_text(doc), doc):
        code = solution_code(body)
        calls = check_calls(code)
        if re.search(r"^\s*answer\s*=", code, re.M):
            assert calls, f"{doc}: solution {label} computes `answer` but calls no check"
        for call in calls:
            name = call.func.attr
            assert name in check.__all__, f"{doc}: {label}: check.{name} does not exist"
            sig = inspect.signature(getattr(check, name))
            kwargs = {k.arg: None for k in call.keywords if k.arg}
            args = [None] * len(call.args)
            if any(k.arg is None for k in call.keywords) or any(
                    isinstance(a, ast.Starred) for a in call.args):
                continue
            try:
                sig.bind(*args, **kwargs)
            except TypeError as exc:
                pytest.fail(f"{doc}: {label}: check.{name}(...): {exc}")


def report() -> tuple[dict[str, int], dict[str, int], int]:
    per_chapter, checked = {}, {}
    for d in DOCS:
        n = len(exercises(d))
        if n:
            per_chapter[d] = n
            checked[d] = sum(bool(check_calls(solution_code(b)))
                             for _, b in liqstudent.find_solutions(source_text(d), d))
    return per_chapter, checked, sum(per_chapter.values())


def test_book_has_enough_exercises(record_property):
    per_chapter, checked, total = report()
    lines = [f"{d:40s} {n:3d} exercises, {checked[d]:3d} solutions call a check"
             for d, n in per_chapter.items()]
    lines.append(f"{'total':40s} {total:3d} exercises, {sum(checked.values()):3d} "
                 "solutions call a check")
    print("\n" + "\n".join(lines))
    record_property("exercises_total", total)
    record_property("exercises_per_chapter", per_chapter)
    placeholders = [d for d in numbered_chapters() if PLACEHOLDER in source_text(d)]
    thin = {d: per_chapter.get(d, 0) for d in numbered_chapters()
            if PLACEHOLDER not in source_text(d) and per_chapter.get(d, 0) < MIN_PER_CHAPTER}
    if (total < MIN_EXERCISES or thin) and placeholders:
        pytest.skip(f"{total} exercises so far (want {MIN_EXERCISES}; chapters below "
                    f"{MIN_PER_CHAPTER}: {thin or 'none'}); chapters still being written: "
                    f"{', '.join(placeholders)}")
    assert total >= MIN_EXERCISES, f"only {total} exercises in the book (want {MIN_EXERCISES})"
    assert not thin, f"chapters with fewer than {MIN_PER_CHAPTER} exercises: {thin}"
