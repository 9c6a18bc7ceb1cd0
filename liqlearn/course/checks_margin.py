"""Self-checks for margin and leverage: notional, margins, leverage, P&L, equity, margin ratio.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from .judge import (CENT, PRIMER, CheckResult, Variant, close, expected_value, flat_rate, judge,
                    other_side, quantity_from, sign_of, size_from, variant_value)

__all__ = ["notional", "initial_margin", "leverage", "effective_leverage", "unrealized_pnl", "equity", "maintenance_margin", "margin_ratio"]


# Margin and leverage
# ---------------------------------------------------------------------------


def notional(answer: Any, *, quantity: Any = None, price: Any = PRIMER["entry_price"],
             margin: Any = PRIMER["margin"], leverage: Any = None, rel_tol: float = 1e-4,
             abs_tol: float = CENT, strict: bool | None = None) -> CheckResult:
    """Position value ``Q * P`` (default: the primer's 10,000 USDT)."""
    import liqlearn as ll

    q = quantity_from(quantity, margin, leverage, price)
    e = expected_value(lambda: ll.notional(q, price))
    variants = [("margin_not_notional", lambda: q * price / _lev(q, price, margin, leverage))]
    return judge(answer, e, variants, rel_tol=rel_tol, abs_tol=abs_tol, strict=strict,
                  fallback="the notional is the position size times the price.")


def _lev(q: float, entry_price: Any, margin: Any, leverage: Any) -> float:
    return float(leverage) if leverage is not None else q * float(entry_price) / float(margin)


def initial_margin(answer: Any, *, quantity: Any = None, entry_price: Any = PRIMER["entry_price"],
                   leverage: Any = PRIMER["leverage"], rel_tol: float = 1e-4,
                   abs_tol: float = CENT, strict: bool | None = None) -> CheckResult:
    """Initial margin ``Q * E / L`` (default quantity: the primer's 1/6 BTC)."""
    import liqlearn as ll

    q = quantity_from(quantity, PRIMER["margin"], None, PRIMER["entry_price"]) \
        if quantity is None else float(quantity)
    e = expected_value(lambda: ll.initial_margin(q, entry_price, leverage))
    n = q * float(entry_price)
    lev = float(leverage)
    variants = [("times_leverage", lambda: n * lev), ("leverage_twice", lambda: n / lev ** 2),
                ("no_leverage", lambda: n)]
    return judge(answer, e, variants, rel_tol=rel_tol, abs_tol=abs_tol, strict=strict,
                  fallback="the initial margin is the notional at entry divided by the leverage.")


def leverage(answer: Any, *, quantity: Any = None, entry_price: Any = PRIMER["entry_price"],
             margin: Any = PRIMER["margin"], rel_tol: float = 1e-4, abs_tol: float = 0.0,
             strict: bool | None = None) -> CheckResult:
    """Leverage at entry ``Q * E / M`` (default: the primer's 10x)."""
    import liqlearn as ll

    q = quantity_from(quantity, PRIMER["margin"], None, PRIMER["entry_price"]) \
        if quantity is None else float(quantity)
    e = expected_value(lambda: ll.leverage(q, entry_price, margin))
    variants = [("inverted", lambda: 1 / e)]
    return judge(answer, e, variants, rel_tol=rel_tol, abs_tol=abs_tol, strict=strict,
                  fallback="leverage is the notional at entry divided by the margin.")


def _marked(side: str, entry_price: Any, mark_price: Any, quantity: Any, margin: Any,
            leverage: Any) -> tuple[int, float, float, float, float]:
    q = quantity_from(quantity, margin, leverage, entry_price)
    return sign_of(side), float(entry_price), float(mark_price), q, float(margin)


def unrealized_pnl(answer: Any, *, side: str = "long", entry_price: Any = PRIMER["entry_price"],
                   mark_price: Any = PRIMER["mark_price"], quantity: Any = None,
                   margin: Any = PRIMER["margin"], leverage: Any = None, rel_tol: float = 1e-4,
                   abs_tol: float = CENT, strict: bool | None = None) -> CheckResult:
    """Unrealized P&L ``s * Q * (P - E)`` (default: the primer's long marked at 57,000)."""
    import liqlearn as ll

    s, E, P, q, M = _marked(side, entry_price, mark_price, quantity, margin, leverage)
    e = expected_value(lambda: ll.unrealized_pnl(side, E, P, q))
    variants = [("wrong_side", lambda: -e), ("no_quantity", lambda: s * (P - E)),
                ("return_not_pnl", lambda: s * (P - E) / E)]
    return judge(answer, e, variants, rel_tol=rel_tol, abs_tol=abs_tol, strict=strict,
                  fallback="unrealized P&L is side × size × (mark − entry).")


def equity(answer: Any, *, side: str = "long", entry_price: Any = PRIMER["entry_price"],
           mark_price: Any = PRIMER["mark_price"], quantity: Any = None,
           margin: Any = PRIMER["margin"], leverage: Any = None, rel_tol: float = 1e-4,
           abs_tol: float = CENT, strict: bool | None = None) -> CheckResult:
    """Equity ``M + s * Q * (P - E)`` (default: 500 USDT for the primer's long at 57,000)."""
    import liqlearn as ll

    s, E, P, q, M = _marked(side, entry_price, mark_price, quantity, margin, leverage)
    e = expected_value(lambda: ll.equity(side, E, P, q, M))
    pnl = s * q * (P - E)
    variants = [("wrong_side", lambda: M - pnl), ("pnl_only", lambda: pnl),
                ("initial_margin_for_equity", lambda: M), ("sign", lambda: pnl - M)]
    return judge(answer, e, variants, rel_tol=rel_tol, abs_tol=abs_tol, strict=strict,
                  fallback="equity is the margin plus the unrealized P&L at the mark price.")


def effective_leverage(answer: Any, *, side: str = "long",
                       entry_price: Any = PRIMER["entry_price"],
                       mark_price: Any = PRIMER["mark_price"], quantity: Any = None,
                       margin: Any = PRIMER["margin"], leverage: Any = None,
                       rel_tol: float = 1e-4, abs_tol: float = 0.0,
                       strict: bool | None = None) -> CheckResult:
    """Effective leverage ``Q * P / equity`` (default: 19x for the primer's long at 57,000)."""
    import liqlearn as ll

    s, E, P, q, M = _marked(side, entry_price, mark_price, quantity, margin, leverage)
    e = expected_value(lambda: ll.effective_leverage(side, E, P, q, M))
    eq = M + s * q * (P - E)
    variants = [("initial_margin_for_equity", lambda: q * P / M),
                ("entry_leverage", lambda: q * E / M),
                ("entry_notional", lambda: q * E / eq),
                ("wrong_side", lambda: q * P / (M - s * q * (P - E))),
                ("inverted", lambda: eq / (q * P))]
    return judge(answer, e, variants, rel_tol=rel_tol, abs_tol=abs_tol, strict=strict,
                  fallback="effective leverage is the notional at the mark over the equity now.")




def maintenance_margin(answer: Any, *, notional: Any = 10_000.0, mmr: Any = PRIMER["mmr"],
                       maintenance_amount: Any = 0.0, rel_tol: float = 1e-4,
                       abs_tol: float = CENT, strict: bool | None = None) -> CheckResult:
    """Maintenance margin ``N * m - c``; ``mmr`` may be a ``MaintenanceTiers``.

    >>> from liqlearn import MaintenanceTiers
    >>> tiers = MaintenanceTiers([(50_000, 0.004), (250_000, 0.005), (1_000_000, 0.01)])
    >>> maintenance_margin(450, notional=100_000, mmr=tiers)   # 100,000 * 0.5 % - 50
    ✓ Correct.
    >>> maintenance_margin(500, notional=100_000, mmr=tiers, strict=False).mistake
    'no_maintenance_amount'
    """
    import liqlearn as ll

    N = float(notional)
    e = expected_value(lambda: ll.maintenance_margin(N, mmr, maintenance_amount))
    if flat_rate(mmr):
        m, c = float(mmr), float(maintenance_amount)
    else:
        m, c = (float(x) for x in mmr.bracket(N))
    variants = [("no_maintenance_amount", lambda: N * m), ("amount_added", lambda: N * m + c),
                ("mmr_percent", lambda: N * m * 100 - c), ("mmr_over_100", lambda: N * m / 100 - c)]
    return judge(answer, e, variants, rel_tol=rel_tol, abs_tol=abs_tol, strict=strict,
                  fallback="maintenance margin is notional × rate minus the maintenance amount.")


def margin_ratio(answer: Any, *, side: str = "long", entry_price: Any = PRIMER["entry_price"],
                 mark_price: Any = PRIMER["mark_price"], quantity: Any = None,
                 margin: Any = PRIMER["margin"], leverage: Any = None, mmr: Any = PRIMER["mmr"],
                 maintenance_amount: Any = 0.0, rel_tol: float = 1e-4, abs_tol: float = 0.0,
                 strict: bool | None = None) -> CheckResult:
    """Margin ratio ``MM / equity`` at the mark (Binance; liquidation at 1.0)."""
    import liqlearn as ll

    s, E, P, q, M = _marked(side, entry_price, mark_price, quantity, margin, leverage)
    e = expected_value(lambda: ll.margin_ratio(side, E, P, q, M, mmr, maintenance_amount))
    mm = float(ll.maintenance_margin(q * P, mmr, maintenance_amount))
    mm_entry = lambda: float(ll.maintenance_margin(q * E, mmr, maintenance_amount))  # noqa: E731
    eq = M + s * q * (P - E)
    variants = [("inverted", lambda: eq / mm), ("initial_margin_for_equity", lambda: mm / M),
                ("mm_at_entry", lambda: mm_entry() / eq),
                ("wrong_side", lambda: mm / (M - s * q * (P - E)))]
    return judge(answer, e, variants, rel_tol=rel_tol, abs_tol=abs_tol, strict=strict,
                  fallback="margin ratio is maintenance margin over equity, both at the mark.")


# ---------------------------------------------------------------------------
