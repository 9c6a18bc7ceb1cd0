"""How fast is the numeric twin?  ``python benchmarks/kernels.py [--n N] [--repeat R]``.

Times :func:`liqlearn.liquidation_price` (validation included) over N positions
(arrays of entry price, quantity and margin; scalar side and mmr) against

* the same arithmetic written inline in NumPy, ``(Q*E - M) / (Q*(1 - m))``,
  which validates nothing: the target is a median ratio of at most 1.2;
* substituting into the SymPy expression element by element (timed on 10,000
  positions and extrapolated to N): the reason the package has numeric twins.

The two NumPy versions run interleaved ``--repeat`` times, so both see the
same memory traffic; each run is timed in this process's CPU time
(``time.process_time``: other processes on a shared machine do not count).
The ratio is the median of the per-run ratios; the best times and the
wall-clock ratio are printed too.  Exit status 1 if the median ratio exceeds
``--max-ratio``.
"""

from __future__ import annotations

import argparse
import sys
import time

import numpy as np


def timed(fn) -> tuple[float, float]:
    """(CPU seconds, wall seconds) of one call."""
    c0, w0 = time.process_time(), time.perf_counter()
    fn()
    return time.process_time() - c0, time.perf_counter() - w0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=10_000_000, help="positions (default 10 million)")
    ap.add_argument("--repeat", type=int, default=9, help="interleaved runs of each version")
    ap.add_argument("--sympy-n", type=int, default=10_000, help="positions for the SymPy timing")
    ap.add_argument("--max-ratio", type=float, default=1.2)
    args = ap.parse_args(argv)

    import liqlearn as ll

    n, mmr = args.n, 0.005
    rng = np.random.default_rng(20240601)
    entry = rng.uniform(20_000.0, 100_000.0, n)
    quantity = rng.uniform(0.001, 5.0, n)
    leverage = rng.uniform(1.5, 100.0, n)
    margin = quantity * entry / leverage

    def inline() -> np.ndarray:
        return (quantity * entry - margin) / (quantity * (1.0 - mmr))

    def twin() -> np.ndarray:
        return ll.liquidation_price("long", entry, quantity, margin, mmr)

    np.testing.assert_allclose(twin(), inline(), rtol=1e-12)
    runs = []
    for _ in range(args.repeat):  # interleaved: both see the same load
        runs.append((*timed(inline), *timed(twin)))
    c_in, w_in, c_tw, w_tw = (np.array(col) for col in zip(*runs))
    t_inline, w_inline, t_twin, w_twin = c_in.min(), w_in.min(), c_tw.min(), w_tw.min()
    ratios = c_tw / c_in

    from liqlearn.derivations.liquidation import formulas  # this module's registry entries only

    entry_f = next(f for f in formulas() if f.name == "liquidation_price_long_mark")
    sym = entry_f.symbols
    k = min(args.sympy_n, n)
    t0 = time.perf_counter()
    slow = [float(entry_f.expr.subs({sym["entry_price"]: entry[i], sym["quantity"]: quantity[i],
                                     sym["margin"]: margin[i], sym["mmr"]: mmr,
                                     sym["maintenance_amount"]: 0.0, sym["fee_rate"]: 0.0}))
            for i in range(k)]
    t_sympy = (time.perf_counter() - t0) * n / k
    np.testing.assert_allclose(slow, inline()[:k], rtol=1e-9)

    ratio = float(np.median(ratios))
    print(f"liquidation_price over {n:,} positions (long, mark basis, mmr {mmr:g}), "
          f"{args.repeat} interleaved runs, best CPU time (wall clock in brackets):")
    print(f"  inline NumPy, no validation     {1e3 * t_inline:10.1f} ms  ({1e3 * w_inline:.1f})")
    print(f"  liqlearn, validation included   {1e3 * t_twin:10.1f} ms  ({1e3 * w_twin:.1f})   "
          f"median ratio {ratio:.2f} (runs {ratios.min():.2f}-{ratios.max():.2f}; "
          f"target <= {args.max_ratio:g}; wall {float(np.median(w_tw / w_in)):.2f})")
    print(f"  SymPy subs per element          {t_sympy:10.1f} s    "
          f"(timed on {k:,}, extrapolated)  speed-up {t_sympy / t_twin:,.0f}x")
    if ratio > args.max_ratio:
        print(f"FAIL: ratio {ratio:.2f} exceeds {args.max_ratio:g}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
