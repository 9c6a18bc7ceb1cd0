"""Inverse problems: margin for a target liquidation price, maximum leverage for a survival level."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from liqlearn.formulas.liquidation import liquidation_price
from liqlearn.formulas.risk import liquidation_probability
from liqlearn.formulas.solvers import liquidation_ratio, margin_for_liquidation_price, max_leverage
from liqlearn.formulas.tiers import MaintenanceTiers

sides = st.sampled_from(["long", "short"])
bases = st.sampled_from(["mark", "entry"])
TIERS = MaintenanceTiers([(50_000, 0.004), (250_000, 0.005), (1_000_000, 0.01),
                          (5_000_000, 0.025)])


def test_primer_by_hand():
    # 1/6 BTC long at 60,000, liquidated at 54,000: 45 (MM at 54,000) + 1,000 (loss)
    assert margin_for_liquidation_price("long", 60_000, 1 / 6, 54_000, 0.005) == pytest.approx(1045)
    # ... and the primer's 1,000 USDT margin comes back from its own liquidation price
    p = liquidation_price("long", 60_000, 1 / 6, 1_000, 0.005)
    assert margin_for_liquidation_price("long", 60_000, 1 / 6, p, 0.005) == pytest.approx(1_000)


@given(side=sides, basis=bases, e=st.floats(1_000, 1e5), q=st.floats(0.01, 100),
       move=st.floats(0.001, 0.9), m=st.floats(0.0, 0.1), f=st.floats(0.0, 0.001),
       frac_c=st.floats(0.0, 1.0))
def test_round_trip_with_liquidation_price(side, basis, e, q, move, m, f, frac_c):
    s = 1 if side == "long" else -1
    target = e * (1 - s * move)
    c = frac_c * q * e * m
    margin = margin_for_liquidation_price(side, e, q, target, m, c, fee_rate=f, mm_basis=basis)
    assert margin > q * e * (m + f) - c  # never liquidated at entry
    back = liquidation_price(side, e, q, margin, m, c, fee_rate=f, mm_basis=basis)
    assert back == pytest.approx(target, rel=1e-9)


@given(side=sides, basis=bases, e=st.floats(20_000, 80_000), q=st.floats(0.1, 50),
       move=st.floats(0.005, 0.5))
def test_round_trip_with_tiers(side, basis, e, q, move):
    s = 1 if side == "long" else -1
    target = e * (1 - s * move)
    assume(q * max(target, e) <= 5_000_000)
    margin = margin_for_liquidation_price(side, e, q, target, TIERS, mm_basis=basis)
    back = liquidation_price(side, e, q, margin, TIERS, mm_basis=basis)
    assert back == pytest.approx(target, rel=1e-9)


@given(side=sides, basis=bases, e=st.floats(1_000, 1e5), m=st.floats(0.0, 0.1),
       a=st.floats(0.001, 0.9), b=st.floats(0.001, 0.9))
def test_further_target_needs_more_margin(side, basis, e, m, a, b):
    s = 1 if side == "long" else -1
    near, far = sorted((a, b))
    m_near = margin_for_liquidation_price(side, e, 1.0, e * (1 - s * near), m, mm_basis=basis)
    m_far = margin_for_liquidation_price(side, e, 1.0, e * (1 - s * far), m, mm_basis=basis)
    assert m_near <= m_far + 1e-9 * e


@given(side=sides, basis=bases, lev=st.floats(1.01, 150), m=st.floats(0.0, 0.006))
def test_liquidation_ratio_matches_liquidation_price(side, basis, lev, m):
    assume(lev * m < 1)
    ratio = liquidation_ratio(side, lev, m, mm_basis=basis)
    p = liquidation_price(side, 60_000, 1.0, 60_000 / lev, m, mm_basis=basis)
    assert 60_000 * ratio == pytest.approx(p, rel=1e-9, abs=1e-6)


def test_max_leverage_hits_the_target_probability():
    for side in ("long", "short"):
        for basis in ("mark", "entry"):
            lev = max_leverage(0.8, 7 / 365, 0.95, 0.005, side=side, mm_basis=basis)
            barrier = 60_000 * liquidation_ratio(side, lev, 0.005, mm_basis=basis)
            p = liquidation_probability(60_000, barrier, 0.8, 7 / 365)
            assert p == pytest.approx(0.05, abs=1e-9)
            # a little more leverage breaks the target
            worse = 60_000 * liquidation_ratio(side, lev * 1.01, 0.005, mm_basis=basis)
            assert liquidation_probability(60_000, worse, 0.8, 7 / 365) > 0.05


@pytest.mark.parametrize("side", ["long", "short"])
def test_max_leverage_discrete_monitoring(side):
    lev = max_leverage(0.8, 7 / 365, 0.95, 0.005, side=side, steps=7)
    ratio = liquidation_ratio(side, lev, 0.005)
    assert liquidation_probability(1.0, ratio, 0.8, 7 / 365, steps=7) == pytest.approx(0.05, abs=1e-9)
    # fewer checks, fewer touches: more leverage for the same survival
    assert lev > max_leverage(0.8, 7 / 365, 0.95, 0.005, side=side)


def test_max_leverage_range_and_below_1x():
    # a long at 1x (mark basis) can never be liquidated: its answer is above 1
    assert max_leverage(1.5, 1.0, 0.999, 0.005) > 1.0
    assert max_leverage(1.5, 1.0, 0.999, 0.005, mm_basis="entry") > 1 / 1.005
    # a short over a year at 80 % volatility with 99 % survival: even 1x is too risky
    short = max_leverage(0.8, 1.0, 0.99, 0.005, side="short")
    assert 0 < short < 1
    barrier = liquidation_ratio("short", short, 0.005)
    assert liquidation_probability(1.0, barrier, 0.8, 1.0) == pytest.approx(0.01, abs=1e-9)
    # never at or above 1/mmr
    assert max_leverage(0.01, 1 / 365, 0.01, 0.02) < 50
    # no maintenance margin: no cap, still a finite answer
    assert math.isfinite(max_leverage(0.5, 1 / 365, 0.9, 0.0))


@given(v1=st.floats(0.05, 2.0), v2=st.floats(0.05, 2.0), surv=st.floats(0.5, 0.999),
       side=sides)
def test_max_leverage_falls_with_volatility(v1, v2, surv, side):
    lo, hi = sorted((v1, v2))
    assert (max_leverage(hi, 7 / 365, surv, 0.005, side=side)
            <= max_leverage(lo, 7 / 365, surv, 0.005, side=side) * (1 + 1e-9))


def test_max_leverage_vectorised_and_monotone_in_survival():
    out = max_leverage(0.8, 30 / 365, np.array([0.5, 0.9, 0.99]), 0.004)
    assert out.shape == (3,) and out[0] > out[1] > out[2]
    assert isinstance(max_leverage(0.8, 30 / 365, 0.9, 0.004), float)


@pytest.mark.parametrize(
    "call, match",
    [
        (lambda: margin_for_liquidation_price("long", 60_000, 1, 61_000, 0.005),
         r"target_price 61000 must be below entry_price 60000 for a long"),
        (lambda: margin_for_liquidation_price("short", 60_000, 1, 60_000, 0.005),
         r"target_price 60000 must be above entry_price 60000 for a short"),
        (lambda: margin_for_liquidation_price("long", 60_000, 1, [50_000, 70_000], 0.005),
         r"at index 1"),
        (lambda: margin_for_liquidation_price("long", 60_000, 1, 0, 0.005),
         r"target_price must be finite and > 0"),
        (lambda: margin_for_liquidation_price("long", 60_000, -1, 50_000, 0.005),
         r"quantity must be finite and > 0"),
        (lambda: margin_for_liquidation_price("long", 60_000, 1, 50_000, 1.5), r"mmr must be in \[0, 1\)"),
        (lambda: margin_for_liquidation_price("long", 60_000, 1, 50_000, 0.6, fee_rate=0.5),
         r"mmr \+ fee_rate must be < 1"),
        (lambda: margin_for_liquidation_price("long", 60_000, 1, 50_000, 0.005, 1_000),
         r"maintenance_amount 1000 exceeds notional \* mmr 300"),
        (lambda: margin_for_liquidation_price("long", 60_000, 1, 50_000, TIERS, 5),
         r"maintenance_amount must be 0 when mmr is a MaintenanceTiers"),
        (lambda: margin_for_liquidation_price("long", 60_000, 1, 50_000, 0.005, mm_basis="x"),
         r"mm_basis must be one of 'mark', 'entry'"),
        (lambda: margin_for_liquidation_price("both", 60_000, 1, 50_000, 0.005),
         r"side must be one of 'long', 'short'"),
        (lambda: liquidation_ratio("long", 200, 0.005), r"leverage 200 is at or above 1/\(mmr \+ fee_rate\) = 200"),
        (lambda: liquidation_ratio("long", 0, 0.005), r"leverage must be finite and > 0"),
        (lambda: max_leverage(0.8, 1.0, 1.0, 0.005), r"survival must be in \(0, 1\)"),
        (lambda: max_leverage(0.8, 1.0, 0.0, 0.005), r"survival must be in \(0, 1\)"),
        (lambda: max_leverage(0.0, 1.0, 0.9, 0.005), r"volatility must be finite and > 0"),
        (lambda: max_leverage(0.8, 0.0, 0.9, 0.005), r"horizon must be finite and > 0"),
        (lambda: max_leverage(0.8, 1.0, 0.9, -0.1), r"mmr must be in \[0, 1\)"),
        (lambda: max_leverage(0.8, 1.0, 0.9, 0.005, np.nan), r"drift must be finite"),
        (lambda: max_leverage(0.8, 1.0, 0.9, 0.005, side="flat"), r"side must be one of"),
        (lambda: max_leverage(0.8, 1.0, 0.9, 0.005, mm_basis="last"), r"mm_basis must be one of"),
        (lambda: max_leverage(0.8, 1.0, 0.9, 0.005, steps=0), r"steps must be a whole number >= 1"),
        (lambda: max_leverage(2.0, 10.0, 0.999, 0.005, 5.0, side="short"),
         r"no leverage down to 1e-06 keeps the touch probability"),
    ],
)
def test_bad_input(call, match):
    with pytest.raises(ValueError, match=match):
        call()
