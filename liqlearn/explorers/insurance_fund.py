"""Insurance fund explorer: the liquidation engine through a crash, then ADL.

The computation is :func:`compute_insurance_fund`: a seeded population of
isolated-margin traders on :class:`liqlearn.simulation.engine.Engine` (order book
:class:`liqlearn.simulation.orderbook.OrderBook`), run along a crash of the index.
:class:`InsuranceFundExplorer` only wires controls to it.

>>> r = compute_insurance_fund()
>>> r.liquidations > 0, abs(r.ledger["difference"]) < 1e-6 * r.ledger["deposits"]
(True, True)
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..formulas import validation as v
from ..simulation.config import ROLES, EngineConfig
from ..simulation.engine import Engine
from ..simulation.records import LiquidationEvent
from ..simulation.orderbook import OrderBook
from ._base import ControlSpec, Explorer, choice, rounded, slider

__all__ = ["InsuranceFundResult", "compute_insurance_fund", "population", "grid_runs",
           "run_summary",
           "InsuranceFundExplorer", "insurance_fund_explorer"]

P0 = 60_000.0
ACCOUNTS = 40
STEPS = 24
CRASH_START, CRASH_STEPS = 4, 12
LONG_SHARE = 0.7
SEED = 11
LEVELS, TICK, BOOK_DECAY = 300, 10.0, 0.004
ADL_ROWS = 6
SURPLUS_TO = ("trader", "fund")


@functools.lru_cache(maxsize=2)
def population(seed: int = SEED, accounts: int = ACCOUNTS) -> dict[str, np.ndarray]:
    """The seeded traders: deposits (USDT), leverage spread factors and sides (+1/-1).

    Deposits are log-normal around 1,000 USDT; each trader's leverage is the
    typical leverage times a log-normal factor (median 1, about x/÷ 1.8), so
    one control moves the whole mix.
    """
    rng = np.random.default_rng(seed)
    out = {
        "deposit": np.clip(rng.lognormal(np.log(1_000.0), 0.7, accounts), 100.0, 20_000.0),
        "spread": np.exp(0.6 * rng.standard_normal(accounts)),
        "side": np.where(rng.random(accounts) < LONG_SHARE, 1.0, -1.0),
    }
    for arr in out.values():
        arr.setflags(write=False)
    return out


@dataclass(frozen=True)
class InsuranceFundResult:
    """A crash run through the engine: the fund's path, every liquidation, every ADL.

    ``fund`` is the fund balance after each step (``fund_initial`` before the
    first); ``events`` the engine's :class:`~liqlearn.simulation.engine.LiquidationEvent`
    records in order; ``adl`` rows ``(liquidated account, deleveraged account,
    role, side, leverage at entry, quantity, price, realized P&L, rank score)``.
    """

    steps: np.ndarray = field(repr=False)
    index: np.ndarray = field(repr=False)
    mark: np.ndarray = field(repr=False)
    fund: np.ndarray = field(repr=False)
    events: tuple[LiquidationEvent, ...] = field(repr=False)
    adl: tuple[tuple, ...] = field(repr=False)
    ledger: dict[str, float] = field(repr=False)
    fund_initial: float = 0.0
    deposits: float = 0.0
    leverage: float = 0.0
    crash: float = 0.0

    @property
    def liquidations(self) -> int:
        return len(self.events)

    @property
    def surplus(self) -> float:
        """Paid into the fund by fills better than bankruptcy (clearance fees included)."""
        return float(sum(e.surplus for e in self.events))

    @property
    def shortfall(self) -> float:
        """Paid by the fund for fills worse than bankruptcy."""
        return float(sum(e.shortfall for e in self.events))

    @property
    def fund_changes(self) -> np.ndarray:
        return np.array([e.fund_change for e in self.events])

    @property
    def adl_events(self) -> int:
        """Liquidations that needed auto-deleveraging."""
        return sum(1 for e in self.events if e.adl)

    @property
    def first_adl_step(self) -> int | None:
        steps = [e.step for e in self.events if e.adl]
        return min(steps) if steps else None


def compute_insurance_fund(fund: float = 1_000.0, leverage: float = 20.0, crash: float = 0.15,
                           depth: float = 0.3, clearance_fee: float = 0.001,
                           surplus_to: str = "trader", *,
                           seed: int = SEED, accounts: int = ACCOUNTS,
                           steps: int = STEPS) -> InsuranceFundResult:
    """Run the liquidation engine through a crash of ``crash`` (a fraction of 60,000).

    ``accounts`` traders (:func:`population`) open isolated positions at 60,000
    with 98 % of their deposit as margin and leverage ``leverage * factor``
    (clipped to 1.5x-100x); 70 % are long.  One liquidity provider takes the
    other side and owns an exponential book (``depth`` BTC on the best level,
    ``LEVELS`` levels ``TICK`` apart).  The index falls linearly by ``crash``
    over ``CRASH_STEPS`` steps from step ``CRASH_START`` and stays there.  The
    engine (:class:`~liqlearn.simulation.engine.Engine`: mark basis, 0.5 % maintenance,
    no partial liquidation, ``clearance_fee`` to the fund, no taker fee) does
    the rest: liquidation orders with the bankruptcy price as limit, the fund
    taking over what the book cannot fill, auto-deleveraging when it cannot.
    ``surplus_to`` is where the margin left by a fill better than bankruptcy
    goes: ``"fund"`` (Binance, Bybit, BitMEX: the clearance fee is then part of
    it) or ``"trader"`` (Hyperliquid-style: the fund gets only the clearance fee).
    """
    fund0 = float(v.nonnegative("fund", fund))
    lev = float(v.in_range("leverage", leverage, 1.0, 100.0))
    drop = float(v.in_range("crash", crash, 0.0, 0.9))
    d = float(v.positive("depth", depth))
    fee = float(v.rate("clearance_fee", clearance_fee))
    v.choice("surplus_to", surplus_to, SURPLUS_TO)
    pop = population(seed, accounts)
    deposits = pop["deposit"]
    lev_i = np.clip(lev * pop["spread"], 1.5, 100.0)
    book = OrderBook.from_profile(P0, profile="exponential", levels=LEVELS, tick=TICK, depth=d,
                                  decay=BOOK_DECAY)
    eng = Engine(book, P0, EngineConfig(mmr=0.005, taker_fee=0.0, clearance_fee=fee,
                                        insurance_fund=fund0, partial=False,
                                        surplus_to_fund=surplus_to == "fund"))
    eng.add_liquidity_providers([50.0 * float(deposits.sum())])
    ids = eng.deposit(deposits, mode="isolated")
    qty = 0.98 * deposits * lev_i / P0
    eng.open(ids, pop["side"] * qty, leverage=lev_i)
    t = np.arange(steps)
    path = P0 * (1.0 - drop * np.clip((t - CRASH_START + 1) / CRASH_STEPS, 0.0, 1.0))
    run = eng.run(path)
    hist = run.history
    lev_of = dict(zip(ids.tolist(), lev_i.tolist()))
    adl_rows = tuple(
        (liq_acc, a.account, ROLES[int(eng.role[a.account])], a.side, lev_of.get(a.account),
         a.quantity, a.price, a.realized_pnl, a.score)
        for liq_acc, a in run.adl_fills
    )
    return InsuranceFundResult(
        steps=np.arange(steps + 1), index=np.concatenate([[P0], hist["index"]]),
        mark=np.concatenate([[P0], hist["mark"]]), fund=np.concatenate([[fund0], hist["fund"]]),
        events=tuple(run.events), adl=adl_rows, ledger=dict(run.ledger), fund_initial=fund0,
        deposits=float(deposits.sum()), leverage=lev, crash=drop,
    )


#: The static site's grid of engine runs: every opening fund balance x every crash size
#: (the two sliders step through exactly these values; the other controls stay at their
#: defaults there, and a running kernel computes any setting).
GRID_FUND = tuple(float(x) for x in range(0, 10_001, 1_000))
GRID_CRASH = tuple(round(0.025 * k, 3) for k in range(1, 17))
DEFAULTS = {"leverage": 20.0, "depth": 0.3, "clearance_fee": 0.001, "surplus_to": "trader"}


def run_summary(r: InsuranceFundResult) -> dict[str, Any]:
    """What the front end shows of one run: totals exact, per-step paths rounded to cents."""
    return {
        "fund": rounded(r.fund, 2), "index": rounded(r.index, 2),
        "changes": rounded(r.fund_changes, 2) if r.liquidations else [],
        "adl_flags": [int(bool(e.adl)) for e in r.events],
        "adl_steps": sorted({e.step for e in r.events if e.adl}),
        "liquidations": r.liquidations, "surplus": r.surplus, "shortfall": r.shortfall,
        "fund_min": float(r.fund.min()), "fund_end": float(r.fund[-1]),
        "adl_events": r.adl_events, "first_adl_step": r.first_adl_step,
        "adl_count": len(r.adl), "adl_accounts": len({row[1] for row in r.adl}),
        "adl": [[liq, acc, role.replace("_", " "), side, lev, qty, price, pnl, score]
                for liq, acc, role, side, lev, qty, price, pnl, score in r.adl[:ADL_ROWS]],
    }


@functools.lru_cache(maxsize=1)
def grid_runs() -> dict[str, Any]:
    """The engine over ``GRID_FUND`` x ``GRID_CRASH`` (the other controls at ``DEFAULTS``)."""
    runs = {f"{fund:g}|{crash:g}": run_summary(compute_insurance_fund(fund, crash=crash,
                                                                      **DEFAULTS))
            for fund in GRID_FUND for crash in GRID_CRASH}
    return {"fund": GRID_FUND, "crash": GRID_CRASH, "defaults": DEFAULTS, "runs": runs}


class InsuranceFundExplorer(Explorer):
    """The widget view over :func:`compute_insurance_fund` (see :func:`insurance_fund_explorer`).

    The engine runs in Python only: at build time over the grid of fund and
    crash (:func:`grid_runs`, the static site's data), and in a running kernel
    for every change (published in ``live``).
    """

    name = "insurance_fund"
    title = "Insurance fund explorer: a crash, the fund, and auto-deleveraging"
    intro = (f"{ACCOUNTS} traders ({LONG_SHARE:.0%} long) with about 1,000 USDT each; the index "
             f"falls over {CRASH_STEPS} steps. Each liquidation sells at market with the "
             "bankruptcy price as limit; fills better than bankruptcy pay the fund, worse ones "
             "are paid by it; when it cannot pay, winning shorts are deleveraged.")

    def _controls(self) -> list[ControlSpec]:
        fixed = "fixed on the static site (precomputed runs); run the notebook to change it"
        return [
            slider("fund", "Insurance fund (USDT)", 0.0, 10_000.0, 1_000.0, 1_000.0, "money:0"),
            slider("crash", "Crash size", GRID_CRASH[0], GRID_CRASH[-1], 0.025, 0.15, "pct:1"),
            slider("leverage", "Typical leverage", 2.0, 50.0, 1.0, DEFAULTS["leverage"], "x:0",
                   help="each trader's leverage is this times a spread factor",
                   static_fixed=fixed),
            slider("depth", "Book depth, best level (BTC)", 0.05, 2.0, 0.05, DEFAULTS["depth"],
                   "fixed:2", static_fixed=fixed),
            slider("clearance_fee", "Clearance fee", 0.0, 0.005, 0.0001,
                   DEFAULTS["clearance_fee"], "pct:2", static_fixed=fixed,
                   help="on the liquidated notional; at most the maintenance rate (0.5 %)"),
            choice("surplus_to", "Margin left goes to", [(s, s) for s in SURPLUS_TO],
                   DEFAULTS["surplus_to"], static_fixed=fixed,
                   help="trader: the fund gets the clearance fee only (Hyperliquid); "
                        "fund: all of it (Binance, Bybit)"),
        ]

    def compute(self, **values: Any) -> InsuranceFundResult:
        return compute_insurance_fund(**values)

    def _data(self) -> dict[str, Any]:
        return {"accounts": ACCOUNTS, "crash_start": CRASH_START, "crash_steps": CRASH_STEPS,
                "adl_rows": ADL_ROWS, "grid": grid_runs()}

    def _live(self, result: InsuranceFundResult, values: Any) -> dict[str, Any]:
        return {"run": run_summary(result)}


def insurance_fund_explorer(**initial: Any) -> InsuranceFundExplorer:
    """An explorer of the insurance fund and auto-deleveraging through a crash.

    Controls: the fund's opening balance, the traders' typical leverage, the
    crash size, the book's depth, the clearance fee and where the margin left
    after a better-than-bankruptcy fill goes (the trader, or the fund).  Runs the liquidation
    engine (:mod:`liqlearn.simulation.engine`) and shows the fund balance step by step
    with the index, the surplus or shortfall of every liquidation, when
    auto-deleveraging starts, and who was deleveraged.

    Try this:

    * Start with the defaults, then set the fund to 0: the first shortfall
      already needs auto-deleveraging.
    * Make the book deeper (1 BTC on the best level): fills land closer to the
      bankruptcy price, the shortfalls shrink and ADL disappears.
    * Raise the typical leverage to 50x: liquidation and bankruptcy prices sit
      close together, so slippage turns into shortfall.
    * Raise the clearance fee: the fund collects more from each orderly
      liquidation (and the traders keep less). Then send the margin left to
      the fund (Binance, Bybit): the fee no longer matters, the fund takes it all.
    * Shrink the crash to 5 %: half the accounts survive, every liquidation
      fills above its bankruptcy price and the fund only grows.
    """
    return InsuranceFundExplorer(**initial)
