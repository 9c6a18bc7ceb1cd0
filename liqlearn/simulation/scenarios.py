"""Seeded market scenarios for the liquidation engine.

Five stories, each a price path for the index plus a population of traders,
liquidity providers and (for the wick) a whale:

``flash-crash``  the index falls 15 % in twenty steps and half recovers: a burst of
                 liquidations the book mostly absorbs at better than bankruptcy.
``wick``         a whale's market sell knocks the *last* price down about 8 %
                 for one step; the mark (index plus a smoothed, capped basis)
                 barely moves, so almost nobody is liquidated.
``grind``        a slow 25 % decline with noise: liquidations spread over time,
                 the insurance fund grows from their surpluses.
``gap``          the index jumps 20 % down in one step, through many bankruptcy
                 prices: the liquidation orders cannot fill at their limit, the
                 fund takes them over and pays the shortfall until it runs dry,
                 then auto-deleveraging closes winning shorts.
``cascade``      a 2 % drop into a thin, slow-to-refill book: liquidation sells
                 push the mid down, the basis drags the mark after it, and each
                 round triggers the next; the mark ends far below the index.

Everything random comes from ``numpy.random.default_rng(seed)``: the same
name, seed, size and overrides give the same result.

>>> r = run_scenario("flash-crash", seed=1, accounts=100, steps=80)
>>> s = r.summary()
>>> s["liquidations"] > 0, abs(s["ledger"]["difference"]) < 1e-6 * s["ledger"]["deposits"]
(True, True)
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any, Callable

import numpy as np

from ..formulas import validation as v
from .config import EngineConfig
from .engine import Engine
from .records import SimulationResult
from .orderbook import OrderBook

__all__ = ["SCENARIOS", "Setup", "build_scenario", "run_scenario", "open_population",
           "DEFAULT_TIERS"]

P0 = 60_000.0

#: Illustrative tiers, the shape of Binance's BTCUSDT brackets (dated, not current).
DEFAULT_TIERS = ((50_000, 0.004), (250_000, 0.005), (1_000_000, 0.01), (5_000_000, 0.025),
                 (float("inf"), 0.05))

SCENARIOS: dict[str, str] = {
    "flash-crash": "index falls 15 % in twenty steps, then half recovers",
    "wick": "a whale's sell spikes the last price down; the mark barely moves",
    "grind": "a slow 25 % decline with noise",
    "gap": "the index gaps 20 % down in one step: the fund pays, then ADL",
    "cascade": "a 2 % drop into a thin book: liquidations push the mark, round after round",
}


@dataclass
class Setup:
    """A scenario ready to run: ``engine.run(index_path, hooks)``."""

    name: str
    seed: int
    engine: Engine
    index_path: np.ndarray
    hooks: dict[int, Callable[[Engine], None]]
    params: dict[str, Any]

    def run(self, progress: Callable[[int], None] | None = None) -> SimulationResult:
        self.engine.run(self.index_path, self.hooks, progress)
        return self.engine.result(self.params)


# scenario -> (engine config, book profile, population) knobs
_KNOBS: dict[str, dict[str, Any]] = {
    "flash-crash": dict(long_share=0.65, fund=0.02, profile="exponential", depth=0.3,
                        decay=0.003, resilience=0.3, basis_weight=0.3, basis_cap=0.02),
    "wick": dict(long_share=0.6, fund=0.02, profile="flat", depth=0.1, decay=0.0,
                 resilience=0.6, basis_weight=0.1, basis_cap=0.005),
    "grind": dict(long_share=0.6, fund=0.02, profile="exponential", depth=0.3, decay=0.003,
                  resilience=0.3, basis_weight=0.3, basis_cap=0.02),
    "gap": dict(long_share=0.7, fund=0.002, profile="exponential", depth=0.3, decay=0.003,
                resilience=0.3, basis_weight=0.3, basis_cap=0.02),
    "cascade": dict(long_share=0.8, fund=0.05, profile="thin", depth=0.15, decay=0.0,
                    resilience=0.01, basis_weight=0.5, basis_cap=0.15),
}

_LEVERAGES = np.array([2, 3, 5, 10, 20, 25, 50, 75, 100], dtype=float)
_LEV_P = np.array([0.08, 0.1, 0.16, 0.24, 0.16, 0.12, 0.08, 0.04, 0.02])


def _index_path(name: str, steps: int, rng: np.random.Generator) -> np.ndarray:
    t = np.arange(steps)
    noise = np.exp(np.cumsum(rng.normal(0.0, 0.0008, steps)))
    if name == "flash-crash":
        k0 = max(1, steps // 5)
        drop = np.clip((t - k0) / 20.0, 0.0, 1.0)
        recover = np.clip((t - k0 - 20) / 30.0, 0.0, 1.0)
        level = 1 - 0.15 * drop + 0.075 * recover
    elif name == "wick":
        level = np.ones(steps)
    elif name == "grind":
        level = 1 - 0.25 * t / max(steps - 1, 1)
        noise = np.exp(np.cumsum(rng.normal(0.0, 0.002, steps)))
    elif name == "gap":
        level = np.where(t >= max(1, steps // 3), 0.80, 1.0)
    else:  # cascade
        level = 1 - 0.02 * np.clip(t / 5.0, 0.0, 1.0)
        noise = np.exp(np.cumsum(rng.normal(0.0, 0.0003, steps)))
    return P0 * level * noise


def build_scenario(name: str, *, seed: int = 0, accounts: int = 200, steps: int = 200,
                   **overrides: Any) -> Setup:
    """Build the engine, population and price path of a scenario (not yet run).

    ``accounts`` traders (plus three liquidity providers and, for the wick,
    one whale); ``steps`` index steps.  ``overrides`` replace fields of
    :class:`~liqlearn.simulation.config.EngineConfig` (e.g. ``insurance_fund=0``,
    ``partial=False``, ``surplus_to_fund=False``, ``resilience=0.5``).

    Population: deposits log-normal around 1,000 USDT (2 % of traders are
    fifty times larger), leverage from 2x to 100x (most at 5-25x), 40 %
    isolated margin; the book's depth scales with the number of traders so
    the story is the same at any size.
    """
    v.choice("name", name, tuple(SCENARIOS))
    seed = _int("seed", seed, 0)
    n = _int("accounts", accounts, 1)
    steps = _int("steps", steps, 1)
    allowed = {f.name for f in fields(EngineConfig)}
    unknown = sorted(set(overrides) - allowed)
    if unknown:
        raise ValueError(f"unknown override {unknown[0]!r}; allowed: {', '.join(sorted(allowed))}")
    knobs = _KNOBS[name]
    rng = np.random.default_rng(seed)

    deposits = np.clip(rng.lognormal(np.log(1_000.0), 0.8, n), 50.0, 50_000.0)
    big = rng.random(n) < 0.02
    deposits[big] *= 50.0
    lev = rng.choice(_LEVERAGES, size=n, p=_LEV_P)
    caps = np.array([c for c, _ in DEFAULT_TIERS])
    rates = np.array([m for _, m in DEFAULT_TIERS])
    for _ in range(4):  # the venue's leverage limit: margin at least twice the tier's rate
        rate = rates[np.minimum(np.searchsorted(caps, deposits * lev), rates.size - 1)]
        lev = np.minimum(lev, 1.0 / (2.0 * rate))
    sides = np.where(rng.random(n) < knobs["long_share"], 1.0, -1.0)
    isolated = rng.random(n) < 0.4
    total = float(deposits.sum())

    cfg = dict(mmr=0.005, tiers=DEFAULT_TIERS, taker_fee=0.0005, clearance_fee=0.005,
               insurance_fund=knobs["fund"] * total, basis_weight=knobs["basis_weight"],
               basis_cap=knobs["basis_cap"], resilience=knobs["resilience"])
    cfg.update(overrides)
    config = EngineConfig(**cfg)
    book = OrderBook.from_profile(P0, profile=knobs["profile"], levels=600, tick=10.0,
                                  depth=knobs["depth"] * n / 100.0, decay=knobs["decay"],
                                  noise=0.3, seed=int(rng.integers(2**31)))
    eng = Engine(book, P0, config)
    eng.add_liquidity_providers([20.0 * total, 15.0 * total, 10.0 * total])

    # quantity from leverage; keep clear of instant liquidation and the fee
    # entries spread over the recent past (about 1.5 %), but never already past the
    # maintenance margin at today's price: such a trader would have been liquidated before
    entry = P0 * np.exp(rng.normal(0.0, 0.015, n))
    room = 1.0 / lev - 2.0 * 0.005 * (1 + (lev > 20))
    entry = np.where(sides * (P0 - entry) / entry < -0.5 * room, P0, entry)
    qty = deposits * lev / entry / (1 + config.taker_fee * lev)
    open_population(eng, deposits, sides * qty, lev, entry, isolated)

    path = _index_path(name, steps, rng)
    hooks: dict[int, Callable[[Engine], None]] = {}
    if name == "wick":
        bid_depth = eng.book.depth("bid", within=0.08)
        size = 0.95 * bid_depth
        # a well-funded whale (about 2x leverage after its sell): it is not liquidated itself
        whale = eng.deposit([0.5 * size * P0], mode="cross", role="whale")[0]

        def wick(e: Engine, whale: int = int(whale), size: float = size) -> None:
            e.trade(whale, "sell", size)

        hooks[steps // 2] = wick
    params = {"scenario": name, "seed": seed, "accounts": n, "steps": steps,
              **{k: (list(map(list, val)) if k == "tiers" and val is not None else val)
                 for k, val in cfg.items()}}
    return Setup(name, seed, eng, path, hooks, params)


def open_population(engine: Engine, deposits: np.ndarray, quantity: np.ndarray,
                    leverage: np.ndarray, entry: np.ndarray, isolated: np.ndarray) -> None:
    """Deposit and open one position per trader: signed ``quantity`` at ``entry``.

    Isolated traders post ``|quantity| * entry / leverage`` (a hair above, so rounding
    never leaves them short of it); cross traders back the position with the whole
    deposit.  Accounts are created isolated first, then cross.
    """
    iso_ids = engine.deposit(deposits[isolated], mode="isolated")
    cross_ids = engine.deposit(deposits[~isolated], mode="cross")
    if iso_ids.size:
        engine.open(iso_ids, quantity[isolated], leverage=leverage[isolated] * 1.0001,
                    price=entry[isolated])
    if cross_ids.size:
        engine.open(cross_ids, quantity[~isolated], price=entry[~isolated])


def run_scenario(name: str, *, seed: int = 0, accounts: int = 200, steps: int = 200,
                 progress: Callable[[int], None] | None = None,
                 **overrides: Any) -> SimulationResult:
    """Build and run a scenario; see :func:`build_scenario` for the arguments."""
    return build_scenario(name, seed=seed, accounts=accounts, steps=steps,
                          **overrides).run(progress)


def _int(name: str, value: Any, lo: int) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < lo:
        raise ValueError(f"{name} must be an integer >= {lo}; got {value!r}")
    return int(value)
