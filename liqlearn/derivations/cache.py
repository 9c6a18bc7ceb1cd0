"""The package's fingerprint: one hash of liqlearn's source and data files.

Two caches depend on the package: the derived registry (``FORMULAS`` pickled
on disk, :mod:`liqlearn.derivations.registry`) and the book's execution cache
(``tools/prepare.py`` clears jupyter-cache when the package changes).  Both key
themselves with :func:`package_hash`, so they agree on what "changed" means.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

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
