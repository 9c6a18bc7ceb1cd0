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
from ..simulation.engine import ROLES, Engine, EngineConfig, LiquidationEvent
from ..simulation.orderbook import OrderBook
from ..plotting import COLORS, price_axis
from ._base import Explorer, label_axes, rectangles, slider, table_html, toggle

__all__ = ["InsuranceFundResult", "compute_insurance_fund", "population",
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


class InsuranceFundExplorer(Explorer):
    """The widget view over :func:`compute_insurance_fund` (see :func:`insurance_fund_explorer`)."""

    title = "Insurance fund explorer: a crash, the fund, and auto-deleveraging"
    intro = (f"{ACCOUNTS} traders ({LONG_SHARE:.0%} long) with about 1,000 USDT each; the index "
             f"falls over {CRASH_STEPS} steps. Each liquidation sells at market with the "
             "bankruptcy price as limit; fills better than bankruptcy pay the fund, worse ones "
             "are paid by it; when it cannot pay, winning shorts are deleveraged.")
    figsize = (8.6, 3.4)

    def _controls(self) -> dict[str, Any]:
        return {
            "fund": slider("Insurance fund (USDT)", 0.0, 10_000.0, 100.0, 1_000.0, ",.0f"),
            "leverage": slider("Typical leverage (x)", 2.0, 50.0, 1.0, 20.0, ".0f",
                               tooltip="each trader's leverage is this times a spread factor"),
            "crash": slider("Crash size", 0.02, 0.4, 0.01, 0.15, ".0%"),
            "depth": slider("Book depth, best level (BTC)", 0.05, 2.0, 0.05, 0.3, ".2f"),
            "clearance_fee": slider("Clearance fee", 0.0, 0.005, 0.0001, 0.001, ".2%",
                                    tooltip="on the liquidated notional; at most the "
                                            "maintenance rate (0.5 %)"),
            "surplus_to": toggle("Margin left goes to", list(SURPLUS_TO), "trader",
                                 tooltip="trader: the fund gets the clearance fee only "
                                         "(Hyperliquid); fund: all of it (Binance, Bybit)"),
        }

    compute_function = staticmethod(compute_insurance_fund)

    def _build(self, figure: Any) -> None:
        from matplotlib.collections import PolyCollection

        ax, ax2 = self._two_panels(figure)
        (self._fund,) = ax.plot([], [], color=COLORS["fund"], lw=2, drawstyle="steps-post",
                                label="insurance fund")
        (self._adl_mark,) = ax.plot([], [], "v", color=COLORS["adl"], ms=7, ls="none",
                                    label="auto-deleveraging")
        ax.axhline(0, color=COLORS["neutral"], lw=0.8)
        label_axes(ax, "step", "fund balance (USDT)", "Insurance fund through the crash")
        price_axis(ax)
        self._crash_span = ax.axvspan(CRASH_START, CRASH_START + CRASH_STEPS,
                                      color=COLORS["neutral"], alpha=0.15, lw=0)
        self._crash_text = ax.text(CRASH_START + CRASH_STEPS / 2, 0.97, "",
                                   transform=ax.get_xaxis_transform(), ha="center", va="top",
                                   fontsize=8)
        ax.legend(loc="center right", fontsize=7.5)

        self._gain = PolyCollection([], facecolors=COLORS["surplus"], edgecolors="none")
        self._loss = PolyCollection([], facecolors=COLORS["shortfall"], edgecolors="none")
        ax2.add_collection(self._gain)
        ax2.add_collection(self._loss)
        (self._adl_bars,) = ax2.plot([], [], "v", color=COLORS["adl"], ms=6, ls="none",
                                     label="needed ADL")
        ax2.axhline(0, color=COLORS["neutral"], lw=0.8)
        label_axes(ax2, "liquidation number (in order)", "to (+) / from (−) the fund (USDT)",
                   "Surplus or shortfall per liquidation")
        price_axis(ax2)
        ax2.legend(loc="lower left", fontsize=7.5)

    def _draw(self, r: InsuranceFundResult) -> None:
        self._fund.set_data(r.steps, r.fund)
        adl_steps = sorted({e.step for e in r.events if e.adl})
        self._adl_mark.set_data(adl_steps, [r.fund[s] for s in adl_steps])
        self._crash_text.set_text(f"index falls {r.crash:.0%}")
        self.ax.set_xlim(0, r.steps[-1])
        top = max(float(r.fund.max()), 1.0)
        self.ax.set_ylim(min(0.0, float(r.fund.min())) - 0.05 * top, 1.18 * top)

        n = r.liquidations
        x = np.arange(1, n + 1, dtype=float)
        ch = r.fund_changes if n else np.zeros(0)
        for coll, sel in ((self._gain, ch > 0), (self._loss, ch < 0)):
            coll.set_verts(rectangles(x[sel] - 0.4, x[sel] + 0.4, 0.0, ch[sel]))
        flagged = [k + 1 for k, e in enumerate(r.events) if e.adl]
        self._adl_bars.set_data(flagged, [0.0] * len(flagged))
        self.ax2.set_xlim(0, max(n, 1) + 1)
        if n:
            lo, hi = min(0.0, float(ch.min())), max(0.0, float(ch.max()))
            pad = 0.08 * max(hi - lo, 1.0)
            self.ax2.set_ylim(lo - pad, hi + pad)
        else:
            self.ax2.set_ylim(-1, 1)

    def _summary(self, r: InsuranceFundResult) -> str:
        first = r.first_adl_step
        rows = [
            ("Liquidations", f"{r.liquidations} of {ACCOUNTS} accounts"),
            ("Into the fund (surplus, fees)", f"{r.surplus:,.2f} USDT"),
            ("Paid by the fund (shortfall)", f"{r.shortfall:,.2f} USDT"),
            ("Fund: start / lowest / end", f"{r.fund_initial:,.0f} / {r.fund.min():,.0f} / "
                                           f"{r.fund[-1]:,.0f} USDT"),
            ("Auto-deleveraging", "none: the fund covered every shortfall" if first is None
             else f"{r.adl_events} liquidations from step {first}: {len(r.adl)} closes against "
                  f"{len({row[1] for row in r.adl})} opposite accounts"),
        ]
        html_out = table_html(rows)
        if r.adl:
            head = ("<tr><th>liquidated</th><th>deleveraged</th><th>role</th><th>side</th>"
                    "<th>leverage</th><th>quantity (BTC)</th><th>at price</th>"
                    "<th>realized P&amp;L</th><th>rank score</th></tr>")
            body = "".join(
                f"<tr><td>#{liq}</td><td>#{acc}</td><td>{role.replace('_', ' ')}</td>"
                f"<td>{side}</td><td>{'' if lev is None else f'{lev:.1f}x'}</td>"
                f"<td>{qty:.4f}</td><td>{price:,.2f}</td><td>{pnl:,.2f}</td>"
                f"<td>{score:.3f}</td></tr>"
                for liq, acc, role, side, lev, qty, price, pnl, score in r.adl[:ADL_ROWS])
            more = (f"<caption style='caption-side:bottom;text-align:left'>first {ADL_ROWS} of "
                    f"{len(r.adl)}</caption>") if len(r.adl) > ADL_ROWS else ""
            html_out += ("<div style='font-weight:600;margin-top:4px'>Who was deleveraged "
                         "(ranked by PnL% × effective leverage)</div>"
                         "<table style='border-collapse:collapse;font-size:0.85em;"
                         f"text-align:right'>{more}{head}{body}</table>")
        return html_out


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
