"""How often did real prices touch a liquidation price? Frequencies, intervals, GBM.

A position opened at a candle's open with leverage ``L`` (margin ``Q*E/L``, a flat
maintenance-margin rate) has its liquidation price from
``liqlearn.liquidation_price``.  It is *touched* within a horizon of ``H``
candles if the lowest low (a long) or the highest high (a short) of those
candles reaches it.  Counting touches over windows of real candles gives a
realised frequency; its Wilson interval says how much that frequency can be
trusted; :func:`gbm_touch_probability` is the geometric-Brownian-motion answer
(``liqlearn.liquidation_probability``) at a volatility measured per candle.

Windows start every ``step`` candles (default: ``step = horizon``, so windows do
not overlap and no candle is counted twice).  Time is measured in candles:
a volatility is per square-root candle and a horizon is a number of candles.

Two hand-made candles, a 10x long opened at 100 (liquidated at 90.45 with a
0.5 % rate): the first candle's low 95 does not reach it, the second's 90 does.

>>> from liqlearn.markets.history import Candles
>>> c = Candles(name="toy", interval="day", time=np.array(["2024-01-01", "2024-01-02"],
...             dtype="datetime64[s]"), open=[100.0, 100.0], high=[101.0, 100.0],
...             low=[95.0, 90.0], close=[100.0, 95.0])
>>> touch_frequency(c, "long", 10, horizon=1)
TouchCount(long 10x over 1 candle(s): 1 of 2 = 0.5, 95% interval 0.095 to 0.905)
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy.special import ndtri

from ..formulas import validation as v
from .history import Candles

__all__ = [
    "TouchCount",
    "wilson_interval",
    "window_starts",
    "touch_frequency",
    "realised_volatility",
    "log_drift",
    "gbm_touch_probability",
    "gbm_candles",
]


def wilson_interval(successes: int, trials: int, confidence: float = 0.95) -> tuple[float, float]:
    """Wilson score interval for a binomial proportion.

    ``(p + z^2/2n -+ z sqrt(p(1-p)/n + z^2/4n^2)) / (1 + z^2/n)`` with ``p =
    successes/trials`` and ``z`` the normal quantile for ``confidence``; unlike
    ``p -+ z sqrt(p(1-p)/n)`` it stays inside [0, 1] and is not empty at 0 or n.

    >>> [round(x, 4) for x in wilson_interval(0, 10)]
    [0.0, 0.2775]
    >>> [round(x, 4) for x in wilson_interval(5, 10)]
    [0.2366, 0.7634]
    """
    n = v.count("trials", trials)
    k = int(successes)
    if k != successes or not 0 <= k <= n:
        raise ValueError(f"successes must be a whole number from 0 to trials={n}; got {successes!r}")
    conf = float(confidence)
    if not 0.0 < conf < 1.0:
        raise ValueError(f"confidence must be between 0 and 1 (exclusive); got {confidence!r}")
    z = float(ndtri(0.5 + conf / 2))
    p = k / n
    denom = 1.0 + z * z / n
    centre = (p + z * z / (2 * n)) / denom
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denom
    return max(0.0, centre - half), min(1.0, centre + half)


@dataclass(frozen=True)
class TouchCount:
    """Touches of a liquidation price over windows of candles, with a Wilson interval."""

    side: str
    leverage: float
    horizon: int
    hits: int
    trials: int
    confidence: float = 0.95

    @property
    def frequency(self) -> float:
        return self.hits / self.trials

    @property
    def interval(self) -> tuple[float, float]:
        return wilson_interval(self.hits, self.trials, self.confidence)

    def covers(self, probability: float) -> bool:
        """Whether ``probability`` lies inside the interval."""
        lo, hi = self.interval
        return lo <= probability <= hi

    def __repr__(self) -> str:
        lo, hi = self.interval
        return (f"TouchCount({self.side} {self.leverage:g}x over {self.horizon} candle(s): "
                f"{self.hits} of {self.trials} = {self.frequency:.3g}, "
                f"{self.confidence:.0%} interval {lo:.3f} to {hi:.3f})")


def window_starts(n: int, horizon: int, step: int | None = None) -> np.ndarray:
    """First candle of each window of ``horizon`` candles among ``n``, every ``step``.

    >>> window_starts(10, 3).tolist(), window_starts(10, 3, step=1).tolist()[-1]
    ([0, 3, 6], 7)
    """
    n = v.count("n", n)
    h = v.count("horizon", horizon)
    s = h if step is None else v.count("step", step)
    if h > n:
        raise ValueError(f"horizon must be at most the number of candles {n}; got {h}")
    return np.arange(0, n - h + 1, s)


def _extremes(candles: Candles, starts: np.ndarray, horizon: int, on: str) -> np.ndarray:
    """Lowest and highest price of each window, shape (2, windows)."""
    idx = starts[:, None] + np.arange(horizon)[None, :]
    if on == "range":
        return np.stack([candles.low[idx].min(axis=1), candles.high[idx].max(axis=1)])
    closes = candles.close[idx]
    return np.stack([closes.min(axis=1), closes.max(axis=1)])


def touch_frequency(candles: Candles, side: str, leverage: float, *, horizon: int = 1,
                    mmr: float = 0.005, step: int | None = None, on: str = "range",
                    confidence: float = 0.95) -> TouchCount:
    """Count the windows in which a position opened at the first open touches its liquidation.

    The position has leverage ``leverage`` (margin = notional / leverage) and
    maintenance-margin rate ``mmr``; its liquidation price is
    ``liqlearn.liquidation_price`` (basis "mark").  ``on="range"`` looks at
    the candles' lows and highs (a touch anywhere inside a candle); ``on="close"``
    only at their closes, as a price checked once per candle would.
    """
    from ..formulas.liquidation import liquidation_price
    from ..formulas.solvers import liquidation_ratio

    on = v.choice("on", on, ("range", "close"))
    lev = float(v.positive("leverage", leverage))
    liquidation_ratio(side, lev, mmr)  # rejects a bad side, rate or leverage >= 1/mmr by name
    starts = window_starts(len(candles), horizon, step)
    entry = candles.open[starts]
    liq = np.asarray(liquidation_price(side, entry, 1.0, entry / lev, mmr), dtype=float)
    low, high = _extremes(candles, starts, int(horizon), on)
    hit = (low <= liq) & (liq > 0) if side == "long" else high >= liq
    return TouchCount(side, lev, int(horizon), int(hit.sum()), len(starts), confidence)


def realised_volatility(candles: Candles) -> float:
    """Standard deviation (ddof=1) of close-to-close log returns: volatility per candle."""
    r = candles.log_returns()
    if r.size < 2:
        raise ValueError(f"realised volatility needs at least 3 candles; got {len(candles)}")
    return float(np.std(r, ddof=1))


def log_drift(candles: Candles) -> float:
    """Mean close-to-close log return per candle."""
    r = candles.log_returns()
    if r.size < 1:
        raise ValueError(f"a drift needs at least 2 candles; got {len(candles)}")
    return float(np.mean(r))


def gbm_touch_probability(side: str, leverage: Any, volatility: float, horizon: float, *,
                          mmr: float = 0.005, drift: float = 0.0,
                          steps: int | None = None) -> Any:
    """GBM probability that the position of :func:`touch_frequency` is liquidated in time.

    ``liqlearn.liquidation_probability`` from spot 1 to the liquidation price
    over entry (``liqlearn.liquidation_ratio``: ``liquidation_price`` with margin
    ``Q*E/L``, per unit of entry), with ``volatility`` per square-root candle, ``horizon``
    in candles and ``drift`` the *price* drift per candle (the log price drifts at
    ``drift - volatility**2/2``).  ``leverage`` may be an array.

    A 10x long is liquidated at 0.90452 of its entry, ``b = ln 0.90452 = -0.1004``; at
    5 % per candle over one candle ``2 Phi(b / 0.05) = 2 Phi(-2.007) = 0.045``, a little
    more with the log drift ``-sigma**2/2`` pulling towards the barrier:

    >>> round(gbm_touch_probability("long", 10, 0.05, 1.0), 4)
    0.047
    """
    from ..formulas.risk import liquidation_probability
    from ..formulas.solvers import liquidation_ratio

    ratio = liquidation_ratio(side, leverage, mmr)
    return liquidation_probability(1.0, ratio, volatility, horizon, drift, steps=steps)


def gbm_candles(n: int, volatility: float, *, substeps: int = 64, drift: float = 0.0,
                spot: float = 100.0, seed: Any = None) -> Candles:
    """``n`` candles cut from one simulated GBM path with ``substeps`` prices per candle.

    ``volatility`` and ``drift`` are per candle (``liqlearn.formulas.risk.gbm_paths``
    with horizon ``n``).  The high and low see only the simulated prices, so
    touches are monitored ``substeps`` times per candle, like real candles built
    from trades.

    >>> c = gbm_candles(5, 0.02, seed=1)
    >>> len(c), bool((c.high >= c.close).all())
    (5, True)
    """
    from ..formulas.risk import gbm_paths

    n = v.count("n", n)
    k = v.count("substeps", substeps)
    path = gbm_paths(spot, volatility, float(n), drift, steps=n * k, paths=1, seed=seed)[0]
    body = path[1:].reshape(n, k)
    opens = path[:-1:k]
    return Candles(name="simulated GBM", interval="candle",
                   time=np.arange(n).astype("datetime64[h]").astype("datetime64[s]"),
                   open=opens, high=np.maximum(opens, body.max(axis=1)),
                   low=np.minimum(opens, body.min(axis=1)), close=body[:, -1],
                   source=f"GBM, volatility {volatility:g} per candle, seed {seed!r}")
