"""How long does a control change take in each explorer, against a bare PNG render?

For every explorer this moves its controls through a fixed cycle of valid
settings.  Each *control change* is timed from the assignment of the control's
value to the end of its observer: compute, move the artists, render the
figure with Agg and encode the PNG into the Image widget.  Right after each
change the *same figure* is rendered again with nothing changed (the bare
render, :func:`liqlearn.explorers.render_png`).  Interleaving the two keeps the
comparison fair on a shared machine: a burst of load slows both.

Targets (issue "Explorers"): for each explorer the median change is at most
1.6 times the median bare render and at most 250 ms.

    .venv/bin/python benchmarks/explorers.py [--rounds 4] [--json out.json]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np  # noqa: E402

from liqlearn import explorers as ex  # noqa: E402
from liqlearn.explorers import render_png  # noqa: E402

RATIO_TARGET = 1.6
MS_TARGET = 250.0

# explorer -> a cycle of control settings (each a valid state, one control at a time)
CYCLES: dict[str, list[tuple[str, Any]]] = {
    "leverage": [("leverage", 20.0), ("leverage", 10.0), ("margin", 5_000.0),
                 ("margin", 1_000.0), ("side", "short"), ("side", "long"), ("basis", "entry"),
                 ("basis", "mark"), ("mmr", 0.01), ("mmr", 0.005), ("tiers", "@1"),
                 ("tiers", "@0"), ("entry_price", 30_000.0), ("entry_price", 60_000.0)],
    "mark_price": [("wick_depth", 0.12), ("wick_depth", 0.08), ("wick_seconds", 300),
                   ("wick_seconds", 30), ("window_minutes", 0.5), ("window_minutes", 2.5),
                   ("funding_rate", 0.002), ("funding_rate", 0.0001), ("leverage", 50.0),
                   ("leverage", 20.0)],
    "slippage": [("size", 30.0), ("size", 5.0), ("depth", 0.5), ("depth", 1.0),
                 ("decay", 0.06), ("decay", 0.03), ("spread", 50.0), ("spread", 10.0),
                 ("speed", 0.004), ("speed", 0.001), ("leverage", 50.0), ("leverage", 20.0)],
    "insurance_fund": [("fund", 3_000.0), ("fund", 1_000.0), ("leverage", 30.0),
                       ("leverage", 20.0), ("crash", 0.25), ("crash", 0.15), ("depth", 0.6),
                       ("depth", 0.3), ("clearance_fee", 0.003), ("clearance_fee", 0.001),
                       ("surplus_to", "fund"), ("surplus_to", "trader")],
    "risk": [("leverage", 20.0), ("leverage", 10.0), ("volatility", 1.2), ("volatility", 0.8),
             ("horizon_days", 30.0), ("horizon_days", 7.0), ("drift", 0.5), ("drift", 0.0)],
}


def _resolve(x: Any, key: str, value: Any) -> Any:
    """``"@k"`` means the k-th option of a dropdown."""
    if isinstance(value, str) and value.startswith("@"):
        return list(x.controls[key]._options_values)[int(value[1:])]
    return value


def _pct(values: list[float], q: float) -> float:
    return float(np.percentile(values, q))


def bench(name: str, rounds: int) -> dict[str, Any]:
    x = getattr(ex, f"{name}_explorer")()
    cycle = [(k, _resolve(x, k, val)) for k, val in CYCLES[name]]
    for key, value in cycle:  # warm up: caches, fonts, every state once
        x.controls[key].value = value
    change, bare, compute, change_cpu, bare_cpu = [], [], [], [], []
    for _ in range(rounds):
        for key, value in cycle:
            c0, t0 = time.process_time(), time.perf_counter()
            x.controls[key].value = value  # observer: compute + draw + PNG into the Image
            c1, t1 = time.process_time(), time.perf_counter()
            assert x.error is None, f"{name}: benchmark state {key}={value!r} is invalid"
            render_png(x.figure)  # bare render of the same figure
            c2, t2 = time.process_time(), time.perf_counter()
            x.compute(**x.values())
            t3 = time.perf_counter()
            change.append(1e3 * (t1 - t0))
            bare.append(1e3 * (t2 - t1))
            compute.append(1e3 * (t3 - t2))
            change_cpu.append(1e3 * (c1 - c0))
            bare_cpu.append(1e3 * (c2 - c1))
    med_change, med_bare = statistics.median(change), statistics.median(bare)
    w, h = x.figure.canvas.get_width_height()
    return {
        "explorer": name, "changes": len(change), "pixels": f"{w}x{h}",
        "png_kb": round(len(x.png) / 1024, 1),
        "change_median_ms": round(med_change, 1), "change_p95_ms": round(_pct(change, 95), 1),
        "bare_median_ms": round(med_bare, 1), "bare_p95_ms": round(_pct(bare, 95), 1),
        "compute_median_ms": round(statistics.median(compute), 1),
        "change_cpu_median_ms": round(statistics.median(change_cpu), 1),
        "bare_cpu_median_ms": round(statistics.median(bare_cpu), 1),
        "ratio": round(med_change / med_bare, 2),
        "ok": med_change <= RATIO_TARGET * med_bare and med_change <= MS_TARGET,
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--rounds", type=int, default=4, help="passes through each cycle")
    ap.add_argument("--only", nargs="*", choices=list(CYCLES), help="explorers to run")
    ap.add_argument("--json", type=Path, help="also write the rows to this file")
    args = ap.parse_args(argv)
    load0 = os.getloadavg()
    rows = [bench(name, args.rounds) for name in (args.only or CYCLES)]
    load1 = os.getloadavg()
    print(f"explorers benchmark: {platform.python_version()}, {os.cpu_count()} cores, "
          f"load average {load0[0]:.2f} at start, {load1[0]:.2f} at end (shared machine)")
    print(f"change = control change (compute + artists + PNG); bare = PNG render of the same "
          f"figure; targets: median change <= {RATIO_TARGET}x bare and <= {MS_TARGET:.0f} ms")
    print("times in ms (wall clock); cpu = process CPU time of the same operations, "
          "less sensitive to other engineers' load")
    head = (f"{'explorer':<15}{'n':>4}{'change med':>11}{'p95':>8}{'bare med':>10}{'p95':>8}"
            f"{'ratio':>7}{'compute':>9}{'cpu change':>11}{'cpu bare':>9}{'png KB':>8}  result")
    print(head)
    print("-" * len(head))
    for r in rows:
        print(f"{r['explorer']:<15}{r['changes']:>4}{r['change_median_ms']:>11.1f}"
              f"{r['change_p95_ms']:>8.1f}{r['bare_median_ms']:>10.1f}{r['bare_p95_ms']:>8.1f}"
              f"{r['ratio']:>7.2f}{r['compute_median_ms']:>9.1f}{r['change_cpu_median_ms']:>11.1f}"
              f"{r['bare_cpu_median_ms']:>9.1f}{r['png_kb']:>8.1f}  "
              f"{'ok' if r['ok'] else 'MISSED'}")
    if args.json:
        args.json.write_text(json.dumps({"load_average": [load0, load1], "rows": rows}, indent=2))
    return 0 if all(r["ok"] for r in rows) else 1


if __name__ == "__main__":
    raise SystemExit(main())
