"""Execute chapters top to bottom in a fresh kernel: ``python tools/run_chapter.py book/x.md ...``.

Reads each MyST notebook with jupytext and runs it with nbclient (as the build
and the chapter test do).  Prints the first failing cell's error; exit 1 on failure.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import jupytext
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

ROOT = Path(__file__).resolve().parents[1]


def run(path: Path, timeout: int = 300):
    nb = jupytext.read(path)
    os.environ.setdefault("LIQLEARN_STRICT_CHECKS", "1")
    client = NotebookClient(nb, timeout=timeout, kernel_name="python3",
                            resources={"metadata": {"path": str(path.parent)}},
                            store_widget_state=True)
    client.execute()
    return nb


def main(argv: list[str]) -> int:
    status = 0
    for arg in argv:
        path = Path(arg)
        t0 = time.perf_counter()
        try:
            run(path)
            print(f"ok    {path} ({time.perf_counter() - t0:.1f} s)")
        except CellExecutionError as exc:
            status = 1
            print(f"FAIL  {path}\n{exc}")
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
