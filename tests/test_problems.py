"""Per-student problem sets: deterministic per id, different across ids, valid notebooks
whose answer cells grade the key's answers as correct."""

from __future__ import annotations

import hashlib
import json
import math
import subprocess
import sys

import pytest

from liqlearn import check, problems
from liqlearn.course import grading  # noqa: E402
from liqlearn.cli import main  # noqa: E402

IDS = ["alice", "bob", "s1234567", "Zoë Müller", "42", "a/b c", "x" * 80]


@pytest.fixture(scope="module")
def sets():
    return {sid: problems.generate(sid) for sid in IDS}


def test_seed_is_sha256_of_the_id_not_pythons_hash():
    expected = int.from_bytes(hashlib.sha256(b"alice").digest()[:8], "big")
    assert problems.seed_from("alice") == expected
    assert problems.seed_from(42) == problems.seed_from("42")
    # a fresh interpreter (another PYTHONHASHSEED) gets the same seed
    out = subprocess.run([sys.executable, "-c", "from liqlearn.course.problems import seed_from;"
                          "print(seed_from('alice'))"], capture_output=True, text=True,
                         env={"PYTHONHASHSEED": "123"}, check=True)
    assert int(out.stdout) == expected


def test_same_id_gives_byte_identical_files(tmp_path, sets):
    a, b = tmp_path / "a", tmp_path / "b"
    files_a = problems.generate("alice").write(a)
    files_b = sets["alice"].write(b)
    assert len(files_a) == 4
    for fa, fb in zip(files_a, files_b):
        assert fa.relative_to(a) == fb.relative_to(b)
        assert fa.read_bytes() == fb.read_bytes(), fa.name


def test_other_ids_give_other_numbers(sets):
    alice = sets["alice"]
    for sid, ps in sets.items():
        if sid == "alice":
            continue
        assert ps.seed != alice.seed
        differ = sum(p.params != q.params for p, q in zip(ps.problems, alice.problems))
        assert differ >= len(alice.problems) - 1, (sid, differ)
        assert ps.notebook() != alice.notebook()


def test_every_chapter_kind_is_covered(sets):
    ps = sets["alice"]
    assert 8 <= len(ps.problems) <= 12
    chapters = {p.chapter for p in ps.problems}
    assert {"margin_leverage", "liquidation_price", "bankruptcy_price", "tiers_partial",
            "cross_isolated", "inverse_contracts", "funding",
            "liquidation_probability"} <= chapters
    bases = {p.params.get("mm_basis") for p in ps.problems if p.check == "liquidation_price"}
    assert {"mark", "entry"} <= bases


@pytest.mark.parametrize("sid", [f"student-{i:03d}" for i in range(25)] + IDS)
def test_answer_keys_pass_the_checks_and_wrong_answers_fail(sid, monkeypatch):
    monkeypatch.setenv(check.STRICT_ENV, "1")
    ps = problems.generate(sid)
    key = json.loads(json.dumps(ps.answer_key()))   # through JSON, as an instructor reads it
    assert key["student_id"] == sid and len(key["problems"]) == len(ps.problems)
    for entry, p in zip(key["problems"], ps.problems):
        assert math.isfinite(entry["answer"]) and entry["answer"] != 0
        params = {k: problems.materialise(v) for k, v in entry["params"].items()}
        assert getattr(check, entry["check"])(entry["answer"], **params)   # strict: raises if not
        assert not p.run_check(entry["answer"] * 1.02 + 1e-3, strict=False)


def test_positions_are_sensible(sets):
    for ps in sets.values():
        for p in ps.problems:
            kw = p.params
            if "leverage" in kw:
                assert 2 <= kw["leverage"] <= 50
            if "mmr" in kw and isinstance(kw["mmr"], float):
                assert kw["mmr"] in problems.MMRS
            if p.check == "liquidation_price" and p.params.get("side") == "long":
                assert 0 < p.answer < kw["entry_price"]
            if p.check == "liquidation_price" and p.params.get("side") == "short":
                assert kw["entry_price"] < p.answer < math.inf
            if p.unit == "probability":
                assert 0 < p.answer < 1


def test_notebook_is_valid_and_its_cells_grade_the_key(sets, monkeypatch):
    import nbformat

    ps = sets["bob"]
    nb = nbformat.reads(nbformat.writes(ps.notebook()), as_version=4)
    nbformat.validate(nb)
    assert len({c.id for c in nb.cells}) == len(nb.cells)
    code = [c.source for c in nb.cells if c.cell_type == "code"]
    assert code[0] == problems.SETUP and len(code) == len(ps.problems) + 1
    text = "\n".join(c.source for c in nb.cells)
    for p in ps.problems:
        assert p.formatted_answer() not in text and repr(p.answer) not in text
    # as handed out: runs without error (the checks say "not yet: give a number")
    monkeypatch.delenv(check.STRICT_ENV, raising=False)
    ns: dict = {}
    for src in code:
        exec(src, ns)
    # with the key's answers in place of `...`, every cell passes in strict mode
    monkeypatch.setenv(check.STRICT_ENV, "1")
    ns = {}
    exec(code[0], ns)
    for src, p in zip(code[1:], ps.problems):
        exec(src.replace("answer = ...", f"answer = {p.answer!r}", 1), ns)
    with pytest.raises(AssertionError):
        exec(code[1], ns)   # `...` is not a number: strict mode says so


def test_myst_copy_matches_the_notebook(sets):
    jupytext = pytest.importorskip("jupytext")
    ps = sets["alice"]
    md = jupytext.reads(ps.myst(), fmt="md:myst")
    nb = ps.notebook()
    assert [c.cell_type for c in md.cells] == [c.cell_type for c in nb.cells]
    assert [c.source.strip() for c in md.cells] == [c.source.strip() for c in nb.cells]


def test_answer_key_markdown(sets):
    ps = sets["Zoë Müller"]
    md = ps.answer_key_markdown()
    assert "Zoë Müller" in md
    for p in ps.problems:
        assert p.formatted_answer() in md and f"check.{p.check}" in md
    assert ps.slug.startswith("Zo") and "/" not in sets["a/b c"].slug
    assert len(sets["x" * 80].slug) < 60


def test_cli_writes_notebooks_and_separate_keys(tmp_path, capsys):
    out = tmp_path / "sets"
    assert main(["problems", "--seed", "alice", "--seed", "bob", "--out", str(out)]) == 0
    printed = capsys.readouterr().out.split()
    assert sorted(p.name for p in out.iterdir()) == [
        "answer_keys", "problems-alice.ipynb", "problems-alice.md", "problems-bob.ipynb",
        "problems-bob.md"]
    assert sorted(p.name for p in (out / "answer_keys").iterdir()) == [
        "key-alice.json", "key-alice.md", "key-bob.json", "key-bob.md"]
    assert len(printed) == 8
    keys = tmp_path / "keys"
    assert main(["problems", "--seed", "carol", "--out", str(out), "--key-dir", str(keys),
                 "--no-markdown"]) == 0
    assert (keys / "key-carol.json").exists() and not (out / "problems-carol.md").exists()
    # with --key-dir the key goes only there
    assert not list(out.rglob("key-carol*"))
    assert json.loads((keys / "key-carol.json").read_text())["student_id"] == "carol"


def test_cli_via_python_m(tmp_path):
    run = subprocess.run([sys.executable, "-m", "liqlearn", "problems", "--seed", "dave",
                          "--out", str(tmp_path)], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    assert (tmp_path / "problems-dave.ipynb").exists()
    bad = subprocess.run([sys.executable, "-m", "liqlearn", "problems", "--seed", " ",
                          "--out", str(tmp_path)], capture_output=True, text=True)
    assert bad.returncode == 2 and "error:" in bad.stderr and "Traceback" not in bad.stderr


def test_grade_a_returned_notebook(tmp_path, capsys):
    import nbformat

    import liqlearn as ll

    ps = problems.generate("erin")
    nb = ps.notebook()
    cells = {c.id: c for c in nb.cells}

    def submit(n, text):
        cells[f"p{n}-answer"].source = cells[f"p{n}-answer"].source.replace("...", text, 1)

    p1, p3 = ps.problems[0], ps.problems[2]
    assert p3.key == "liquidation_mark"
    submit(1, repr(p1.answer))
    submit(2, f"({ps.problems[1].answer!r} * 2) / 2")        # plain arithmetic is evaluated
    kw = p3.check_kwargs()
    q = kw["margin"] * kw["leverage"] / kw["entry_price"]
    entry_basis = ll.liquidation_price(kw["side"], kw["entry_price"], q, kw["margin"], kw["mmr"],
                                       fee_rate=kw["fee_rate"], mm_basis="entry")
    submit(3, repr(entry_basis))
    submit(4, "ll.liquidation_price('long', 1, 1, 1, 0)")     # code is never run
    path = tmp_path / "returned.ipynb"
    nbformat.write(nb, path)

    rows = grading.grade(path)
    assert [r["correct"] for r in rows[:4]] == [True, True, False, None]
    assert rows[2]["mistake"] == "basis_entry"
    assert rows[3]["mistake"].startswith("not a plain number")
    assert all(r["mistake"] == "blank" for r in rows[4:])
    # the id comes from the metadata, or is given; another id grades against other numbers
    assert grading.grade(path, "erin") == rows
    assert grading.grade(path, "frank")[0]["correct"] is False

    assert main(["problems", "--grade", str(path)]) == 0
    out = capsys.readouterr().out
    assert "score: 2 / 10" in out and "basis_entry" in out
    assert main(["problems", "--grade", str(path), "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == json.loads(json.dumps(rows))
    assert main(["problems", "--out", str(tmp_path)]) == 2          # neither --seed nor --grade
    assert "--seed" in capsys.readouterr().err
