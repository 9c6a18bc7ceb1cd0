"""What happens to the money when a position is liquidated: settlement and partial steps.

When the liquidation order of an isolated position fills at ``v``, the
position's **equity at the fill** is ``M + s*Q*(v - E)`` (margin plus the P&L
realised there).  It is shared out in a fixed order:

1. the **clearance fee** (Binance's name; "liquidation fee" elsewhere), a rate
   ``r`` on the liquidated notional ``Q*v``, paid to the insurance fund and
   capped at what is left: ``fee = min(r*Q*v, max(equity, 0))``;
2. the **leftover** ``max(equity, 0) - fee = max(equity - r*Q*v, 0)``: to the
   insurance fund on Bybit and BitMEX (they close the position at its
   bankruptcy price) and, in part, on Binance ("a portion of the remaining
   collateral (if any)"), back to the trader on Hyperliquid above its backstop
   threshold (``leftover_to="trader"``);
3. a **negative balance** ``max(-equity, 0)`` (the fill was worse than the
   bankruptcy price) is paid by the insurance fund; the trader owes nothing.

Money is conserved: ``fee + leftover - fund payment = equity at the fill``, so
with ``leftover_to="fund"`` the fund changes by exactly the equity at the fill.
:func:`settlement_amounts` is the arithmetic itself, without validation: the
public functions here and the liquidation engine
(:class:`liqlearn.simulation.engine.Engine`) both call it, the engine once per
part of a liquidation order (the part the book filled, with the fee; the part
the insurance fund took over, without).  A part of ``q`` of a position of
``Q`` carries the margin ``M*q/Q``, so its equity at the fill is
``s*q*(v - B)``, its share of the surplus over the bankruptcy price ``B``.

**Partial liquidation** (Bybit, BitMEX and OKX reduce the risk-limit tier
first): a position whose notional at the mark lies above the first bracket is
cut to the cap of the next lower bracket -- one bracket, no more -- and checked
again; if that does not restore the margin, the rest is liquidated in full at
its bankruptcy price.  Bybit's "Liquidation Process" page (read 2026-12-01,
https://bybitglobal.com/en-US/help-center/HelpCenterKnowledge/bybitHC_Article?id=000001098)
describes it: for positions above the lowest risk limit the engine submits a
FillOrKill order for "the difference between the current position's order
value and the lower risk limit value", and if the position still cannot avoid
liquidation, the whole of it is taken over at its bankruptcy price.
:func:`partial_liquidation_step` computes one such step and
:func:`lower_bracket_cap` the cap it cuts to; the liquidation engine follows the
same rule (its cut is FillOrKill: all of it within the bankruptcy-price limit,
or nothing and a full liquidation).

The primer's long (1/6 BTC from 60,000, 1,000 USDT), filled at 54,210 with an
illustrative 0.3 % clearance fee:

>>> st = liquidation_settlement("long", 60_000, 1/6, 1_000, 54_210, 0.003)
>>> round(st.equity, 2), round(st.clearance_fee, 3), round(st.leftover, 3)
(35.0, 27.105, 7.895)
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np

from . import validation as v

__all__ = [
    "LEFTOVER_TO",
    "Settlement",
    "PartialStep",
    "liquidation_settlement",
    "clearance_fee",
    "liquidation_leftover",
    "negative_balance",
    "partial_close_quantity",
    "partial_liquidation_step",
    "settlement_amounts",
    "lower_bracket_cap",
]

ArrayLike = v.ArrayLike
FloatOrArray = v.FloatOrArray
LEFTOVER_TO = ("fund", "trader")


def _settle_inputs(side: str, entry_price: Any, quantity: Any, margin: Any, fill_price: Any,
                   clearance_fee_rate: Any = 0.0) -> tuple:
    """Validated, broadcast ``(s, scalar, E, Q, M, v, r, equity, fee)``."""
    s = v.side_sign(side)
    scalar = v.is_scalar(entry_price, quantity, margin, fill_price, clearance_fee_rate)
    e = v.positive("entry_price", entry_price)
    q = v.positive("quantity", quantity)
    m = v.nonnegative("margin", margin)
    p = v.positive("fill_price", fill_price)
    r = v.rate("clearance_fee_rate", clearance_fee_rate)
    e, q, m, p, r = v.broadcast(entry_price=e, quantity=q, margin=m, fill_price=p,
                                clearance_fee_rate=r)
    eq, fee, _left, _pay = settlement_amounts(s, e, q, m, p, r)
    return s, scalar, e, q, m, p, r, eq, fee


def settlement_amounts(s: float, entry_price: ArrayLike, quantity: ArrayLike, margin: ArrayLike,
                       fill_price: ArrayLike, clearance_fee_rate: ArrayLike,
                       ) -> tuple[Any, Any, Any, Any]:
    """``(equity, clearance fee, leftover, fund payment)`` of a liquidation filled at ``v``.

    The unvalidated arithmetic behind :func:`liquidation_settlement` (``s`` is
    +1 for a long, -1 for a short; floats or arrays that broadcast)::

        equity  = M + s*Q*(v - E)
        fee     = min(r*Q*v, max(equity, 0))
        leftover = max(equity, 0) - fee
        payment = max(-equity, 0)

    >>> [round(float(x), 3) for x in settlement_amounts(1, 60_000, 1/6, 1_000, 54_210, 0.003)]
    [35.0, 27.105, 7.895, 0.0]
    """
    eq = margin + s * quantity * (fill_price - entry_price)
    pos = np.maximum(eq, 0.0)
    fee = np.minimum(clearance_fee_rate * quantity * fill_price, pos)
    return eq, fee, pos - fee, np.maximum(-eq, 0.0)


def lower_bracket_cap(tiers: Any, notional: ArrayLike) -> Any:
    """The cap a partial liquidation cuts ``notional`` (at the mark) to, or None.

    The cap of the bracket just below the one holding ``notional``: one
    bracket down (Bybit, BitMEX and OKX reduce the risk-limit tier first).
    None when ``notional`` lies in the first bracket: nothing lower to step
    down to, so the position is liquidated in full.  For an array of notionals,
    an array with NaN for those in the first bracket.

    >>> from liqlearn.formulas.tiers import EXAMPLE_TIERS
    >>> lower_bracket_cap(EXAMPLE_TIERS, 900_000), lower_bracket_cap(EXAMPLE_TIERS, 40_000)
    (600000.0, None)
    >>> lower_bracket_cap(EXAMPLE_TIERS, [40_000, 900_000]).tolist()
    [nan, 600000.0]
    """
    from .tiers import MaintenanceTiers

    t = tiers if isinstance(tiers, MaintenanceTiers) else MaintenanceTiers(tiers)
    n = t.index(notional)
    if np.ndim(n) == 0:
        return float(t.caps[int(n) - 1]) if n > 0 else None
    return np.where(n > 0, t.caps[np.maximum(n - 1, 0)], np.nan)


@dataclass(frozen=True)
class Settlement:
    """How a full liquidation filled at ``fill_price`` shares out the position's money.

    Amounts in quote currency (floats for scalar input, arrays otherwise).
    ``equity``: at the fill, ``M + s*Q*(v - E)`` (negative: a negative balance).
    ``clearance_fee``: to the insurance fund, capped at the remaining equity.
    ``leftover``: what remains after the fee, sent per ``leftover_to``.
    ``fund_payment``: the negative balance the insurance fund covers.
    """

    side: str
    margin: Any
    fill_price: Any
    bankruptcy_price: Any
    equity: Any
    clearance_fee: Any
    leftover: Any
    leftover_to: str
    fund_payment: Any

    @property
    def fund_change(self) -> Any:
        """Insurance-fund change: fee (+ leftover when it goes to the fund) - payment."""
        kept = self.leftover if self.leftover_to == "fund" else 0.0 * self.leftover
        return self.clearance_fee + kept - self.fund_payment

    @property
    def returned_to_trader(self) -> Any:
        """What the trader gets back: the leftover on ``leftover_to="trader"`` venues, else 0."""
        return self.leftover if self.leftover_to == "trader" else 0.0 * self.leftover

    @property
    def trader_loss(self) -> Any:
        """The trader's loss on the position: the margin minus what comes back (<= margin)."""
        return self.margin - self.returned_to_trader

    def to_dict(self) -> dict[str, Any]:
        """Fields and the derived amounts, for a table."""
        return {**asdict(self), "fund_change": self.fund_change,
                "returned_to_trader": self.returned_to_trader, "trader_loss": self.trader_loss}


def liquidation_settlement(side: str, entry_price: ArrayLike, quantity: ArrayLike,
                           margin: ArrayLike, fill_price: ArrayLike,
                           clearance_fee_rate: ArrayLike, *,
                           leftover_to: str = "fund") -> Settlement:
    """Settle a full liquidation of an isolated linear position filled at ``fill_price``.

    ``equity = M + s*Q*(v - E)``; ``fee = min(r*Q*v, max(equity, 0))`` (the
    clearance fee on the liquidated notional, never more than what is left);
    ``leftover = max(equity, 0) - fee``; ``fund_payment = max(-equity, 0)``.
    ``leftover_to="fund"`` (default: Bybit, BitMEX, which close the position at
    its bankruptcy price; Binance sends a portion) or ``"trader"`` (Hyperliquid
    above its backstop threshold).  ``bankruptcy_price`` is ``E - s*M/Q`` (a long's
    floors at 0).  Money balances: ``fee + leftover - fund_payment == equity``.

    >>> st = liquidation_settlement("long", 60_000, 1/6, 1_000, 53_400, 0.003)   # flash crash
    >>> round(st.equity, 2), st.clearance_fee, st.leftover, round(st.fund_payment, 2)
    (-100.0, 0.0, 0.0, 100.0)
    >>> round(st.fund_change, 2), st.trader_loss
    (-100.0, 1000.0)
    >>> st = liquidation_settlement("long", 60_000, 1/6, 1_000, 54_210, 0.003,
    ...                             leftover_to="trader")
    >>> round(st.returned_to_trader, 3), round(st.fund_change, 3)
    (7.895, 27.105)
    """
    to = v.choice("leftover_to", leftover_to, LEFTOVER_TO)
    s, scalar, e, q, m, p, _, eq, fee = _settle_inputs(side, entry_price, quantity, margin,
                                                       fill_price, clearance_fee_rate)
    left = np.maximum(eq, 0.0) - fee
    bkr = np.maximum(e - s * m / q, 0.0)
    out = v.output
    return Settlement(side=side, margin=out(m, scalar), fill_price=out(p, scalar),
                      bankruptcy_price=out(bkr, scalar), equity=out(eq, scalar),
                      clearance_fee=out(fee, scalar), leftover=out(left, scalar),
                      leftover_to=to, fund_payment=out(np.maximum(-eq, 0.0), scalar))


def clearance_fee(side: str, entry_price: ArrayLike, quantity: ArrayLike, margin: ArrayLike,
                  fill_price: ArrayLike, clearance_fee_rate: ArrayLike) -> FloatOrArray:
    """Clearance fee of a full liquidation: ``min(r*Q*v, max(M + s*Q*(v - E), 0))``.

    The rate on the liquidated notional, capped at the equity left at the fill.

    >>> round(clearance_fee("long", 60_000, 1/6, 1_000, 54_210, 0.003), 3)
    27.105
    >>> round(clearance_fee("long", 60_000, 1/6, 1_000, 54_010, 0.003), 4)   # 1.67 USDT left
    1.6667
    """
    *_, scalar, _e, _q, _m, _p, _r, _eq, fee = _settle_inputs(
        side, entry_price, quantity, margin, fill_price, clearance_fee_rate)
    return v.output(fee, scalar)


def liquidation_leftover(side: str, entry_price: ArrayLike, quantity: ArrayLike,
                         margin: ArrayLike, fill_price: ArrayLike,
                         clearance_fee_rate: ArrayLike) -> FloatOrArray:
    """What is left after the clearance fee: ``max(M + s*Q*(v - E) - r*Q*v, 0)``.

    Paid into the insurance fund (Bybit, BitMEX; a portion on Binance) or
    returned to the trader (Hyperliquid above its backstop threshold).

    >>> round(liquidation_leftover("long", 60_000, 1/6, 1_000, 54_210, 0.003), 3)
    7.895
    >>> liquidation_leftover("short", 60_000, 1/6, 1_000, 66_500, 0.003)   # beyond bankruptcy
    0.0
    """
    *_, scalar, _e, _q, _m, _p, _r, eq, fee = _settle_inputs(
        side, entry_price, quantity, margin, fill_price, clearance_fee_rate)
    return v.output(np.maximum(eq, 0.0) - fee, scalar)


def negative_balance(side: str, entry_price: ArrayLike, quantity: ArrayLike, margin: ArrayLike,
                     fill_price: ArrayLike) -> FloatOrArray:
    """The negative balance the insurance fund covers: ``max(-(M + s*Q*(v - E)), 0)``.

    Zero when the fill is at or better than the bankruptcy price.

    >>> round(negative_balance("long", 60_000, 1/6, 1_000, 53_400), 2)
    100.0
    >>> negative_balance("long", 60_000, 1/6, 1_000, 54_210)
    0.0
    """
    *_, scalar, _e, _q, _m, _p, _r, eq, _fee = _settle_inputs(
        side, entry_price, quantity, margin, fill_price)
    return v.output(np.maximum(-eq, 0.0), scalar)


# --------------------------------------------------------------------------
# Partial liquidation
# --------------------------------------------------------------------------


@v.checked(quantity=v.positive, mark_price=v.positive, target_notional=v.positive)
def partial_close_quantity(quantity: ArrayLike, mark_price: ArrayLike,
                           target_notional: ArrayLike) -> FloatOrArray:
    """Quantity to close so the notional at the mark falls to ``target_notional``: ``Q - C/P``.

    ``target_notional`` must be below the current notional ``Q*P`` (ValueError
    otherwise: nothing needs closing).

    >>> round(partial_close_quantity(50/3, 57_919.48, 600_000), 4)
    6.3075
    """
    v.reject_where(target_notional >= quantity * mark_price, "target_notional {c}{where} must be below the notional at the "
                   "mark {n}: nothing to close", [("c", target_notional), ("n", quantity * mark_price)])
    return quantity - target_notional / mark_price


@dataclass(frozen=True)
class PartialStep:
    """One partial-liquidation step: cut the position to the next lower bracket's cap.

    ``bracket`` is the 0-based bracket of the notional at the mark before the
    step; ``target_notional`` the cap it is cut to.  ``margin_after`` is the
    margin after the closed part's P&L is realised at ``fill_price`` and the
    clearance fee paid; ``equity_after`` and ``maintenance_margin_after`` are
    the kept position's, at the mark.  ``restored`` is True when the kept
    position's equity exceeds its maintenance margin (the boundary counts as
    liquidated); ``liquidation_price_after`` is then its new liquidation price
    (basis mark, same tiers), else ``None``: the rest is liquidated in full.
    """

    side: str
    bracket: int
    target_notional: float
    close_quantity: float
    keep_quantity: float
    fill_price: float
    clearance_fee: float
    realized_pnl: float
    margin_after: float
    equity_after: float
    maintenance_margin_after: float
    margin_ratio_after: float
    restored: bool
    liquidation_price_after: float | None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def partial_liquidation_step(side: str, entry_price: float, quantity: float, margin: float,
                             mark_price: float, tiers: Any, *, clearance_fee_rate: float = 0.0,
                             fill_price: float | None = None) -> PartialStep:
    """How much to close to step a position down one bracket, and whether that is enough.

    The notional at the mark ``Q*P`` lies in bracket ``n >= 1`` (0-based) of
    ``tiers`` (a :class:`~liqlearn.formulas.tiers.MaintenanceTiers` or its rows).  The
    venue closes ``x = Q - C_{n-1}/P`` so the kept notional at the mark is the
    cap ``C_{n-1}`` of the next lower bracket (Bybit, BitMEX and OKX reduce to
    a lower risk-limit tier first).  The closed part fills at ``fill_price``
    (default: the mark), realising ``s*x*(v - E)`` and paying the clearance fee
    ``r*x*v`` (capped, as the engine does, at the closed part's surplus over
    the bankruptcy price).  Then, at the mark::

        margin_after = M + s*x*(v - E) - fee
        equity_after = margin_after + s*(Q - x)*(P - E)
        restored     = equity_after > MM(C_{n-1})

    Only one step: if it does not restore the margin, the rest is liquidated in
    full (the rule :class:`liqlearn.simulation.engine.Engine` follows too; a
    later trigger may step the kept position down again).  The fee is the
    clearance fee of the closed part as a position of its own, with margin
    ``M*x/Q`` (:func:`settlement_amounts`).  Scalar inputs only.  The lowest bracket has no lower
    bracket to step down to: ValueError (the position is liquidated in full).

    The chapter's whale: a long of 50/3 BTC from 60,000 with 40,000 USDT, cut at
    its trigger to 600,000 of notional, 0.3 % clearance fee:

    >>> from liqlearn.formulas.tiers import EXAMPLE_TIERS
    >>> from liqlearn.formulas.liquidation import liquidation_price
    >>> liq = liquidation_price("long", 60_000, 50/3, 40_000, EXAMPLE_TIERS)
    >>> step = partial_liquidation_step("long", 60_000, 50/3, 40_000, liq, EXAMPLE_TIERS,
    ...                                 clearance_fee_rate=0.003)
    >>> step.target_notional, round(step.close_quantity, 4), round(step.clearance_fee, 2)
    (600000.0, 6.3075, 1095.97)
    >>> step.restored, round(step.margin_ratio_after, 3), round(step.liquidation_price_after, 2)
    (True, 0.698, 57795.43)
    """
    from .liquidation import liquidation_price
    from .tiers import MaintenanceTiers

    s = v.side_sign(side)
    args = (entry_price, quantity, margin, mark_price, clearance_fee_rate)
    if fill_price is not None:
        args += (fill_price,)
    if not v.is_scalar(*args):
        raise ValueError("partial_liquidation_step takes scalar inputs (one position)")
    e = float(v.positive("entry_price", entry_price))
    q = float(v.positive("quantity", quantity))
    m = float(v.nonnegative("margin", margin))
    p = float(v.positive("mark_price", mark_price))
    r = float(v.rate("clearance_fee_rate", clearance_fee_rate))
    fill = p if fill_price is None else float(v.positive("fill_price", fill_price))
    t = tiers if isinstance(tiers, MaintenanceTiers) else MaintenanceTiers(tiers)
    cap = lower_bracket_cap(t, q * p)
    if cap is None:
        raise ValueError(f"the notional at the mark {q * p:g} lies in the lowest bracket (cap "
                         f"{float(t.caps[0]):g}): there is no lower bracket to step down to, "
                         "so the position is liquidated in full")
    n = int(t.index(q * p))
    x = float(partial_close_quantity(q, p, cap))
    keep = q - x
    fee = float(settlement_amounts(s, e, x, m * x / q, fill, r)[1])
    realized = s * x * (fill - e)
    margin_after = m + realized - fee
    eq_after = margin_after + s * keep * (p - e)
    mm_after = float(t.maintenance_margin(keep * p))
    restored = eq_after > mm_after
    ratio = mm_after / eq_after if eq_after > 0 else math.inf
    liq_after = (float(liquidation_price(side, e, keep, margin_after, t)) if restored else None)
    return PartialStep(side=side, bracket=n, target_notional=cap, close_quantity=x,
                       keep_quantity=keep, fill_price=fill, clearance_fee=fee,
                       realized_pnl=realized, margin_after=margin_after, equity_after=eq_after,
                       maintenance_margin_after=mm_after, margin_ratio_after=ratio,
                       restored=restored, liquidation_price_after=liq_after)
