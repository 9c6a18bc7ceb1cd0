"""``python -m liqlearn problems --seed ID [--seed ID ...] --out DIR`` and ``--grade NOTEBOOK``.

Writes each student's problem set and its answer key, or grades a returned notebook.
"""

from __future__ import annotations

import argparse
import json

from ..course.grading import grade
from ..course.problems import generate


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--seed", action="append", metavar="STUDENT_ID",
                        help="student id (any string); repeat for several students")
    parser.add_argument("--out", default="problem_sets", metavar="DIR",
                        help="folder for the students' notebooks (default: problem_sets)")
    parser.add_argument("--key-dir", default=None, metavar="DIR",
                        help="folder for the answer keys (default: OUT/answer_keys)")
    parser.add_argument("--no-markdown", action="store_true",
                        help="write only the .ipynb, not the MyST .md copy")
    parser.add_argument("--grade", metavar="NOTEBOOK",
                        help="grade a returned notebook (its id from --seed or its metadata)")
    parser.add_argument("--json", action="store_true", help="with --grade: print JSON")


def run(args: argparse.Namespace) -> int:
    if args.grade:
        if args.seed and len(args.seed) > 1:
            raise ValueError("--grade takes at most one --seed (the student's id)")
        rows = grade(args.grade, args.seed[0] if args.seed else None)
        if args.json:
            print(json.dumps(rows, indent=2, ensure_ascii=False))
        else:
            for r in rows:
                mark = {True: "✓", False: "✗", None: "?"}[r["correct"]]
                given = "-" if r["submitted"] is None else f"{r['submitted']:,.6g}"
                note = f"  ({r['mistake']})" if r["mistake"] else ""
                print(f"{r['number']:>2} {mark} {r['title']:<48} {given}{note}")
            score = sum(r["correct"] is True for r in rows)
            print(f"score: {score} / {len(rows)}")
        return 0
    if not args.seed:
        raise ValueError("give --seed STUDENT_ID (to write a set) or --grade NOTEBOOK")
    for student in args.seed:
        ps = generate(student)
        for path in ps.write(args.out, args.key_dir, markdown=not args.no_markdown):
            print(path)
    return 0
