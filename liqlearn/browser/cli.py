"""``python -m liqlearn browser --out DIR``: write the browser twin (formulas.mjs and friends).

::

    python -m liqlearn browser --out site/_static/liqlearn

Writes ``formulas.mjs``, ``data.mjs``, ``algorithms.mjs`` and ``liqlearn.js``
(see :mod:`liqlearn.browser`) and prints their paths.
"""

from __future__ import annotations

import argparse


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--out", required=True, metavar="DIR",
                        help="folder to write formulas.mjs, data.mjs, algorithms.mjs and "
                             "liqlearn.js into (created if needed)")


def run(args: argparse.Namespace) -> int:
    from .build import write

    for path in write(args.out):
        print(path)
    return 0
