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
with ``leftover_to="fund"`` the fund changes by exactly the equity at the fill
(:func:`liqlearn.engine.fund_change`, the engine's waterfall).

**Partial liquidation** (Bybit, BitMEX, OKX at higher tiers): a position above
the first bracket is first cut to the cap of the next lower bracket, where the
maintenance rate is lower, and checked again; see :func:`partial_liquidation_step`.

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

from . import _validation as v

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
]

ArrayLike = Any
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
    eq = m + s * q * (p - e)
    fee = np.minimum(r * q * p, np.maximum(eq, 0.0))
    return s, scalar, e, q, m, p, r, eq, fee


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
                  fill_price: ArrayLike, clearance_fee_rate: ArrayLike) -> Any:
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
                         clearance_fee_rate: ArrayLike) -> Any:
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
                     fill_price: ArrayLike) -> Any:
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


def partial_close_quantity(quantity: ArrayLike, mark_price: ArrayLike,
                           target_notional: ArrayLike) -> Any:
    """Quantity to close so the notional at the mark falls to ``target_notional``: ``Q - C/P``.

    ``target_notional`` must be below the current notional ``Q*P`` (ValueError
    otherwise: nothing needs closing).

    >>> round(partial_close_quantity(50/3, 57_919.48, 600_000), 4)
    6.3075
    """
    scalar = v.is_scalar(quantity, mark_price, target_notional)
    q = v.positive("quantity", quantity)
    p = v.positive("mark_price", mark_price)
    c = v.positive("target_notional", target_notional)
    q, p, c = v.broadcast(quantity=q, mark_price=p, target_notional=c)
    v.reject_where(c >= q * p, "target_notional {c}{where} must be below the notional at the "
                   "mark {n}: nothing to close", [("c", c), ("n", q * p)])
    return v.output(q - c / p, scalar)


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
    ``tiers`` (a :class:`~liqlearn.tiers.MaintenanceTiers` or its rows).  The
    venue closes ``x = Q - C_{n-1}/P`` so the kept notional at the mark is the
    cap ``C_{n-1}`` of the next lower bracket (Bybit, BitMEX and OKX reduce to
    a lower risk-limit tier first).  The closed part fills at ``fill_price``
    (default: the mark), realising ``s*x*(v - E)`` and paying the clearance fee
    ``r*x*v`` (capped, as the engine does, at the closed part's surplus over
    the bankruptcy price).  Then, at the mark::

        margin_after = M + s*x*(v - E) - fee
        equity_after = margin_after + s*(Q - x)*(P - E)
        restored     = equity_after > MM(C_{n-1})

    Only one step: a venue that finds the margin still short repeats it or
    closes the rest (:class:`liqlearn.engine.Engine` may skip straight to a
    lower tier).  Scalar inputs only.  The lowest bracket has no lower
    bracket to step down to: ValueError (the position is liquidated in full).

    The chapter's whale: a long of 50/3 BTC from 60,000 with 40,000 USDT, cut at
    its trigger to 600,000 of notional, 0.3 % clearance fee:

    >>> from liqlearn.tiers import EXAMPLE_TIERS
    >>> from liqlearn.liquidation import liquidation_price
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
    n = int(t.index(q * p))
    if n == 0:
        raise ValueError(f"the notional at the mark {q * p:g} lies in the lowest bracket (cap "
                         f"{float(t.caps[0]):g}): there is no lower bracket to step down to, "
                         "so the position is liquidated in full")
    cap = float(t.caps[n - 1])
    x = float(partial_close_quantity(q, p, cap))
    keep = q - x
    bkr = max(e - s * m / q, 0.0)
    fee = min(r * x * fill, max(s * x * (fill - bkr), 0.0))
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


# --------------------------------------------------------------------------
# Registry entries (SymPy is imported here only)
# --------------------------------------------------------------------------


def _formulas() -> list:
    import functools

    import sympy as sp

    from ._registry import Formula
    from .margin import symbols

    S = symbols()
    Q, E, M, P = (S[k] for k in ("quantity", "entry_price", "margin", "mark_price"))
    fill = sp.Symbol("v", positive=True)
    r = sp.Symbol("r", nonnegative=True)
    C = sp.Symbol("C", positive=True)
    Eq_, Fee, Left, Pay = (sp.Symbol(n) for n in (r"\mathrm{Equity}_v", r"\mathrm{Fee}",
                                                   r"\mathrm{Leftover}", r"\mathrm{Payment}"))
    box = {"entry_price": (1e4, 1e5), "fill_price": (1e4, 1e5), "quantity": (0.01, 2.0),
           "margin": (0.0, 1e4), "clearance_fee_rate": (0.0, 0.01)}
    conv = "Binance, Bybit, BitMEX (clearance fee to the fund); Hyperliquid returns the leftover"
    out = []
    for side, s in (("long", 1), ("short", -1)):
        eq = M + s * Q * (fill - E)
        fee = sp.Min(r * Q * fill, sp.Max(eq, 0))
        left = sp.Max(eq - r * Q * fill, 0)
        pay = sp.Max(-eq, 0)
        syms = {"entry_price": E, "quantity": Q, "margin": M, "fill_price": fill}
        ex = {"entry_price": 60_000.0, "quantity": 1 / 6, "margin": 1_000.0,
              "fill_price": 54_210.0 if s == 1 else 65_790.0}
        eq_step = ("Equity at the fill: margin plus the P&L realised there", sp.Eq(Eq_, eq))
        fee_step = ("The clearance fee: a rate on the liquidated notional, at most the equity "
                    "left", sp.Eq(Fee, sp.Min(r * Q * fill, sp.Max(Eq_, 0))))
        out += [
            Formula(
                name=f"clearance_fee_{side}", expr=fee, symbols={**syms, "clearance_fee_rate": r},
                numeric=functools.partial(clearance_fee, side),
                example={**ex, "clearance_fee_rate": 0.003}, lhs=r"\mathrm{Fee}", domain=box,
                description=f"Clearance fee when a {side} is liquidated in full at v.",
                convention=conv,
                steps=(eq_step, fee_step, ("Substitute the equity", sp.Eq(Fee, fee))),
            ),
            Formula(
                name=f"liquidation_leftover_{side}", expr=left,
                symbols={**syms, "clearance_fee_rate": r},
                numeric=functools.partial(liquidation_leftover, side),
                example={**ex, "clearance_fee_rate": 0.003}, lhs=r"\mathrm{Leftover}",
                domain=box, convention=conv,
                description=f"What a {side} liquidated in full at v leaves after the clearance "
                            "fee: to the insurance fund or back to the trader.",
                steps=(eq_step, fee_step,
                       ("The leftover is what the fee does not take",
                        sp.Eq(Left, sp.Max(Eq_, 0) - Fee)),
                       ("With the fee capped at the equity this is equity minus fee, floored at 0",
                        sp.Eq(Left, left))),
            ),
            Formula(
                name=f"negative_balance_{side}", expr=pay, symbols=syms,
                numeric=functools.partial(negative_balance, side),
                example={**ex, "fill_price": 53_400.0 if s == 1 else 66_600.0},
                lhs=r"\mathrm{Payment}", domain=box,
                convention="all venues with an insurance fund (the trader owes nothing)",
                description=f"Negative balance of a {side} filled beyond its bankruptcy price, "
                            "paid by the insurance fund.",
                steps=(eq_step, ("The fund covers the equity below zero",
                                 sp.Eq(Pay, sp.Max(-Eq_, 0))),
                       ("Substitute the equity", sp.Eq(Pay, pay))),
            ),
        ]
    close = Q - C / P
    out.append(Formula(
        name="partial_close_quantity", expr=close,
        symbols={"quantity": Q, "mark_price": P, "target_notional": C},
        numeric=partial_close_quantity,
        example={"quantity": 50 / 3, "mark_price": 57_919.48, "target_notional": 600_000.0},
        lhs=r"x", description="Quantity a partial liquidation closes to bring the notional at "
                              "the mark down to the next lower bracket's cap.",
        convention="Bybit, BitMEX, OKX (reduce to a lower risk-limit tier first)",
        domain={"quantity": (1.0, 100.0), "mark_price": (1e4, 1e5),
                "target_notional": (1e4, 1e6)},
        steps=(("Keep the quantity whose notional at the mark is the cap",
                sp.Eq(sp.Symbol("Q_{keep}") * P, C)),
               ("Close the rest", sp.Eq(sp.Symbol("x"), close))),
    ))
    return out
