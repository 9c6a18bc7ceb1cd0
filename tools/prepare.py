"""Run before (and after) every site build by ``make book`` / ``make student``.

Before the build (``python tools/prepare.py``):

* Keys jupyter-cache to the package.  jupyter-cache re-executes a chapter only when the
  chapter's own code changes; a chapter's output also depends on ``liqlearn``.  The
  hash of ``liqlearn/**`` (``liqlearn.derivations.cache.package_hash``, the one the registry cache uses too) is kept in ``_build/.liqlearn.sha256``;
  when it changes, ``_build/.jupyter_cache`` and the Sphinx environment are cleared so
  every page is read and every chapter runs again (Sphinx alone would re-read only pages
  whose source changed, and serve the old outputs).
* Makes a failed strict build stay failed.  Sphinx re-reads only changed pages, so after
  a failed ``-W`` build a rebuild can return 0 (unchanged pages do not repeat their
  warnings).  A marker ``_build/.build-pending`` is written now and removed only after
  a successful build (``--succeeded``); if it is still there, the last build failed or
  was interrupted, and the Sphinx environment is dropped so every page is read again
  (executed outputs still come from the cache).
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from liqlearn.derivations.cache import package_hash  # noqa: E402  (the one package hash)


def key_to_package(build: Path, cache: Path | None = None) -> bool:
    """Clear the execution cache when ``liqlearn/`` changed since the stamp in ``build``.

    The stamp is ``build/.liqlearn.sha256``; the cache defaults to
    ``build/.jupyter_cache``.  Returns whether the package changed (then every
    page must be re-read, since Sphinx re-reads only pages whose source changed).
    """
    build.mkdir(parents=True, exist_ok=True)
    cache = cache or build / ".jupyter_cache"
    stamp = build / ".liqlearn.sha256"
    current = package_hash()
    previous = stamp.read_text().strip() if stamp.exists() else None
    if previous == current:
        return False
    if cache.exists() or (build / ".doctrees").exists():
        print(f"[prepare] liqlearn changed since the last build in {build}: clearing the "
              "execution cache and re-reading every page")
    if cache.exists():
        shutil.rmtree(cache)
    stamp.write_text(current + "\n")
    return True


def before(build: Path) -> None:
    reread = key_to_package(build)
    pending = build / ".build-pending"
    if pending.exists():
        print("[prepare] the last build failed or was interrupted: re-reading every page")
        reread = True
    if reread:
        for env in (build / ".doctrees", build / "html" / ".doctrees"):
            if env.exists():
                shutil.rmtree(env)
    pending.write_text("a build started; removed when it succeeds\n")


def succeeded(build: Path) -> None:
    (build / ".build-pending").unlink(missing_ok=True)


def main(argv: list[str]) -> int:
    build = ROOT / "_build"
    if "--build-dir" in argv:
        build = Path(argv[argv.index("--build-dir") + 1]).resolve()
    if "--succeeded" in argv:
        succeeded(build)
    else:
        before(build)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
