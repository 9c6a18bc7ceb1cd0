"""Mark price explorer: a wick in the last price, and the mark price that ignores it.

The computation is :func:`compute_mark_price` on the public API
(:func:`liqlearn.formulas.prices.mark_price`, :func:`liqlearn.formulas.prices.moving_average_basis`,
:func:`liqlearn.liquidation_price`); :class:`MarkPriceExplorer` only wires
controls to it.  The price path is seeded (:func:`index_path`), so every
setting sees the same market and only the wick and the rules change.

>>> r = compute_mark_price(wick_depth=0.08, wick_seconds=30, window_minutes=2.5, leverage=20)
>>> r.last_trigger is not None, r.mark_trigger is None   # last would liquidate, mark does not
(True, True)
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..formulas import validation as v
from ..formulas.liquidation import bankruptcy_price, liquidation_price
from ..formulas.prices import mark_price, moving_average_basis
from ._base import ControlSpec, Explorer, first_index, slider

__all__ = ["MarkPriceResult", "compute_mark_price", "index_path", "MarkPriceExplorer",
           "mark_price_explorer"]

#: Sampling of the path: one point every 5 seconds (Binance samples the basis
#: every 5 s), three hours long; the wick starts at minute 100.
STEP_SECONDS = 5
MINUTES = 180
WICK_START = 100.0
FUNDING_INTERVAL_H = 8.0
TIME_TO_FUNDING_H = 6.0  # at minute 0
SEED = 7
ENTRY_MINUTE = 0
MMR = 0.005  # flat maintenance rate of the long


@functools.lru_cache(maxsize=4)
def index_path(seed: int = SEED, start: float = 60_000.0, volatility: float = 0.6,
               premium_noise: float = 0.0003) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(minutes, index price, last price before any wick): a seeded market.

    The index is geometric Brownian motion with annual ``volatility``; the
    perpetual's last price trades around it with a small mean-reverting
    premium (AR(1), stationary standard deviation ``premium_noise``).
    """
    n = MINUTES * 60 // STEP_SECONDS + 1
    minutes = np.arange(n) * STEP_SECONDS / 60.0
    rng = np.random.default_rng(seed)
    dt = STEP_SECONDS / (365.0 * 24 * 3600)
    steps = volatility * np.sqrt(dt) * rng.standard_normal(n - 1) - 0.5 * volatility**2 * dt
    index = start * np.exp(np.concatenate([[0.0], np.cumsum(steps)]))
    phi = 0.97
    shocks = premium_noise * np.sqrt(1 - phi**2) * rng.standard_normal(n)
    premium = np.empty(n)
    premium[0] = 0.0
    for k in range(1, n):
        premium[k] = phi * premium[k - 1] + shocks[k]
    last = index * (1.0 + premium)
    for arr in (minutes, index, last):
        arr.setflags(write=False)
    return minutes, index, last


def wick_shape(minutes: np.ndarray, start: float, seconds: float) -> np.ndarray:
    """A V-shaped wick: 0 outside, falling linearly to 1 at mid-wick and back.

    >>> wick_shape(np.array([0.0, 0.25, 0.5, 0.75, 1.0]), 0.0, 60).tolist()
    [0.0, 0.5, 1.0, 0.5, 0.0]
    """
    half = seconds / 120.0
    return np.clip(1.0 - np.abs(minutes - (start + half)) / half, 0.0, 1.0)


@dataclass(frozen=True)
class MarkPriceResult:
    """Index, last and mark price through a wick, and what each trigger would do.

    ``last_trigger`` / ``mark_trigger``: index of the first sample at or beyond
    the liquidation price under that price (``None``: never).  The mid price is
    taken to be the last price (the wick's trades sweep the book).
    """

    minutes: np.ndarray = field(repr=False)
    index: np.ndarray = field(repr=False)
    last: np.ndarray = field(repr=False)
    mark: np.ndarray = field(repr=False)
    basis_average: np.ndarray = field(repr=False)
    entry_price: float = 0.0
    leverage: float = 0.0
    liquidation_price: float = 0.0
    bankruptcy_price: float = 0.0
    wick_depth: float = 0.0
    wick_seconds: float = 0.0
    window_minutes: float = 0.0
    funding_rate: float = 0.0
    last_trigger: int | None = None
    mark_trigger: int | None = None

    @property
    def lowest_last(self) -> float:
        return float(self.last.min())

    @property
    def lowest_mark(self) -> float:
        return float(self.mark.min())

    @property
    def spared(self) -> bool:
        """True when a last-price trigger would liquidate but the mark-price trigger does not."""
        return self.last_trigger is not None and self.mark_trigger is None


def compute_mark_price(wick_depth: float = 0.08, wick_seconds: float = 30.0,
                       window_minutes: float = 2.5, funding_rate: float = 0.0001,
                       leverage: float = 20.0, *, mmr: float = MMR,
                       seed: int = SEED) -> MarkPriceResult:
    """Binance-style mark price through a wick, and a long's liquidation under each trigger.

    ``last = last before the wick * (1 - wick_depth * shape)`` with a V-shaped
    wick of ``wick_seconds`` starting at minute 100 (``wick_shape``).  The
    mark is :func:`liqlearn.formulas.prices.mark_price` with ``basis_average`` the
    :func:`~liqlearn.formulas.prices.moving_average_basis` of (mid - index) over
    ``window_minutes`` (one sample every 5 s; the mid is taken to be the last
    price) and Price1 from ``funding_rate`` (per 8 h interval, 6 h to funding
    at minute 0).  A long opened at minute 0 at the last price with leverage
    ``leverage`` and flat ``mmr`` (mark basis) has liquidation price
    :func:`liqlearn.liquidation_price`; the triggers are the first samples at
    or below it.
    """
    depth = float(v.in_range("wick_depth", wick_depth, 0.0, 0.9))
    seconds = float(v.in_range("wick_seconds", wick_seconds, STEP_SECONDS, 3600.0))
    window = float(v.in_range("window_minutes", window_minutes, STEP_SECONDS / 60.0, 120.0))
    f = float(v.in_range("funding_rate", funding_rate, -0.05, 0.05))
    lev = float(v.positive("leverage", leverage))
    minutes, index, base_last = index_path(seed)
    last = base_last * (1.0 - depth * wick_shape(minutes, WICK_START, seconds))
    points = max(1, int(round(window * 60 / STEP_SECONDS)))
    basis = moving_average_basis(last, index, points)
    ttf = TIME_TO_FUNDING_H - minutes / 60.0
    mark = mark_price(index, last, f, ttf, FUNDING_INTERVAL_H, basis)
    entry = float(last[ENTRY_MINUTE])
    q = 1.0
    margin = q * entry / lev
    liq = liquidation_price("long", entry, q, margin, mmr)
    bkr = bankruptcy_price("long", entry, q, margin)
    return MarkPriceResult(
        minutes=minutes, index=index, last=last, mark=mark, basis_average=basis,
        entry_price=entry, leverage=lev, liquidation_price=liq, bankruptcy_price=bkr,
        wick_depth=depth, wick_seconds=seconds, window_minutes=window, funding_rate=f,
        last_trigger=first_index(last <= liq), mark_trigger=first_index(mark <= liq),
    )


class MarkPriceExplorer(Explorer):
    """The widget view over :func:`compute_mark_price` (see :func:`mark_price_explorer`).

    The seeded market (:func:`index_path`: index and last price, 5-second
    samples) is build-time data; the browser applies the wick, the moving
    average of the basis and the registry's ``mark_price`` and
    ``liquidation_price_long_mark`` live for every control.
    """

    name = "mark_price"
    title = "Mark price explorer: a wick in the last price"
    intro = ("A long opened at minute 0; at minute 100 one burst of selling pushes the last "
             "traded price down for a few seconds. Binance-style mark = median(index with "
             "funding basis, index + moving-average basis, last).")

    def _controls(self) -> list[ControlSpec]:
        return [
            slider("wick_depth", "Wick depth", 0.0, 0.3, 0.005, 0.08, "pct:1"),
            slider("wick_seconds", "Wick length (s)", 5, 600, 5, 30, "int"),
            slider("window_minutes", "Basis window (min)", 0.5, 30.0, 0.5, 2.5, "fixed:1",
                   help="moving average of (mid - index), 5 s samples"),
            slider("funding_rate", "Funding rate (8 h)", -0.003, 0.003, 0.0001, 0.0001, "spct:2"),
            slider("leverage", "Leverage", 1.0, 100.0, 1.0, 20.0, "x:0"),
        ]

    def compute(self, **values: Any) -> MarkPriceResult:
        return compute_mark_price(**values)

    def _data(self) -> dict[str, Any]:
        minutes, index, last = index_path()
        return {"step_seconds": STEP_SECONDS, "minutes_total": MINUTES, "wick_start": WICK_START,
                "funding_interval_h": FUNDING_INTERVAL_H, "time_to_funding_h": TIME_TO_FUNDING_H,
                "entry_index": ENTRY_MINUTE, "mmr": MMR, "index": index, "last": last}


def mark_price_explorer(**initial: Any) -> MarkPriceExplorer:
    """An explorer of index, mark and last price through a wick.

    Controls: wick depth (0-30 %) and length (5 s - 10 min), the window of the
    moving-average basis (0.5-30 min), the last funding rate (-0.3 % to +0.3 %
    per 8 h) and the leverage of a long opened at minute 0.  Shows the three
    prices over three hours and around the wick, the liquidation price, and
    whether a last-price trigger would have liquidated where the mark-price
    trigger does not.

    Try this:

    * At 20x, an 8 % wick of 30 s: the last price crosses the liquidation price,
      the mark barely moves. Lengthen the wick to 5 minutes: now the mark
      follows it down.
    * Shorten the basis window to 0.5 min: the moving average catches the wick
      and the mark dips with it. A longer window smooths more.
    * Set the wick depth to 0: the mark, index and last price stay together.
    * Deepen the wick to 15 % and lower the leverage to 10x: the last price
      still crosses the liquidation price, the mark does not. At 5x neither
      does.
    * Move the funding rate: it shifts Price1 by at most about 0.2 % here,
      small next to a wick.
    """
    return MarkPriceExplorer(**initial)
