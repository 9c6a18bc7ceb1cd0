"""Margin and leverage on linear (USDT-margined) contracts.

Notation used across the package and the book:

=========  ==========================================================
``Q``      position size in base units (BTC), ``quantity``
``E``      entry price, ``entry_price``
``P``      mark price, ``mark_price``
``M``      collateral backing the position, ``margin``
``s``      +1 for a long, -1 for a short, from ``side``
``m``      maintenance-margin rate (MMR), ``mmr``; 0.005 = 0.5 %
``c``      maintenance amount (Binance "cum", Bybit "MM deduction")
``L``      leverage
=========  ==========================================================

The primer's position -- 1,000 USDT at 10x on BTC at 60,000 -- is
Q = 1,000 * 10 / 60,000 = 1/6 BTC, a notional of 10,000 USDT.

>>> notional(1/6, 60_000)
10000.0
>>> equity("long", 60_000, 57_000, 1/6, 1_000)
500.0
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from . import validation as v

if TYPE_CHECKING:
    from .tiers import MaintenanceTiers

__all__ = [
    "notional",
    "initial_margin",
    "leverage",
    "effective_leverage",
    "unrealized_pnl",
    "equity",
    "maintenance_margin",
    "margin_ratio",
]

ArrayLike = v.ArrayLike
FloatOrArray = v.FloatOrArray


@v.checked(quantity=v.positive, price=v.positive)
def notional(quantity: ArrayLike, price: ArrayLike) -> FloatOrArray:
    """Position value ``N = Q * P`` in quote currency.

    >>> notional(0.5, 60_000)
    30000.0
    """
    return quantity * price


@v.checked(quantity=v.positive, entry_price=v.positive, leverage=v.positive)
def initial_margin(quantity: ArrayLike, entry_price: ArrayLike, leverage: ArrayLike) -> FloatOrArray:
    """Initial margin ``IM = Q * E / L``: the collateral a position of leverage L needs.

    >>> initial_margin(1/6, 60_000, 10)
    1000.0
    """
    return quantity * entry_price / leverage


@v.checked(quantity=v.positive, entry_price=v.positive, margin=v.positive)
def leverage(quantity: ArrayLike, entry_price: ArrayLike, margin: ArrayLike) -> FloatOrArray:
    """Leverage at entry ``L = Q * E / M`` (notional over margin).

    >>> leverage(1/6, 60_000, 1_000)
    10.0
    """
    return quantity * entry_price / margin


@v.checked(side=v.SIDE, entry_price=v.positive, mark_price=v.positive, quantity=v.positive)
def unrealized_pnl(side: str, entry_price: ArrayLike, mark_price: ArrayLike,
                   quantity: ArrayLike) -> FloatOrArray:
    """Unrealized profit and loss ``UPnL = s * Q * (P - E)``, marked at the mark price.

    Every venue marks P&L at the mark price for margin purposes (Binance,
    Bybit, OKX, dYdX, Hyperliquid).

    >>> unrealized_pnl("long", 60_000, 54_000, 1/6)
    -1000.0
    >>> unrealized_pnl("short", 60_000, 54_000, 1/6)
    1000.0
    """
    return side * quantity * (mark_price - entry_price)


@v.checked(side=v.SIDE, entry_price=v.positive, mark_price=v.positive, quantity=v.positive,
           margin=v.nonnegative)
def equity(side: str, entry_price: ArrayLike, mark_price: ArrayLike, quantity: ArrayLike,
           margin: ArrayLike) -> FloatOrArray:
    """Equity of an isolated position: ``equity = M + s * Q * (P - E)``.

    Equity is margin *plus* unrealized P&L.  (The seed primer's translation
    prints "equity - initial margin + unrealized P&L"; the dash is a slip for
    "=".)  It can be negative: that is a negative balance.

    >>> equity("long", 60_000, 54_000, 1/6, 1_000)
    0.0
    """
    return margin + side * quantity * (mark_price - entry_price)


def flat_or_tiers(mmr: ArrayLike | MaintenanceTiers,
                  maintenance_amount: ArrayLike) -> tuple[Any, np.ndarray, bool]:
    """(mmr array or tiers, maintenance amount array, is_tiers)."""
    from .tiers import MaintenanceTiers

    if isinstance(mmr, MaintenanceTiers):
        c = v.nonnegative("maintenance_amount", maintenance_amount)
        if np.any(c != 0):
            raise ValueError(
                "maintenance_amount must be 0 when mmr is a MaintenanceTiers "
                "(the tiers supply their own maintenance amounts)"
            )
        return mmr, c, True
    return v.rate("mmr", mmr), v.nonnegative("maintenance_amount", maintenance_amount), False


def maintenance_margin(notional: ArrayLike, mmr: ArrayLike | MaintenanceTiers,
                       maintenance_amount: ArrayLike = 0.0) -> FloatOrArray:
    """Maintenance margin ``MM = N * m - c`` for a notional N.

    With a flat rate, ``c`` is usually 0.  ``mmr`` may be a
    :class:`~liqlearn.formulas.tiers.MaintenanceTiers`; then the bracket of ``N`` supplies
    both the rate and the amount (Binance "brackets", Bybit/OKX "risk limits").

    >>> maintenance_margin(10_000, 0.005)
    50.0
    >>> maintenance_margin(100_000, 0.01, 250)
    750.0
    """
    scalar = v.is_scalar(notional, maintenance_amount)
    n = v.positive("notional", notional)
    rate, c, tiered = flat_or_tiers(mmr, maintenance_amount)
    if tiered:
        return rate.maintenance_margin(notional)
    scalar = scalar and v.is_scalar(mmr)
    n, rate, c = v.broadcast(notional=n, mmr=rate, maintenance_amount=c)
    mm = n * rate - c
    v.reject_where(
        mm < 0,
        "maintenance_amount {c} exceeds notional * mmr {nm}{where}: "
        "maintenance_amount must be in [0, notional * mmr]",
        [("c", c), ("nm", n * rate)],
    )
    return v.output(mm, scalar)


def margin_ratio(side: str, entry_price: ArrayLike, mark_price: ArrayLike, quantity: ArrayLike,
                 margin: ArrayLike, mmr: ArrayLike | MaintenanceTiers,
                 maintenance_amount: ArrayLike = 0.0) -> FloatOrArray:
    """Margin ratio ``MM / equity`` (Binance's definition): liquidation at 100 %.

    The maintenance margin is taken at the mark price.  A position whose
    equity is zero or negative has ratio ``inf``.

    >>> margin_ratio("long", 60_000, 60_000, 1/6, 1_000, 0.005)
    0.05
    >>> round(margin_ratio("long", 60_000, 54_271.36, 1/6, 1_000, 0.005), 4)
    1.0
    """
    eq = equity(side, entry_price, mark_price, quantity, margin)
    mm = maintenance_margin(notional(quantity, mark_price), mmr, maintenance_amount)
    eq_arr, mm_arr = np.broadcast_arrays(np.asarray(eq, float), np.asarray(mm, float))
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(eq_arr > 0, mm_arr / np.where(eq_arr > 0, eq_arr, 1.0), np.inf)
    return v.output(ratio, np.ndim(eq) == 0 and np.ndim(mm) == 0)


def effective_leverage(side: str, entry_price: ArrayLike, mark_price: ArrayLike,
                       quantity: ArrayLike, margin: ArrayLike) -> FloatOrArray:
    """Effective ("actual") leverage ``Q * P / equity``: notional at mark over equity.

    It rises as the position loses money -- the leverage you *really* have now,
    not the one chosen at entry.  Equity at or below zero: ValueError.

    >>> effective_leverage("long", 60_000, 60_000, 1/6, 1_000)
    10.0
    >>> effective_leverage("long", 60_000, 57_000, 1/6, 1_000)
    19.0
    """
    eq = np.asarray(equity(side, entry_price, mark_price, quantity, margin), dtype=float)
    v.reject_where(
        eq <= 0,
        "equity {eq} must be > 0 for effective leverage{where} (the position is bankrupt)",
        [("eq", eq)],
    )
    n = np.asarray(notional(quantity, mark_price), dtype=float)
    return v.output(n / eq, eq.ndim == 0 and n.ndim == 0)
