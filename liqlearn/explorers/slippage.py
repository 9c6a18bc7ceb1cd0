"""Slippage explorer: the liquidation market order walking the order book.

The computation is :func:`compute_slippage` on the public API
(:func:`liqlearn.liquidation_price`, :func:`liqlearn.bankruptcy_price`,
:class:`liqlearn.simulation.orderbook.OrderBook`); :class:`SlippageExplorer` only wires
controls to it.

>>> r = compute_slippage(size=5, depth=1, spread=10, decay=0.03, speed=0.001, leverage=20)
>>> r.fill.complete, r.fill_price > r.bankruptcy_price, r.balance_after > 0
(True, True, True)
>>> r = compute_slippage(size=30, depth=1, spread=10, decay=0.03, speed=0.005, leverage=20)
>>> r.negative_balance > 0          # filled below the bankruptcy price
True
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..formulas import validation as v
from ..formulas.liquidation import bankruptcy_price, liquidation_price
from ..simulation.orderbook import Fill, OrderBook, depth_profile
from ._base import ControlSpec, Explorer, slider

__all__ = ["SlippageResult", "compute_slippage", "vwap_curve", "SlippageExplorer",
           "slippage_explorer"]

TICK = 5.0  # USDT between price levels
LEVELS = 150  # levels per side
LATENCY = 1.0  # seconds between the trigger and the order reaching the book
ASK_LEVELS_SHOWN = 6
ENTRY_PRICE = 60_000.0
MMR = 0.005


@dataclass(frozen=True)
class SlippageResult:
    """A long liquidated into the book: where it fills and who pays.

    The mark price reaches the liquidation price ``P_liq``; the market keeps
    falling at ``speed`` (a fraction per second) for ``LATENCY`` seconds, so the
    book's mid is ``P_liq * (1 - speed * LATENCY)`` when the liquidation sell
    arrives.  ``fill`` is :meth:`OrderBook.quote` of that sell (no limit: a
    plain market order).  ``balance_after = Q_filled * (VWAP - B)`` (``M - Q (E -
    VWAP)`` when the whole order fills);
    ``negative_balance = max(0, -balance_after)`` is what the insurance fund
    must cover; a positive ``balance_after`` is what a better-than-bankruptcy
    fill leaves (Binance, Bybit: to the fund).
    """

    size: float
    entry_price: float
    leverage: float
    margin: float
    liquidation_price: float
    bankruptcy_price: float
    mid: float
    fill: Fill
    book_bids: np.ndarray = field(repr=False)  # (LEVELS, 2) price, quantity
    book_asks: np.ndarray = field(repr=False)
    taken: np.ndarray = field(repr=False)  # quantity taken from each bid level
    curve_size: np.ndarray = field(repr=False)  # sell size grid
    curve_vwap: np.ndarray = field(repr=False)  # VWAP of a sell of that size

    @property
    def fill_price(self) -> float | None:
        return self.fill.vwap

    @property
    def balance_after(self) -> float:
        """``Q_filled * (VWAP - B)``: the margin left once the filled part is closed.

        Equal to ``M - Q * (E - VWAP)`` for a complete fill (``M = Q (E - B)``);
        an unfilled rest is taken over at the bankruptcy price (by the fund),
        which uses up exactly its share of the margin.
        """
        if self.fill.vwap is None:
            return 0.0
        return self.fill.filled * (self.fill.vwap - self.bankruptcy_price)

    @property
    def negative_balance(self) -> float:
        return max(0.0, -self.balance_after)

    @property
    def slippage_vs_mark(self) -> float | None:
        """Fill price below the mark that triggered the liquidation, as a fraction of it."""
        return self.fill.slippage


def compute_slippage(size: float = 5.0, depth: float = 1.0, spread: float = 10.0,
                     decay: float = 0.03, speed: float = 0.001, leverage: float = 20.0, *,
                     entry_price: float = ENTRY_PRICE, mmr: float = MMR) -> SlippageResult:
    """Liquidate a long of ``size`` BTC at ``leverage`` into an exponential order book.

    The book (:meth:`OrderBook.from_profile`, profile "exponential") has
    ``LEVELS`` levels per side ``TICK`` apart, ``depth`` BTC on the best level
    decaying as ``depth * exp(-decay * k)``, and the given ``spread`` (USDT)
    around a mid of ``P_liq * (1 - speed * LATENCY)``.  The liquidation price
    is :func:`liqlearn.liquidation_price` (mark basis, flat ``mmr``), the
    bankruptcy price :func:`liqlearn.bankruptcy_price`.  Also returns the VWAP
    of a sell of every size from 0 to twice ``size`` (or the book's depth):
    the curve the explorer draws (:func:`vwap_curve`).
    """
    q = float(v.positive("size", size))
    d = float(v.positive("depth", depth))
    sp = float(v.positive("spread", spread))
    lam = float(v.nonnegative("decay", decay))
    speed_ = float(v.in_range("speed", speed, 0.0, 0.5))
    lev = float(v.in_range("leverage", leverage, 1.0, 1_000.0))
    e = float(v.positive("entry_price", entry_price))
    margin = q * e / lev
    liq = liquidation_price("long", e, q, margin, mmr)
    if liq <= 0:
        raise ValueError(f"a {lev:g}x long cannot be liquidated (its liquidation price is "
                         "below zero): choose leverage above 1x")
    bkr = bankruptcy_price("long", e, q, margin)
    mid = liq * (1.0 - speed_ * LATENCY)
    book = OrderBook.from_profile(mid, profile="exponential", levels=LEVELS, depth=d, tick=TICK,
                                  spread=sp, decay=lam)
    fill = book.quote("sell", q, reference_price=liq)
    bids, asks = book.bids, book.asks
    taken = np.minimum(bids[:, 1], np.maximum(0.0, q - (np.cumsum(bids[:, 1]) - bids[:, 1])))
    total = float(bids[:, 1].sum())
    curve_size = np.linspace(0.0, min(total, max(2.0 * q, 1.0)), 201)
    curve_vwap = vwap_curve(bids, curve_size)
    return SlippageResult(
        size=q, entry_price=e, leverage=lev, margin=margin, liquidation_price=liq,
        bankruptcy_price=bkr, mid=mid, fill=fill, book_bids=bids, book_asks=asks, taken=taken,
        curve_size=curve_size, curve_vwap=curve_vwap,
    )


def vwap_curve(bids: np.ndarray, sizes: np.ndarray) -> np.ndarray:
    """VWAP of a market sell of each size in ``sizes`` walking ``bids`` (price, quantity).

    A sell of ``x`` takes whole levels up to the one where the cumulative
    quantity reaches ``x``, then part of it:
    ``VWAP(x) = (sum of p_i q_i over whole levels + (x - Q_j) p_j) / x``.
    Size 0 gives the best bid.  Sizes beyond the book's depth: NaN.

    >>> vwap_curve(np.array([[100.0, 1.0], [99.0, 1.0]]), np.array([0.0, 1.0, 1.5, 2.0, 3.0]))
    array([100.        , 100.        ,  99.66666667,  99.5       ,          nan])
    """
    p, qty = bids[:, 0], bids[:, 1]
    cum_q = np.concatenate([[0.0], np.cumsum(qty)])
    cum_n = np.concatenate([[0.0], np.cumsum(p * qty)])
    j = np.clip(np.searchsorted(cum_q, sizes, side="left") - 1, 0, p.size - 1)
    with np.errstate(invalid="ignore", divide="ignore"):
        out = (cum_n[j] + (sizes - cum_q[j]) * p[j]) / sizes
    out = np.where(sizes > 0, out, p[0])
    return np.where(sizes <= cum_q[-1] * (1 + 1e-12), out, np.nan)


DECAY_MAX, DECAY_STEP = 0.1, 0.005  # the decay slider; the browser gets one profile per step


class SlippageExplorer(Explorer):
    """The widget view over :func:`compute_slippage` (see :func:`slippage_explorer`).

    Computed live in the browser: the registry's liquidation and bankruptcy
    prices, the book's levels (prices from the mid, spread and tick; each
    level's quantity is the depth times the exponential profile
    :func:`liqlearn.simulation.orderbook.depth_profile` shipped in ``data`` for every step
    of the decay slider) and the order-book walk of ``liqlearn.browser``.
    """

    name = "slippage"
    title = "Slippage explorer: a liquidation order walks the book"
    intro = (f"A long on BTC from 60,000, 0.5 % maintenance rate. When the mark reaches the "
             f"liquidation price the engine sells the whole position at market; the order "
             f"reaches the book {LATENCY:g} s later, after the price has moved on.")

    def _controls(self) -> list[ControlSpec]:
        return [
            slider("size", "Position (BTC)", 0.5, 60.0, 0.5, 5.0, "fixed:1"),
            slider("leverage", "Leverage", 2.0, 125.0, 1.0, 20.0, "x:0"),
            slider("depth", "Depth, best level (BTC)", 0.1, 10.0, 0.1, 1.0, "fixed:1"),
            slider("decay", "Depth decay per level", 0.0, DECAY_MAX, DECAY_STEP, 0.03, "fixed:3",
                   help="level k holds depth * exp(-decay * k)"),
            slider("spread", "Spread (USDT)", 1.0, 200.0, 1.0, 10.0, "fixed:0"),
            slider("speed", "Speed of the move (per s)", 0.0, 0.01, 0.0002, 0.001, "pct:2",
                   help=f"price fall per second; the order arrives {LATENCY:g} s after "
                        "the trigger"),
        ]

    def compute(self, **values: Any) -> SlippageResult:
        return compute_slippage(**values)

    def _data(self) -> dict[str, Any]:
        steps = int(round(DECAY_MAX / DECAY_STEP))
        profiles = [depth_profile("exponential", LEVELS, depth=1.0, decay=round(k * DECAY_STEP, 10))
                    for k in range(steps + 1)]
        return {"tick": TICK, "levels": LEVELS, "latency": LATENCY, "entry_price": ENTRY_PRICE,
                "mmr": MMR, "ask_levels_shown": ASK_LEVELS_SHOWN, "decay_step": DECAY_STEP,
                "profiles": profiles}


def slippage_explorer(**initial: Any) -> SlippageExplorer:
    """An explorer of the liquidation order's fill in the order book.

    Controls: position size (BTC), leverage, depth on the best level, depth
    decay away from the touch, spread, and how fast the price is falling
    while the order is in flight.  Shows the order book ladder with the levels
    the order takes, the fill price (VWAP) against the mark price that
    triggered the liquidation and the bankruptcy price, the fill price for
    every order size, and the negative balance when the fill is worse than
    bankruptcy.

    Try this:

    * Grow the position from 5 to 30 BTC: the order walks more levels and the
      fill price falls towards the bankruptcy price; past about 34 BTC this
      book runs out of bids.
    * Set the decay to 0 (a flat book) and the depth to 0.5 BTC, then grow the
      position to 50 BTC: the fill lands below the bankruptcy price -- the
      loss exceeds the margin and the account has a negative balance.
    * Raise the speed of the move to 0.5 % per second: the book has moved below
      the bankruptcy price before the order arrives, and even a small position
      leaves a negative balance.
    * At 100x the liquidation and bankruptcy prices are only 0.5 % of entry
      apart: little slippage is enough to eat the remaining margin.
    * Widen the spread to 200 USDT (a stressed market): half of it is lost
      at once.
    """
    return SlippageExplorer(**initial)
