"""Self-checks for the mark price and funding.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from .judge import (CENT, PRIMER, CheckResult, Variant, close, expected_value, flat_rate, judge,
                    other_side, quantity_from, sign_of, size_from, variant_value)

__all__ = ["mark_price", "funding_rate", "funding_payment"]


# Prices
# ---------------------------------------------------------------------------


def mark_price(answer: Any, *, index_price: Any = 60_000.0, last_price: Any = 60_150.0,
               funding_rate: Any = 0.0001, time_to_funding: Any = 4.0,
               funding_interval: Any = 8.0, basis_average: Any = 25.0, rel_tol: float = 1e-4,
               abs_tol: float = CENT, strict: bool | None = None) -> CheckResult:
    """Binance mark price: median(index (1 + F t/T), index + basis average, last price)."""
    import liqlearn as ll

    idx, last = float(index_price), float(last_price)
    p1 = idx * (1 + float(funding_rate) * float(time_to_funding) / float(funding_interval))
    p2 = idx + float(basis_average)
    e = expected_value(lambda: ll.mark_price(index_price, last_price, funding_rate, time_to_funding,
                                        funding_interval, basis_average))
    p1_full = idx * (1 + float(funding_rate))
    variants: list[Variant] = [
        ("last_price", lambda: last), ("index_price", lambda: idx),
        ("mean_not_median", lambda: (p1 + p2 + last) / 3),
        ("no_time_fraction", lambda: sorted((p1_full, p2, last))[1]),
    ]
    return judge(answer, e, variants, rel_tol=rel_tol, abs_tol=abs_tol, strict=strict,
                  fallback="the mark price is the median of three prices: index × (1 + funding "
                           "× time fraction), index + average basis, and the last price.")


def funding_rate(answer: Any, *, premium_index: Any = 0.001, interest_rate: Any = 0.0001,
                 clamp: Any = 0.0005, rel_tol: float = 1e-4, abs_tol: float = 0.0,
                 strict: bool | None = None) -> CheckResult:
    """Funding rate ``premium + clamp(interest - premium, -clamp, clamp)``."""
    import liqlearn as ll

    p, i = float(premium_index), float(interest_rate)
    e = expected_value(lambda: ll.funding_rate(premium_index, interest_rate, clamp))
    variants: list[Variant] = [("no_clamp", lambda: i), ("premium_only", lambda: p)]
    return judge(answer, e, variants, rel_tol=rel_tol, abs_tol=abs_tol, strict=strict,
                  fallback="funding = premium index + clamp(interest − premium index) "
                           "within ± the clamp.")


def funding_payment(answer: Any, *, side: str = "long", notional: Any = None,
                    quantity: Any = None, mark_price: Any = PRIMER["entry_price"],
                    funding_rate: Any = 0.0001, rel_tol: float = 1e-4, abs_tol: float = CENT,
                    strict: bool | None = None) -> CheckResult:
    """Funding cash flow *to* the position, ``-s * notional * F`` (negative: it pays).

    The notional is given, or ``quantity * mark_price`` (default: the primer's
    1/6 BTC at 60,000, so a long pays 1 USDT at a rate of 0.01 %).

    >>> funding_payment(-1.0)
    ✓ Correct.
    >>> funding_payment(1.0, strict=False).mistake
    'wrong_payer'
    """
    import liqlearn as ll

    if notional is not None and quantity is not None:
        raise ValueError("give either notional or quantity, not both "
                         "(notional = quantity * mark_price)")
    q = 1 / 6 if quantity is None else quantity
    n = notional if notional is not None else expected_value(lambda: ll.notional(q, mark_price))
    e = expected_value(lambda: ll.funding_payment(side, n, funding_rate))
    variants: list[Variant] = [("wrong_payer", lambda: -e)]
    if notional is None:
        variants.append(("no_price", lambda: e / float(mark_price)))
    return judge(answer, e, variants, rel_tol=rel_tol, abs_tol=abs_tol, strict=strict,
                  fallback="the funding cash flow is the notional at the mark times the rate; "
                           "longs pay (a negative flow) when the rate is positive.")


# ---------------------------------------------------------------------------
