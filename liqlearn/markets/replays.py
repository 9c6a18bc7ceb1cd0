"""Stylised replays of the three events in :mod:`liqlearn.markets.events`, run on the engine.

A replay is not a reconstruction: nobody outside the venues knows the positions, and the
venues do not publish their books.  It is a small market (a few hundred traders, one
perpetual, an order book owned by three liquidity providers, an insurance fund) put
through a price path *calibrated to the published move*:

* **size and speed** come from the event's figures (:func:`calibration` reads them:
  the fall of each leg from the published prices, the minutes each leg took);
* **book depth** is an assumption, stated as one number: the bids resting within 10 % of
  the mid, as a multiple of the traders' long open interest -- and, for October 2025, a
  gap with no bids near the mid, as Kaiko describes the books that day;
* the **insurance fund** and who keeps a liquidation's surplus follow the venue
  (BitMEX keeps it in its fund; Hyperliquid returns remaining margin, and the liquidator
  vault's capital is capped at a small share).

The engine then decides what happens.  :func:`outcome` splits the liquidated quantity by
the step of the waterfall that closed it -- the order book, the insurance fund's takeover,
auto-deleveraging -- and names the *deciding mechanism*: the last step that closed at least
a tenth of it.

>>> r = replay("2021-05-19")
>>> r.mechanism == r.calibration.expected, abs(r.result.ledger["difference"]) < 1e-6
(True, True)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from ..simulation.config import EngineConfig
from ..simulation.engine import Engine
from ..simulation.records import SimulationResult
from ..simulation.orderbook import OrderBook
from ..simulation.scenarios import open_population
from . import events as ev

__all__ = ["Leg", "Calibration", "Outcome", "Replay", "LAYERS", "DECIDING_SHARE",
           "calibration", "build", "replay", "outcome", "fund_drawdown"]

#: The waterfall's steps in order; a replay's outcome names one of them.
LAYERS = ("order book", "insurance fund", "auto-deleveraging")

#: A step decides when it closed at least this share of the liquidated quantity.
DECIDING_SHARE = 0.10

P0 = 60_000.0
_LEVERAGES = np.array([2, 3, 5, 10, 20, 25, 50, 100], dtype=float)


@dataclass(frozen=True)
class Leg:
    """One leg of the index path: a relative ``move`` (``-0.22`` = a 22 % fall) spread
    evenly over ``steps`` steps, then ``hold`` steps without a move."""

    move: float
    steps: int
    hold: int = 0


@dataclass(frozen=True)
class Calibration:
    """Event -> replay parameters; ``basis`` says where each number comes from."""

    event: str
    legs: tuple[Leg, ...]
    minutes_per_step: float
    long_share: float
    leverage_weights: tuple[float, ...]
    depth_ratio: float
    bid_gap: float
    fund_share: float
    surplus_to_fund: bool
    partial: bool
    resilience: float
    expected: str
    basis: tuple[str, ...]

    @property
    def steps(self) -> int:
        return sum(leg.steps + leg.hold for leg in self.legs)

    @property
    def trough(self) -> float:
        """The lowest index level of the path, as a fraction of the start."""
        level, low = 1.0, 1.0
        for leg in self.legs:
            level *= 1 + leg.move
            low = min(low, level)
        return low

    def index_path(self) -> np.ndarray:
        """The index, one value per step, starting from ``P0`` (60,000)."""
        out, level = [], P0
        for leg in self.legs:
            start = level
            for k in range(1, leg.steps + 1):
                out.append(start * (1 + leg.move * k / leg.steps))
            level = start * (1 + leg.move)
            out += [level] * leg.hold
        return np.array(out)


def _steps(minutes: float, per_step: float) -> int:
    return max(1, int(round(minutes / per_step)))


def _fund_for_drawdown(cal: Calibration, target: float, seed: int, accounts: int) -> float:
    """The fund (as a share of deposits) whose largest fall is ``target`` of its peak.

    Without auto-deleveraging the fund's path is its opening balance plus the same
    cumulative surpluses and shortfalls whatever that balance is, so one probe run with a
    fund too large to run dry gives the path, and the balance follows by bisection.
    """
    import dataclasses

    probe = dataclasses.replace(cal, fund_share=1_000.0)
    eng, _ = _build(probe, seed, accounts)
    opening = eng.fund
    deposits = opening / probe.fund_share          # the traders' deposits
    path = eng.run(probe.index_path()).history["fund"] - opening
    path = np.concatenate([[0.0], path])
    peak = np.maximum.accumulate(path)
    fall = float((peak - path).max())
    if fall <= 0:
        raise ValueError("the probe run never drew on the fund: no drawdown to match")

    def dd(fund: float) -> float:
        return float(((peak - path) / (fund + peak)).max())

    lo, hi = fall / 1e6, fall * 1e6
    for _ in range(200):
        mid = (lo * hi) ** 0.5
        lo, hi = (mid, hi) if dd(mid) > target else (lo, mid)
    return hi / deposits


def calibration(event: str, *, seed: int = 0, accounts: int = 300) -> Calibration:
    """The replay parameters of ``event``, computed from its published figures."""
    import dataclasses

    e = ev.get(event)
    if event == "2020-03-12":
        per = 2.0
        high, leg1_low = e.figure("btc_high").mid, e.figure("leg1_low").mid
        leg2_start, low = e.figure("leg2_start").value, e.figure("btc_low").mid
        cal = Calibration(
            event, (Leg(leg1_low / high - 1, _steps(e.figure("leg1_minutes").value, per),
                        hold=20),
                    Leg(low / leg2_start - 1, _steps(e.figure("leg2_minutes").value, per),
                        hold=20)),
            per, long_share=0.75,
            leverage_weights=(0.05, 0.05, 0.15, 0.25, 0.2, 0.1, 0.1, 0.1),
            depth_ratio=1.0, bid_gap=0.0, fund_share=1.0, surplus_to_fund=True,
            partial=True, resilience=0.15, expected="insurance fund",
            basis=("legs: the published prices and minutes of each leg (BTCMEX, LedgerPrime)",
                   "the 12-hour pause between the legs is shortened to 40 minutes",
                   "BitMEX keeps the surplus of a liquidation in its fund",
                   "the fund is sized so that its largest fall is the published share: "
                   "2,606 BTC of 35,000-36,493 BTC",
                   "assumed: bids within 10 % hold 1x the longs' open interest, refilled "
                   "slowly (liquidity providers withdrew)"))
        target = e.figure("fund_largest_fall").value / e.figure("fund_size").mid
        return dataclasses.replace(
            cal, fund_share=_fund_for_drawdown(cal, target, seed, accounts))
    if event == "2021-05-19":
        minutes = e.figure("round_trip_hours").value * 60
        per = minutes / 200                       # the most steps a replay may take
        fall = -e.figure("btc_fall").mid
        half = _steps(minutes / 2, per)
        return Calibration(
            event, (Leg(fall, half), Leg(-fall / 2 / (1 + fall), half)), per,
            long_share=0.70, leverage_weights=(0.1, 0.1, 0.2, 0.3, 0.15, 0.1, 0.03, 0.02),
            depth_ratio=4.0, bid_gap=0.0, fund_share=0.05, surplus_to_fund=True,
            partial=True, resilience=0.3, expected="order book",
            basis=("legs: the middle of the published 24-hour fall (27-31 %) over half of the "
                   "14-hour round trip, then half of it back",
                   "assumed: bids within 10 % hold 4x the longs' open interest, refilled "
                   "between the waves",
                   "a fund of 5 % of deposits; the venue keeps the surplus"))
    if event == "2025-10-10":
        per = 1.0
        fall = -e.figure("average_decline").mid
        backstop = e.figure("hlp_backstop_minutes").value
        return Calibration(
            event, (Leg(fall, _steps(backstop, per),
                        hold=_steps(e.figure("cascade_minutes").value - backstop, per)),),
            per, long_share=0.85, leverage_weights=(0.05, 0.1, 0.2, 0.25, 0.2, 0.1, 0.05, 0.05),
            depth_ratio=0.5, bid_gap=e.figure("bid_bands").low, fund_share=0.002,
            surplus_to_fund=False,
            partial=False, resilience=0.05, expected="auto-deleveraging",
            basis=("legs: the middle of the published average decline (47-63 %) over the 20 "
                   "minutes of HLP's backstop liquidations, then the rest of the 40-minute "
                   "cascade",
                   "no bids within 4 % of the mid: books 'appeared empty' and only the 4 % and "
                   "10 % bands held bids (Kaiko); assumed 0.5x the longs' open interest "
                   "within 10 %",
                   "Hyperliquid returns remaining margin (no surplus to a fund) and liquidates "
                   "whole positions; its liquidator vault is capped: assumed a fund of 0.2 % "
                   "of deposits"))
    raise ValueError(f"event must be one of {', '.join(ev.EVENTS)}; got {event!r}")


def _book(cal: Calibration, long_oi: float) -> OrderBook:
    tick = P0 * 0.001
    first = max(1, int(round(cal.bid_gap / 0.001)))
    k = np.arange(first, 400)
    near = k[k <= 100].size                      # levels within 10 % of the mid
    q = cal.depth_ratio * long_oi / max(near, 1)
    bids = np.column_stack([P0 - k * tick, np.full(k.size, q)])
    asks = np.column_stack([P0 + k * tick, np.full(k.size, q)])
    return OrderBook(bids, asks)


def _check(seed: Any, accounts: Any) -> tuple[int, int]:
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise ValueError(f"seed must be an integer >= 0; got {seed!r}")
    if isinstance(accounts, bool) or not isinstance(accounts, (int, np.integer)) \
            or not 10 <= accounts <= 5_000:
        raise ValueError(f"accounts must be an integer in [10, 5000]; got {accounts!r}")
    return int(seed), int(accounts)


def _build(cal: Calibration, seed: int, n: int) -> tuple[Engine, Calibration]:
    rng = np.random.default_rng(seed)
    deposits = np.clip(rng.lognormal(np.log(1_000.0), 0.8, n), 50.0, 20_000.0)
    lev = rng.choice(_LEVERAGES, size=n, p=np.asarray(cal.leverage_weights))
    sides = np.where(rng.random(n) < cal.long_share, 1.0, -1.0)
    isolated = rng.random(n) < 0.4
    entry = P0 * np.exp(rng.normal(0.0, 0.01, n))
    # an entry already past half the margin would have been liquidated before the event
    entry = np.where(sides * (P0 - entry) / entry < -0.5 / lev, P0, entry)
    taker = 0.0005
    qty = deposits * lev / entry / (1 + taker * lev)
    long_oi = float(qty[sides > 0].sum())
    config = EngineConfig(mmr=0.005, taker_fee=taker, clearance_fee=0.005,
                          surplus_to_fund=cal.surplus_to_fund, partial=cal.partial,
                          insurance_fund=cal.fund_share * float(deposits.sum()),
                          basis_weight=0.3, basis_cap=0.02, resilience=cal.resilience)
    eng = Engine(_book(cal, long_oi), P0, config)
    total = float(deposits.sum())
    eng.add_liquidity_providers([20.0 * total, 15.0 * total, 10.0 * total])
    open_population(eng, deposits, sides * qty, lev, entry, isolated)
    return eng, cal


def build(event: str, *, seed: int = 0, accounts: int = 300,
          **overrides: Any) -> tuple[Engine, Calibration]:
    """The engine of a replay with its traders in place (not yet run).

    ``overrides`` replace fields of the :class:`Calibration` (``depth_ratio=2.0``,
    ``fund_share=0.01``, ...) to ask what a different market would have done.
    """
    import dataclasses

    seed, n = _check(seed, accounts)
    cal = calibration(event, seed=seed, accounts=n)
    allowed = {f.name for f in dataclasses.fields(Calibration)} - {"event", "expected", "basis"}
    unknown = sorted(set(overrides) - allowed)
    if unknown:
        raise ValueError(f"unknown override {unknown[0]!r}; allowed: {', '.join(sorted(allowed))}")
    if overrides:
        cal = dataclasses.replace(cal, **overrides)
    return _build(cal, seed, n)


@dataclass(frozen=True)
class Outcome:
    """Where the liquidated quantity went, by step of the waterfall (BTC)."""

    liquidated: float
    order_book: float
    insurance_fund: float
    auto_deleveraging: float

    def shares(self) -> dict[str, float]:
        if self.liquidated <= 0:
            return {layer: 0.0 for layer in LAYERS}
        return {"order book": self.order_book / self.liquidated,
                "insurance fund": self.insurance_fund / self.liquidated,
                "auto-deleveraging": self.auto_deleveraging / self.liquidated}

    @property
    def mechanism(self) -> str:
        """The last step of the waterfall that closed at least ``DECIDING_SHARE``."""
        shares = self.shares()
        needed = [layer for layer in LAYERS if shares[layer] >= DECIDING_SHARE]
        return needed[-1] if needed else "none"


def outcome(result: SimulationResult) -> Outcome:
    """Split a run's liquidations by the step that closed them."""
    es = result.events
    return Outcome(liquidated=float(sum(e.quantity for e in es)),
                   order_book=float(sum(e.fill_quantity for e in es)),
                   insurance_fund=float(sum(e.takeover_quantity for e in es)),
                   auto_deleveraging=float(sum(e.adl_quantity for e in es)))


def fund_drawdown(result: SimulationResult, opening: float) -> float:
    """The fund's largest fall from its running peak, as a fraction of that peak."""
    fund = np.concatenate([[opening], result.history["fund"]])
    peak = np.maximum.accumulate(fund)
    with np.errstate(divide="ignore", invalid="ignore"):
        dd = np.where(peak > 0, (peak - fund) / peak, 0.0)
    return float(dd.max())


@dataclass
class Replay:
    """A finished replay: the calibration, the engine's result and its outcome."""

    event: str
    calibration: Calibration
    result: SimulationResult
    outcome: Outcome
    fund_opening: float

    @property
    def mechanism(self) -> str:
        return self.outcome.mechanism

    def summary(self) -> dict[str, Any]:
        """The numbers the chapter quotes."""
        s = self.result.summary()
        sh = self.outcome.shares()
        return {"event": self.event, "trough": self.calibration.trough,
                "minutes": self.calibration.steps * self.calibration.minutes_per_step,
                "liquidations": s["liquidations"], "liquidated_btc": self.outcome.liquidated,
                "share_book": sh["order book"], "share_fund": sh["insurance fund"],
                "share_adl": sh["auto-deleveraging"], "bad_debt": s["bad_debt"],
                "fund_opening": self.fund_opening, "fund_closing": float(self.result.ledger["insurance_fund"]),
                "fund_drawdown": fund_drawdown(self.result, self.fund_opening),
                "adl_events": s["adl_events"], "mechanism": self.mechanism}


def replay(event: str, *, seed: int = 0, accounts: int = 300, **overrides: Any) -> Replay:
    """Build and run the replay of ``event`` (deterministic for a given seed and size);
    ``overrides`` as in :func:`build`."""
    eng, cal = build(event, seed=seed, accounts=accounts, **overrides)
    opening = eng.fund
    result = eng.run(cal.index_path())
    return Replay(event, cal, result, outcome(result), opening)
