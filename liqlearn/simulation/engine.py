"""A liquidation engine for one linear perpetual, with every cent accounted for.

The engine holds accounts (traders, liquidity providers, a whale), their
positions on one USDT-margined perpetual, an :class:`~liqlearn.simulation.orderbook.OrderBook`
whose resting orders belong to the liquidity providers, an insurance fund and
the exchange's fee income.  Money only moves between these, so the system is
*closed*: at every step

    deposits + initial insurance fund
        = sum of wallets + unrealized P&L (at the mark) + insurance fund + fees

(:meth:`~liqlearn.simulation.accounts.Accounts.ledger`; the test-suite checks it to 1e-9 relative).

Prices
------
* The **index** comes from outside (a scenario's path).
* Market makers quote around the index: each step the book is shifted by the
  index change and refilled towards its profile (``resilience``).
* The **mark** is the index plus a smoothed, capped basis (BitMEX "fair
  price", Binance's "Price2"):
  ``basis <- (1 - w) * basis + w * (mid - index)``,
  ``mark = index + clip(basis, -cap * index, +cap * index)``, with
  ``w = basis_weight`` and ``cap = basis_cap``.  A single wick in the book moves
  the mark only by ``w`` times the wick; sustained selling drags it along.
* The **last price** is the worst price of the latest fill (the book's mid
  when nothing traded in the step).

The margin check
----------------
An account is liquidated when its equity reaches its maintenance margin, both
at the mark (the boundary counts as liquidated):

    M + s*Q*(P - E) <= Q*P*m_n - c_n

with ``M`` the collateral (the wallet for cross margin -- one symbol, so the
wallet is all that backs the position -- or the isolated margin), ``(m_n,
c_n)`` the maintenance tier of the notional at ``P`` (Binance brackets; a
flat ``mmr`` is one open-ended tier).  Solved for ``P`` once per position
change, vectorised over accounts, by the solver of
:func:`liqlearn.formulas.liquidation.liquidation_price` on basis "mark"
(:func:`liqlearn.simulation.accounts.trigger_prices`).  The triggers are kept
sorted (:class:`liqlearn.simulation.thresholds.TriggerIndex`), so a check reads
only the accounts whose trigger the mark crossed, and Python work is spent
only on the accounts actually liquidated.

The waterfall of a liquidation
------------------------------
1. *Partial first* (Bybit, BitMEX, OKX reduce the risk-limit tier first): if
   the notional at the mark lies above the first tier, the engine closes just
   enough to bring it down to the cap of the next lower tier -- one tier, the
   rule of :func:`liqlearn.formulas.settlement.partial_liquidation_step` -- with
   a FillOrKill order limited at the bankruptcy price (Bybit), and checks again
   in the next round; if the cut cannot fill in full, or the margin is still
   short in the same step, the position is liquidated in full.
2. Otherwise the whole position is sent to the book as a market order with the
   **bankruptcy price** ``B = E - s*M/Q`` as its limit.  From the account's
   point of view the position is closed at ``B``: its collateral is spent.
3. The part filled at VWAP ``v`` better than ``B`` leaves a **surplus**
   ``s*q*(v - B)``; the **clearance fee** ``clearance_fee * q * v`` (capped
   at the surplus) and the rest of the surplus go to the insurance fund
   (Binance, Bybit, BitMEX).  With ``surplus_to_fund=False`` the account
   keeps the surplus after the fee (Hyperliquid returns remaining margin).
   The amounts are :func:`liqlearn.formulas.settlement.settlement_amounts`
   of the filled part (margin ``M*q/Q``), the arithmetic of
   :func:`liqlearn.formulas.settlement.liquidation_settlement`.
4. What the limit leaves unfilled (the book is already beyond ``B``: a gap)
   is **taken over by the insurance fund**, which unwinds it in the book at
   market; the **shortfall** ``s*q*(B - v)`` is paid by the fund.
5. If the fund cannot pay the whole shortfall (or the book cannot absorb the
   order), **auto-deleveraging** closes opposite positions at ``B``
   (:mod:`liqlearn.simulation.adl`).

Rounds
------
A step runs rounds until a margin check finds nobody.  A round liquidates the
longs it found (their orders sell into the bids), then the shorts, each in
account order; the orders of a round walk the book one after the other
(:class:`~liqlearn.simulation.sweep.Sweep`), the insurance fund and the ADL queue
carry over from one liquidation to the next, and the accounts are booked at the
end of the round.  The mark moves between rounds, not within one.

Each liquidation yields a :class:`~liqlearn.simulation.records.LiquidationEvent`
(a dataclass; ``to_dict`` and
:meth:`~liqlearn.simulation.records.SimulationResult.to_records` tabulate them).

>>> from liqlearn.simulation.config import EngineConfig
>>> from liqlearn.simulation.orderbook import OrderBook
>>> book = OrderBook.from_profile(60_000, profile="flat", levels=200, depth=0.5, tick=5.0)
>>> eng = Engine(book, 60_000, EngineConfig(mmr=0.005, taker_fee=0.0, insurance_fund=1_000))
>>> lp = eng.add_liquidity_providers([5_000_000])
>>> alice = eng.deposit([1_000], mode="isolated")
>>> eng.open(alice, [1/6], leverage=10)           # the primer's long: 10x at 60,000
>>> round(float(eng.trigger_prices()[alice[0]]), 2)  # its liquidation price
54271.36
>>> events = eng.step(54_200)                      # the index falls below it
>>> e = events[0]
>>> e.bankruptcy_price, e.fill_price > e.bankruptcy_price, e.fund_change > 0
(54000.0, True, True)
>>> abs(eng.ledger()["difference"]) < 1e-6
True
"""

from __future__ import annotations

import gc
import math
from dataclasses import replace
from typing import Any, Callable, Iterable, Mapping, Sequence

import numpy as np

from ..formulas import validation as v
from ..formulas.liquidation import bankruptcy_kernel
from ..formulas.settlement import lower_bracket_cap, partial_close_quantity, settlement_amounts
from .accounts import TOL, trigger_prices
from .adl import Deleveraging
from .config import ROLES, EngineConfig
from .orderbook import Fill, OrderBook
from .sweep import Sweep
from .thresholds import distinct
from .records import ADLFill, LiquidationEvent, SimulationResult

__all__ = ["Engine"]


class Engine(Deleveraging):
    """Accounts, one perpetual, an order book, an insurance fund: see the module docstring.

    Typical use: create the book, ``add_liquidity_providers``, ``deposit``
    traders' money, ``open`` their positions (against the liquidity
    providers, at the index), then ``step(index)`` along a price path (or
    :meth:`run`).  :meth:`~liqlearn.simulation.accounts.Accounts.ledger` balances at any time.
    """

    def __init__(self, book: OrderBook, index_price: float, config: EngineConfig | None = None):
        if not isinstance(book, OrderBook):
            raise ValueError(f"book must be an OrderBook; got {type(book).__name__}")
        index = float(v.positive("index_price", index_price))
        super().__init__((config or EngineConfig()).validate(), index)
        self.book = book
        self.index = index
        self._basis = 0.0
        self.last_price = self._book_price()
        self._first_cap = float(self.tiers.caps[0])
        self._partial_step: dict[int, int] = {}
        self.step_count = 0
        self._round = 0
        self._oi_cache: tuple[int, float] | None = None
        self.events: list[LiquidationEvent] = []
        self._hist: dict[str, list[float]] = {k: [] for k in (
            "index", "mark", "last", "mid", "fund", "open_interest", "liquidations", "rounds",
            "shortfall", "surplus", "adl_quantity")}

    # ------------------------------------------------------------ positions
    def open(self, ids: Sequence[int] | np.ndarray, quantity: Sequence[float] | np.ndarray, *,
             leverage: Any = None, price: Any = None) -> None:
        """Open positions (signed ``quantity``: + long, - short) at ``price``.

        ``price`` (default: the index) may be one price per account: entries
        spread over the recent past.  The liquidity providers take the other
        side (longs and shorts each at their volume-weighted price).  Each
        trader pays ``taker_fee`` on the notional.  Isolated accounts post
        ``margin = |Q| * price / leverage`` (``leverage`` required for them);
        cross accounts back the position with the whole wallet.  A position
        that would be liquidated at once at the current mark (equity at or
        below the maintenance margin) is rejected, naming the account.
        """
        ids = np.atleast_1d(np.asarray(ids, dtype=np.intp))
        dq = np.atleast_1d(v.finite("quantity", np.asarray(quantity, float)))
        p = v.positive("price", self.index if price is None else price)
        ids, dq, p = v.broadcast(ids=ids, quantity=dq, price=p)
        ids = ids.astype(np.intp)
        if ids.size and (ids.min() < 0 or ids.max() >= self.n_accounts):
            raise ValueError(f"ids must be account ids in [0, {self.n_accounts - 1}]")
        if distinct(ids).size != ids.size or np.any(self.qty[ids] != 0):
            raise ValueError("open() is for distinct accounts without a position")
        if self._lp_ids.size == 0:
            raise ValueError("add_liquidity_providers() first: they take the other side")
        v.reject_where(dq == 0, "quantity must be nonzero{where}")
        fee = self.config.taker_fee * np.abs(dq) * p
        iso = ~self.cross[ids]
        im = np.zeros(ids.size)
        if iso.any():
            if leverage is None:
                raise ValueError("leverage is required for isolated accounts")
            lev = np.broadcast_to(v.positive("leverage", leverage), ids.shape)
            im[iso] = np.abs(dq[iso]) * p[iso] / lev[iso]
        need = fee + im
        v.reject_where(self.wallet[ids] < need,
                       "account {i}: wallet {w} is below the margin plus fee {n} it needs",
                       [("i", ids), ("w", self.wallet[ids]), ("n", need)])
        sgn = np.sign(dq)
        coll = np.where(iso, im, self.wallet[ids] - fee)
        trig = trigger_prices(sgn, np.abs(dq), p, coll, self.tiers)
        hit = np.flatnonzero(np.where(sgn > 0, trig >= self.mark, trig <= self.mark))
        if hit.size:
            j = int(hit[0])
            raise ValueError(
                f"account {int(ids[j])}: margin {float(coll[j]):g} is at or below the "
                f"maintenance margin at the mark {self.mark:g}: the position would be "
                f"liquidated at once")
        self.wallet[ids] -= fee
        self.fees += float(fee.sum())
        self.margin[ids] = np.where(iso, im, 0.0)
        self._trade(ids, dq, p)
        for part in (dq > 0, dq < 0):
            if part.any():
                self._lp_trade(-float(dq[part].sum()),
                               float((dq[part] * p[part]).sum() / dq[part].sum()))
        self._refresh(np.concatenate([ids, self._lp_ids]))

    def trade(self, account: int, side: str, quantity: float) -> Fill:
        """A market order by ``account`` into the book (the liquidity providers fill it).

        Pays ``taker_fee``; what the book cannot fill is dropped.  Use it to
        push the last price (a whale's wick).  An order whose taker fee the
        account's balance cannot pay is rejected and nothing fills, as a venue
        rejects an order for insufficient balance (else the fee alone would drive
        the wallet below zero).
        """
        i = self._account(account)
        v.choice("side", side, ("buy", "sell"))
        size = float(v.positive("quantity", quantity))
        quote = self.book.execute(side, size, None, self._book_price(), commit=False)
        if self.config.taker_fee * quote.notional > max(float(self.wallet[i]), 0.0):
            return replace(quote, filled=0.0, unfilled=size, notional=0.0, vwap=None,
                           slippage=None, slippage_cost=None, impact=None, last_price=None,
                           levels_touched=0, fee=0.0)
        fill = quote
        if fill.filled > 0:
            self.book.commit_quote()
            sgn = 1.0 if side == "buy" else -1.0
            fee = self.config.taker_fee * fill.notional
            self.wallet[i] -= fee
            self.fees += fee
            self._trade1(i, sgn * fill.filled, fill.vwap)
            self._lp_trade(-sgn * fill.filled, fill.vwap)
            self.last_price = fill.last_price
            self._refresh(np.concatenate([[i], self._lp_ids]))
        return fill

    # ------------------------------------------------------------ prices
    def _book_price(self) -> float:
        try:
            return self.book.mid
        except ValueError:
            return self.last_price

    def _update_mark(self) -> None:
        w, cap = self.config.basis_weight, self.config.basis_cap
        self._basis = (1 - w) * self._basis + w * (self._book_price() - self.index)
        lim = cap * self.index
        self.mark = self.index + min(max(self._basis, -lim), lim)

    # ------------------------------------------------------------ stepping
    def step(self, index_price: float,
             before_check: Callable[["Engine"], None] | None = None) -> list[LiquidationEvent]:
        """Advance one step: move the index, refresh the book and the mark, liquidate.

        Order: market makers shift the book by the index change and refill
        ``resilience`` of the consumed depth; ``before_check(engine)`` runs
        (a scenario's trades); the mark is updated; then rounds of margin
        checks and liquidations run until a round finds nobody (each round's
        sells move the book, and through the basis the mark, for the next).
        Returns this step's events.
        """
        new = float(v.positive("index_price", index_price))
        self.step_count += 1
        self.book.shift(new - self.index)
        self.index = new
        self.book.replenish(self.config.resilience)
        self.last_price = self._book_price()
        if before_check is not None:
            before_check(self)
        self._update_mark()
        n_before = len(self.events)
        rounds = 0
        while rounds < self.config.max_rounds:
            hits = self._hits()
            if hits.size == 0:
                break
            rounds += 1
            self._round = rounds
            self._liquidate_round(hits)
            self._flush()
            self._update_mark()
        self._record(self.events[n_before:], rounds)
        return self.events[n_before:]

    def _record(self, new_events: list[LiquidationEvent], rounds: int) -> None:
        h = self._hist
        h["index"].append(self.index)
        h["mark"].append(self.mark)
        h["last"].append(self.last_price)
        h["mid"].append(self._book_price())
        h["fund"].append(self.fund)
        if self._oi_cache is None or self._oi_cache[0] != self._trades:
            self._oi_cache = (self._trades, float(np.maximum(self.qty, 0.0).sum()))
        h["open_interest"].append(self._oi_cache[1])
        h["liquidations"].append(len(new_events))
        h["rounds"].append(rounds)
        h["shortfall"].append(sum(e.shortfall for e in new_events))
        h["surplus"].append(sum(e.surplus for e in new_events))
        h["adl_quantity"].append(sum(e.adl_quantity for e in new_events))

    def run(self, index_path: Iterable[float],
            hooks: Mapping[int, Callable[["Engine"], None]] | None = None,
            progress: Callable[[int], None] | None = None) -> SimulationResult:
        """Step along ``index_path``; ``hooks[k]`` runs before the check of step ``k``
        (0-based); ``progress(k)`` is called after each step.

        Python's cyclic garbage collector is paused during the run (and restored
        after): a big cascade creates hundreds of thousands of events, none of them
        in a reference cycle, and repeated full collections over them would cost
        more than the liquidations themselves.
        """
        hooks = hooks or {}
        paused = gc.isenabled()
        gc.disable()
        try:
            for k, x in enumerate(index_path):
                self.step(x, hooks.get(k))
                if progress is not None:
                    progress(k)
        finally:
            if paused:
                gc.enable()
        return self.result()

    def result(self, params: Mapping[str, Any] | None = None) -> SimulationResult:
        """The run so far as a :class:`~liqlearn.simulation.records.SimulationResult`."""
        hist = {k: np.asarray(vals, dtype=float) for k, vals in self._hist.items()}
        hist["rounds"] = hist["rounds"].astype(int)
        hist["liquidations"] = hist["liquidations"].astype(int)
        return SimulationResult(list(self.events), hist, self.ledger(),
                                int(np.sum(self.role == 0)), dict(params or {}))

    # ------------------------------------------------------------ liquidation
    def _liquidate_round(self, hits: np.ndarray) -> None:
        """One round: the longs hit (their orders sell into the bids), then the shorts."""
        for s in (1.0, -1.0):
            ids = hits[np.sign(self.qty[hits]) == s]  # an ADL may have closed some
            if ids.size:
                self._liquidate_side(ids, s)

    def _liquidate_side(self, ids: np.ndarray, s: float) -> None:
        """Liquidate the positions ``ids`` of sign ``s``, in id order, at the round's mark.

        The orders walk one side of the book in turn (a :class:`Sweep`), the fund and
        the ADL queue carry over from one to the next; the accounts are booked at
        the end of the round, vectorised.
        """
        cfg = self.config
        p = self.mark
        q_a = np.abs(self.qty[ids])
        e_a = self.entry[ids]
        m_a = self.collateral(ids)
        notional_a = q_a * p
        mm_a = self.tiers.maintenance_margin(notional_a)
        eq_a = m_a + s * q_a * (p - e_a)
        bkr_a = bankruptcy_kernel(int(s), e_a, q_a, m_a)
        cut_a = np.full(ids.size, np.nan)  # partial first: the quantity to close, or NaN
        if cfg.partial:
            above = notional_a > self._first_cap
            if above.any():
                cut_a[above] = partial_close_quantity(
                    q_a[above], p, lower_bracket_cap(self.tiers, notional_a[above]))
        sweep = Sweep(self.book, "sell" if s > 0 else "buy")
        queue = None
        to_fund, r_fee = cfg.surplus_to_fund, cfg.clearance_fee
        side_name, opp_name = ("long", "short") if s > 0 else ("short", "long")
        fund, last = self.fund, self.last_price
        step, rnd = self.step_count, self._round
        lp_dq = lp_cash = 0.0
        cut_ids: list[int] = []
        cut: list[tuple[float, float, float]] = []  # (quantity, price, fee)
        full: list[tuple] = []  # (fill q, fill price, fee, rest closed at B, B)
        adl_acc: list[int] = []
        adl_q: list[float] = []
        adl_p: list[float] = []
        losses: list[tuple[int, float]] = []
        full_ids: list[int] = []
        rows = zip(ids.tolist(), q_a.tolist(), e_a.tolist(), m_a.tolist(), bkr_a.tolist(),
                   eq_a.tolist(), mm_a.tolist(), cut_a.tolist(), self.cross[ids].tolist(),
                   self.role[ids].tolist())
        for i, big_q, e, m, bkr, eq, mm, x, cross, role in rows:
            limit = bkr if bkr > 0 else None
            who = (step, rnd, i, ROLES[role], "cross" if cross else "isolated", side_name)
            if x == x and self._partial_step.get(i) != step:  # not NaN
                # 1. partial first: one tier down (once per step)
                self._partial_step[i] = step
                xf, v, last_x = sweep.take(x, limit, commit=False)
                if xf >= x * (1 - 1e-12):  # FillOrKill: all of the cut, or none
                    sweep.commit_quote()
                    fee = float(settlement_amounts(s, e, xf, m * xf / big_q, v, r_fee)[1])
                    fund += fee
                    lp_dq += s * xf
                    lp_cash += s * xf * v
                    last = last_x
                    cut_ids.append(i)
                    cut.append((xf, v, fee))
                    self.events.append(LiquidationEvent(
                        *who, True, xf, p, eq, mm, bkr, xf, v, 0.0, None, 0.0, fee, fee, 0.0,
                        fee, fund, last))
                    continue
            fund0 = fund
            # 2. the liquidation order, limit = bankruptcy price
            q1, v1, last1 = sweep.take(big_q, limit)
            fee = surplus = 0.0
            if q1 > 0:
                _eq, fee_, left, pay = settlement_amounts(s, e, q1, m * q1 / big_q, v1, r_fee)
                fee = float(fee_)
                # closed at B, the fee and the leftover go to the fund; else the trader
                # is closed at the fill and keeps the leftover
                surplus = fee + float(left) - float(pay) if to_fund else fee
                fund += surplus
                lp_dq += s * q1
                lp_cash += s * q1 * v1
                last = last1
            q2 = big_q - q1
            rest = q2  # closed at B: the round-off remainder, the takeover or the ADL
            shortfall = takeover_q = adl_total = 0.0
            takeover_p = None
            adl: tuple[ADLFill, ...] = ()
            if q2 > TOL * big_q:
                # 3. the insurance fund takes over at B and unwinds at market.  What is
                # left of the book lies beyond B, so this costs the fund money: an empty
                # fund need not ask the book
                q2f, v2, last2 = (sweep.take(q2, None, commit=False) if fund > 0
                                  else (0.0, None, None))
                cost = math.inf
                if q2f >= q2 * (1 - 1e-12):
                    _eq, _fee, left2, pay2 = settlement_amounts(s, e, q2, m * q2 / big_q, v2,
                                                                0.0)
                    cost = float(pay2) - float(left2)
                if cost <= fund:
                    sweep.commit_quote()
                    shortfall = cost
                    fund -= cost
                    lp_dq += s * q2
                    lp_cash += s * q2 * v2
                    last = last2
                    takeover_q, takeover_p = q2, v2
                else:
                    # 4. auto-deleveraging at the bankruptcy price
                    queue = queue or self._adl_queue(s)
                    fills, _left = queue.take(q2, bkr)
                    made = []
                    for a, t, sc, r, lo in fills:
                        made.append(ADLFill(a, opp_name, t, bkr, r, sc, lo))
                        adl_total += t
                        adl_acc.append(a)
                        adl_q.append(t)
                        adl_p.append(bkr)
                        if lo > 0:
                            losses.append((a, lo))
                    adl = tuple(made)
                    rest = adl_total
            full_ids.append(i)
            full.append((q1, v1 if q1 > 0 else 0.0, fee, rest, bkr))
            self.events.append(LiquidationEvent(
                *who, False, big_q, p, eq, mm, bkr, q1, v1 if q1 > 0 else None, takeover_q,
                takeover_p, adl_total, fee, surplus, shortfall, fund - fund0, fund, last, adl))
        sweep.commit()
        self.fund, self.last_price = fund, last
        self._book_round(s, cut_ids, cut, full_ids, full)
        self._apply_adl(adl_acc, adl_q, adl_p, s, losses)
        if lp_dq != 0.0:
            self._lp_trade(lp_dq, lp_cash / lp_dq)
        self._dirty.extend(ids.tolist())
        self._dirty.extend(adl_acc)

    def _book_round(self, s: float, cut_ids: list[int], cut: list[tuple],
                    full_ids: list[int], full: list[tuple]) -> None:
        """Book a round's partial and full liquidations on the accounts (vectorised)."""
        if cut_ids:
            ids = np.asarray(cut_ids, dtype=np.intp)
            x, v_, fee = np.asarray(cut).T
            self._trade(ids, -s * x, v_)  # closed at the fill ...
            self._charge(ids, fee)  # ... paying the clearance fee
        if not full_ids:
            return
        ids = np.asarray(full_ids, dtype=np.intp)
        q1, v1, fee, rest, bkr = np.asarray(full).T
        if self.config.surplus_to_fund:
            self._trade(ids, -s * (q1 + rest), bkr)
        else:
            filled = q1 > 0
            self._trade(ids[filled], -s * q1[filled], v1[filled])
            self._charge(ids[filled], fee[filled])
            self._trade(ids, -s * rest, bkr)
        # the account's collateral is spent: round-off of M + s*Q*(B - E) = 0 can leave
        # -1e-13 in the wallet; it goes to the fund
        w = self.wallet[ids]
        tiny = (w < 0) & (w > -1e-6 * max(1.0, abs(self.fund)))
        if tiny.any():
            self.fund += float(w[tiny].sum())
            self.wallet[ids[tiny]] = 0.0
        iso = ids[~self.cross[ids]]
        self.margin[iso] = np.maximum(self.margin[iso], 0.0)

    def _charge(self, ids: np.ndarray, fee: np.ndarray) -> None:
        """Take ``fee`` from the accounts' wallets (and their isolated margins)."""
        self.wallet[ids] -= fee
        iso = ~self.cross[ids]
        self.margin[ids[iso]] -= fee[iso]
