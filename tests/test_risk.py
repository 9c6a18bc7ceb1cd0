"""Touch probabilities: closed form, BGK correction, Monte Carlo, paths."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy.stats import norm

from liqlearn.formulas.risk import BGK_BETA, bgk_barrier, gbm_paths, liquidation_probability, standard_normals, touch_probability_mc

vols = st.floats(0.05, 2.0)
horizons = st.floats(0.001, 3.0)
drifts = st.floats(-1.0, 1.0)
ratios = st.floats(0.2, 0.99)


def test_reflection_principle_by_hand():
    # nu = mu - sigma^2/2 = 0; b = -0.5, sigma sqrt(T) = 0.5 -> 2 * Phi(-1)
    p = liquidation_probability(100, 100 * math.exp(-0.5), 0.5, 1.0, 0.125)
    assert p == pytest.approx(2 * norm.cdf(-1.0), rel=1e-12)
    q = liquidation_probability(100, 100 * math.exp(0.5), 0.5, 1.0, 0.125)
    assert q == pytest.approx(2 * norm.cdf(-1.0), rel=1e-12)


def test_drifted_closed_form_by_hand():
    # Independent evaluation of the textbook formula with scipy.stats.norm.
    s0, b_, sig, t, mu = 100.0, 85.0, 0.6, 0.5, 0.3
    nu = mu - sig**2 / 2
    b = math.log(b_ / s0)
    s = sig * math.sqrt(t)
    expected = norm.cdf((b - nu * t) / s) + math.exp(2 * nu * b / sig**2) * norm.cdf((b + nu * t) / s)
    assert liquidation_probability(s0, b_, sig, t, mu) == pytest.approx(expected, rel=1e-12)


def test_registry_derivation_checks():
    """The steps the chapter shows hold symbolically."""
    import sympy as sp

    import liqlearn

    entry = liqlearn.FORMULAS["touch_probability_lower"]
    check = next(obj for cap, obj in entry.steps if cap.startswith("Check"))
    general = next(obj for cap, obj in entry.steps if cap.startswith("With drift")).rhs
    T = next(sym for sym in general.free_symbols if sym.name == "T")
    b = next(sym for sym in general.free_symbols if sym.name == "b")
    bneg = sp.Symbol("b", negative=True)
    diff = (sp.diff(general, T) - check.rhs).subs(b, bneg)
    assert sp.simplify(diff) == 0
    driftless = next(obj for cap, obj in entry.steps if cap.startswith("X_T is normal")).rhs
    nu = next(sym for sym in general.free_symbols if sym.name == "nu")
    assert sp.simplify(general.subs(nu, 0) - driftless) == 0


def test_edge_cases():
    assert liquidation_probability(100, 100, 0.5, 1.0) == 1.0
    assert liquidation_probability(100, 0.0, 0.5, 1.0) == 0.0
    assert liquidation_probability(100, 90, 0.5, 0.0) == 0.0
    assert liquidation_probability(100, 100, 0.5, 1.0, steps=3) == 1.0
    assert liquidation_probability(100, 0.0, 0.5, 1.0, steps=3) == 0.0
    # tiny volatility with a strong drift: no overflow, a clean probability
    assert liquidation_probability(100, 99, 0.01, 1.0, -0.5) == pytest.approx(1.0)
    assert liquidation_probability(100, 99, 0.01, 1.0, 0.5) == pytest.approx(0.0, abs=1e-12)


def test_scalar_and_array_types():
    assert isinstance(liquidation_probability(100, 90, 0.5, 1.0), float)
    out = liquidation_probability(100, [80, 90, 100, 110, 0.0], 0.5, 1.0)
    assert isinstance(out, np.ndarray) and out.shape == (5,)
    assert out[2] == 1.0 and out[4] == 0.0
    grid = liquidation_probability(100, np.array([[80.0], [120.0]]), [0.2, 0.5, 0.8], 1.0)
    assert grid.shape == (2, 3)


@given(ratio=ratios, sig=vols, t=horizons, mu=drifts)
def test_mirror_symmetry(ratio, sig, t, mu):
    """log-price X -> -X: an upper barrier at S/r with drift nu equals a lower at S*r with -nu."""
    nu = mu - sig**2 / 2
    up = liquidation_probability(100.0, 100.0 / ratio, sig, t, mu)
    down = liquidation_probability(100.0, 100.0 * ratio, sig, t, -nu + sig**2 / 2)
    assert up == pytest.approx(down, abs=1e-12)


@given(ratio=ratios, t=horizons, mu=drifts, s1=vols, s2=vols)
def test_monotone_in_volatility_driftless_log(ratio, t, mu, s1, s2):
    lo, hi = sorted((s1, s2))
    # With nu = 0 the probability 2 Phi(b / (sigma sqrt T)) rises with sigma.
    p_lo = liquidation_probability(100.0, 100 * ratio, lo, t, lo**2 / 2)
    p_hi = liquidation_probability(100.0, 100 * ratio, hi, t, hi**2 / 2)
    assert p_lo <= p_hi + 1e-12


@given(ratio=ratios, t=horizons, s1=vols, s2=vols, up=st.booleans())
def test_monotone_in_volatility_no_drift(ratio, t, s1, s2, up):
    """With mu = 0 (the price is a martingale) more volatility means more touching."""
    lo, hi = sorted((s1, s2))
    barrier = 100.0 / ratio if up else 100.0 * ratio
    assert (liquidation_probability(100.0, barrier, lo, t)
            <= liquidation_probability(100.0, barrier, hi, t) + 1e-12)


@given(ratio=ratios, sig=vols, t1=horizons, t2=horizons, mu=drifts)
def test_monotone_in_horizon_and_barrier_distance(ratio, sig, t1, t2, mu):
    lo, hi = sorted((t1, t2))
    assert (liquidation_probability(100.0, 100 * ratio, sig, lo, mu)
            <= liquidation_probability(100.0, 100 * ratio, sig, hi, mu) + 1e-12)
    # a barrier further away is touched less often
    assert (liquidation_probability(100.0, 100 * ratio * 0.9, sig, hi, mu)
            <= liquidation_probability(100.0, 100 * ratio, sig, hi, mu) + 1e-12)


@given(ratio=ratios, sig=vols, t=horizons, mu=drifts)
def test_touch_at_least_end_below_and_bgk_lowers_it(ratio, sig, t, mu):
    p = liquidation_probability(100.0, 100 * ratio, sig, t, mu)
    nu = mu - sig**2 / 2
    end_below = norm.cdf((math.log(ratio) - nu * t) / (sig * math.sqrt(t)))
    assert end_below - 1e-12 <= p <= 1.0
    assert liquidation_probability(100.0, 100 * ratio, sig, t, mu, steps=5) <= p + 1e-12


def test_bgk_barrier_shift():
    dt = 1 / 365
    f = math.exp(BGK_BETA * 0.5 * math.sqrt(dt))
    assert bgk_barrier(100, 90, 0.5, dt) == pytest.approx(90 / f)
    assert bgk_barrier(100, 110, 0.5, dt) == pytest.approx(110 * f)
    assert bgk_barrier(100, 100, 0.5, dt) == 100.0
    assert bgk_barrier(100, 0.0, 0.5, dt) == 0.0
    # the keyword on the closed form is the closed form at the shifted barrier
    p = liquidation_probability(100, 90, 0.5, 30 * dt, steps=30)
    assert p == pytest.approx(liquidation_probability(100, 90 / f, 0.5, 30 * dt))
    assert BGK_BETA == pytest.approx(0.5826, abs=1e-4)


@pytest.mark.parametrize("barrier", [80.0, 125.0])
@pytest.mark.parametrize("steps", [20, 50])
def test_mc_agrees_with_bgk_closed_form(barrier, steps):
    p, se = touch_probability_mc(100, barrier, 0.8, 0.25, 0.1, steps=steps, paths=40_000,
                                 seed=11, return_stderr=True)
    bgk = liquidation_probability(100, barrier, 0.8, 0.25, 0.1, steps=steps)
    assert abs(p - bgk) < 3 * se
    # ... and clearly below the continuously monitored probability
    cont = liquidation_probability(100, barrier, 0.8, 0.25, 0.1)
    assert p < cont - 3 * se


def test_mc_fine_steps_close_to_continuous():
    p, se = touch_probability_mc(100, 70, 0.6, 1.0, steps=1000, paths=4_000, seed=5,
                                 return_stderr=True)
    assert abs(p - liquidation_probability(100, 70, 0.6, 1.0, steps=1000)) < 3 * se


def test_mc_edges_reproducibility_and_reuse():
    assert touch_probability_mc(100, 100, 0.5, 1.0, steps=5, paths=10, seed=0) == 1.0
    assert touch_probability_mc(100, 0.0, 0.5, 1.0, steps=5, paths=10, seed=0) == 0.0
    a = touch_probability_mc(100, 90, 0.5, 1.0, steps=20, paths=2_000, seed=3)
    b = touch_probability_mc(100, 90, 0.5, 1.0, steps=20, paths=2_000, seed=3)
    assert a == b
    z = standard_normals(steps=20, paths=2_000, seed=3)
    assert touch_probability_mc(100, 90, 0.5, 1.0, normals=z) == a
    # vectorised over barriers with common random numbers: monotone in the barrier
    out = touch_probability_mc(100, [70, 80, 90], 0.5, 1.0, normals=z)
    assert out.shape == (3,) and out[0] <= out[1] <= out[2]
    assert out[2] == a
    # without normals=, an array of barriers sees the draws each scalar call sees
    each = [touch_probability_mc(100, x, 0.5, 1.0, steps=20, paths=2_000, seed=3) for x in (70, 90)]
    np.testing.assert_array_equal(
        touch_probability_mc(100, [70, 90], 0.5, 1.0, steps=20, paths=2_000, seed=3), each)


def test_gbm_paths_shape_and_distribution():
    z = standard_normals(steps=10, paths=50_000, seed=2)
    paths = gbm_paths(100, 0.4, 1.0, 0.05, normals=z)
    assert paths.shape == (50_000, 11)
    assert np.all(paths[:, 0] == 100)
    # E[S_T] = S_0 exp(mu T): within 3 standard errors
    end = paths[:, -1]
    assert abs(end.mean() - 100 * math.exp(0.05)) < 3 * end.std() / math.sqrt(end.size)
    # the same draws give the same paths; the MC counts exactly these paths
    again = gbm_paths(100, 0.4, 1.0, 0.05, steps=10, paths=50_000, seed=2)
    np.testing.assert_allclose(again, paths)
    p = touch_probability_mc(100, 80, 0.4, 1.0, 0.05, normals=z)
    assert p == pytest.approx(np.mean(paths[:, 1:].min(axis=1) <= 80))
    grid = gbm_paths([100, 200], 0.4, 1.0, normals=z[:5])
    assert grid.shape == (2, 5, 11)


@pytest.mark.parametrize(
    "call, match",
    [
        (lambda: liquidation_probability(-1, 90, 0.5, 1.0), r"spot must be finite and > 0"),
        (lambda: liquidation_probability(100, -90, 0.5, 1.0), r"barrier must be finite and >= 0"),
        (lambda: liquidation_probability(100, [90, np.nan], 0.5, 1.0),
         r"barrier must be finite and >= 0; got nan at index 1"),
        (lambda: liquidation_probability(100, 90, 0.0, 1.0), r"volatility must be finite and > 0"),
        (lambda: liquidation_probability(100, 90, 0.5, -1.0), r"horizon must be finite and >= 0"),
        (lambda: liquidation_probability(100, 90, 0.5, 1.0, np.inf), r"drift must be finite"),
        (lambda: liquidation_probability(100, 90, 0.5, 1.0, steps=0), r"steps must be a whole number >= 1"),
        (lambda: liquidation_probability(100, 90, 0.5, 1.0, steps=2.5), r"steps must be a whole number"),
        (lambda: liquidation_probability([1, 2], [1, 2, 3], 0.5, 1.0), r"do not broadcast"),
        (lambda: bgk_barrier(100, 90, 0.5, -1.0), r"dt must be finite and >= 0"),
        (lambda: touch_probability_mc(100, 90, 0.5, 1.0, steps=10), r"steps and paths are required"),
        (lambda: touch_probability_mc(100, 90, 0.5, 1.0, steps=10, paths=0), r"paths must be a whole"),
        (lambda: touch_probability_mc(100, 90, 0.5, 1.0, normals=np.zeros(3)), r"normals must be a 2-d"),
        (lambda: touch_probability_mc(100, 90, 0.5, 1.0, steps=4, normals=np.zeros((2, 3))),
         r"steps=4 does not match"),
        (lambda: touch_probability_mc(100, 90, -0.5, 1.0, steps=4, paths=4), r"volatility must be"),
        (lambda: gbm_paths(100, -0.1, 1.0, steps=2, paths=2), r"volatility must be finite and >= 0"),
        (lambda: gbm_paths(100, 0.1, 1.0, normals=[[0.0, np.inf]]), r"normals must be finite"),
        (lambda: standard_normals(steps=True, paths=3), r"steps must be a whole number"),
    ],
)
def test_bad_input(call, match):
    with pytest.raises(ValueError, match=match):
        call()
