"""Market orders on a uniform book: average and last fill in closed form.

A book with ``rho`` units resting per unit of price (``density``) fills a
market order of ``Q`` with an average (VWAP) ``Q/(2 rho)`` away from the best
price and a last fill ``Q/rho`` away.  The engine's order book walks real
levels; these are the closed forms the chapters derive.
"""

from __future__ import annotations

from typing import Any

from . import validation as v


ORDER_SIDES = ("buy", "sell")


def _uniform(side: str, best_price: Any, quantity: Any, density: Any,
             frac: float) -> Any:
    v.choice("side", side, ORDER_SIDES)
    scalar = v.is_scalar(best_price, quantity, density)
    b = v.positive("best_price", best_price)
    q = v.positive("quantity", quantity)
    rho = v.positive("density", density)
    b, q, rho = v.broadcast(best_price=b, quantity=q, density=rho)
    if side == "sell":
        v.reject_where(q / rho >= b, "quantity / density {w} must be < best_price {b}{where}: "
                       "the sell would walk the bids down to a price <= 0",
                       [("w", q / rho), ("b", b)])
        return v.output(b - frac * q / rho, scalar)
    return v.output(b + frac * q / rho, scalar)


def uniform_book_vwap(side: str, best_price: Any, quantity: Any, density: Any) -> Any:
    """Average fill of a market order on a uniform book: ``VWAP = b -/+ Q / (2 rho)``.

    ``density`` ``rho`` is the resting quantity per unit of price (a flat
    book of ``d`` per level ``h`` apart has ``rho = d / h``); ``best_price``
    ``b`` is the best bid (a sell) or ask (a buy).  Minus for a sell.

    >>> uniform_book_vwap("sell", 60_000, 10.0, 0.05)   # 0.5 BTC per 10 USDT level
    59900.0
    """
    return _uniform(side, best_price, quantity, density, 0.5)


def uniform_book_last_price(side: str, best_price: Any, quantity: Any, density: Any) -> Any:
    """Worst (last) fill price of a market order on a uniform book: ``b -/+ Q / rho``.

    The last price moves twice as far as the average fill.

    >>> uniform_book_last_price("sell", 60_000, 10.0, 0.05)
    59800.0
    """
    return _uniform(side, best_price, quantity, density, 1.0)
