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
from ..simulation.orderbook import Fill, OrderBook
from ..plotting import COLORS, LINESTYLES, price_axis
from ._base import (Explorer, fmt_pct, fmt_price, label_axes, rectangles, set_limits, slider,
                    table_html)

__all__ = ["SlippageResult", "compute_slippage", "vwap_curve", "SlippageExplorer", "slippage_explorer"]

TICK = 5.0  # USDT between price levels
LEVELS = 150  # levels per side
LATENCY = 1.0  # seconds between the trigger and the order reaching the book
ASK_LEVELS_SHOWN = 6


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
                     entry_price: float = 60_000.0, mmr: float = 0.005) -> SlippageResult:
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


def _ladder(prices: np.ndarray, widths: np.ndarray, height: float) -> np.ndarray:
    """Horizontal bars from 0 to ``widths``, ``height`` tall, centred on ``prices``."""
    return rectangles(0.0, widths, prices - height / 2, prices + height / 2)


class SlippageExplorer(Explorer):
    """The widget view over :func:`compute_slippage` (see :func:`slippage_explorer`)."""

    title = "Slippage explorer: a liquidation order walks the book"
    intro = (f"A long on BTC from 60,000, 0.5 % maintenance rate. When the mark reaches the "
             f"liquidation price the engine sells the whole position at market; the order "
             f"reaches the book {LATENCY:g} s later, after the price has moved on.")
    figsize = (8.6, 3.5)

    def _controls(self) -> dict[str, Any]:
        return {
            "size": slider("Position (BTC)", 0.5, 60.0, 0.5, 5.0, ".1f"),
            "leverage": slider("Leverage (x)", 2.0, 125.0, 1.0, 20.0, ".0f"),
            "depth": slider("Depth, best level (BTC)", 0.1, 10.0, 0.1, 1.0, ".1f"),
            "decay": slider("Depth decay per level", 0.0, 0.1, 0.005, 0.03, ".3f",
                            tooltip="level k holds depth * exp(-decay * k)"),
            "spread": slider("Spread (USDT)", 1.0, 200.0, 1.0, 10.0, ".0f"),
            "speed": slider("Speed of the move (per s)", 0.0, 0.01, 0.0002, 0.001, ".2%",
                            tooltip=f"price fall per second; the order arrives {LATENCY:g} s "
                                    "after the trigger"),
        }

    compute_function = staticmethod(compute_slippage)

    def _build(self, figure: Any) -> None:
        from matplotlib.collections import PolyCollection

        ax, ax2 = self._two_panels(figure, left=0.1, wspace=0.32)
        self._asks = PolyCollection([], facecolors=COLORS["ask"], edgecolors="none", alpha=0.4)
        self._bids = PolyCollection([], facecolors=COLORS["bid"], edgecolors="none", alpha=0.35)
        self._taken = PolyCollection([], facecolors=COLORS["liquidation"], edgecolors="none")
        for coll in (self._asks, self._bids, self._taken):
            ax.add_collection(coll)
        ref = {}
        for a in (ax, ax2):
            ref[a] = (
                a.axhline(0, color=COLORS["mark"], lw=1.5, label="mark at trigger (liquidation)"),
                a.axhline(0, color=COLORS["bankruptcy"], ls=LINESTYLES["bankruptcy"], lw=1.8,
                          label="bankruptcy price"),
                a.axhline(0, color=COLORS["vwap"], ls="--", lw=1.2, label="fill price (VWAP)"),
            )
        self._ref = ref
        self._below = ax2.axhspan(0, 1, color=COLORS["liquidation"], alpha=0.08, lw=0)
        (self._vwap_c,) = ax2.plot([], [], color=COLORS["vwap"], lw=2)
        (self._here,) = ax2.plot([], [], "o", color=COLORS["liquidation"], ms=7, mec="black",
                                 mew=0.6)
        label_axes(ax, "quantity at the level (BTC)", "price (USDT)",
                   "The book (red: taken by the order)")
        label_axes(ax2, "liquidation order size (BTC)", "fill price, VWAP (USDT)",
                   "Fill price by order size")
        price_axis(ax)
        price_axis(ax2)
        ax.legend(loc="lower right", fontsize=7.5)
        self._note2 = ax2.text(0.02, 0.04, "", transform=ax2.transAxes, fontsize=8,
                               color=COLORS["liquidation"])

    def _draw(self, r: SlippageResult) -> None:
        bids, asks = r.book_bids, r.book_asks
        h = TICK * 0.8
        self._bids.set_verts(_ladder(bids[:, 0], bids[:, 1], h))
        self._taken.set_verts(_ladder(bids[:, 0], r.taken, h))
        self._asks.set_verts(_ladder(asks[:ASK_LEVELS_SHOWN, 0], asks[:ASK_LEVELS_SHOWN, 1], h))
        vwap = r.fill_price if r.fill_price is not None else np.nan
        for lines in self._ref.values():
            lines[0].set_ydata([r.liquidation_price] * 2)
            lines[1].set_ydata([r.bankruptcy_price] * 2)
            lines[2].set_ydata([vwap] * 2)
        # book panel: from a little above the best ask to below the worst level touched
        worst = r.fill.last_price if r.fill.last_price is not None else bids[0, 0]
        low = min(worst, r.bankruptcy_price) - 6 * TICK
        high = max(asks[ASK_LEVELS_SHOWN - 1, 0], r.liquidation_price) + TICK
        self.ax.set_ylim(low, high)
        visible = (bids[:, 0] >= low)
        self.ax.set_xlim(0, 1.08 * max(float(bids[visible, 1].max()) if visible.any() else 1.0,
                                       float(asks[:ASK_LEVELS_SHOWN, 1].max())))
        # VWAP for every order size up to twice this one (or the whole book)
        xs, ys = r.curve_size, r.curve_vwap
        self._vwap_c.set_data(xs, ys)
        self._here.set_data([r.fill.filled], [vwap])
        self.ax2.set_xlim(0, float(xs[-1]))
        set_limits(self.ax2, y=[*ys, r.liquidation_price, r.bankruptcy_price], pad=0.08)
        y0 = self.ax2.get_ylim()[0]
        self._below.set_y(y0)
        self._below.set_height(r.bankruptcy_price - y0)
        self._note2.set_text("below bankruptcy: the loss exceeds the margin"
                             if y0 < r.bankruptcy_price else "")

    def _summary(self, r: SlippageResult) -> str:
        f = r.fill
        rows = [
            ("Position", f"long {r.size:,.1f} BTC at {r.leverage:.0f}x, margin "
                         f"{r.margin:,.2f} USDT"),
            ("Mark at trigger (liquidation price)", fmt_price(r.liquidation_price)),
            ("Bankruptcy price", fmt_price(r.bankruptcy_price)),
            ("Mid when the order arrives", fmt_price(r.mid)),
            ("Fill price (VWAP)", fmt_price(f.vwap)),
            ("Levels walked / worst price", f"{f.levels_touched} / {fmt_price(f.last_price)}"),
            ("Slippage against the mark", fmt_pct(f.slippage, 3)),
        ]
        if not f.complete:
            rows.append(("Unfilled", f"{f.unfilled:,.3f} BTC: the book ran out of bids"))
        bal = r.balance_after
        if bal >= 0:
            rows.append(("Margin left after the close",
                         f"{bal:,.2f} USDT (to the insurance fund on Binance and Bybit)"))
        else:
            rows.append(("Negative balance", f"{-bal:,.2f} USDT: the loss exceeds the margin; "
                                              "the insurance fund covers it"))
        return table_html(rows)

    def _note(self, r: SlippageResult) -> str | None:
        if not r.fill.complete:
            return (f"The book ran out: {r.fill.unfilled:,.3f} BTC found no bid. A venue "
                    "would hand the rest to its insurance fund or auto-deleverage.")
        return None


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
