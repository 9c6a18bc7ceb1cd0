"""The instructor's hand-out: the student edition's notebooks in one zip.

``make handout`` (``python tools/handout.py``) writes ``_build/handout/liqlearn-student-notebooks.zip``:
every chapter in ``_toc.yml`` that is a notebook, as an unexecuted ``.ipynb`` without its
solutions (removed from the MyST source by the student edition's own scanner,
``liqstudent.strip_solutions``; the exercises and their self-check hints stay), plus a
``README.md`` for the instructor who uploads them to a course system or a JupyterHub.
A notebook that still holds a solution directive fails the build.
"""

from __future__ import annotations

import argparse
import re
import sys
import zipfile
from pathlib import Path

import jupytext
import nbformat
import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "book" / "_ext"))
import liqstudent  # noqa: E402  the student edition's solution scanner

OUT = ROOT / "_build" / "handout" / "liqlearn-student-notebooks.zip"
SOLUTION = re.compile(r"\{solution(-start|-end)?\}")

README = """\
# {title}: student notebooks

{count} chapters of the liqlearn book as Jupyter notebooks, **without solutions** (the student
edition). Each keeps its exercises; a student checks a numeric answer with the self-check
cell of the exercise (`liqlearn.check`), which says whether the answer is right without
giving it away.

## Upload them

- **A JupyterHub** (or any Jupyter server): upload the `.ipynb` files, or unzip this archive
  in the course's shared folder. The image needs Python 3.11+ and the `liqlearn` package:
  `pip install "git+{repo}@{branch}"` installs it with its dependencies (NumPy, SymPy,
  matplotlib, ipywidgets).
- **A course system** (Moodle, Canvas, Blackboard...): attach the notebooks to the
  assignment; students open them in their JupyterHub, in JupyterLab on their own machine
  (`pip install jupyterlab "git+{repo}@{branch}"`), or on Binder from the book's pages.

The notebooks are not executed: students run them top to bottom (Run > Run All Cells);
every chapter needs only the package, no data download.

## What is in it

{listing}

The full book with worked solutions is the published site and its PDF (`make pdf`); the
student edition of the site is `make student`, of the PDF `make student-pdf`. Per-student
problem sets: `python -m liqlearn problems --seed STUDENT_ID --out DIR`.
Text CC-BY-4.0, code MIT.
"""


def toc_files() -> list[str]:
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    files = [toc["root"]]

    def walk(node):
        if isinstance(node, dict):
            if "file" in node:
                files.append(node["file"])
            for key in ("parts", "chapters", "sections"):
                for child in node.get(key) or []:
                    walk(child)

    walk({k: v for k, v in toc.items() if k in ("parts", "chapters", "sections")})
    return files


def student_notebook(source: Path) -> tuple[nbformat.NotebookNode, int] | None:
    """The chapter as a notebook without solutions, or None if it is not a notebook."""
    text = source.read_text(encoding="utf-8")
    if "kernelspec" not in text.split("\n---", 1)[0]:
        return None
    stripped, removed = liqstudent.strip_solutions(text, where=str(source))
    nb = jupytext.reads(stripped, fmt="md:myst")
    for cell in nb.cells:
        if SOLUTION.search(cell.source):
            raise ValueError(f"{source.name}: a solution directive is left in the hand-out")
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
    nb.metadata.pop("jupytext", None)
    return nb, removed


def build(target: Path = OUT) -> Path:
    config = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    repo = config.get("repository", {})
    entries = []
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_suffix(".tmp")
    with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as zf:
        number = 0
        for name in toc_files():
            source = ROOT / f"{name}.md"
            made = student_notebook(source) if source.exists() else None
            if made is None:
                continue
            nb, removed = made
            number += 1
            stem = Path(name).name
            title = next((line[2:].strip() for c in nb.cells if c.cell_type == "markdown"
                          for line in c.source.splitlines() if line.startswith("# ")), stem)
            arcname = f"liqlearn-student/{number:02d}_{stem}.ipynb"
            zf.writestr(arcname, nbformat.writes(nb))
            entries.append(f"- `{Path(arcname).name}`: {title} ({removed} solutions removed)")
        readme = README.format(title=config.get("title", "liqlearn"), count=len(entries),
                               repo=repo.get("url", ""), branch=repo.get("branch", "main"),
                               listing="\n".join(entries))
        zf.writestr("liqlearn-student/README.md", readme)
    tmp.replace(target)
    return target


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT, help="the zip to write")
    args = parser.parse_args(argv)
    target = build(args.out.resolve())
    with zipfile.ZipFile(target) as zf:
        n = sum(name.endswith(".ipynb") for name in zf.namelist())
    print(f"Wrote {target.relative_to(ROOT) if target.is_relative_to(ROOT) else target}: "
          f"{n} notebooks and a README ({target.stat().st_size / 1e3:.0f} kB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
