"""A limit order book on one perpetual: where a liquidation order is executed.

The liquidation *trigger* uses the mark price; the *execution* happens in the
book, at whatever prices the resting orders offer (the primer's "stage 2").
A market order walks the levels from the best price outwards until its size is
filled or a limit price stops it.

Conventions
-----------
* Sides of an **order** are ``"buy"`` and ``"sell"``; a long is closed by a
  sell (it eats the bids), a short by a buy (it eats the asks).
* Levels are ``(price, quantity)`` rows; quantities are in base units (BTC).
* For a fill of size ``q_1 + ... + q_n`` at prices ``p_1, ..., p_n``:

  - VWAP (volume-weighted average price) ``= sum p_i q_i / sum q_i``;
  - slippage, signed so that *positive is worse for the trader*,
    ``(VWAP - R) / R`` for a buy and ``(R - VWAP) / R`` for a sell, against a
    reference price ``R`` (the mid before the order unless given, e.g. the
    mark price that triggered a liquidation);
  - slippage cost ``= filled * |VWAP - R|`` with the same sign, in quote;
  - price impact ``= (p_n - mid) / mid``: how far the last (worst) level
    touched lies from the mid before the order, signed (negative for a sell);
  - taker fee ``= fee_rate * sum p_i q_i``.

* On a *flat* book (depth ``d`` on every level, tick ``h``, best price
  ``b``) a sell of ``k`` whole levels fills at ``VWAP = b - h (k - 1) / 2``.
  Its continuous limit, a *uniform* book of density ``rho = d / h`` (base
  units per unit of price), gives the closed forms of
  ``ll.uniform_book_vwap`` and ``ll.uniform_book_last_price``: a sell of
  ``Q`` moves the last price by ``Q / rho`` and fills on average half as far,
  ``VWAP = b - Q / (2 rho)``.

Depth profiles (:func:`depth_profile`): ``"flat"`` (the same depth on every
level), ``"exponential"`` (depth decaying as ``d * exp(-decay * k)`` away from
the touch) and ``"thin"`` (a tenth of the depth with seeded holes: many empty
levels, as in a stressed market).  ``noise`` multiplies each level by a seeded
log-normal factor, so the same seed gives the same book.

>>> book = OrderBook.from_profile(60_000, profile="flat", levels=10, depth=1.0, tick=10.0)
>>> book.best_bid, book.best_ask, book.mid
(59995.0, 60005.0, 60000.0)
>>> fill = book.quote("sell", 3.0)
>>> fill.vwap                    # levels 59,995, 59,985, 59,975: VWAP = 59,995 - 10 * 2 / 2
59985.0
>>> round(fill.slippage * 1e4, 4)    # in basis points of the mid
2.5
>>> fill.last_price, fill.unfilled
(59975.0, 0.0)
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from typing import Any, Sequence

import numpy as np

from ..formulas import validation as v
from ..formulas.book_depth import ORDER_SIDES

__all__ = [
    "ORDER_SIDES",
    "PROFILES",
    "Fill",
    "OrderBook",
    "depth_profile",
    "walk_levels",
]

PROFILES = ("flat", "exponential", "thin")


@dataclass(frozen=True)
class Fill:
    """The result of a market order walking the book.

    ``vwap``, ``slippage``, ``slippage_cost``, ``impact`` and ``last_price``
    are ``None`` when nothing was filled (empty side, or the limit was beyond
    the best price): there is no average of nothing.
    """

    side: str
    requested: float
    filled: float
    unfilled: float
    notional: float
    vwap: float | None
    reference_price: float
    slippage: float | None
    slippage_cost: float | None
    impact: float | None
    last_price: float | None
    levels_touched: int  # counted from the best level that held quantity
    fee: float
    limit: float | None

    @property
    def complete(self) -> bool:
        """True when the whole requested size was filled."""
        return self.unfilled == 0.0

    def to_dict(self) -> dict[str, Any]:
        """The fill as a plain dict (for tables and JSON)."""
        return asdict(self)


def depth_profile(profile: str, levels: int, *, depth: float = 1.0, decay: float = 0.05,
                  noise: float = 0.0, seed: int | None = None) -> np.ndarray:
    """Quantities of ``levels`` price levels, best level first.

    ``flat``: ``d`` on every level; ``exponential``: ``d * exp(-decay * k)``
    for level ``k = 0, 1, ...``; ``thin``: ``d / 10`` on a seeded 40 % of the
    levels (the best level always quoted), zero elsewhere.  ``noise > 0``
    multiplies every level by ``exp(noise * Z - noise**2 / 2)`` with standard
    normal ``Z`` drawn from ``seed`` (mean factor 1).

    >>> depth_profile("exponential", 3, depth=2.0, decay=0.5).round(4).tolist()
    [2.0, 1.2131, 0.7358]
    >>> depth_profile("flat", 3, depth=-1.0)
    Traceback (most recent call last):
    ...
    ValueError: depth must be finite and > 0; got -1.0
    """
    v.choice("profile", profile, PROFILES)
    n = _levels_count(levels)
    d = float(v.positive("depth", depth))
    k = np.arange(n, dtype=float)
    rng = np.random.default_rng(seed)
    if profile == "flat":
        q = np.full(n, d)
    elif profile == "exponential":
        lam = float(v.nonnegative("decay", decay))
        q = d * np.exp(-lam * k)
    else:  # thin
        q = np.where(rng.random(n) < 0.4, d / 10.0, 0.0)
        q[0] = d / 10.0
    sigma = float(v.nonnegative("noise", noise))
    if sigma > 0:
        q = q * np.exp(sigma * rng.standard_normal(n) - sigma**2 / 2)
    return q


def _levels_count(levels: Any) -> int:
    if isinstance(levels, bool) or not isinstance(levels, (int, np.integer)) or levels < 1:
        raise ValueError(f"levels must be an integer >= 1; got {levels!r}")
    return int(levels)


def walk_levels(prices: np.ndarray, quantities: np.ndarray, size: float,
                limit_count: int | None = None) -> tuple[np.ndarray, int]:
    """Quantity taken from each level when ``size`` walks them in order.

    ``limit_count`` caps the walk to the first ``limit_count`` levels (those
    the limit price allows).  Returns ``(taken, levels_touched)``; ``taken``
    has the shape of ``quantities``.  Pure arithmetic, no validation: the
    public methods of :class:`OrderBook` validate.

    >>> walk_levels(np.array([10., 9., 8.]), np.array([1., 2., 5.]), 2.5)
    (array([1. , 1.5, 0. ]), 2)
    """
    n = len(quantities) if limit_count is None else min(limit_count, len(quantities))
    taken = np.zeros_like(quantities)
    if n == 0 or size <= 0:
        return taken, 0
    # most orders need a few levels: try a short prefix before the whole side
    m = min(n, 32)
    cum = np.cumsum(quantities[:m])
    if cum[-1] < size and m < n:
        cum = np.cumsum(quantities[:n])
    else:
        n = m
    avail = quantities[:n]
    # first level at which the cumulative quantity reaches the size
    j = int(np.searchsorted(cum, size, side="left"))
    if j >= n:  # not enough: take everything allowed
        taken[:n] = avail
        touched = int(np.flatnonzero(avail > 0)[-1]) + 1 if np.any(avail > 0) else 0
        return taken, touched
    taken[:j] = avail[:j]
    taken[j] = size - (cum[j - 1] if j > 0 else 0.0)
    return taken, j + 1


class OrderBook:
    """Resting limit orders on both sides of one market.

    ``bids`` and ``asks`` are sequences of ``(price, quantity)`` rows in any
    order; they are sorted (bids high to low, asks low to high).  Levels may
    hold zero quantity (a consumed level keeps its price slot), but each side
    needs at least one level with positive quantity at construction, and the
    book must not be crossed (best bid < best ask).

    The book keeps its initial quantities as the *profile* that
    :meth:`replenish` refills towards, and :meth:`shift` moves every price,
    which is how the engine lets market makers follow the index.

    >>> book = OrderBook([(99.0, 2.0), (98.0, 3.0)], [(101.0, 1.0), (102.0, 4.0)])
    >>> fill = book.market_order("buy", 2.0)
    >>> fill.vwap, fill.filled, book.best_ask
    (101.5, 2.0, 102.0)
    >>> OrderBook([], [(101.0, 1.0)])
    Traceback (most recent call last):
    ...
    ValueError: bids must hold at least one level with quantity > 0 (the book is empty on that side)
    """

    def __init__(self, bids: Sequence[Sequence[float]], asks: Sequence[Sequence[float]]):
        self._bid_p, self._bid_q = self._side_arrays("bids", bids, descending=True)
        self._ask_p, self._ask_q = self._side_arrays("asks", asks, descending=False)
        if self._bid_p[self._first(self._bid_q)] >= self._ask_p[self._first(self._ask_q)]:
            raise ValueError(
                f"the book is crossed: best bid {self.best_bid!r} must be below best ask "
                f"{self.best_ask!r}"
            )
        self._bid_target = self._bid_q.copy()
        self._ask_target = self._ask_q.copy()
        self._quoted: tuple | None = None

    # ------------------------------------------------------------------ build
    @staticmethod
    def _side_arrays(name: str, rows: Any, descending: bool) -> tuple[np.ndarray, np.ndarray]:
        arr = np.asarray(rows, dtype=float) if len(rows) else np.empty((0, 2))
        if arr.ndim != 2 or arr.shape[1] != 2:
            raise ValueError(f"{name} must be a sequence of (price, quantity) rows; got shape "
                             f"{arr.shape}")
        if arr.shape[0] == 0 or not np.any(arr[:, 1] > 0):
            raise ValueError(f"{name} must hold at least one level with quantity > 0 "
                             f"(the book is empty on that side)")
        prices = v.positive(f"{name} price", arr[:, 0])
        qty = v.nonnegative(f"{name} quantity", arr[:, 1])
        order = np.argsort(-prices if descending else prices, kind="stable")
        return prices[order].copy(), qty[order].copy()

    @classmethod
    def from_profile(cls, mid: float, *, profile: str = "exponential", levels: int = 50,
                     depth: float = 1.0, tick: float = 1.0, spread: float | None = None,
                     decay: float = 0.05, noise: float = 0.0,
                     seed: int | None = None) -> "OrderBook":
        """A symmetric book around ``mid``: ``levels`` levels per side, ``tick`` apart.

        Best bid ``mid - spread/2``, best ask ``mid + spread/2`` (``spread``
        defaults to one tick); level ``k`` lies ``k * tick`` further out.
        Quantities come from :func:`depth_profile` (the asks use the
        next draws of the same seeded generator, so the two sides differ when
        ``noise > 0`` or the profile is thin).

        >>> b = OrderBook.from_profile(100.0, profile="exponential", levels=3, depth=1.0,
        ...                            tick=1.0, decay=0.0)
        >>> b.bids.tolist()
        [[99.5, 1.0], [98.5, 1.0], [97.5, 1.0]]
        """
        m = float(v.positive("mid", mid))
        n = _levels_count(levels)
        h = float(v.positive("tick", tick))
        sp = h if spread is None else float(v.positive("spread", spread))
        lowest = m - sp / 2 - (n - 1) * h
        if lowest <= 0:
            raise ValueError(
                f"levels * tick is too wide for mid {m:g}: the lowest bid would be "
                f"{lowest:g}; levels * tick + spread / 2 must be < mid"
            )
        rng = np.random.default_rng(seed)
        seeds = rng.integers(0, 2**63 - 1, size=2)
        qb = depth_profile(profile, n, depth=depth, decay=decay, noise=noise, seed=int(seeds[0]))
        qa = depth_profile(profile, n, depth=depth, decay=decay, noise=noise, seed=int(seeds[1]))
        k = np.arange(n, dtype=float)
        bids = np.column_stack([m - sp / 2 - k * h, qb])
        asks = np.column_stack([m + sp / 2 + k * h, qa])
        return cls(bids, asks)

    def copy(self) -> "OrderBook":
        """An independent copy (quantities, prices and the refill profile)."""
        new = object.__new__(OrderBook)
        for attr in ("_bid_p", "_bid_q", "_ask_p", "_ask_q", "_bid_target", "_ask_target"):
            setattr(new, attr, getattr(self, attr).copy())
        setattr(new, "_quoted", None)
        return new

    # ------------------------------------------------------------ inspection
    @staticmethod
    def _first(q: np.ndarray) -> int:
        i = int((q > 0).argmax())
        return i if q[i] > 0 else -1

    def _best(self, side: str) -> float:
        p, q = (self._bid_p, self._bid_q) if side == "bid" else (self._ask_p, self._ask_q)
        i = self._first(q)
        if i < 0:
            raise ValueError(f"the {side} side of the book is empty (no quantity left)")
        return float(p[i])

    @property
    def best_bid(self) -> float:
        """Highest bid with quantity; ValueError if the bid side is empty."""
        return self._best("bid")

    @property
    def best_ask(self) -> float:
        """Lowest ask with quantity; ValueError if the ask side is empty."""
        return self._best("ask")

    @property
    def mid(self) -> float:
        """``(best bid + best ask) / 2``."""
        return (self.best_bid + self.best_ask) / 2

    @property
    def spread(self) -> float:
        """``best ask - best bid``."""
        return self.best_ask - self.best_bid

    @property
    def bids(self) -> np.ndarray:
        """``(n, 2)`` array of (price, quantity), best first (a copy)."""
        return np.column_stack([self._bid_p, self._bid_q])

    @property
    def asks(self) -> np.ndarray:
        """``(n, 2)`` array of (price, quantity), best first (a copy)."""
        return np.column_stack([self._ask_p, self._ask_q])

    def depth(self, side: str, *, within: float | None = None) -> float:
        """Total quantity on ``side`` ("bid" or "ask"), optionally within a
        fraction ``within`` of the mid (``0.01`` = the 1 % band, the usual
        "depth at 1 %").

        >>> b = OrderBook.from_profile(100.0, profile="flat", levels=5, depth=2.0, tick=1.0)
        >>> b.depth("bid"), b.depth("bid", within=0.02)
        (10.0, 4.0)
        """
        v.choice("side", side, ("bid", "ask"))
        p, q = (self._bid_p, self._bid_q) if side == "bid" else (self._ask_p, self._ask_q)
        if within is None:
            return float(q.sum())
        w = float(v.in_range("within", within, 0.0, 1.0, lo_inclusive=False, hi_inclusive=False))
        mid = self.mid
        band = (p >= mid * (1 - w)) if side == "bid" else (p <= mid * (1 + w))
        return float(q[band].sum())

    def levels(self, side: str) -> tuple[np.ndarray, np.ndarray]:
        """The live ``(prices, quantities)`` arrays an order on ``side`` walks, best first
        ("sell" walks the bids, "buy" the asks); writing to the quantities changes the
        book (:class:`liqlearn.simulation.sweep.Sweep` does, once per round)."""
        v.choice("side", side, ORDER_SIDES)
        return (self._bid_p, self._bid_q) if side == "sell" else (self._ask_p, self._ask_q)

    def to_records(self) -> list[dict[str, Any]]:
        """Every level as ``{"side", "price", "quantity"}`` (asks high to low, then bids)."""
        rows = [{"side": "ask", "price": float(p), "quantity": float(q)}
                for p, q in zip(self._ask_p[::-1], self._ask_q[::-1])]
        rows += [{"side": "bid", "price": float(p), "quantity": float(q)}
                 for p, q in zip(self._bid_p, self._bid_q)]
        return rows

    # --------------------------------------------------------------- trading
    def quote(self, side: str, quantity: float, *, limit: float | None = None,
              reference_price: float | None = None, fee_rate: float = 0.0) -> Fill:
        """What a market order would fill, without touching the book.

        Same arguments and result as :meth:`market_order`.
        """
        return self._order(side, quantity, limit, reference_price, fee_rate, mutate=False)

    def market_order(self, side: str, quantity: float, *, limit: float | None = None,
                     reference_price: float | None = None, fee_rate: float = 0.0) -> Fill:
        """Execute a market order, removing the liquidity it takes.

        ``side`` "buy" eats the asks, "sell" eats the bids.  ``limit`` stops
        the walk at levels worse than it (a sell takes bids ``>= limit``, a buy
        asks ``<= limit``): a liquidation order carries the bankruptcy price as
        its limit.  What the book or the limit cannot fill is reported as
        ``unfilled``; nothing rests.  ``reference_price`` defaults to the mid
        before the order (or the best price on the side that is left when
        the other is empty); ``fee_rate`` (taker, in ``[0, 1)``) gives ``fee``.

        >>> b = OrderBook([(99.0, 1.0), (97.0, 1.0)], [(101.0, 1.0)])
        >>> f = b.market_order("sell", 3.0, limit=98.0)
        >>> f.filled, f.unfilled, f.vwap
        (1.0, 2.0, 99.0)
        >>> b.market_order("sell", 1.0, fee_rate=1.0)
        Traceback (most recent call last):
        ...
        ValueError: fee_rate must be in [0, 1) (a fraction: 0.005 = 0.5 %); got 1.0
        """
        return self._order(side, quantity, limit, reference_price, fee_rate, mutate=True)

    def _order(self, side: str, quantity: float, limit: float | None,
               reference_price: float | None, fee_rate: float, mutate: bool) -> Fill:
        v.choice("side", side, ORDER_SIDES)
        size = float(v.positive("quantity", quantity))
        fee_r = float(v.rate("fee_rate", fee_rate))
        lim = None if limit is None else float(v.positive("limit", limit))
        ref = self._reference() if reference_price is None else float(
            v.positive("reference_price", reference_price))
        return self.execute(side, size, lim, ref, fee_r, commit=mutate)

    def _reference(self) -> float:
        bi, ai = self._first(self._bid_q), self._first(self._ask_q)
        if bi >= 0 and ai >= 0:
            return (float(self._bid_p[bi]) + float(self._ask_p[ai])) / 2
        if bi >= 0:
            return float(self._bid_p[bi])
        if ai >= 0:
            return float(self._ask_p[ai])
        raise ValueError("the book is empty on both sides: give reference_price")

    def execute(self, side: str, size: float, limit: float | None, ref: float,
                fee_rate: float = 0.0, *, commit: bool = True) -> Fill:
        """The walk behind :meth:`market_order` and :meth:`quote`, for callers that have
        validated their inputs (the liquidation engine, once per liquidation order).

        ``side`` "buy"/"sell", ``size > 0``, ``limit`` a price or None, ``ref`` the
        reference price for slippage, ``fee_rate`` in [0, 1).  ``commit=False``
        only quotes; :meth:`commit_quote` then executes that quote without a
        second walk (the book must not change in between).

        >>> b = OrderBook([(99.0, 1.0), (97.0, 1.0)], [(101.0, 1.0)])
        >>> q = b.execute("sell", 1.5, None, 100.0, commit=False)
        >>> q.vwap, b.best_bid
        (98.33333333333333, 99.0)
        >>> b.commit_quote(); b.best_bid
        97.0
        """
        mutate = commit
        if side == "sell":
            p, q = self._bid_p, self._bid_q
            count = None if limit is None else int(np.searchsorted(-p, -limit, side="right"))
        else:
            p, q = self._ask_p, self._ask_q
            count = None if limit is None else int(np.searchsorted(p, limit, side="right"))
        # consumed levels at the top hold nothing: start at the best level with quantity
        start = self._first(q)
        if start < 0 or (count is not None and count <= start):
            return Fill(side, size, 0.0, size, 0.0, None, ref, None, None, None, None, 0,
                        0.0, limit)
        p, q = p[start:], q[start:]
        taken, touched = walk_levels(p, q, size, None if count is None else count - start)
        filled = float(taken.sum())
        # guard against round-off: never report more than requested
        filled = min(filled, size)
        unfilled = 0.0 if math.isclose(filled, size, rel_tol=1e-12, abs_tol=0.0) else size - filled
        if mutate and filled > 0:
            q -= taken  # q is a view: this updates the book
            np.maximum(q, 0.0, out=q)
        elif not mutate:
            self._quoted = (q, taken)
        if filled <= 0:
            return Fill(side, size, 0.0, size, 0.0, None, ref, None, None, None, None, 0,
                        0.0, limit)
        notional = float(taken @ p)
        vwap = notional / filled
        sign = 1.0 if side == "buy" else -1.0
        last = float(p[touched - 1])
        return Fill(
            side=side, requested=size, filled=filled, unfilled=unfilled, notional=notional,
            vwap=vwap, reference_price=ref, slippage=sign * (vwap - ref) / ref,
            slippage_cost=sign * filled * (vwap - ref), impact=(last - ref) / ref,
            last_price=last, levels_touched=touched, fee=fee_rate * notional, limit=limit,
        )

    def commit_quote(self) -> None:
        """Execute the last :meth:`execute` quote (the book must not have changed since): the
        engine's fund takeover quotes first, to see whether the fund can pay, then commits."""
        if self._quoted is None:
            raise ValueError("no quote to commit: call execute(..., commit=False) first")
        q, taken = self._quoted
        q -= taken
        np.maximum(q, 0.0, out=q)
        self._quoted = None

    # -------------------------------------------------------------- dynamics
    def shift(self, delta: float) -> None:
        """Move every price on both sides by ``delta`` (market makers follow the index).

        >>> b = OrderBook([(99.0, 1.0)], [(101.0, 1.0)])
        >>> b.shift(5.0); b.mid
        105.0
        """
        d = float(v.finite("delta", delta))
        if self._bid_p[-1] + d <= 0:
            raise ValueError(f"delta {d:g} would move the lowest bid to or below zero")
        self._bid_p += d
        self._ask_p += d

    def replenish(self, rate: float) -> None:
        """Refill every level a fraction ``rate`` of the way back to its profile.

        ``q <- q + rate * (q_profile - q)``; ``rate`` in ``[0, 1]`` (1 restores
        the profile at once, 0 leaves consumed levels empty: no resilience).

        >>> b = OrderBook([(99.0, 4.0)], [(101.0, 1.0)])
        >>> _ = b.market_order("sell", 4.0)
        >>> b.replenish(0.25); b.bids.tolist()
        [[99.0, 1.0]]
        """
        r = float(v.in_range("rate", rate, 0.0, 1.0))
        self._bid_q += r * (self._bid_target - self._bid_q)
        self._ask_q += r * (self._ask_target - self._ask_q)

    def __repr__(self) -> str:
        try:
            top = f"bid {self.best_bid:,.2f} / ask {self.best_ask:,.2f}"
        except ValueError:
            top = "one side empty"
        return (f"OrderBook({top}, {len(self._bid_p)} bid levels, {len(self._ask_p)} ask "
                f"levels, depth {self._bid_q.sum():g} / {self._ask_q.sum():g})")
