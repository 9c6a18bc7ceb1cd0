"""A liquidation engine for one linear perpetual, with every cent accounted for.

The engine holds accounts (traders, liquidity providers, a whale), their
positions on one USDT-margined perpetual, an :class:`~liqlearn.orderbook.OrderBook`
whose resting orders belong to the liquidity providers, an insurance fund and
the exchange's fee income.  Money only moves between these, so the system is
*closed*: at every step

    deposits + initial insurance fund
        = sum of wallets + unrealized P&L (at the mark) + insurance fund + fees

(:meth:`Engine.ledger`; the test-suite checks it to 1e-9 relative).

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
change, vectorised over accounts (the same solution as
:func:`liqlearn.liquidation.liquidation_price` on basis "mark"):

    P_liq = (M + c_n - s*Q*E) / (Q*(m_n - s))

so the per-step check is one comparison of the mark with every account's
trigger price (numpy), and Python work is spent only on the accounts
actually liquidated.

The waterfall of a liquidation
------------------------------
1. *Partial first* (Bybit, BitMEX, OKX tiers): if the notional at the mark is
   above the first tier, the engine closes just enough to bring it down to the
   cap of the next lower tier, then checks again in the next round.
2. Otherwise the whole position is sent to the book as a market order with the
   **bankruptcy price** ``B = E - s*M/Q`` as its limit.  From the account's
   point of view the position is closed at ``B``: its collateral is spent.
3. The part filled at VWAP ``v`` better than ``B`` leaves a **surplus**
   ``s*q*(v - B)``; the **clearance fee** ``clearance_fee * q * v`` (capped
   at the surplus) and the rest of the surplus go to the insurance fund
   (Binance, Bybit, BitMEX).  With ``surplus_to_fund=False`` the account
   keeps the surplus after the fee (Hyperliquid returns remaining margin).
4. What the limit leaves unfilled (the book is already beyond ``B``: a gap)
   is **taken over by the insurance fund**, which unwinds it in the book at
   market; the **shortfall** ``s*q*(B - v)`` is paid by the fund.
5. If the fund cannot pay the whole shortfall (or the book cannot absorb the
   order), **auto-deleveraging** closes opposite positions at ``B``, in order
   of the BitMEX/Bybit ranking ``PnL% * effective leverage`` (``PnL% /
   effective leverage`` when losing), with ``PnL% = s*(P - E)/E`` and
   effective leverage ``= Q*P / equity``.  Only positions that stay solvent
   when closed at ``B`` are eligible; in the (rare) case that they do not
   cover the order, the rest is closed against the others at ``B`` and any
   negative balance it leaves is a **socialized loss**, charged pro rata to
   every positive free balance.

Each liquidation yields a :class:`LiquidationEvent` (a dataclass; ``to_dict``
and :meth:`SimulationResult.to_records` tabulate them).

>>> from liqlearn.orderbook import OrderBook
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

import math
from dataclasses import asdict, dataclass, field, fields
from typing import Any, Callable, Iterable, Mapping, Sequence

import numpy as np

from . import _validation as v
from .orderbook import Fill, OrderBook

__all__ = [
    "ROLES",
    "MODES",
    "EngineConfig",
    "ADLFill",
    "LiquidationEvent",
    "SimulationResult",
    "Engine",
    "trigger_prices",
    "fund_change",
    "adl_score",
    "cascade_branching_ratio",
    "cascade_total",
    "RecordTable",
    "records_table",
]

ROLES = ("trader", "liquidity_provider", "whale")
MODES = ("cross", "isolated")
_TOL = 1e-12


# ---------------------------------------------------------------- config
@dataclass(frozen=True)
class EngineConfig:
    """Parameters of the venue the engine models (rates are fractions).

    ``tiers``: rows ``(notional cap, mmr)`` or a
    :class:`~liqlearn.tiers.MaintenanceTiers`; when given it replaces ``mmr``
    (the last tier is extended to any notional inside the engine).
    ``taker_fee``: trading fee on orders that take liquidity (makers pay 0);
    ``clearance_fee``: the liquidation (clearance) fee on the liquidated
    notional, paid to the insurance fund; ``insurance_fund``: its opening
    balance.  ``basis_weight``/``basis_cap``: the mark price's smoothing and
    cap; ``resilience``: the fraction of consumed depth refilled per step;
    ``max_rounds``: liquidation rounds per step at most.
    """

    mmr: float = 0.005
    tiers: Any = None
    taker_fee: float = 0.0005
    clearance_fee: float = 0.005
    surplus_to_fund: bool = True
    partial: bool = True
    insurance_fund: float = 0.0
    basis_weight: float = 0.3
    basis_cap: float = 0.05
    resilience: float = 0.2
    max_rounds: int = 50

    def validate(self) -> "EngineConfig":
        """Raise ValueError naming the first bad parameter; return self."""
        v.rate("mmr", self.mmr)
        v.rate("taker_fee", self.taker_fee)
        v.rate("clearance_fee", self.clearance_fee)
        v.nonnegative("insurance_fund", self.insurance_fund)
        v.in_range("basis_weight", self.basis_weight, 0.0, 1.0)
        v.in_range("basis_cap", self.basis_cap, 0.0, 1.0, hi_inclusive=False)
        v.in_range("resilience", self.resilience, 0.0, 1.0)
        if isinstance(self.max_rounds, bool) or not isinstance(self.max_rounds, int) \
                or self.max_rounds < 1:
            raise ValueError(f"max_rounds must be an integer >= 1; got {self.max_rounds!r}")
        return self

    def tier_arrays(self) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """``(floors, caps, rates, amounts)``; the last cap is ``inf`` inside the engine."""
        if self.tiers is None:
            rates = np.array([float(self.mmr)])
            return np.zeros(1), np.array([np.inf]), rates, np.zeros(1)
        from .tiers import MaintenanceTiers

        t = self.tiers if isinstance(self.tiers, MaintenanceTiers) else MaintenanceTiers(self.tiers)
        caps = np.array(t.caps, dtype=float)
        caps[-1] = np.inf
        return (np.array(t.floors, dtype=float), caps, np.array(t.rates, dtype=float),
                np.array(t.amounts, dtype=float))


# ---------------------------------------------------------------- records
@dataclass(frozen=True)
class ADLFill:
    """One opposite position closed by auto-deleveraging, at the bankruptcy price."""

    account: int
    side: str
    quantity: float
    price: float
    realized_pnl: float
    score: float
    socialized_loss: float = 0.0


@dataclass(frozen=True)
class LiquidationEvent:
    """What happened to one liquidated account (quote amounts in USDT).

    ``fund_change = surplus (fee included) - shortfall``; ``fee`` is the
    clearance fee inside it.  ``fill_price`` is the VWAP of the liquidation
    order in the book (``None`` if the limit left it unfilled);
    ``takeover_price`` the VWAP at which the fund unwound the rest.
    """

    step: int
    round: int
    account: int
    role: str
    mode: str
    side: str
    partial: bool
    quantity: float
    trigger_mark: float
    equity: float
    maintenance_margin: float
    bankruptcy_price: float
    fill_quantity: float
    fill_price: float | None
    takeover_quantity: float
    takeover_price: float | None
    adl_quantity: float
    fee: float
    surplus: float
    shortfall: float
    fund_change: float
    fund_after: float
    last_price: float
    adl: tuple[ADLFill, ...] = ()

    @property
    def adl_counterparties(self) -> list[int]:
        """Accounts deleveraged to close this one."""
        return [a.account for a in self.adl]

    def to_dict(self) -> dict[str, Any]:
        """A flat dict for a table (``adl`` becomes the list of counterparties)."""
        d = {f.name: getattr(self, f.name) for f in fields(self) if f.name != "adl"}
        d["adl_counterparties"] = self.adl_counterparties
        return d


class RecordTable:
    """Rows of dicts shown as a table: HTML in a notebook, aligned text in ``print``.

    >>> t = records_table([{"account": 3, "fill_price": 54_197.5, "adl": []}])
    >>> print(t)
    account  fill_price  adl
          3   54,197.50    -
    """

    def __init__(self, rows: list[dict[str, Any]], columns: Sequence[str]):
        self.rows = rows
        self.columns = list(columns)

    def __len__(self) -> int:
        return len(self.rows)

    @staticmethod
    def _cell(key: str, val: Any) -> str:
        if val is None:
            return "-"
        if isinstance(val, (list, tuple)):
            return ", ".join(str(x) for x in val) if val else "-"
        if isinstance(val, (bool, np.bool_)):
            return "yes" if val else "no"
        if isinstance(val, (float, np.floating)):
            if not math.isfinite(val):
                return str(val)
            digits = 4 if ("quantity" in key or key in ("score", "qty")) else 2
            return f"{val:,.{digits}f}"
        return str(val)

    def _cells(self) -> list[list[str]]:
        return [[self._cell(c, r.get(c)) for c in self.columns] for r in self.rows]

    def __str__(self) -> str:
        cells = self._cells()
        widths = [max(len(c), *(len(row[k]) for row in cells)) if cells else len(c)
                  for k, c in enumerate(self.columns)]
        lines = ["  ".join(c.rjust(w) for c, w in zip(self.columns, widths))]
        lines += ["  ".join(x.rjust(w) for x, w in zip(row, widths)) for row in cells]
        return "\n".join(lines)

    __repr__ = __str__

    def _repr_html_(self) -> str:
        import html

        head = "".join(f"<th>{html.escape(c.replace('_', ' '))}</th>" for c in self.columns)
        body = "".join("<tr>" + "".join(f"<td style='text-align:right'>{html.escape(x)}</td>"
                                        for x in row) + "</tr>" for row in self._cells())
        return (f"<table class='liqlearn-records'><thead><tr>{head}</tr></thead>"
                f"<tbody>{body}</tbody></table>")


def records_table(records: Iterable[Any], columns: Sequence[str] | None = None, *,
                  limit: int | None = None) -> RecordTable:
    """A :class:`RecordTable` of dicts, events (:class:`LiquidationEvent`, :class:`ADLFill`)
    or any dataclasses; ``columns`` picks and orders the keys (default: all of the first)."""
    rows = []
    for r in records:
        if isinstance(r, LiquidationEvent):
            r = r.to_dict()
        elif hasattr(r, "__dataclass_fields__"):
            r = asdict(r)
        rows.append(dict(r))
        if limit is not None and len(rows) >= limit:
            break
    cols = list(columns) if columns is not None else (list(rows[0]) if rows else [])
    return RecordTable(rows, cols)


@dataclass
class SimulationResult:
    """A finished run: events, per-step history and the closing ledger."""

    events: list[LiquidationEvent]
    history: dict[str, np.ndarray]
    ledger: dict[str, float]
    accounts: int
    params: dict[str, Any] = field(default_factory=dict)

    def to_records(self) -> list[dict[str, Any]]:
        """One dict per liquidation event (for ``pandas.DataFrame`` or a table)."""
        return [e.to_dict() for e in self.events]

    @property
    def adl_fills(self) -> list[tuple[int, ADLFill]]:
        """``(liquidated account, ADL fill)`` for every deleveraged position."""
        return [(e.account, a) for e in self.events for a in e.adl]

    def table(self, columns: Sequence[str] | None = None, *, limit: int | None = 20,
              ) -> RecordTable:
        """The events as a table (the first ``limit``; ``None`` for all)."""
        cols = columns or ("step", "round", "account", "side", "mode", "partial", "quantity",
                           "trigger_mark", "bankruptcy_price", "fill_price", "fee",
                           "fund_change", "fund_after", "adl_counterparties")
        return records_table(self.events, cols, limit=limit)

    def summary(self) -> dict[str, Any]:
        """The numbers the CLI prints (``--json``)."""
        h = self.history
        full = [e for e in self.events if not e.partial]
        return {
            "accounts": self.accounts,
            "steps": int(len(h["mark"])),
            "liquidations": len(self.events),
            "full_liquidations": len(full),
            "partial_liquidations": len(self.events) - len(full),
            "liquidation_rounds": int(np.sum(h["rounds"])),
            "max_rounds_in_a_step": int(np.max(h["rounds"], initial=0)),
            "adl_events": len(self.adl_fills),
            "adl_quantity": float(sum(e.adl_quantity for e in self.events)),
            "bad_debt": float(sum(e.shortfall for e in self.events)),
            "surplus_to_fund": float(sum(e.surplus for e in self.events)),
            "clearance_fees": float(sum(e.fee for e in self.events)),
            "socialized_loss": float(sum(a.socialized_loss for _, a in self.adl_fills)),
            "liquidated_notional": float(sum(e.quantity * e.trigger_mark for e in self.events)),
            "min_mark": float(np.min(h["mark"])), "min_last": float(np.min(h["last"])),
            "max_mark": float(np.max(h["mark"])), "max_last": float(np.max(h["last"])),
            "ledger": dict(self.ledger),
            "params": dict(self.params),
        }


# ---------------------------------------------------------------- arithmetic
def trigger_prices(sign: np.ndarray, quantity: np.ndarray, entry: np.ndarray,
                   collateral: np.ndarray, floors: np.ndarray, caps: np.ndarray,
                   rates: np.ndarray, amounts: np.ndarray) -> np.ndarray:
    """Liquidation (trigger) prices on the mark basis, vectorised over accounts and tiers.

    For every tier ``n`` solve ``M + s*Q*(P - E) = Q*P*m_n - c_n``:
    ``P_n = (M + c_n - s*Q*E) / (Q*(m_n - s))``, and keep the one whose
    notional ``Q*P_n`` lies in its own bracket ``(floor_n, cap_n]``.  No
    solution: ``0`` for a long (never liquidated), ``inf`` for a short.
    ``quantity`` is the size ``Q > 0``; flat accounts are the caller's business.

    >>> z = np.zeros(1); inf = np.array([np.inf])
    >>> trigger_prices(np.array([1.0]), np.array([1/6]), np.array([60_000.0]),
    ...                np.array([1_000.0]), z, inf, np.array([0.005]), z).round(2)
    array([54271.36])
    """
    s = sign[:, None]
    q = quantity[:, None]
    num = collateral[:, None] + amounts[None, :] - s * q * entry[:, None]
    den = q * (rates[None, :] - s)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        p = num / den
        notional = q * p
    ok = (p > 0) & (notional > floors[None, :]) & (notional <= caps[None, :])
    j = ok.argmax(axis=1)
    out = p[np.arange(len(p)), j]
    none = ~ok[np.arange(len(p)), j]
    if none.any():
        out[none] = np.where(sign[none] > 0, 0.0, np.inf)
    return out


def _position_args(side: str, entry_price: Any, price_name: str, price: Any, quantity: Any,
                   margin: Any) -> tuple:
    """Validated ``(s, scalar, E, P, Q, M)`` of one isolated position and a price."""
    sgn = v.side_sign(side)
    scalar = v.is_scalar(entry_price, price, quantity, margin)
    e = v.positive("entry_price", entry_price)
    p = v.positive(price_name, price)
    q = v.positive("quantity", quantity)
    m = v.nonnegative("margin", margin)
    e, p, q, m = v.broadcast(**{"entry_price": e, price_name: p, "quantity": q, "margin": m})
    return sgn, scalar, e, p, q, m


def fund_change(side: str, entry_price: Any, fill_price: Any, quantity: Any,
                margin: Any) -> Any:
    """What a full liquidation filled at ``v`` adds to the insurance fund.

    The account is closed at its bankruptcy price ``B = E - s*M/Q``; the book
    pays ``v``; the fund receives the difference:
    ``dF = s*Q*(v - B) = M + s*Q*(v - E)`` -- the equity at the fill price.
    Positive: a surplus (clearance fee included); negative: a shortfall the
    fund pays (the trader's negative balance).  Binance, Bybit, BitMEX.

    >>> fund_change("long", 60_000, 54_200, 1/6, 1_000)   # filled 200 above B = 54,000
    33.33333333333337
    >>> round(fund_change("long", 60_000, 53_400, 1/6, 1_000), 2)
    -100.0
    """
    sgn, scalar, e, p, q, m = _position_args(side, entry_price, "fill_price", fill_price,
                                             quantity, margin)
    return v.output(m + sgn * q * (p - e), scalar)


def adl_score(side: str, entry_price: Any, mark_price: Any, quantity: Any, margin: Any) -> Any:
    """Auto-deleveraging rank of a position (BitMEX, Bybit): higher goes first.

    ``PnL% = s*(P - E)/E`` and effective leverage ``L = Q*P / equity`` with
    ``equity = M + s*Q*(P - E)`` (> 0, else ValueError: a bankrupt position
    is liquidated, not deleveraged).  Score ``PnL% * L`` when winning,
    ``PnL% / L`` when losing, so the most profitable, most leveraged
    positions are closed first.

    >>> round(adl_score("short", 60_000, 50_000, 0.5, 750), 4)   # 40x short, price -1/6
    0.7246
    """
    sgn, scalar, e, p, q, m = _position_args(side, entry_price, "mark_price", mark_price,
                                             quantity, margin)
    eq = m + sgn * q * (p - e)
    v.reject_where(eq <= 0, "equity {eq} must be > 0{where}: a bankrupt position is "
                   "liquidated, not deleveraged", [("eq", eq)])
    pnl = sgn * (p - e) / e
    lev = q * p / eq
    return v.output(np.where(pnl > 0, pnl * lev, pnl / lev), scalar)


def cascade_branching_ratio(basis_weight: Any, trigger_density: Any, book_density: Any) -> Any:
    """Liquidations one liquidated unit triggers in the next round: ``R = w*g / (2*rho)``.

    Selling ``q`` into bids of density ``rho`` (base units per unit of price)
    moves the best bid by ``q/rho`` and the mid by ``q/(2*rho)``; the mark
    follows the mid with weight ``w`` (``basis_weight``); positions with
    triggers in that band, ``g`` per unit of price (``trigger_density``), are
    next.  ``R < 1``: the cascade dies out; ``R >= 1``: it runs until the
    triggers thin out or the basis cap stops the mark.

    >>> cascade_branching_ratio(0.5, 0.02, 0.01)
    0.5
    """
    scalar = v.is_scalar(basis_weight, trigger_density, book_density)
    w = v.in_range("basis_weight", basis_weight, 0.0, 1.0)
    g = v.nonnegative("trigger_density", trigger_density)
    rho = v.positive("book_density", book_density)
    w, g, rho = v.broadcast(basis_weight=w, trigger_density=g, book_density=rho)
    return v.output(w * g / (2 * rho), scalar)


def cascade_total(initial_quantity: Any, basis_weight: Any, trigger_density: Any,
                  book_density: Any) -> Any:
    """Total liquidated by a cascade that dies out: ``q0 / (1 - R)`` (``R < 1``).

    Round ``n`` liquidates ``q0 * R**n``; the geometric series sums to
    ``q0 / (1 - R)``.  ``R >= 1``: ValueError (the series diverges: the model
    says the cascade does not stop by itself).

    >>> cascade_total(10.0, 0.5, 0.02, 0.01)
    20.0
    """
    scalar = v.is_scalar(initial_quantity, basis_weight, trigger_density, book_density)
    q0 = v.positive("initial_quantity", initial_quantity)
    r = np.asarray(cascade_branching_ratio(basis_weight, trigger_density, book_density), float)
    q0, r = v.broadcast(initial_quantity=q0, branching_ratio=r)
    v.reject_where(r >= 1, "the branching ratio w*g/(2*rho) = {r} must be < 1{where}: "
                   "at R >= 1 the cascade does not die out", [("r", r)])
    return v.output(q0 / (1 - r), scalar)


# ---------------------------------------------------------------- the engine
class Engine:
    """Accounts, one perpetual, an order book, an insurance fund: see the module docstring.

    Typical use: create the book, ``add_liquidity_providers``, ``deposit``
    traders' money, ``open`` their positions (against the liquidity
    providers, at the index), then ``step(index)`` along a price path (or
    :meth:`run`).  :meth:`ledger` balances at any time.
    """

    def __init__(self, book: OrderBook, index_price: float, config: EngineConfig | None = None):
        if not isinstance(book, OrderBook):
            raise ValueError(f"book must be an OrderBook; got {type(book).__name__}")
        self.config = (config or EngineConfig()).validate()
        self.book = book
        self.index = float(v.positive("index_price", index_price))
        self._floors, self._caps, self._rates, self._amounts = self.config.tier_arrays()
        self._basis = 0.0
        self.mark = self.index
        self.last_price = self._book_price()
        self.fund = float(self.config.insurance_fund)
        self.fund_initial = self.fund
        self.fees = 0.0
        self.deposits = 0.0
        n = 0
        self.qty = np.zeros(n)
        self.entry = np.zeros(n)
        self.wallet = np.zeros(n)
        self.margin = np.zeros(n)
        self.cross = np.zeros(n, dtype=bool)
        self.role = np.zeros(n, dtype=np.int8)
        self._long_trig = np.zeros(n)
        self._short_trig = np.zeros(n)
        self._long_bound = -np.inf  # >= max long trigger
        self._short_bound = np.inf  # <= min short trigger
        self._lp_ids = np.zeros(0, dtype=np.intp)
        self._lp_share = np.zeros(0)
        self._lp_weight = np.zeros(0)
        self._lp_list: list[int] = []
        self._lp_share_list: list[float] = []
        self._adl_cache: dict[float, list] = {}
        self._partial_step: dict[int, int] = {}
        self._dirty: list[int] = []
        self._trades = 0  # counts position changes (cache key for the open interest)
        self._oi_cache: tuple[int, float] | None = None
        self.events: list[LiquidationEvent] = []
        self.step_count = 0
        self._round = 0
        self._hist: dict[str, list[float]] = {k: [] for k in (
            "index", "mark", "last", "mid", "fund", "open_interest", "liquidations", "rounds",
            "shortfall", "surplus", "adl_quantity")}

    # ------------------------------------------------------------ accounts
    @property
    def n_accounts(self) -> int:
        return int(self.qty.size)

    def deposit(self, amounts: Sequence[float] | np.ndarray, *, mode: str = "cross",
                role: str = "trader") -> np.ndarray:
        """New accounts with these deposits (USDT); returns their ids.

        >>> eng = Engine(OrderBook([(99.0, 1.0)], [(101.0, 1.0)]), 100.0)
        >>> eng.deposit([100.0, 250.0], mode="isolated").tolist()
        [0, 1]
        >>> eng.deposit([-5.0])
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
        :meth:`open`.
        """
        ids = self.deposit(deposits, mode="cross", role="liquidity_provider")
        w = np.asarray(deposits, float) if shares is None else v.nonnegative(
            "shares", np.asarray(shares, float))
        if w.shape != ids.shape or w.sum() <= 0:
            raise ValueError("shares must have one entry per liquidity provider and a sum > 0")
        self._lp_ids = np.concatenate([self._lp_ids, ids])
        self._lp_weight = np.concatenate([self._lp_weight, w])
        self._lp_share = self._lp_weight / self._lp_weight.sum()
        self._lp_list = self._lp_ids.tolist()
        self._lp_share_list = self._lp_share.tolist()
        return ids

    def collateral(self, ids: Any = slice(None)) -> np.ndarray:
        """What backs each position: the wallet (cross) or the isolated margin."""
        return np.where(self.cross[ids], self.wallet[ids], self.margin[ids])

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
        if np.unique(ids).size != ids.size or np.any(self.qty[ids] != 0):
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
        trig = trigger_prices(sgn, np.abs(dq), p, coll,
                              self._floors, self._caps, self._rates, self._amounts)
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
        self._update_bounds()

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
        flat = np.abs(q1) <= _TOL * np.maximum(np.abs(q0), np.abs(dq))
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
            flat = abs(q1) <= _TOL * max(abs(q0), abs(dq))
            e1 = 0.0 if flat else (q0 * e0 + dq * price) / q1
        else:
            closed = min(abs(dq), abs(q0))
            realized = closed * (1.0 if q0 > 0 else -1.0) * (price - e0)
            flat = abs(q1) <= _TOL * max(abs(q0), abs(dq))
            e1 = 0.0 if flat else (price if abs(dq) > abs(q0) else e0)
        self.qty[i] = 0.0 if flat else q1
        self.entry[i] = e1
        self.wallet[i] += realized
        if not self.cross[i]:
            self.margin[i] = 0.0 if flat else self.margin[i] + realized
        return realized

    def _lp_trade(self, dq_total: float, price: float) -> None:
        if dq_total != 0.0:
            for j, w in zip(self._lp_list, self._lp_share_list):
                self._trade1(j, dq_total * w, price)

    def trade(self, account: int, side: str, quantity: float) -> Fill:
        """A market order by ``account`` into the book (the liquidity providers fill it).

        Pays ``taker_fee``; what the book cannot fill is dropped.  Use it to
        push the last price (a whale's wick).
        """
        i = self._account(account)
        v.choice("side", side, ("buy", "sell"))
        size = float(v.positive("quantity", quantity))
        fill = self.book._execute(side, size, None, self._ref(), 0.0, True)
        if fill.filled > 0:
            sgn = 1.0 if side == "buy" else -1.0
            fee = self.config.taker_fee * fill.notional
            self.wallet[i] -= fee
            self.fees += fee
            self._trade1(i, sgn * fill.filled, fill.vwap)
            self._lp_trade(-sgn * fill.filled, fill.vwap)
            self.last_price = fill.last_price
            self._refresh(np.concatenate([[i], self._lp_ids]))
        return fill

    def _account(self, account: Any) -> int:
        if isinstance(account, bool) or not isinstance(account, (int, np.integer)) \
                or not 0 <= account < self.n_accounts:
            raise ValueError(f"account must be an id in [0, {self.n_accounts - 1}]; "
                             f"got {account!r}")
        return int(account)

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
                                  self._floors, self._caps, self._rates, self._amounts)
            lt[open_] = np.where(s > 0, trig, -np.inf)
            st[open_] = np.where(s < 0, trig, np.inf)
        self._long_trig[ids] = lt
        self._short_trig[ids] = st
        if lt.size:
            self._long_bound = max(self._long_bound, float(lt.max()))
            self._short_bound = min(self._short_bound, float(st.min()))

    def _flush(self) -> None:
        """Refresh the trigger prices of the accounts a round touched (and the LPs)."""
        if self._dirty:
            self._refresh(np.unique(np.concatenate([np.asarray(self._dirty, dtype=np.intp),
                                                    self._lp_ids])))
            self._dirty = []

    def _update_bounds(self) -> None:
        self._long_bound = float(self._long_trig.max(initial=-np.inf))
        self._short_bound = float(self._short_trig.min(initial=np.inf))

    def _hits(self) -> np.ndarray:
        """Accounts whose margin check fails at the mark (vectorised; O(1) when none can)."""
        p = self.mark
        if self._long_bound < p < self._short_bound:
            return np.zeros(0, dtype=np.intp)
        hit = np.flatnonzero((self._long_trig >= p) | (self._short_trig <= p))
        if hit.size == 0:
            self._update_bounds()
        return hit

    def trigger_prices(self) -> np.ndarray:
        """Every account's liquidation price (0 for a flat account or a long that cannot be
        liquidated, ``inf`` for a short that cannot)."""
        out = np.where(self.qty > 0, self._long_trig, self._short_trig)
        return np.where(self.qty == 0, 0.0, np.where(np.isneginf(out), 0.0, out))

    def margin_status(self, mark: float | None = None) -> dict[str, np.ndarray]:
        """Equity, maintenance margin and margin ratio of every account at the mark.

        The direct form of the check, ``equity <= maintenance margin``; it
        agrees with the comparison against the trigger prices that
        :meth:`step` uses.
        """
        p = self.mark if mark is None else float(v.positive("mark", mark))
        q = np.abs(self.qty)
        n = q * p
        b = np.minimum(np.searchsorted(self._caps, n, side="left"), self._caps.size - 1)
        mm = np.where(q > 0, n * self._rates[b] - self._amounts[b], 0.0)
        eq = self.collateral() + self.qty * (p - self.entry)
        with np.errstate(divide="ignore", invalid="ignore"):
            ratio = np.where(eq > 0, mm / np.where(eq > 0, eq, 1.0), np.inf)
        return {"equity": eq, "maintenance_margin": mm, "margin_ratio": ratio,
                "liquidatable": (q > 0) & (eq <= mm)}

    # ------------------------------------------------------------ prices
    def _book_price(self) -> float:
        try:
            return self.book.mid
        except ValueError:
            return self.last_price

    def _ref(self) -> float:
        return self._book_price()

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
            for i in hits.tolist():
                if self.qty[i] != 0 and self._still_hit(i):
                    self._liquidate(i)
            self._flush()
            self._update_mark()
        new_events = self.events[n_before:]
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
        return new_events

    def _still_hit(self, i: int) -> bool:
        return bool(self._long_trig[i] >= self.mark or self._short_trig[i] <= self.mark)

    def run(self, index_path: Iterable[float],
            hooks: Mapping[int, Callable[["Engine"], None]] | None = None,
            progress: Callable[[int], None] | None = None) -> SimulationResult:
        """Step along ``index_path``; ``hooks[k]`` runs before the check of step ``k``
        (0-based); ``progress(k)`` is called after each step."""
        hooks = hooks or {}
        for k, x in enumerate(index_path):
            self.step(x, hooks.get(k))
            if progress is not None:
                progress(k)
        return self.result()

    def result(self, params: Mapping[str, Any] | None = None) -> SimulationResult:
        """The run so far as a :class:`SimulationResult`."""
        hist = {k: np.asarray(vals, dtype=float) for k, vals in self._hist.items()}
        hist["rounds"] = hist["rounds"].astype(int)
        hist["liquidations"] = hist["liquidations"].astype(int)
        return SimulationResult(list(self.events), hist, self.ledger(),
                                int(np.sum(self.role == 0)), dict(params or {}))

    # ------------------------------------------------------------ liquidation
    def _liquidate(self, i: int) -> None:
        q = float(self.qty[i])
        s = 1.0 if q > 0 else -1.0
        big_q = abs(q)
        e = float(self.entry[i])
        m = float(self.wallet[i] if self.cross[i] else self.margin[i])
        p = self.mark
        notional = big_q * p
        b_idx = min(int(np.searchsorted(self._caps, notional, side="left")), self._caps.size - 1)
        mm = notional * float(self._rates[b_idx]) - float(self._amounts[b_idx])
        eq = m + q * (p - e)
        bankrupt = max(e - s * m / big_q, 0.0)
        side = "sell" if s > 0 else "buy"
        order_side_name = "long" if s > 0 else "short"
        ref = self._ref()
        cfg = self.config
        common = dict(step=self.step_count, round=self._round, account=i,
                      role=ROLES[int(self.role[i])], mode="cross" if self.cross[i] else "isolated",
                      side=order_side_name, trigger_mark=p, equity=eq, maintenance_margin=mm,
                      bankruptcy_price=bankrupt)
        ids = np.array([i])

        target = self._partial_target(i, b_idx, eq, p) if cfg.partial and b_idx > 0 else None
        if target is not None:
            x = big_q - target / p
            self._partial_step[i] = self.step_count
            fill = self.book._execute(side, x, bankrupt if bankrupt > 0 else None, ref, 0.0, True)
            if fill.filled > 0:
                surplus_cap = s * fill.filled * (fill.vwap - bankrupt)
                fee = min(cfg.clearance_fee * fill.notional, max(surplus_cap, 0.0))
                self._trade1(i, -s * fill.filled, fill.vwap)
                self.wallet[i] -= fee
                if not self.cross[i]:
                    self.margin[i] -= fee
                self.fund += fee
                self._lp_trade(s * fill.filled, fill.vwap)
                self.last_price = fill.last_price
                self._dirty.append(i)
                self.events.append(LiquidationEvent(
                    **common, partial=True, quantity=fill.filled, fill_quantity=fill.filled,
                    fill_price=fill.vwap, takeover_quantity=0.0, takeover_price=None,
                    adl_quantity=0.0, fee=fee, surplus=fee, shortfall=0.0, fund_change=fee,
                    fund_after=self.fund, last_price=self.last_price))
                return

        fund0 = self.fund
        # 1. the liquidation order, limit = bankruptcy price
        fill = self.book._execute(side, big_q, bankrupt if bankrupt > 0 else None, ref, 0.0, True)
        q1 = fill.filled
        fee = surplus = 0.0
        touched: list[int] = []
        if q1 > 0:
            surplus = s * q1 * (fill.vwap - bankrupt)
            fee = min(cfg.clearance_fee * fill.notional, max(surplus, 0.0))
            self._lp_trade(s * q1, fill.vwap)
            self.last_price = fill.last_price
            if cfg.surplus_to_fund:
                self._trade1(i, -s * q1, bankrupt)
                self.fund += surplus
            else:
                self._trade1(i, -s * q1, fill.vwap)
                self.wallet[i] -= fee
                if not self.cross[i]:
                    self.margin[i] -= fee
                self.fund += fee
                surplus = fee
        q2 = big_q - q1
        if q2 <= _TOL * big_q:
            q2 = 0.0
            if self.qty[i] != 0:  # round-off remainder of the fill
                self._trade1(i, -float(self.qty[i]), bankrupt)
        shortfall = 0.0
        takeover_q = 0.0
        takeover_p = None
        adl_q = 0.0
        adl: list[ADLFill] = []
        if q2 > 0:
            # 2. the insurance fund takes over at B and unwinds at market
            quote = self.book._execute(side, q2, None, ref, 0.0, False)
            cost = s * q2 * (bankrupt - quote.vwap) if quote.vwap is not None else math.inf
            if quote.complete and cost <= self.fund:
                fill2 = quote
                self.book._commit_quote()  # execute what was quoted, without a second walk
                shortfall = s * q2 * (bankrupt - fill2.vwap)
                self._trade1(i, -s * q2, bankrupt)
                self._lp_trade(s * q2, fill2.vwap)
                self.fund -= shortfall
                self.last_price = fill2.last_price
                takeover_q, takeover_p = q2, fill2.vwap
            else:
                # 3. auto-deleveraging at the bankruptcy price
                adl = self._adl(i, s, q2, bankrupt)
                adl_q = float(sum(a.quantity for a in adl))
                self._trade1(i, -s * adl_q, bankrupt)
                touched += [a.account for a in adl]
        # the account's collateral is spent: clean round-off below zero
        self._settle_bankrupt(i)
        self._dirty.append(i)
        self._dirty.extend(touched)
        self.events.append(LiquidationEvent(
            **common, partial=False, quantity=big_q, fill_quantity=q1,
            fill_price=fill.vwap if q1 > 0 else None, takeover_quantity=takeover_q,
            takeover_price=takeover_p, adl_quantity=adl_q, fee=fee, surplus=surplus,
            shortfall=shortfall, fund_change=self.fund - fund0, fund_after=self.fund,
            last_price=self.last_price, adl=tuple(adl)))

    def _partial_target(self, i: int, b_idx: int, eq: float, p: float) -> float | None:
        """Notional to reduce to, or None for a full liquidation.

        Step down to the cap of the highest lower tier whose maintenance margin
        the equity (less the clearance fee on the part closed) still exceeds,
        valued at the mark.  Only once per account and step: if that did not
        restore the margin (slippage), the next round liquidates in full.
        """
        if self._partial_step.get(i) == self.step_count:
            return None
        q = abs(float(self.qty[i]))
        for k in range(b_idx - 1, -1, -1):
            cap = float(self._caps[k])
            mm_after = cap * float(self._rates[k]) - float(self._amounts[k])
            fee = self.config.clearance_fee * (q * p - cap)
            if eq - fee > mm_after * 1.05:
                return cap
        return None

    def _settle_bankrupt(self, i: int) -> None:
        """Round-off of ``M + s*Q*(B - E) = 0`` can leave -1e-13: move it to the fund."""
        w = float(self.wallet[i])
        if w < 0 and w > -1e-6 * max(1.0, abs(self.fund)):
            self.fund += w
            self.wallet[i] = 0.0
        if not self.cross[i] and self.margin[i] < 0:
            self.margin[i] = 0.0

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
            if need <= _TOL * max(1.0, abs(qa)):
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
                if need <= _TOL * max(1.0, float(cum[-1])):
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


# --------------------------------------------------------------------------
# Registry entries (SymPy is imported here only)
# --------------------------------------------------------------------------


def _formulas() -> list:
    import functools

    import sympy as sp

    from ._registry import Formula
    from .margin import symbols

    S = symbols()
    Q, E, P, M = (S[k] for k in ("quantity", "entry_price", "mark_price", "margin"))
    v_ = sp.Symbol("v", positive=True)
    B = sp.Symbol(r"P_{\mathrm{bkr}}", positive=True)
    dF = sp.Symbol(r"\Delta\mathrm{Fund}")  # F is the funding rate
    w = sp.Symbol("w", nonnegative=True)
    g = sp.Symbol("g", nonnegative=True)
    rho = sp.Symbol(r"\rho", positive=True)
    q0 = sp.Symbol("q_0", positive=True)
    R = sp.Symbol("R", nonnegative=True)
    n = sp.Symbol("n", integer=True, nonnegative=True)
    box = {"entry_price": (1e4, 1e5), "fill_price": (1e4, 1e5), "mark_price": (1e4, 1e5),
           "quantity": (0.01, 2.0), "margin": (100.0, 1e4)}
    out = []
    for side, s in (("long", 1), ("short", -1)):
        bkr = E - s * M / Q
        change = sp.expand(s * Q * (v_ - bkr))
        assert sp.simplify(change - (M + s * Q * (v_ - E))) == 0
        out.append(Formula(
            name=f"fund_change_{side}", expr=change,
            symbols={"entry_price": E, "fill_price": v_, "quantity": Q, "margin": M},
            numeric=functools.partial(fund_change, side),
            example={"entry_price": 60_000.0, "fill_price": 54_200.0 if s == 1 else 65_800.0,
                     "quantity": 1 / 6, "margin": 1_000.0},
            lhs=sp.latex(dF), domain=box,
            description=f"Insurance-fund change when a {side} is liquidated in full and filled "
                        f"at v: the equity at the fill price.",
            convention="Binance, Bybit, BitMEX (closed at the bankruptcy price)",
            steps=(("The account is closed at the bankruptcy price, the book pays v; the fund "
                    "keeps the difference", sp.Eq(dF, s * Q * (v_ - B))),
                   ("The bankruptcy price", sp.Eq(B, bkr)),
                   ("Substitute: the fund receives the equity at the fill price",
                    sp.Eq(dF, change))),
        ))
        pnl = s * (P - E) / E
        eq = M + s * Q * (P - E)
        lev = Q * P / eq
        score = sp.Piecewise((pnl * lev, pnl > 0), (pnl / lev, True))
        out.append(Formula(
            name=f"adl_score_{side}", expr=score,
            symbols={"entry_price": E, "mark_price": P, "quantity": Q, "margin": M},
            numeric=functools.partial(adl_score, side),
            example={"entry_price": 60_000.0, "mark_price": 50_000.0 if s == -1 else 70_000.0,
                     "quantity": 0.5, "margin": 750.0},
            lhs=r"\mathrm{rank}",
            domain={**box, "entry_price": (5e4, 7e4), "mark_price": (5e4, 7e4),
                    "quantity": (0.01, 0.1), "margin": (2e3, 1e4)},
            description=f"ADL ranking of a {side}: PnL% times effective leverage when winning, "
                        f"divided when losing.",
            convention="BitMEX, Bybit",
            steps=(("Profit as a fraction of the entry value",
                    sp.Eq(sp.Symbol(r"\mathrm{PnL\%}"), pnl)),
                   ("Effective leverage: notional at the mark over equity",
                    sp.Eq(sp.Symbol(r"L_{\mathrm{eff}}"), lev)),
                   ("Rank: winners by the product, losers by the quotient",
                    sp.Eq(sp.Symbol(r"\mathrm{rank}"), score))),
        ))
    ratio = w * g / (2 * rho)
    total_conv = q0 / (1 - R)
    cbox = {"basis_weight": (0.0, 1.0), "trigger_density": (0.0, 0.02),
            "book_density": (0.011, 1.0), "initial_quantity": (0.1, 100.0)}
    out += [
        Formula(
            name="cascade_branching_ratio", expr=ratio,
            symbols={"basis_weight": w, "trigger_density": g, "book_density": rho},
            numeric=cascade_branching_ratio,
            example={"basis_weight": 0.5, "trigger_density": 0.02, "book_density": 0.01},
            lhs="R", domain=cbox, convention="model: uniform book, mark = index + smoothed basis",
            description="Quantity liquidated in the next round per unit liquidated now.",
            steps=(("Selling q moves the best bid by q/rho, the mid by half of it",
                    sp.Eq(sp.Symbol(r"\Delta\mathrm{mid}"), sp.Symbol("q") / (2 * rho))),
                   ("The mark follows the mid with weight w",
                    sp.Eq(sp.Symbol(r"\Delta P"), w * sp.Symbol("q") / (2 * rho))),
                   ("Triggers in that band, g per unit of price, liquidate next",
                    sp.Eq(sp.Symbol("q'"), g * w * sp.Symbol("q") / (2 * rho))),
                   ("The branching ratio", sp.Eq(R, ratio))),
        ),
        Formula(
            name="cascade_total", expr=(q0 / (1 - ratio)),
            symbols={"initial_quantity": q0, "basis_weight": w, "trigger_density": g,
                     "book_density": rho},
            numeric=cascade_total,
            example={"initial_quantity": 10.0, "basis_weight": 0.5, "trigger_density": 0.02,
                     "book_density": 0.01},
            lhs=r"q_{\mathrm{total}}", domain=cbox,
            convention="model: uniform book, mark = index + smoothed basis",
            description="Total liquidated by a cascade with branching ratio R < 1.",
            steps=(("Round n liquidates R^n times the first round",
                    sp.Eq(sp.Symbol("q_n"), q0 * R**n)),
                   ("Sum over the rounds (R < 1)",
                    sp.Eq(sp.Symbol(r"q_{\mathrm{total}}"), sp.Sum(q0 * R**n, (n, 0, sp.oo)))),
                   ("The geometric series", sp.Eq(sp.Symbol(r"q_{\mathrm{total}}"), total_conv)),
                   ("With R = w g / (2 rho)",
                    sp.Eq(sp.Symbol(r"q_{\mathrm{total}}"), q0 / (1 - ratio)))),
        ),
    ]
    return out
