"""Time the liquidation engine on the ``cascade`` scenario.

    .venv/bin/python benchmarks/engine.py [--sizes 1000 10000 100000] [--steps 1000]

For each number of traders it builds the scenario (not timed), runs 1,000
mark-price steps and prints wall-clock and CPU time, the number of
liquidations and ADL fills, and the ratio to the previous size.  The target:
10,000 accounts in under 2 s on a 2-core machine, time growing about linearly
in accounts (ratios near 10 for tenfold sizes; events grow tenfold too).

Why it is fast: each account's trigger price is solved once per position
change (vectorised numpy over accounts and tiers), so the per-step margin
check is a comparison of the mark with an array -- skipped entirely when the
mark lies between the highest long and the lowest short trigger -- and Python
work is spent only on the accounts actually liquidated.  CPU time is printed
beside wall time because the machine is shared: wall time includes waiting
for a core.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from liqlearn.simulation.scenarios import build_scenario  # noqa: E402


def bench(accounts: int, steps: int, seed: int) -> dict:
    setup = build_scenario("cascade", seed=seed, accounts=accounts, steps=steps)
    wall = time.perf_counter()
    cpu = time.process_time()
    result = setup.run()
    cpu = time.process_time() - cpu
    wall = time.perf_counter() - wall
    s = result.summary()
    led = s["ledger"]
    balanced = abs(led["difference"]) <= 1e-9 * (led["deposits"] + led["insurance_fund_initial"])
    return {"accounts": accounts, "wall": wall, "cpu": cpu, "liquidations": s["liquidations"],
            "adl": s["adl_events"], "rounds": s["liquidation_rounds"], "balanced": balanced}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 10_000, 100_000])
    parser.add_argument("--steps", type=int, default=1_000)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    bench(200, 50, args.seed)  # warm up imports and caches
    print(f"cascade scenario, {args.steps:,} mark-price steps, seed {args.seed}")
    print(f"{'accounts':>9} {'wall s':>8} {'cpu s':>8} {'liquidations':>13} {'ADL fills':>10} "
          f"{'rounds':>7} {'x wall':>7} {'x cpu':>7} {'balanced':>9}")
    prev = None
    rows = []
    for n in args.sizes:
        r = bench(n, args.steps, args.seed)
        ratio_w = f"{r['wall'] / prev['wall']:.1f}" if prev else "-"
        ratio_c = f"{r['cpu'] / prev['cpu']:.1f}" if prev else "-"
        print(f"{n:>9,} {r['wall']:>8.2f} {r['cpu']:>8.2f} {r['liquidations']:>13,} "
              f"{r['adl']:>10,} {r['rounds']:>7,} {ratio_w:>7} {ratio_c:>7} "
              f"{'yes' if r['balanced'] else 'NO':>9}", flush=True)
        prev = r
        rows.append(r)
    target = [r for r in rows if r["accounts"] == 10_000]
    if target:
        t = target[0]
        verdict = "meets" if t["wall"] < 2.0 else ("meets on CPU time" if t["cpu"] < 2.0
                                                  else "misses")
        print(f"10,000 accounts: {t['wall']:.2f} s wall, {t['cpu']:.2f} s CPU -> {verdict} "
              f"the 2 s target")
    return 0


if __name__ == "__main__":
    sys.exit(main())
