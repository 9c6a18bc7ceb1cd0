"""Fat tails: how far real returns are from normal, and what heavier tails do to liquidation.

* :func:`normal_qq` -- the points of a normal QQ plot of standardised returns;
* :func:`hill_tail_index` -- the Hill estimate of the tail index ``alpha``
  (``P(|X| > x) ~ x**-alpha``): a normal law has every moment (its Hill estimates
  grow without bound as the tail fraction shrinks), a Student-t with ``nu``
  degrees of freedom has ``alpha = nu``;
* :func:`simulated_touch_probability` -- a small seeded Monte Carlo of the
  probability that a leveraged position is liquidated within ``horizon``
  candles when the per-candle log returns are normal, Student-t with the same
  mean and variance, or bootstrapped (resampled) from the real returns.  The
  price is checked at the end of each candle only, as a close-only count of
  real candles is (``touch_frequency(..., on="close")``).

>>> x = np.array([4.0, 2.0, 1.0, 1.0])   # top 2 over the 3rd largest: ln 4 and ln 2
>>> round(hill_tail_index(x, 2), 4)      # 2 / (ln 4 + ln 2) = 2 / ln 8
0.9618
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from scipy.special import ndtri

from ..formulas import validation as v

__all__ = ["MODELS", "normal_qq", "hill_tail_index", "excess_kurtosis",
           "simulated_touch_probability"]

MODELS = ("normal", "student_t", "bootstrap")


def _sample(name: str, x: Any, minimum: int) -> np.ndarray:
    arr = np.asarray(x, dtype=float).ravel()
    if arr.size < minimum:
        raise ValueError(f"{name} needs at least {minimum} values; got {arr.size}")
    if not np.isfinite(arr).all():
        raise ValueError(f"{name} must be finite")
    return arr


def normal_qq(returns: Any) -> tuple[np.ndarray, np.ndarray]:
    """(normal quantiles, sorted standardised returns) for a QQ plot.

    The returns are standardised by their mean and standard deviation (ddof=1);
    the ``i``-th smallest is set against the normal quantile of ``(i - 0.5)/n``.
    Points on the diagonal mean normal tails; an S shape (low end below, high end
    above the line) means fat tails.

    >>> q, s = normal_qq([1.0, 2.0, 3.0])
    >>> q.round(3).tolist(), s.tolist()
    ([-0.967, 0.0, 0.967], [-1.0, 0.0, 1.0])
    """
    r = _sample("returns", returns, 3)
    z = np.sort((r - r.mean()) / r.std(ddof=1))
    n = z.size
    return ndtri((np.arange(1, n + 1) - 0.5) / n), z


def hill_tail_index(x: Any, k: int) -> float:
    """Hill estimate of the tail index from the ``k`` largest absolute values of ``x``.

    ``alpha = k / sum_{i<=k} ln(x_(i) / x_(k+1))`` with ``x_(1) >= x_(2) >= ...``
    the absolute values sorted from the largest.  ``k`` must leave one value below.
    """
    a = np.sort(np.abs(_sample("x", x, 2)))[::-1]
    k = v.count("k", k)
    if k >= a.size:
        raise ValueError(f"k must be below the number of values {a.size}; got {k}")
    if a[k] <= 0:
        raise ValueError("the (k+1)-th largest absolute value is 0: choose a smaller k")
    return float(k / np.log(a[:k] / a[k]).sum())


def excess_kurtosis(returns: Any) -> float:
    """Sample excess kurtosis ``E[(x - mean)^4] / var^2 - 3`` (0 for a normal law).

    >>> round(excess_kurtosis([-1.0, 1.0]), 6)
    -2.0
    """
    r = _sample("returns", returns, 2)
    d = r - r.mean()
    return float(np.mean(d**4) / np.mean(d**2) ** 2 - 3.0)


def _increments(model: str, returns: np.ndarray, shape: tuple[int, int], df: float,
                rng: np.random.Generator) -> np.ndarray:
    mean, sd = returns.mean(), returns.std(ddof=1)
    if model == "normal":
        return mean + sd * rng.standard_normal(shape)
    if model == "student_t":
        return mean + sd * math.sqrt((df - 2.0) / df) * rng.standard_t(df, shape)
    return rng.choice(returns, size=shape, replace=True)


def simulated_touch_probability(model: str, side: str, leverage: Any, returns: Any, *,
                                horizon: int, mmr: float = 0.005, df: float = 4.0,
                                paths: int = 20_000, seed: Any = None) -> Any:
    """Monte Carlo probability of touching the liquidation price at a candle close.

    Each path is ``horizon`` per-candle log returns drawn from ``model``:

    * ``"normal"``: mean and standard deviation (ddof=1) of ``returns``;
    * ``"student_t"``: Student-t with ``df`` degrees of freedom (``df > 2``),
      scaled to the same mean and variance (heavier tails, more mass near 0);
    * ``"bootstrap"``: resampled with replacement from ``returns`` (the real
      shape, but no volatility clustering: draws are independent).

    The position (leverage ``leverage``, rate ``mmr``) is liquidated if the
    running sum of log returns reaches ``ln(liquidation / entry)`` at a close.
    ``leverage`` may be an array; every leverage sees the same draws.
    """
    from ..formulas.solvers import liquidation_ratio

    model = v.choice("model", model, MODELS)
    r = _sample("returns", returns, 2)
    h = v.count("horizon", horizon)
    m = v.count("paths", paths)
    if model == "student_t" and not float(df) > 2.0:
        raise ValueError(f"df must be > 2 (a finite variance to match); got {df!r}")
    scalar = v.is_scalar(leverage)
    ratio = np.atleast_1d(np.asarray(liquidation_ratio(side, leverage, mmr), dtype=float))
    rng = np.random.default_rng(seed)
    x = np.cumsum(_increments(model, r, (m, h), float(df), rng), axis=1)
    with np.errstate(divide="ignore"):
        b = np.log(ratio)  # a long that cannot be liquidated: ratio 0, log -inf
    if side == "long":
        p = (x.min(axis=1)[:, None] <= b[None, :]).mean(axis=0)
    else:
        p = (x.max(axis=1)[:, None] >= b[None, :]).mean(axis=0)
    return float(p[0]) if scalar else p
