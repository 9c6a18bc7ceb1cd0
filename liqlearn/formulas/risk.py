"""How likely is a liquidation? Barrier-touch probabilities under geometric Brownian motion.

A leveraged position is liquidated the *first* time the mark price touches
its liquidation price -- a path-dependent event, not a question about the
price at the horizon.  Model the price as geometric Brownian motion (GBM)

    dS = mu * S dt + sigma * S dW,

so the log-price ``X = ln(S/S0)`` is a Brownian motion with drift
``nu = mu - sigma**2 / 2`` and volatility ``sigma``.  With ``b = ln(B/S0)``,
``s = sigma * sqrt(T)`` and ``Phi`` the standard normal CDF, the probability
that the running minimum touches a lower barrier ``B < S0`` (a long's
liquidation price) before ``T`` is

    P = Phi((b - nu T)/s) + exp(2 nu b / sigma**2) * Phi((b + nu T)/s),

and the upper barrier ``B > S0`` (a short's) is its mirror image.  With no
drift in the log-price (``nu = 0``) this is the reflection principle,
``2 * Phi(-|b| / s)``: touching is *twice* as likely as ending beyond the
barrier.

Discrete monitoring (a Monte Carlo with coarse steps, or a venue that marks
once a second) touches less often.  Broadie, Glasserman & Kou (1997), "A
continuity correction for discrete barrier options", *Mathematical Finance*
7(4), showed the continuous formula evaluated at a barrier shifted *away* from
the spot by ``exp(beta * sigma * sqrt(dt))``, ``beta = -zeta(1/2)/sqrt(2 pi)
~ 0.5826``, approximates the discretely monitored probability.

Volatility is annualised and horizons are in years.

>>> round(liquidation_probability(60_000, 54_000, 0.8, 7 / 365), 4)
0.3598
"""

from __future__ import annotations

import functools
import math
from typing import Any

import numpy as np
from scipy.special import log_ndtr, ndtr

from . import validation as v

__all__ = [
    "BGK_BETA",
    "liquidation_probability",
    "bgk_barrier",
    "touch_probability_mc",
    "standard_normals",
    "gbm_paths",
]

ArrayLike = v.ArrayLike
FloatOrArray = v.FloatOrArray

#: Broadie-Glasserman-Kou constant ``-zeta(1/2) / sqrt(2 pi)``.
BGK_BETA = 0.5825971579390107

# Largest number of normal draws the Monte Carlo holds in memory at once.
_CHUNK = 2_000_000


def _count(name: str, value: Any, *, allow_none: bool = False) -> int | None:
    """:func:`liqlearn.formulas.validation.count`, letting ``None`` through when allowed."""
    if value is None and allow_none:
        return None
    return v.count(name, value)


def _barrier_inputs(spot: Any, barrier: Any, volatility: Any, horizon: Any,
                    drift: Any) -> list[np.ndarray]:
    """Validate and broadcast the GBM barrier parameters shared by the closed form and MC."""
    s0 = v.positive("spot", spot)
    bar = v.nonnegative("barrier", barrier)
    sig = v.positive("volatility", volatility)
    t = v.nonnegative("horizon", horizon)
    mu = v.finite("drift", drift)
    return v.broadcast(spot=s0, barrier=bar, volatility=sig, horizon=t, drift=mu)


def touch_probability(spot: np.ndarray, barrier: np.ndarray, sigma: np.ndarray, horizon: np.ndarray,
           drift: np.ndarray) -> np.ndarray:
    """Continuous-monitoring touch probability on validated, broadcast arrays."""
    nu = drift - 0.5 * sigma**2
    s = sigma * np.sqrt(horizon)
    live = (barrier > 0) & (barrier != spot) & (s > 0)
    safe_b = np.where(live, barrier, 1.0)
    safe_spot = np.where(live, spot, 2.0)
    safe_s = np.where(live, s, 1.0)
    b = np.log(safe_b / safe_spot)
    # Mirror an upper barrier into a lower one: distance -|b| and drift sign(-b) * nu.
    lower = b < 0
    bl = -np.abs(b)
    nul = np.where(lower, nu, -nu)
    t = np.where(live, horizon, 0.0)
    first = ndtr((bl - nul * t) / safe_s)
    # exp(2 nu b / sigma^2) * Phi(.) in log space: no overflow for small sigma.
    with np.errstate(over="ignore"):
        second = np.exp(2.0 * nu * b / np.where(live, sigma, 1.0) ** 2
                        + log_ndtr((bl + nul * t) / safe_s))
    p = np.clip(first + second, 0.0, 1.0)
    p = np.where(live, p, 0.0)
    p = np.where(barrier == spot, 1.0, p)
    return p


@v.checked(spot=v.positive, barrier=v.nonnegative, volatility=v.positive, dt=v.nonnegative)
def bgk_barrier(spot: ArrayLike, barrier: ArrayLike, volatility: ArrayLike,
                dt: ArrayLike) -> FloatOrArray:
    """Broadie-Glasserman-Kou shifted barrier for monitoring every ``dt`` years.

    A lower barrier (``barrier < spot``) is multiplied by
    ``exp(-beta * sigma * sqrt(dt))``, an upper one by ``exp(+beta * sigma *
    sqrt(dt))``, ``beta = 0.5826``: the continuous formula at the shifted
    barrier approximates the probability that a price checked only every
    ``dt`` touches the original one.  A barrier equal to the spot (touched at
    once) or zero (never touched) is returned unchanged.

    Daily checks of a 50 %-volatility price, barrier 90:
    ``90 * exp(-0.5826 * 0.5 * sqrt(1/365)) = 90 * 0.98487 = 88.64``.

    >>> round(bgk_barrier(100, 90, 0.5, 1 / 365), 2)
    88.64
    >>> round(bgk_barrier(100, 110, 0.5, 1 / 365), 2)
    111.69
    """
    direction = np.sign(barrier - spot)  # -1 lower, +1 upper, 0 at the spot
    shifted = barrier * np.exp(direction * BGK_BETA * volatility * np.sqrt(dt))
    return shifted


def liquidation_probability(spot: ArrayLike, barrier: ArrayLike, volatility: ArrayLike,
                            horizon: ArrayLike, drift: ArrayLike = 0.0, *,
                            steps: int | None = None) -> FloatOrArray:
    """Probability that a GBM price touches ``barrier`` before ``horizon`` (years).

    ``barrier < spot``: the running minimum touches it (a long's liquidation
    price); ``barrier > spot``: the running maximum does (a short's);
    ``barrier == spot``: 1.0 (liquidated at once); ``barrier == 0.0``: 0.0 (a
    long that cannot be liquidated, e.g. 1x, whose liquidation price is 0).
    ``drift`` is ``mu`` in ``dS = mu S dt + sigma S dW``; the log-price drifts at
    ``nu = mu - sigma**2/2``.  With ``b = ln(B/S0) < 0`` and ``s = sigma sqrt(T)``::

        P = Phi((b - nu T)/s) + exp(2 nu b / sigma^2) Phi((b + nu T)/s)

    ``steps=n`` evaluates the *discretely monitored* probability (the price is
    checked ``n`` times, every ``T/n``) with the Broadie-Glasserman-Kou
    continuity correction: the same formula at :func:`bgk_barrier`.

    The reflection principle, checkable with a normal table: with
    ``mu = sigma**2/2`` (so ``nu = 0``), sigma = 0.5, T = 1 and a barrier at
    ``100 * exp(-0.5)`` the answer is ``2 * Phi(-1) = 2 * 0.158655 = 0.31731``.

    >>> round(liquidation_probability(100, 100 * math.exp(-0.5), 0.5, 1.0, 0.125), 5)
    0.31731
    >>> liquidation_probability(100, 100, 0.5, 1.0), liquidation_probability(100, 0.0, 0.5, 1.0)
    (1.0, 0.0)

    The primer's 10x long on BTC (liquidation 54,271.36) with 80 % volatility,
    over a week, monitored continuously and hourly:

    >>> round(liquidation_probability(60_000, 54_271.36, 0.8, 7 / 365), 3)
    0.384
    >>> round(liquidation_probability(60_000, 54_271.36, 0.8, 7 / 365, steps=7 * 24), 3)
    0.36
    """
    n = _count("steps", steps, allow_none=True)
    scalar = v.is_scalar(spot, barrier, volatility, horizon, drift)
    s0, bar, sig, t, mu = _barrier_inputs(spot, barrier, volatility, horizon, drift)
    if n is not None:
        shifted = np.asarray(bgk_barrier(s0, bar, sig, t / n), dtype=float)
        p = touch_probability(s0, shifted, sig, t, mu)
        p = np.where(bar == s0, 1.0, p)
    else:
        p = touch_probability(s0, bar, sig, t, mu)
    return v.output(p, scalar)


def standard_normals(*, steps: int, paths: int, seed: Any = None) -> np.ndarray:
    """Standard normal draws of shape ``(paths, steps)`` from ``numpy.random.default_rng(seed)``.

    Draw them once and pass them as ``normals=`` to :func:`gbm_paths` or
    :func:`touch_probability_mc`: an explorer then redraws nothing when a
    slider moves, and every setting sees the same random numbers (common
    random numbers: curves come out smooth).

    >>> z = standard_normals(steps=3, paths=2, seed=1)
    >>> z.shape
    (2, 3)
    >>> bool(np.all(z == np.random.default_rng(1).standard_normal((2, 3))))
    True
    """
    n = _count("steps", steps)
    m = _count("paths", paths)
    return np.random.default_rng(seed).standard_normal((m, n))


def _normals_arg(normals: Any, steps: Any, paths: Any) -> tuple[np.ndarray | None, int, int]:
    """Validate ``normals`` against ``steps``/``paths`` (either may be omitted then)."""
    if normals is None:
        if steps is None or paths is None:
            raise ValueError("steps and paths are required (whole numbers >= 1) "
                             "unless normals= is given")
        return None, _count("steps", steps), _count("paths", paths)
    z = np.asarray(normals, dtype=float)
    if z.ndim != 2 or z.size == 0:
        raise ValueError(f"normals must be a 2-d array of shape (paths, steps); got shape {z.shape}")
    if not np.isfinite(z).all():
        raise ValueError("normals must be finite")
    m, n = z.shape
    if steps is not None and _count("steps", steps) != n:
        raise ValueError(f"steps={steps} does not match normals of shape {z.shape} (paths, steps)")
    if paths is not None and _count("paths", paths) != m:
        raise ValueError(f"paths={paths} does not match normals of shape {z.shape} (paths, steps)")
    return z, n, m


def gbm_paths(spot: ArrayLike, volatility: ArrayLike, horizon: ArrayLike, drift: ArrayLike = 0.0,
              *, steps: int | None = None, paths: int | None = None, seed: Any = None,
              normals: Any = None) -> np.ndarray:
    """Sample GBM price paths, exact in distribution at each of ``steps`` dates.

    ``S_k = S_{k-1} * exp(nu dt + sigma sqrt(dt) Z_k)`` with ``nu = mu -
    sigma**2/2`` and ``dt = horizon/steps``.  Returns shape ``(paths, steps +
    1)`` (column 0 is the spot); array parameters broadcast in front:
    ``shape + (paths, steps + 1)``.  Pass precomputed ``normals`` (shape
    ``(paths, steps)``, e.g. from :func:`standard_normals`) to reuse draws.

    With no volatility term the path is deterministic growth at ``mu - sigma**2/2``;
    one path with all draws zero shows it: 100 * exp(-0.5 * 0.04 * 0.5) = 99.005.

    >>> gbm_paths(100, 0.2, 1.0, normals=np.zeros((1, 2))).round(3)
    array([[100.   ,  99.005,  98.02 ]])
    >>> gbm_paths(100, 0.5, 1.0, steps=250, paths=3, seed=7).shape
    (3, 251)
    """
    z, n, m = _normals_arg(normals, steps, paths)
    s0 = v.positive("spot", spot)
    sig = v.nonnegative("volatility", volatility)
    t = v.nonnegative("horizon", horizon)
    mu = v.finite("drift", drift)
    s0, sig, t, mu = v.broadcast(spot=s0, volatility=sig, horizon=t, drift=mu)
    if z is None:
        z = np.random.default_rng(seed).standard_normal((m, n))
    dt = (t / n)[..., None, None]
    nu = (mu - 0.5 * sig**2)[..., None, None]
    incr = nu * dt + sig[..., None, None] * np.sqrt(dt) * z
    logs = np.concatenate([np.zeros(incr.shape[:-1] + (1,)), np.cumsum(incr, axis=-1)], axis=-1)
    return s0[..., None, None] * np.exp(logs)


def touch_probability_mc(spot: ArrayLike, barrier: ArrayLike, volatility: ArrayLike,
                         horizon: ArrayLike, drift: ArrayLike = 0.0, *,
                         steps: int | None = None, paths: int | None = None, seed: Any = None,
                         normals: Any = None, return_stderr: bool = False) -> Any:
    """Monte Carlo estimate of :func:`liquidation_probability` with ``steps`` checks.

    Simulates ``paths`` GBM paths (exact log-normal steps, ``dt = horizon /
    steps``), each checked at the ``steps`` dates after the start, and counts
    those whose minimum (``barrier < spot``) or maximum (``barrier > spot``)
    touches the barrier.  Discrete checks miss touches between dates, so the
    estimate sits *below* the continuous probability; compare it with
    ``liquidation_probability(..., steps=steps)`` (the BGK correction).  Every
    parameter combination reuses the same draws (``numpy.random.default_rng
    (seed)``, or ``normals`` of shape ``(paths, steps)``).

    ``return_stderr=True`` also returns the binomial standard error
    ``sqrt(p (1 - p) / paths)``.

    >>> p, se = touch_probability_mc(100, 100 * math.exp(-0.5), 0.5, 1.0, 0.125,
    ...                              steps=50, paths=20_000, seed=1, return_stderr=True)
    >>> exact = liquidation_probability(100, 100 * math.exp(-0.5), 0.5, 1.0, 0.125, steps=50)
    >>> abs(p - exact) < 3 * se
    True
    """
    z, n, m = _normals_arg(normals, steps, paths)
    scalar = v.is_scalar(spot, barrier, volatility, horizon, drift)
    s0, bar, sig, t, mu = _barrier_inputs(spot, barrier, volatility, horizon, drift)
    chunk = max(1, _CHUNK // n)
    if z is None and m <= chunk and s0.size > 1:
        # one chunk holds every draw: draw once for all parameter combinations
        # (the same numbers the per-combination generator would give)
        z = np.random.default_rng(seed).standard_normal((m, n))
    out = np.empty(s0.shape)
    for idx in np.ndindex(s0.shape):
        if bar[idx] == s0[idx]:
            out[idx] = 1.0
            continue
        if bar[idx] == 0.0:
            out[idx] = 0.0
            continue
        b = math.log(bar[idx] / s0[idx])
        dt = t[idx] / n
        drift_step = (mu[idx] - 0.5 * sig[idx] ** 2) * dt
        vol_step = sig[idx] * math.sqrt(dt)
        rng = np.random.default_rng(seed) if z is None else None
        hits = 0
        for start in range(0, m, chunk):
            size = min(chunk, m - start)
            draws = rng.standard_normal((size, n)) if z is None else z[start:start + size]
            x = np.cumsum(drift_step + vol_step * draws, axis=1)
            hits += int(np.count_nonzero(x.min(axis=1) <= b) if b < 0
                        else np.count_nonzero(x.max(axis=1) >= b))
        out[idx] = hits / m
    if return_stderr:
        se = np.sqrt(out * (1.0 - out) / m)
        return v.output(out, scalar), v.output(se, scalar)
    return v.output(out, scalar)
