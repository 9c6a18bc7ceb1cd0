"""The engine's accounts: wallets, positions, isolated margins and their trigger prices.

:class:`Accounts` holds one array per field (vectorised over accounts) and the
bookkeeping every part of the engine shares: deposits, the liquidity providers
who own the book's resting orders, trades at a price (average entry, realized
P&L), the insurance fund and fee income, and each account's **trigger price**:
its liquidation price on the mark basis,

    M + s*Q*(P - E) = Q*P*m_n - c_n   =>   P = (E - s*(M + c_n)/Q) / (1 - s*m_n)

with ``M`` the collateral (the wallet for cross margin -- one symbol, so the
wallet is all that backs the position -- or the isolated margin) and
``(m_n, c_n)`` the bracket of the notional at the root.  :func:`trigger_prices`
solves it with the same kernel and bracket search as
:func:`liqlearn.formulas.liquidation.liquidation_price` (``mm_basis="mark"``),
once per position change; :class:`~liqlearn.simulation.thresholds.TriggerIndex`
keeps them sorted so a margin check reads only the accounts the mark crossed.
"""

from __future__ import annotations

from typing import Any, Sequence

import numpy as np

from ..formulas import validation as v
from ..formulas.liquidation import solve_checked
from ..formulas.tiers import MaintenanceTiers
from .config import MODES, ROLES, EngineConfig
from .thresholds import TriggerIndex, distinct

__all__ = ["Accounts", "trigger_prices", "TOL"]

TOL = 1e-12
_ZERO = np.float64(0.0)


def trigger_prices(sign: np.ndarray, quantity: np.ndarray, entry: np.ndarray,
                   collateral: np.ndarray, tiers: MaintenanceTiers) -> np.ndarray:
    """Liquidation (trigger) prices on the mark basis, vectorised over accounts.

    The unvalidated solver of :func:`liqlearn.formulas.liquidation.liquidation_price`
    (``solve_checked``: ``root_bracket_index`` picks the bracket, one kernel
    solves), called once for the longs and once
    for the shorts.  ``sign`` is +1/-1 per account, ``quantity`` the size
    ``Q > 0``; no check that the position is live at entry (the engine asks at
    the mark instead).  A long that cannot be liquidated gets 0.

    >>> t = MaintenanceTiers([(float("inf"), 0.005)])
    >>> trigger_prices(np.array([1.0, -1.0]), np.array([1/6, 1/6]), np.array([60_000.0] * 2),
    ...                np.array([1_000.0] * 2), t).round(2)
    array([54271.36, 65671.64])
    """
    out = np.empty(sign.shape)
    for s in (1, -1):
        mask = sign == s
        if not mask.any():
            continue
        if mask.all():
            e, q, m = entry, quantity, collateral
        else:
            e, q, m = entry[mask], quantity[mask], collateral[mask]
        # a dust position (margin over quantity beyond the float range) has no finite
        # trigger: a short's is inf, a long's is floored at 0 -- both mean "never"
        with np.errstate(over="ignore"):
            res = solve_checked(s, "mark", e, q, m, tiers, _ZERO, _ZERO, True, e.shape,
                                check_entry=False)
        if mask.all():
            return res
        out[mask] = res
    return out


class Accounts:
    """Accounts of one linear perpetual: the state and bookkeeping of the engine
    (:class:`liqlearn.simulation.engine.Engine`).

    Arrays (one entry per account): ``qty`` (signed, base units), ``entry``,
    ``wallet``, ``margin`` (isolated accounts), ``cross``, ``role``.  Scalars:
    ``fund`` (insurance fund), ``fees`` (exchange income), ``deposits``, ``mark``.
    """

    def __init__(self, config: EngineConfig, mark: float):
        self.config = config
        self.tiers = config.maintenance_tiers()
        self.mark = mark
        self.fund = float(config.insurance_fund)
        self.fund_initial = self.fund
        self.fees = 0.0
        self.deposits = 0.0
        self.qty = np.zeros(0)
        self.entry = np.zeros(0)
        self.wallet = np.zeros(0)
        self.margin = np.zeros(0)
        self.cross = np.zeros(0, dtype=bool)
        self.role = np.zeros(0, dtype=np.int8)
        self._long_trig = np.zeros(0)  # -inf: no long position
        self._short_trig = np.zeros(0)  # inf: no short position
        self._index = TriggerIndex()
        self._lp_ids = np.zeros(0, dtype=np.intp)
        self._lp_weight = np.zeros(0)
        self._lp_list: list[int] = []
        self._lp_share_list: list[float] = []
        self._dirty: list[int] = []
        self._trades = 0  # counts position changes (cache key for the open interest)

    # ------------------------------------------------------------ accounts
    @property
    def n_accounts(self) -> int:
        return int(self.qty.size)

    def deposit(self, amounts: Sequence[float] | np.ndarray, *, mode: str = "cross",
                role: str = "trader") -> np.ndarray:
        """New accounts with these deposits (USDT); returns their ids.

        >>> acc = Accounts(EngineConfig(), 100.0)
        >>> acc.deposit([100.0, 250.0], mode="isolated").tolist()
        [0, 1]
        >>> acc.deposit([-5.0])
        Traceback (most recent call last):
        ...
        ValueError: deposit must be finite and >= 0; got -5.0 at index 0
        """
        amt = np.atleast_1d(v.nonnegative("deposit", np.atleast_1d(np.asarray(amounts, float))))
        v.choice("mode", mode, MODES)
        v.choice("role", role, ROLES)
        k = amt.size
        start = self.n_accounts
        self.qty = np.concatenate([self.qty, np.zeros(k)])
        self.entry = np.concatenate([self.entry, np.zeros(k)])
        self.wallet = np.concatenate([self.wallet, amt])
        self.margin = np.concatenate([self.margin, np.zeros(k)])
        self.cross = np.concatenate([self.cross, np.full(k, mode == "cross")])
        self.role = np.concatenate([self.role, np.full(k, ROLES.index(role), dtype=np.int8)])
        self._long_trig = np.concatenate([self._long_trig, np.full(k, -np.inf)])
        self._short_trig = np.concatenate([self._short_trig, np.full(k, np.inf)])
        self.deposits += float(amt.sum())
        return np.arange(start, start + k)

    def add_liquidity_providers(self, deposits: Sequence[float],
                                shares: Sequence[float] | None = None) -> np.ndarray:
        """Cross-margin accounts that own the book's resting orders.

        Every fill in the book is split between them by ``shares`` (default:
        in proportion to their deposits); they are also the counterparty of
        :meth:`liqlearn.simulation.engine.Engine.open`.
        """
        ids = self.deposit(deposits, mode="cross", role="liquidity_provider")
        w = np.asarray(deposits, float) if shares is None else v.nonnegative(
            "shares", np.asarray(shares, float))
        if w.shape != ids.shape or w.sum() <= 0:
            raise ValueError("shares must have one entry per liquidity provider and a sum > 0")
        self._lp_ids = np.concatenate([self._lp_ids, ids])
        self._lp_weight = np.concatenate([self._lp_weight, w])
        self._lp_list = self._lp_ids.tolist()
        self._lp_share_list = (self._lp_weight / self._lp_weight.sum()).tolist()
        return ids

    def collateral(self, ids: Any = slice(None)) -> np.ndarray:
        """What backs each position: the wallet (cross) or the isolated margin."""
        return np.where(self.cross[ids], self.wallet[ids], self.margin[ids])

    def _account(self, account: Any) -> int:
        if isinstance(account, bool) or not isinstance(account, (int, np.integer)) \
                or not 0 <= account < self.n_accounts:
            raise ValueError(f"account must be an id in [0, {self.n_accounts - 1}]; "
                             f"got {account!r}")
        return int(account)

    # ------------------------------------------------------------ trading
    def _trade(self, ids: np.ndarray, dq: np.ndarray, price: Any) -> np.ndarray:
        """Apply signed trades ``dq`` at ``price`` (average entry; realized P&L to wallets).

        Returns the realized P&L.  Isolated margin follows the realized P&L and
        is released to the wallet when the position is closed.
        """
        self._trades += 1
        q0 = self.qty[ids]
        e0 = self.entry[ids]
        q1 = q0 + dq
        p = np.broadcast_to(np.asarray(price, float), q0.shape)
        same = q0 * dq >= 0
        closed = np.where(same, 0.0, np.minimum(np.abs(dq), np.abs(q0)))
        realized = closed * np.sign(q0) * (p - e0)
        flat = np.abs(q1) <= TOL * np.maximum(np.abs(q0), np.abs(dq))
        with np.errstate(divide="ignore", invalid="ignore"):
            e_inc = np.where(flat, 0.0, (q0 * e0 + dq * p) / np.where(flat, 1.0, q1))
        flipped = ~same & (np.abs(dq) > np.abs(q0)) & ~flat
        e1 = np.where(same, e_inc, np.where(flipped, p, e0))
        e1 = np.where(flat, 0.0, e1)
        q1 = np.where(flat, 0.0, q1)
        self.qty[ids] = q1
        self.entry[ids] = e1
        self.wallet[ids] += realized
        iso = ~self.cross[ids]
        if iso.any():
            m = self.margin[ids] + realized
            self.margin[ids] = np.where(iso & ~flat, m, 0.0)
        return realized

    def _trade1(self, i: int, dq: float, price: float) -> float:
        """:meth:`_trade` for one account with Python floats (the liquidation hot path)."""
        self._trades += 1
        q0 = float(self.qty[i])
        e0 = float(self.entry[i])
        q1 = q0 + dq
        if q0 * dq >= 0:
            realized = 0.0
            flat = abs(q1) <= TOL * max(abs(q0), abs(dq))
            e1 = 0.0 if flat else (q0 * e0 + dq * price) / q1
        else:
            closed = min(abs(dq), abs(q0))
            realized = closed * (1.0 if q0 > 0 else -1.0) * (price - e0)
            flat = abs(q1) <= TOL * max(abs(q0), abs(dq))
            e1 = 0.0 if flat else (price if abs(dq) > abs(q0) else e0)
        self.qty[i] = 0.0 if flat else q1
        self.entry[i] = e1
        self.wallet[i] += realized
        if not self.cross[i]:
            self.margin[i] = 0.0 if flat else self.margin[i] + realized
        return realized

    def _lp_trade(self, dq_total: float, price: float) -> None:
        """The liquidity providers' side of a fill in the book, split by their shares."""
        if dq_total != 0.0:
            for j, w in zip(self._lp_list, self._lp_share_list):
                self._trade1(j, dq_total * w, price)

    # ------------------------------------------------------------ margin
    def _refresh(self, ids: np.ndarray) -> None:
        """Recompute trigger prices of ``ids`` (after their positions or wallets changed)."""
        ids = np.asarray(ids, dtype=np.intp)
        if ids.size == 0:
            return
        q = self.qty[ids]
        open_ = q != 0
        lt = np.full(ids.size, -np.inf)
        st = np.full(ids.size, np.inf)
        if open_.any():
            sub = ids[open_]
            qq = q[open_]
            s = np.sign(qq)
            trig = trigger_prices(s, np.abs(qq), self.entry[sub], self.collateral(sub),
                                  self.tiers)
            lt[open_] = np.where(s > 0, trig, -np.inf)
            st[open_] = np.where(s < 0, trig, np.inf)
        self._long_trig[ids] = lt
        self._short_trig[ids] = st
        self._index.changed(ids)

    def _flush(self) -> None:
        """Refresh the trigger prices of the accounts a round touched (and the LPs)."""
        if self._dirty:
            self._refresh(distinct(np.concatenate([np.asarray(self._dirty, dtype=np.intp),
                                                    self._lp_ids])))
            self._dirty = []

    def _hits(self) -> np.ndarray:
        """Accounts whose margin check fails at the mark, in id order (reads only the
        accounts whose trigger the mark crossed, see
        :class:`~liqlearn.simulation.thresholds.TriggerIndex`)."""
        if self._index.stale():
            self._index.rebuild(self._long_trig, self._short_trig)
        cand = self._index.candidates(self.mark)
        if cand.size == 0:
            return cand
        p = self.mark
        return cand[(self._long_trig[cand] >= p) | (self._short_trig[cand] <= p)]

    def trigger_prices(self) -> np.ndarray:
        """Every account's liquidation price (0 for a flat account or a long that cannot be
        liquidated)."""
        out = np.where(self.qty > 0, self._long_trig, self._short_trig)
        return np.where(self.qty == 0, 0.0, np.where(np.isneginf(out), 0.0, out))

    def margin_status(self, mark: float | None = None) -> dict[str, np.ndarray]:
        """Equity, maintenance margin and margin ratio of every account at the mark.

        The direct form of the check, ``equity <= maintenance margin``; it
        agrees with the comparison against the trigger prices that
        :meth:`liqlearn.simulation.engine.Engine.step` uses.
        """
        p = self.mark if mark is None else float(v.positive("mark", mark))
        q = np.abs(self.qty)
        n = q * p
        live = q > 0
        mm = np.where(live, self.tiers.maintenance_margin(np.where(live, n, 1.0)), 0.0)
        eq = self.collateral() + self.qty * (p - self.entry)
        with np.errstate(divide="ignore", invalid="ignore"):
            ratio = np.where(eq > 0, mm / np.where(eq > 0, eq, 1.0), np.inf)
        return {"equity": eq, "maintenance_margin": mm, "margin_ratio": ratio,
                "liquidatable": live & (eq <= mm)}

    # ------------------------------------------------------------ accounting
    def open_interest(self) -> tuple[float, float]:
        """(long open interest, short open interest) in base units; equal in a closed system."""
        return float(self.qty[self.qty > 0].sum()), float(-self.qty[self.qty < 0].sum())

    def ledger(self) -> dict[str, float]:
        """Where the money is; ``closing_total`` equals ``deposits + insurance_fund_initial``.

        ``difference`` is the (round-off) gap between the two.
        """
        wallets = float(self.wallet.sum())
        upnl = float((self.qty * (self.mark - self.entry)).sum())
        total = wallets + upnl + self.fund + self.fees
        opening = self.deposits + self.fund_initial
        return {"deposits": self.deposits, "insurance_fund_initial": self.fund_initial,
                "wallets": wallets, "unrealized_pnl": upnl, "insurance_fund": self.fund,
                "fees": self.fees, "closing_total": total, "difference": total - opening}

    def accounts_table(self, ids: Any = None) -> list[dict[str, Any]]:
        """Accounts as dicts (id, role, mode, quantity, entry, wallet, collateral, trigger)."""
        idx = np.arange(self.n_accounts) if ids is None else np.atleast_1d(ids)
        trig = self.trigger_prices()
        coll = self.collateral()
        return [{"account": int(j), "role": ROLES[int(self.role[j])],
                 "mode": "cross" if self.cross[j] else "isolated",
                 "quantity": float(self.qty[j]), "entry_price": float(self.entry[j]),
                 "wallet": float(self.wallet[j]), "collateral": float(coll[j]),
                 "liquidation_price": float(trig[j])} for j in idx]
