"""Market orders on one side of a book during one liquidation round, each in O(log levels).

Every order in a round walks the same side from its best level outwards, so
what the round has taken is always a *prefix* of that side in cumulative
quantity: the first ``t`` units.  With the cumulative quantity ``C_k`` and
notional ``N_k = sum p_j q_j`` of the levels up to ``k``, an order of ``z``
with a limit fills

    filled = min(z, C(limit) - t)         (C(limit): the depth the limit allows)
    VWAP   = (N(t + filled) - N(t)) / filled

(the level holding a unit ``x`` is the first with ``C_k >= x``): the same fills as walking the
levels one by one (:meth:`liqlearn.simulation.orderbook.OrderBook.execute`),
found by binary search.  :meth:`Sweep.commit` writes the taken prefix back
into the book.

>>> from liqlearn.simulation.orderbook import OrderBook
>>> book = OrderBook([(99.0, 1.0), (98.0, 0.0), (97.0, 2.0)], [(101.0, 1.0)])
>>> sw = Sweep(book, "sell")
>>> sw.take(2.0, limit=96.0)        # 1 at 99 and 1 at 97
(2.0, 98.0, 97.0)
>>> sw.take(5.0, limit=98.0)        # nothing left at 98 or better
(0.0, None, None)
>>> sw.commit(); book.bids.tolist()
[[99.0, 0.0], [98.0, 0.0], [97.0, 1.0]]
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right

import numpy as np

from .orderbook import OrderBook

__all__ = ["Sweep"]


class Sweep:
    """The orders of one round on one side (``"sell"``: the bids, ``"buy"``: the asks)."""

    def __init__(self, book: OrderBook, side: str):
        p, q = book.levels(side)
        self._q = q
        self._cum_arr = np.cumsum(q)
        self._cum = self._cum_arr.tolist()
        self._notional = np.cumsum(p * q).tolist()
        self._prices = p.tolist()
        # bisect needs ascending keys: the bids' prices descend, so search their negatives
        self._keys = (-p).tolist() if side == "sell" else self._prices
        self._sign = -1.0 if side == "sell" else 1.0
        self._total = self._cum[-1] if self._cum else 0.0
        self.taken = 0.0
        self._quoted = 0.0

    def _allowed(self, limit: float | None) -> float:
        """Cumulative depth of the levels the limit allows (all of them without a limit)."""
        if limit is None:
            return self._total
        k = bisect_right(self._keys, self._sign * limit)
        return self._cum[k - 1] if k > 0 else 0.0

    def _level(self, x: float) -> int:
        """The level holding the ``x``-th unit: the first with ``C_k >= x``."""
        return min(bisect_left(self._cum, x), len(self._cum) - 1)

    def take(self, size: float, limit: float | None = None, *, commit: bool = True,
             ) -> tuple[float, float | None, float | None]:
        """``(filled, vwap, last price)`` of an order of ``size`` (``None`` prices: nothing
        filled).  ``commit=False`` only quotes; a quote that is then wanted is taken
        with the same arguments."""
        avail = self._allowed(limit) - self.taken
        if size <= 0 or avail <= 1e-12 * (self._total + size):
            self._quoted = self.taken
            return 0.0, None, None
        filled = size if size <= avail else avail
        t0 = self.taken
        t1 = t0 + filled
        k0, k1 = self._level(t0 if t0 > 0 else 1e-300), self._level(t1)
        p = self._prices
        if k0 == k1:  # within one level: its price (no difference of large sums)
            vwap = p[k0]
        else:  # the rest of level k0, the whole levels between, the start of level k1
            cum = self._cum
            notional = (p[k0] * (cum[k0] - t0) + (self._notional[k1 - 1] - self._notional[k0])
                        + p[k1] * (t1 - cum[k1 - 1]))
            vwap = notional / filled
        self._quoted = t1
        if commit:
            self.taken = t1
        return filled, vwap, p[k1]

    def commit_quote(self) -> None:
        """Take what the last ``take(..., commit=False)`` quoted (nothing taken since)."""
        self.taken = self._quoted

    def commit(self) -> None:
        """Remove the taken prefix from the book's levels."""
        if self.taken > 0:
            np.minimum(self._q, np.maximum(self._cum_arr - self.taken, 0.0), out=self._q)
