"""Book build timings: a cold build and an unchanged rebuild.

``python benchmarks/build.py`` copies the repository's tracked files (the committed
state plus the working tree's edits to them, no ``_build``) into a temporary folder and
runs the same steps as ``make book`` there, using this checkout's ``.venv`` and vendored
assets:

* **cold**: empty ``_build`` (no jupyter-cache, no Sphinx environment): every chapter
  is executed and every page written;
* **rebuild**: the same command again with nothing changed.

Targets (issue 3): cold at most 5 minutes on 2 cores, rebuild at most 15 % of cold.
Exit status 1 if either target is missed.  ``--keep`` leaves the copy for inspection.
"""

from __future__ import annotations

import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
COLD_LIMIT_S = 300.0
REBUILD_LIMIT = 0.15


def tracked_files() -> list[str]:
    out = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True)
    return [p for p in out.stdout.decode().split("\0") if p]


def make_copy(dest: Path) -> None:
    for rel in tracked_files():
        src = ROOT / rel
        if src.is_file():
            target = dest / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, target)
    vendored = ROOT / "static_vendor"
    if vendored.exists():
        shutil.copytree(vendored, dest / "static_vendor")


def build(copy: Path) -> tuple[float, float]:
    """(wall seconds, CPU seconds of the build and its kernels) of prepare + jupyter-book."""
    py = ROOT / ".venv" / "bin" / "python"
    jb = ROOT / ".venv" / "bin" / "jupyter-book"
    # The registry's disk cache lives in the copy too, so "cold" derives it afresh.
    env = {**os.environ, "LIQLEARN_STRICT_CHECKS": "1",
           "LIQLEARN_CACHE_DIR": str(copy / "_build" / ".liqlearn_cache")}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    subprocess.run([py, "tools/prepare.py"], cwd=copy, check=True, env=env,
                   stdout=subprocess.DEVNULL)
    proc = subprocess.run([jb, "build", ".", "-W", "-n", "--keep-going"], cwd=copy, env=env,
                          capture_output=True, text=True)
    elapsed = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if proc.returncode != 0:
        sys.stdout.write(proc.stdout[-4000:] + proc.stderr[-2000:])
        raise SystemExit(f"the build failed in {copy} (exit {proc.returncode})")
    subprocess.run([py, "tools/prepare.py", "--succeeded"], cwd=copy, check=True, env=env)
    return elapsed, cpu


def main(argv: list[str]) -> int:
    tmp = Path(tempfile.mkdtemp(prefix="liqlearn-build-bench-"))
    try:
        make_copy(tmp)
        print(f"copy of the repository: {tmp} ({os.cpu_count()} cores)")
        load = os.getloadavg()[0]
        cold, cold_cpu = build(tmp)
        print(f"cold build (empty _build):   {cold:7.1f} s wall, {cold_cpu:6.1f} s CPU"
              f"   (target <= {COLD_LIMIT_S:.0f} s)")
        warm, warm_cpu = build(tmp)
        ratio = warm / cold
        print(f"unchanged rebuild:           {warm:7.1f} s wall, {warm_cpu:6.1f} s CPU"
              f"   (target <= {REBUILD_LIMIT:.0%} of cold)")
        print(f"rebuild / cold:              {ratio:7.1%}")
        ok = cold <= COLD_LIMIT_S and ratio <= REBUILD_LIMIT
        print(f"load average at start: {load:.1f} (wall times stretch on a shared machine; "
              "CPU seconds do not)")
        print("targets met" if ok else "TARGET MISSED")
        return 0 if ok else 1
    finally:
        if "--keep" in argv:
            print(f"kept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
