"""Command line: ``python -m liqlearn {price,simulate,problems} ...`` (the top layer).

Each sub-command lives in its own module, which provides ``configure(parser)``
and ``run(args) -> int``.  Bad input prints the message and exits with code 2,
without a traceback.
"""

from __future__ import annotations

import argparse
import importlib
import sys

# sub-command -> (module, one-line help)
COMMANDS = {
    "price": ("liqlearn.cli.price", "liquidation and bankruptcy price of one position"),
    "simulate": ("liqlearn.cli.simulate", "run a seeded liquidation-engine scenario"),
    "problems": ("liqlearn.cli.problems", "write a per-student problem set and its answer key"),
    "browser": ("liqlearn.browser.cli", "write the formulas as JavaScript (formulas.mjs, liqlearn.js)"),
}


def build_parser() -> argparse.ArgumentParser:
    from .. import __version__

    parser = argparse.ArgumentParser(
        prog="python -m liqlearn",
        description="liqlearn: liquidation prices, scenarios and problem sets.",
    )
    parser.add_argument("--version", action="version", version=f"liqlearn {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name, (module, help_text) in COMMANDS.items():
        try:
            mod = importlib.import_module(module)
        except ModuleNotFoundError as exc:  # pragma: no cover - partial checkouts only
            if exc.name != module:
                raise
            continue
        p = sub.add_parser(name, help=help_text, description=help_text)
        p.set_defaults(command_module=module)
        mod.configure(p)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(importlib.import_module(args.command_module).run(args) or 0)
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130

