"""Tiered maintenance margin (liqlearn.formulas.tiers)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from liqlearn.formulas.margin import maintenance_margin
from liqlearn.formulas.tiers import MaintenanceTiers, Tier, next_maintenance_amount

ROWS = [(50_000, 0.004), (600_000, 0.005), (3_000_000, 0.0065), (12_000_000, 0.01),
        (70_000_000, 0.02)]
T = MaintenanceTiers(ROWS)


def test_maintenance_amounts_follow_the_recursion():
    # cum_n = floor_n * (m_n - m_{n-1}) + cum_{n-1}, computed by hand
    expected = [0.0, 50.0, 50.0 + 600_000 * 0.0015, 950.0 + 3_000_000 * 0.0035,
                11_450.0 + 12_000_000 * 0.01]
    assert [r.maintenance_amount for r in T.rows] == pytest.approx(expected, rel=1e-12)
    assert expected[2] == pytest.approx(950.0) and expected[4] == pytest.approx(131_450.0)


def test_rows_carry_floor_cap_rate_amount():
    assert T.rows[0] == Tier(0.0, 50_000.0, 0.004, 0.0)
    assert T.rows[1].floor == 50_000.0 and T.rows[1].cap == 600_000.0
    assert len(T) == 5 and T.max_notional == 70_000_000.0
    np.testing.assert_array_equal(T.caps, [r[0] for r in ROWS])


def test_bracket_is_cap_inclusive():
    assert T.bracket(50_000) == (0.004, 0.0)
    assert T.bracket(50_000.000001) == (0.005, 50.0)
    assert T.bracket(70_000_000) == (0.02, pytest.approx(131_450.0))
    assert T.bracket(1e-9) == (0.004, 0.0)


def test_bracket_vectorises():
    rate, amount = T.bracket(np.array([[1_000.0, 100_000.0], [5e6, 6e7]]))
    np.testing.assert_array_equal(rate, [[0.004, 0.005], [0.01, 0.02]])
    assert amount.shape == (2, 2)
    assert isinstance(T.bracket(1_000.0)[0], float)


@pytest.mark.parametrize("cap", [r[0] for r in ROWS[:-1]])
def test_maintenance_margin_is_continuous_across_brackets(cap):
    below = T.maintenance_margin(cap)
    above = T.maintenance_margin(np.nextafter(float(cap), math.inf))
    assert above == pytest.approx(below, rel=1e-12)
    # ... and each neighbouring bracket's line passes through the same point
    i = [r[0] for r in ROWS].index(cap)
    lo, hi = T.rows[i], T.rows[i + 1]
    assert cap * lo.mmr - lo.maintenance_amount == pytest.approx(
        cap * hi.mmr - hi.maintenance_amount, rel=1e-12)


@given(st.floats(1.0, 70_000_000.0))
def test_tiered_mm_is_the_marginal_rate_sum(n):
    """Each slice of notional pays its own bracket's rate, like a tax bracket."""
    marginal = sum(t.mmr * (min(n, t.cap) - t.floor) for t in T.rows if n > t.floor)
    assert T.maintenance_margin(n) == pytest.approx(marginal, rel=1e-10, abs=1e-9)


@given(st.floats(1.0, 69_000_000.0), st.floats(0.0, 1_000_000.0))
def test_tiered_mm_is_increasing_and_convex(n, dn):
    a, b = T.maintenance_margin(n), T.maintenance_margin(min(n + dn, 7e7))
    assert b >= a - 1e-9
    mid = T.maintenance_margin((n + min(n + dn, 7e7)) / 2)
    assert mid <= (a + b) / 2 + 1e-6


def test_margin_module_accepts_tiers():
    assert maintenance_margin(1_000_000, T) == pytest.approx(1_000_000 * 0.0065 - 950.0)
    np.testing.assert_allclose(maintenance_margin([1e4, 1e6], T), [40.0, 5_550.0])


def test_open_ended_last_bracket():
    t = MaintenanceTiers([(50_000, 0.004), (math.inf, 0.005)])
    assert t.bracket(1e12) == (0.005, 50.0)
    assert "∞" in str(t)


@pytest.mark.parametrize("rows, message", [
    ([], "at least one"),
    (5, "rows must be a sequence"),
    ([(50_000, 0.004, 1)], r"rows\[0\] must be a \(notional cap, mmr\) pair"),
    ([(50_000, 0.004), (50_000, 0.005)], "caps must be strictly increasing; got cap 50000 at index 1"),
    ([(50_000, 0.004), (40_000, 0.005)], "caps must be strictly increasing"),
    ([(50_000, 0.005), (100_000, 0.004)], "mmr must be non-decreasing across tiers; got 0.004 at "
                                          "index 1"),
    ([(-1, 0.004)], r"cap must be finite and > 0; got -1.0"),
    ([(math.nan, 0.004)], r"cap must be finite and > 0; got nan"),
    ([(math.inf, 0.004), (1e9, 0.005)], r"cap must be finite and > 0; got inf at index 0"),
    ([(50_000, 1.2)], r"mmr must be in \[0, 1\)"),
    ([(50_000, "x")], r"mmr must be a number"),
])
def test_bad_tables_are_rejected(rows, message):
    with pytest.raises(ValueError, match=message):
        MaintenanceTiers(rows)


@pytest.mark.parametrize("notional, message", [
    (7e7 + 1, r"notional 7e\+07 is above the last tier's cap 7e\+07"),
    ([1e3, 8e7], r"notional 8e\+07 at index 1 is above the last tier's cap"),
    (0.0, r"notional must be finite and > 0; got 0.0"),
    (-5.0, r"notional must be finite and > 0"),
    (math.nan, r"notional must be finite and > 0; got nan"),
])
def test_bad_notionals_are_rejected(notional, message):
    with pytest.raises(ValueError, match=message):
        T.bracket(notional)
    with pytest.raises(ValueError, match=message):
        T.maintenance_margin(notional)


def test_next_maintenance_amount():
    assert next_maintenance_amount(600_000, 0.0065, 0.005, 50.0) == pytest.approx(950.0)
    out = next_maintenance_amount([50_000, 600_000], [0.005, 0.0065], [0.004, 0.005], [0, 50])
    np.testing.assert_allclose(out, [50.0, 950.0])
    with pytest.raises(ValueError, match="mmr 0.004 must be >= previous_mmr 0.005"):
        next_maintenance_amount(50_000, 0.004, 0.005, 0.0)
    with pytest.raises(ValueError, match=r"floor must be finite and >= 0; got -1.0"):
        next_maintenance_amount(-1, 0.005, 0.004, 0.0)
    with pytest.raises(ValueError, match=r"previous_amount must be finite and >= 0"):
        next_maintenance_amount(1, 0.005, 0.004, -2.0)


def test_repr_str_html_and_equality():
    t = MaintenanceTiers([(50_000, 0.004), (600_000, 0.005)])
    assert repr(t) == "MaintenanceTiers([(50000.0, 0.004), (600000.0, 0.005)])"
    assert eval(repr(t)) == t  # noqa: S307 - our own repr
    assert t != T and hash(t) == hash(MaintenanceTiers(t.rows[i][1:3] for i in range(2)))
    text = str(t)
    assert "50,000 – 600,000" in text and "0.50 %" in text and "50.00" in text
    html = t._repr_html_()
    assert html.startswith("<table") and html.count("<tr>") == 3 and "0.40 %" in html


def test_tables_are_read_only():
    with pytest.raises(ValueError):
        T.caps[0] = 1.0
