"""The package's fingerprint and its on-disk caches.

Two caches depend on the package: the derived registry (``FORMULAS`` pickled
on disk, :mod:`liqlearn.derivations.registry`) and the book's execution cache
(``tools/prepare.py`` clears jupyter-cache when the package changes).  Both key
themselves with :func:`package_hash`, so they agree on what "changed" means.
"""

from __future__ import annotations

import hashlib
import os
import sys
import tempfile
from pathlib import Path
from typing import Callable

PACKAGE = Path(__file__).resolve().parents[1]


def package_hash(package: Path = PACKAGE) -> str:
    """SHA-256 over every source and data file of the package (not bytecode caches).

    Each file contributes its path relative to the package's parent and its bytes,
    so a rename, an edit or a new data file all change the hash.

    >>> len(package_hash()), package_hash() == package_hash()
    (64, True)
    """
    digest = hashlib.sha256()
    files = (p for p in package.rglob("*")
             if p.is_file() and "__pycache__" not in p.parts and p.suffix not in (".pyc", ".pyo"))
    for path in sorted(files):
        digest.update(path.relative_to(package.parent).as_posix().encode())
        digest.update(b"\0")
        digest.update(path.read_bytes())
        digest.update(b"\0")
    return digest.hexdigest()


def cache_root() -> Path | None:
    """The cache folder: ``$LIQLEARN_CACHE_DIR`` (empty: no cache), else ``~/.cache/liqlearn``."""
    root = os.environ.get("LIQLEARN_CACHE_DIR")
    if root == "":
        return None
    if root is None:
        base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
        root = os.path.join(base, "liqlearn")
    return Path(root)


def cache_key() -> str:
    """20 hex digits naming this package, Python minor version and SymPy version."""
    from importlib.metadata import version

    digest = hashlib.sha256()
    digest.update(f"{sys.version_info[:2]} sympy {version('sympy')}".encode())
    digest.update(package_hash().encode())
    return digest.hexdigest()[:20]


def write_atomic(path: Path | None, data: bytes) -> None:
    """Write a cache file atomically and drop older versions of the same kind.

    ``os.replace`` makes the write atomic, so concurrent kernels never read half a
    file.  Any failure (a read-only home, say) only means the work is done again.
    """
    if path is None:
        return
    tmp = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
        tmp = None
        kind = path.name.split("-")[0]
        for stale in path.parent.glob(f"{kind}-*{path.suffix}"):
            if stale.name != path.name:
                stale.unlink(missing_ok=True)
    except OSError:
        if tmp is not None:
            Path(tmp).unlink(missing_ok=True)


def cached_text(kind: str, make: Callable[[], str]) -> str:
    """``make()``'s text, kept on disk per version of the package (``kind-KEY.txt``)."""
    root = cache_root()
    path = None if root is None else root / f"{kind}-{cache_key()}.txt"
    if path is not None and path.is_file():
        try:
            return path.read_text(encoding="utf-8")
        except OSError:
            pass
    text = make()
    write_atomic(path, text.encode("utf-8"))
    return text
