"""Auto-deleveraging: closing opposite positions when the insurance fund cannot pay.

When a liquidation order is left unfilled beyond the bankruptcy price ``B`` and
the insurance fund cannot take it over, the engine closes opposite positions
at ``B``, in order of the BitMEX/Bybit ranking ``PnL% * effective leverage``
(``PnL% / effective leverage`` when losing), with ``PnL% = s*(P - E)/E`` and
effective leverage ``= Q*P / equity``.  The ranking is computed once per round
and side, at the mark (venues publish it periodically, not per trade); a round's
liquidations then take from its top in turn (:class:`ADLQueue`).

Only positions that stay solvent when closed at ``B`` are eligible; one found
ineligible is set aside for the rest of the round.  In the (rare) case that
the eligible ones do not cover the order, the rest is closed against the ones
set aside, at ``B``, and any negative balance it leaves is a **socialized
loss**, charged pro rata to every positive free balance.
"""

from __future__ import annotations

import numpy as np

from ..formulas.deleveraging import adl_score_kernel
from .accounts import TOL, Accounts
from .thresholds import distinct

__all__ = ["ADLQueue", "Deleveraging"]


class ADLQueue:
    """Positions of one sign in ADL rank order, consumed as a round's liquidations go.

    ``ids``/``scores`` best rank first; ``sign`` the positions' sign (+1 long,
    -1 short); ``size``, ``entry`` and ``collateral`` per position.  Each
    :meth:`take` returns fills ``(account, quantity, score, realized P&L,
    socialized loss)`` and what it could not cover.

    >>> q = ADLQueue(np.array([7, 3]), np.array([2.0, 1.0]), -1.0, np.array([0.5, 1.0]),
    ...              np.array([60_000.0, 60_000.0]), np.array([1_000.0, 1_000.0]))
    >>> q.take(0.8, 54_000.0)        # shorts closed at 54,000: 6,000 gained per BTC
    ([(7, 0.5, 2.0, 3000.0, 0.0), (3, 0.3, 1.0, 1800.0, 0.0)], 0.0)
    """

    def __init__(self, ids: np.ndarray, scores: np.ndarray, sign: float, size: np.ndarray,
                 entry: np.ndarray, collateral: np.ndarray):
        self.ids = ids.tolist()
        self.scores = scores.tolist()
        self.sign = sign
        self.size = size.tolist()
        self.entry = entry.tolist()
        self.collateral = collateral.tolist()
        self._next = 0  # first position not yet reached
        self._aside: list[int] = []  # reached but ineligible at the time

    def _close(self, k: int, t: float, price: float) -> tuple[int, float, float, float, float]:
        realized = t * self.sign * (price - self.entry[k])
        self.size[k] -= t
        c = self.collateral[k] + realized
        loss = -c if c < 0 else 0.0  # the collateral stops at zero; the rest is socialized
        self.collateral[k] = c + loss
        return self.ids[k], t, self.scores[k], realized, loss

    def take(self, need: float, price: float) -> tuple[list[tuple], float]:
        """Close ``need`` at ``price``: eligible positions in rank order, then the ones set
        aside.  Returns the fills and the quantity left uncovered."""
        fills: list[tuple] = []
        n = len(self.ids)
        while need > 0 and self._next < n:
            k = self._next
            r = self.size[k]
            if r > 0 and self.collateral[k] + self.sign * r * (price - self.entry[k]) < 0:
                self._aside.append(k)  # it would go bankrupt at this price
            elif r > 0:
                need = self._fill(k, need, price, fills)
                if self.size[k] > 0:
                    continue  # the order is covered; the rest of k stays first in line
            self._next += 1
        for k in self._aside:
            if need <= 0:
                break
            if self.size[k] > 0:
                need = self._fill(k, need, price, fills)
        return fills, need

    def _fill(self, k: int, need: float, price: float, fills: list[tuple]) -> float:
        """Close ``min(size, need)`` of position ``k``; returns what is still needed."""
        r = self.size[k]
        t = r if r <= need else need
        fills.append(self._close(k, t, price))
        if self.size[k] <= TOL * max(1.0, r):
            self.size[k] = 0.0
        need -= t
        return 0.0 if need <= TOL * max(1.0, r) else need


class Deleveraging(Accounts):
    """:class:`~liqlearn.simulation.accounts.Accounts` plus auto-deleveraging (ADL)."""

    def _adl_queue(self, s: float) -> ADLQueue:
        """The positions opposite to a liquidated ``s`` position, best ADL rank first.

        Score (BitMEX/Bybit): ``PnL% * effective leverage`` when winning,
        ``PnL% / effective leverage`` when losing; ``PnL% = s*(P - E)/E``,
        effective leverage ``= Q*P / equity``
        (:func:`liqlearn.formulas.deleveraging.adl_score`, its unvalidated kernel).
        """
        opp = np.flatnonzero(np.sign(self.qty) == -s)
        size = np.abs(self.qty[opp])
        e = self.entry[opp]
        coll = self.collateral(opp)
        score = adl_score_kernel(-s, e, self.mark, size, coll)
        order = np.argsort(-score, kind="stable")
        return ADLQueue(opp[order], score[order], -s, size[order], e[order], coll[order])

    def _apply_adl(self, accounts: list[int], quantities: list[float], prices: list[float],
                   s: float, losses: list[tuple[int, float]]) -> None:
        """Book a round's ADL fills: each deleveraged account closes ``s * quantity`` at its
        fills' average price, then socialized losses are charged."""
        if not accounts:
            return
        acc = np.asarray(accounts, dtype=np.intp)
        t = np.asarray(quantities)
        uniq = distinct(acc)
        inv = np.searchsorted(uniq, acc)
        size = np.bincount(inv, weights=t, minlength=uniq.size)
        price = np.bincount(inv, weights=t * np.asarray(prices), minlength=uniq.size) / size
        self._trade(uniq, s * size, price)
        for a, loss in losses:
            self.wallet[a] += loss  # the collateral stops at zero ...
            if not self.cross[a] and self.qty[a] != 0:
                self.margin[a] = 0.0
            self._socialize(loss, a)  # ... and the rest is a socialized loss

    def _socialize(self, loss: float, exclude: int) -> None:
        """Charge ``loss`` pro rata to every positive free balance (a socialized loss)."""
        free = np.where(self.cross, self.wallet, self.wallet - self.margin)
        free[exclude] = 0.0
        free = np.maximum(free, 0.0)
        total = free.sum()
        if total <= 0:  # nothing left anywhere: the fund goes negative, visibly
            self.fund -= loss
            return
        self.wallet -= loss * free / total
        self._refresh(np.flatnonzero(free > 0))
