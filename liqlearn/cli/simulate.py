"""``python -m liqlearn simulate SCENARIO --seed N [--accounts K] [--steps T] [--json]``.

Runs a seeded scenario of :mod:`liqlearn.simulation.scenarios` through the liquidation
engine and prints what happened: the number of liquidations and rounds, ADL,
the bad debt the insurance fund paid, and the ledger, whose closing total
(wallets + unrealized P&L + insurance fund + fees) equals the deposits plus
the fund's opening balance.

With ``--json`` one JSON object goes to stdout (non-finite numbers as
strings, so any JSON parser reads it).  A progress bar goes to stderr when it
is a terminal; a long run that is not on a terminal prints a line every 10 %.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import time
from typing import Any, Callable

LONG_RUN = 2_000_000  # accounts * steps above which a run counts as long


def configure(parser: argparse.ArgumentParser) -> None:
    from ..simulation.scenarios import SCENARIOS

    parser.add_argument("scenario", choices=sorted(SCENARIOS), metavar="SCENARIO",
                        help="one of: " + ", ".join(f"{k} ({v})" for k, v in SCENARIOS.items()).replace("%", "%%"))
    parser.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    parser.add_argument("--accounts", type=int, default=500,
                        help="number of traders (default 500)")
    parser.add_argument("--steps", type=int, default=200, help="index steps (default 200)")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--events", type=int, default=10,
                        help="liquidation events to list in the table (default 10)")


def _progress(total: int, long_run: bool, stream: Any = None) -> Callable[[int], None] | None:
    stream = stream or sys.stderr
    tty = bool(getattr(stream, "isatty", lambda: False)())
    if not (tty or long_run):
        return None
    start = time.perf_counter()
    state = {"last": -1}

    def update(k: int) -> None:
        done = k + 1
        if tty:
            pct = int(100 * done / total)
            if pct == state["last"] and done != total:
                return
            state["last"] = pct
            width = 30
            fill = int(width * done / total)
            elapsed = time.perf_counter() - start
            stream.write(f"\r[{'#' * fill}{'.' * (width - fill)}] {pct:3d} % "
                         f"step {done}/{total} {elapsed:5.1f} s")
            if done == total:
                stream.write("\n")
            stream.flush()
        else:
            tenth = (10 * done) // total
            if tenth != state["last"]:
                state["last"] = tenth
                stream.write(f"progress: {10 * tenth} % (step {done}/{total})\n")
                stream.flush()

    return update


def _jsonable(x: Any) -> Any:
    if isinstance(x, dict):
        return {k: _jsonable(val) for k, val in x.items()}
    if isinstance(x, (list, tuple)):
        return [_jsonable(val) for val in x]
    if isinstance(x, float) and not math.isfinite(x):
        return "inf" if x > 0 else ("-inf" if x < 0 else "nan")
    if hasattr(x, "item"):  # numpy scalars
        return _jsonable(x.item())
    return x


def _fmt(x: Any, digits: int = 2) -> str:
    if x is None:
        return "-"
    if isinstance(x, float):
        return f"{x:,.{digits}f}"
    return str(x)


def format_table(summary: dict[str, Any], records: list[dict[str, Any]], n_events: int) -> str:
    """The human-readable report: headline numbers, first events, the ledger."""
    p = summary["params"]
    lines = [f"scenario {p['scenario']}  seed {p['seed']}  traders {summary['accounts']}  "
             f"steps {summary['steps']}", ""]
    head = [
        ("liquidations", summary["liquidations"]),
        ("  of which partial", summary["partial_liquidations"]),
        ("liquidation rounds", summary["liquidation_rounds"]),
        ("most rounds in one step", summary["max_rounds_in_a_step"]),
        ("ADL fills", summary["adl_events"]),
        ("bad debt paid by the fund (USDT)", summary["bad_debt"]),
        ("surplus paid to the fund (USDT)", summary["surplus_to_fund"]),
        ("socialized loss (USDT)", summary["socialized_loss"]),
        ("lowest mark / last price", f"{summary['min_mark']:,.2f} / {summary['min_last']:,.2f}"),
    ]
    w = max(len(k) for k, _ in head)
    lines += [f"{k:<{w}}  {_fmt(val):>16}" for k, val in head]
    if records:
        cols = [("step", "step", 0), ("account", "account", 0), ("side", "side", 0),
                ("mode", "mode", 0), ("partial", "partial", 0), ("qty", "quantity", 4),
                ("mark", "trigger_mark", 2), ("bankruptcy", "bankruptcy_price", 2),
                ("fill", "fill_price", 2), ("fund chg", "fund_change", 2),
                ("ADL", "adl_counterparties", 0)]
        rows = []
        for r in records[:n_events]:
            row = []
            for _, key, d in cols:
                val = r[key]
                if key == "adl_counterparties":
                    val = ",".join(map(str, val[:3])) + ("..." if len(val) > 3 else "") or "-"
                row.append(_fmt(val, d) if isinstance(val, float) or val is None else str(val))
            rows.append(row)
        widths = [max(len(c[0]), *(len(r[k]) for r in rows)) for k, c in enumerate(cols)]
        lines += ["", f"first {len(rows)} of {len(records)} liquidations:",
                  "  ".join(c[0].rjust(wd) for c, wd in zip(cols, widths))]
        lines += ["  ".join(val.rjust(wd) for val, wd in zip(r, widths)) for r in rows]
    led = summary["ledger"]
    lines += ["", "ledger (USDT):"]
    order = [("deposits", "deposits"), ("insurance fund, opening", "insurance_fund_initial"),
             ("wallets", "wallets"), ("unrealized P&L", "unrealized_pnl"),
             ("insurance fund, closing", "insurance_fund"), ("fees", "fees"),
             ("closing total", "closing_total")]
    w = max(len(k) for k, _ in order)
    lines += [f"  {k:<{w}}  {led[key]:>18,.2f}" for k, key in order]
    opening = led["deposits"] + led["insurance_fund_initial"]
    ok = math.isclose(led["closing_total"], opening, rel_tol=1e-9)
    lines.append(f"  {'balances':<{w}}  {'yes' if ok else 'NO':>18}")
    return "\n".join(lines)


def run(args: argparse.Namespace) -> int:
    from ..simulation.scenarios import run_scenario

    for name in ("accounts", "steps"):
        if getattr(args, name) < 1:
            raise ValueError(f"--{name} must be an integer >= 1; got {getattr(args, name)}")
    if args.seed < 0:
        raise ValueError(f"--seed must be an integer >= 0; got {args.seed}")
    long_run = args.accounts * args.steps >= LONG_RUN
    progress = _progress(args.steps, long_run)
    result = run_scenario(args.scenario, seed=args.seed, accounts=args.accounts,
                          steps=args.steps, progress=progress)
    summary = result.summary()
    if args.json:
        print(json.dumps(_jsonable(summary), allow_nan=False))
    else:
        print(format_table(summary, result.to_records(), max(0, args.events)))
    return 0
