"""``python -m liqlearn``: the command line (see :mod:`liqlearn.cli`)."""

import sys

from .cli import main

if __name__ == "__main__":
    sys.exit(main())
