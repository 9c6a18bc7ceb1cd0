"""Self-checks for touch probabilities, options and the maximum leverage.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from .judge import (CENT, PRIMER, CheckResult, Variant, close, expected_value, flat_rate, judge,
                    other_side, quantity_from, sign_of, size_from, variant_value)

__all__ = ["liquidation_probability", "call_price", "put_price", "max_leverage"]


# Risk and options
# ---------------------------------------------------------------------------

_RISK = {"spot": 60_000.0, "barrier": 54_271.36, "volatility": 0.6, "horizon": 7 / 365}


def _normal_cdf(x: float) -> float:
    """The standard normal CDF (SciPy's, as the formulas use)."""
    from scipy.special import ndtr

    return float(ndtr(x))


def liquidation_probability(answer: Any, *, spot: Any = _RISK["spot"],
                            barrier: Any = _RISK["barrier"],
                            volatility: Any = _RISK["volatility"], horizon: Any = _RISK["horizon"],
                            drift: Any = 0.0, rel_tol: float = 1e-4, abs_tol: float = 0.0,
                            strict: bool | None = None) -> CheckResult:
    """Probability that GBM touches ``barrier`` before ``horizon`` (default: the primer's long
    at 60 % volatility over one week)."""
    import liqlearn as ll

    S, B, sig, T, mu = (float(x) for x in (spot, barrier, volatility, horizon, drift))

    def p(**over: float) -> float:
        k = {"spot": S, "barrier": B, "volatility": sig, "horizon": T, "drift": mu, **over}
        return ll.liquidation_probability(**k)

    e = expected_value(p)

    def terminal() -> float:
        nu = mu - sig ** 2 / 2
        z = (math.log(B / S) - nu * T) / (sig * math.sqrt(T))
        return _normal_cdf(z) if B < S else 1 - _normal_cdf(z)

    variants: list[Variant] = [
        ("terminal_not_touch", terminal), ("complement", lambda: 1 - e),
        ("no_ito", lambda: p(drift=mu + sig ** 2 / 2)),
        ("vol_percent", lambda: p(volatility=sig * 100)),
        ("horizon_days", lambda: p(horizon=T * 365)),
    ]
    return judge(answer, e, variants, rel_tol=rel_tol, abs_tol=abs_tol, strict=strict,
                  fallback="use the first-passage (touch) probability of geometric Brownian "
                           "motion; volatility per year, horizon in years.")


_OPTION = {"spot": 60_000.0, "strike": 60_000.0, "volatility": 0.6, "horizon": 30 / 365}


def _option(kind: str, answer: Any, spot: Any, strike: Any, volatility: Any, horizon: Any,
            rate: Any, rel_tol: float, abs_tol: float, strict: bool | None) -> CheckResult:
    import liqlearn as ll

    S, K, sig, T, r = (float(x) for x in (spot, strike, volatility, horizon, rate))
    mine, theirs = (ll.call_price, ll.put_price) if kind == "call" else (ll.put_price, ll.call_price)

    def price(fn: Callable[..., Any] = mine, **over: float) -> float:
        k = {"spot": S, "strike": K, "volatility": sig, "horizon": T, "rate": r, **over}
        return fn(**k)

    e = expected_value(price)
    intrinsic = max(S - K, 0.0) if kind == "call" else max(K - S, 0.0)
    variants: list[Variant] = [
        ("call_put_swapped", lambda: price(theirs)),
        ("intrinsic", lambda: intrinsic),
        ("vol_percent", lambda: price(volatility=sig * 100)),
        ("horizon_days", lambda: price(horizon=T * 365)),
    ]
    if r:
        def undiscounted() -> float:
            d1 = (math.log(S / K) + (r + sig ** 2 / 2) * T) / (sig * math.sqrt(T))
            d2 = d1 - sig * math.sqrt(T)
            if kind == "call":
                return S * _normal_cdf(d1) - K * _normal_cdf(d2)
            return K * _normal_cdf(-d2) - S * _normal_cdf(-d1)

        variants.append(("no_discount", undiscounted))
    return judge(answer, e, variants, rel_tol=rel_tol, abs_tol=abs_tol, strict=strict,
                  fallback=f"use the Black–Scholes {kind} formula; volatility per year, horizon "
                           "in years.")


def _option_check(kind: str) -> Any:
    """The self-check for a Black–Scholes call or put (the two differ only in ``kind``)."""
    def check(answer: Any, *, spot: Any = _OPTION["spot"], strike: Any = _OPTION["strike"],
              volatility: Any = _OPTION["volatility"], horizon: Any = _OPTION["horizon"],
              rate: Any = 0.0, rel_tol: float = 1e-4, abs_tol: float = CENT,
              strict: bool | None = None) -> CheckResult:
        return _option(kind, answer, spot, strike, volatility, horizon, rate, rel_tol, abs_tol,
                       strict)

    check.__name__ = check.__qualname__ = f"{kind}_price"
    check.__doc__ = (f"Black–Scholes {kind} (default: at the money at 60,000, 60 % volatility, "
                     "30 days).")
    return check


call_price = _option_check("call")
put_price = _option_check("put")


def max_leverage(answer: Any, *, volatility: Any = 0.6, horizon: Any = 7 / 365,
                 survival: Any = 0.99, mmr: Any = PRIMER["mmr"], drift: Any = 0.0,
                 rel_tol: float = 1e-3, abs_tol: float = 0.0,
                 strict: bool | None = None) -> CheckResult:
    """Largest leverage whose liquidation probability stays below ``1 - survival``.

    The default tolerance is 1e-3 (a leverage to three significant figures).
    """
    import liqlearn as ll

    sig, T, q, m, mu = (float(x) for x in (volatility, horizon, survival, mmr, drift))

    def L(**over: float) -> float:
        k = {"volatility": sig, "horizon": T, "survival": q, "mmr": m, "drift": mu, **over}
        return ll.max_leverage(**k)

    e = expected_value(L)
    variants: list[Variant] = [
        ("survival_swapped", lambda: L(survival=1 - q)),
        ("vol_percent", lambda: L(volatility=sig * 100)),
        ("horizon_days", lambda: L(horizon=T * 365)),
        ("no_mmr", lambda: L(mmr=0.0)),
    ]
    return judge(answer, e, variants, rel_tol=rel_tol, abs_tol=abs_tol, strict=strict,
                  fallback="find the leverage whose liquidation price is touched with "
                           "probability exactly 1 − survival.")
