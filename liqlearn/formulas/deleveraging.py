"""What a liquidation does to the insurance fund, and who is auto-deleveraged first.

Two closed forms the engine and the chapters share: the fund's change when a
position is closed at a fill price (:func:`fund_change`) and the ADL ranking
(:func:`adl_score`).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from . import validation as v

FloatOrArray = v.FloatOrArray


def _position_args(side: str, entry_price: Any, price_name: str, price: Any, quantity: Any,
                   margin: Any) -> tuple:
    """Validated ``(s, scalar, E, P, Q, M)`` of one isolated position and a price."""
    sgn = v.side_sign(side)
    scalar = v.is_scalar(entry_price, price, quantity, margin)
    e = v.positive("entry_price", entry_price)
    p = v.positive(price_name, price)
    q = v.positive("quantity", quantity)
    m = v.nonnegative("margin", margin)
    e, p, q, m = v.broadcast(**{"entry_price": e, price_name: p, "quantity": q, "margin": m})
    return sgn, scalar, e, p, q, m


def fund_change(side: str, entry_price: Any, fill_price: Any, quantity: Any,
                margin: Any) -> FloatOrArray:
    """What a full liquidation filled at ``v`` adds to the insurance fund.

    The account is closed at its bankruptcy price ``B = E - s*M/Q``; the book
    pays ``v``; the fund receives the difference:
    ``dF = s*Q*(v - B) = M + s*Q*(v - E)`` -- the equity at the fill price.
    Positive: a surplus (clearance fee included); negative: a shortfall the
    fund pays (the trader's negative balance).  Binance, Bybit, BitMEX.

    >>> fund_change("long", 60_000, 54_200, 1/6, 1_000)   # filled 200 above B = 54,000
    33.33333333333337
    >>> round(fund_change("long", 60_000, 53_400, 1/6, 1_000), 2)
    -100.0
    """
    sgn, scalar, e, p, q, m = _position_args(side, entry_price, "fill_price", fill_price,
                                             quantity, margin)
    return v.output(m + sgn * q * (p - e), scalar)


def adl_score(side: str, entry_price: Any, mark_price: Any, quantity: Any, margin: Any) -> FloatOrArray:
    """Auto-deleveraging rank of a position (BitMEX, Bybit): higher goes first.

    ``PnL% = s*(P - E)/E`` and effective leverage ``L = Q*P / equity`` with
    ``equity = M + s*Q*(P - E)`` (> 0, else ValueError: a bankrupt position
    is liquidated, not deleveraged).  Score ``PnL% * L`` when winning,
    ``PnL% / L`` when losing, so the most profitable, most leveraged
    positions are closed first.

    >>> round(adl_score("short", 60_000, 50_000, 0.5, 750), 4)   # 40x short, price -1/6
    0.7246
    """
    sgn, scalar, e, p, q, m = _position_args(side, entry_price, "mark_price", mark_price,
                                             quantity, margin)
    eq = m + sgn * q * (p - e)
    v.reject_where(eq <= 0, "equity {eq} must be > 0{where}: a bankrupt position is "
                   "liquidated, not deleveraged", [("eq", eq)])
    return v.output(adl_score_kernel(sgn, e, p, q, m), scalar)


def adl_score_kernel(s: float, entry_price: Any, mark_price: Any, quantity: Any,
                     margin: Any) -> Any:
    """:func:`adl_score` without validation, for arrays of positions of sign ``s``.

    A position with equity <= 0 gets an infinite effective leverage (a winner
    ranks first, a loser scores 0): the liquidation engine ranks every opposite
    position at once with it.

    >>> adl_score_kernel(-1, np.array([60_000.0]), 50_000.0, np.array([0.5]),
    ...                  np.array([750.0])).round(4)
    array([0.7246])
    """
    e, p, q = entry_price, mark_price, quantity
    eq = margin + s * q * (p - e)
    pnl = s * (p - e) / e
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        lev = np.where(eq > 0, q * p / np.where(eq > 0, eq, 1.0), np.inf)
        return np.where(pnl > 0, pnl * lev, pnl / lev)
