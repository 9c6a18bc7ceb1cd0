"""Auto-deleveraging: closing opposite positions when the insurance fund cannot pay.

When a liquidation order is left unfilled beyond the bankruptcy price ``B`` and
the insurance fund cannot take it over, the engine closes opposite positions
at ``B``, in order of the BitMEX/Bybit ranking ``PnL% * effective leverage``
(``PnL% / effective leverage`` when losing), with ``PnL% = s*(P - E)/E`` and
effective leverage ``= Q*P / equity``.  Only positions that stay solvent when
closed at ``B`` are eligible; in the (rare) case that they do not cover the
order, the rest is closed against the others at ``B`` and any negative balance
it leaves is a **socialized loss**, charged pro rata to every positive free
balance.  The ranking is computed once per round and side (venues publish it
periodically, not per trade).
"""

from __future__ import annotations

import numpy as np

from .accounts import TOL, Accounts
from .config import EngineConfig
from .records import ADLFill

__all__ = ["Deleveraging"]


class Deleveraging(Accounts):
    """:class:`~liqlearn.simulation.accounts.Accounts` plus auto-deleveraging (ADL)."""

    def __init__(self, config: EngineConfig, mark: float):
        super().__init__(config, mark)
        self.step_count = 0
        self._round = 0
        self._adl_cache: dict[float, list] = {}

    def _adl_ranking(self, s: float, fresh: bool = False) -> tuple[np.ndarray, np.ndarray]:
        """Opposite positions of a liquidated ``s`` position, best ADL rank first.

        Score (BitMEX/Bybit): ``PnL% * effective leverage`` when winning,
        ``PnL% / effective leverage`` when losing; ``PnL% = s*(P - E)/E``,
        effective leverage ``= Q*P / equity``.  Computed once per round and
        side (venues publish the ranking periodically, not per trade).
        """
        key = (self.step_count, self._round, s)
        cached = self._adl_cache.get(s)
        if not fresh and cached is not None and cached[0] == key:
            order, scores = cached[1], cached[2]
            start = cached[3]
            # skip the top of the ranking that earlier ADLs of this round closed
            while start < order.size and self.qty[order[start]] * s >= 0:
                start += 1
            cached[3] = start
            return order[start:], scores[start:]
        opp = np.flatnonzero(np.sign(self.qty) == -s)
        q = self.qty[opp]
        e = self.entry[opp]
        p = self.mark
        upnl = q * (p - e)
        eq = self.collateral(opp) + upnl
        pnl_pct = upnl / (np.abs(q) * e)
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            eff = np.where(eq > 0, np.abs(q) * p / np.where(eq > 0, eq, 1.0), np.inf)
            score = np.where(pnl_pct > 0, pnl_pct * eff, pnl_pct / eff)
        order = np.argsort(-score, kind="stable")
        self._adl_cache[s] = [key, opp[order], score[order], 0]
        return opp[order], score[order]

    def _adl_pick(self, i: int, s: float, need: float, price: float, fresh: bool,
                  ) -> tuple[list[np.ndarray], list[np.ndarray], list[np.ndarray], float]:
        """Walk the ranking: eligible positions first (solvent when closed at ``price``),
        then the others.  Returns chosen ids, quantities, scores and what is left."""
        order, scores = self._adl_ranking(s, fresh)
        picked_ids, picked_q, picked_s = [], [], []
        deferred_ids, deferred_s = [], []
        # fast path: most orders are covered by the first few positions of the queue
        n_fast = min(16, order.size)
        fast_ids, fast_q, fast_s = [], [], []
        for j in range(n_fast):
            if need <= 0:
                break
            a = int(order[j])
            qa = float(self.qty[a])
            if qa * s >= 0 or a == i:
                continue
            coll = float(self.wallet[a] if self.cross[a] else self.margin[a])
            if coll + qa * (price - float(self.entry[a])) < 0:
                deferred_ids.append(order[j:j + 1])
                deferred_s.append(scores[j:j + 1])
                continue
            t = min(abs(qa), need)
            fast_ids.append(a)
            fast_q.append(t)
            fast_s.append(float(scores[j]))
            need -= t
            if need <= TOL * max(1.0, abs(qa)):
                need = 0.0
        if fast_ids:
            picked_ids.append(np.array(fast_ids, dtype=np.intp))
            picked_q.append(np.array(fast_q))
            picked_s.append(np.array(fast_s))
        chunk = 256
        for pass_no in (0, 1):
            src_ids = order if pass_no == 0 else (
                np.concatenate(deferred_ids) if deferred_ids else np.zeros(0, np.intp))
            src_s = scores if pass_no == 0 else (
                np.concatenate(deferred_s) if deferred_s else np.zeros(0))
            pos = n_fast if pass_no == 0 else 0
            while need > 0 and pos < src_ids.size:
                c = src_ids[pos:pos + chunk]
                cs = src_s[pos:pos + chunk]
                pos += chunk
                q = self.qty[c]
                ok = (np.sign(q) == -s) & (c != i)
                if pass_no == 0:
                    elig = ok & (self.collateral(c) + q * (price - self.entry[c]) >= 0)
                    deferred_ids.append(c[ok & ~elig])
                    deferred_s.append(cs[ok & ~elig])
                    ok = elig
                c, cs, size = c[ok], cs[ok], np.abs(q[ok])
                if c.size == 0:
                    continue
                cum = np.cumsum(size)
                k = min(int(np.searchsorted(cum, need * (1 - 1e-12), side="left")) + 1, c.size)
                take = size[:k].copy()
                take[-1] = min(need - (cum[k - 2] if k > 1 else 0.0), size[k - 1])
                picked_ids.append(c[:k])
                picked_q.append(take)
                picked_s.append(cs[:k])
                need -= float(take.sum())
                if need <= TOL * max(1.0, float(cum[-1])):
                    need = 0.0
        return picked_ids, picked_q, picked_s, need

    def _adl(self, i: int, s: float, quantity: float, price: float) -> list[ADLFill]:
        """Close ``quantity`` of opposite positions at ``price``, best-ranked first."""
        ids, qs, ss, left = self._adl_pick(i, s, quantity, price, fresh=False)
        if left > 0:  # positions opened on the other side during the round
            ids2, qs2, ss2, left = self._adl_pick(i, s, left, price, fresh=True)
            ids, qs, ss = ids + ids2, qs + qs2, ss + ss2
        if not ids:
            return []
        acc = np.concatenate(ids) if len(ids) > 1 else ids[0]
        take = np.concatenate(qs) if len(qs) > 1 else qs[0]
        score = np.concatenate(ss) if len(ss) > 1 else ss[0]
        if len(ids) > 1 and np.unique(acc).size != acc.size:  # a second pass may revisit
            uniq, inv = np.unique(acc, return_inverse=True)
            take = np.bincount(inv, weights=take)
            score = np.array([score[inv == k][0] for k in range(uniq.size)])
            acc = uniq
        coll0 = self.collateral(acc).tolist()
        if acc.size <= 8:
            realized = [self._trade1(a, s * t, price) for a, t in zip(acc.tolist(), take.tolist())]
        else:
            realized = self._trade(acc, s * take, price).tolist()
        fills = []
        losses = [0.0] * acc.size
        for j, a in enumerate(acc.tolist()):
            short = -(coll0[j] + realized[j])  # > 0 only for an ineligible position
            if short <= 0:
                continue
            losses[j] = short
            self.wallet[a] += short  # the collateral stops at zero ...
            if not self.cross[a] and self.qty[a] != 0:
                self.margin[a] = 0.0
            self._socialize(short, a)  # ... and the rest is a socialized loss
        side = "short" if s > 0 else "long"
        for a, t, r, sc, lo in zip(acc.tolist(), take.tolist(), realized, score.tolist(), losses):
            fills.append(ADLFill(a, side, t, price, r, sc, lo))
        return fills

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
