"""Margin, leverage, equity and maintenance margin (liqlearn.formulas.margin)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import liqlearn as ll
from liqlearn.formulas.tiers import MaintenanceTiers

Q, E, M = 1 / 6, 60_000.0, 1_000.0


def test_primer_numbers():
    assert ll.notional(Q, E) == pytest.approx(10_000.0)
    assert ll.initial_margin(Q, E, 10) == pytest.approx(1_000.0)
    assert ll.leverage(Q, E, M) == pytest.approx(10.0)
    assert ll.unrealized_pnl("long", E, 54_000, Q) == pytest.approx(-1_000.0)
    assert ll.unrealized_pnl("short", E, 54_000, Q) == pytest.approx(1_000.0)
    assert ll.equity("long", E, 57_000, Q, M) == pytest.approx(500.0)
    assert ll.maintenance_margin(10_000, 0.005) == pytest.approx(50.0)
    assert ll.margin_ratio("long", E, E, Q, M, 0.005) == pytest.approx(0.05)
    assert ll.effective_leverage("long", E, 57_000, Q, M) == pytest.approx(19.0)


def test_margin_ratio_is_one_at_the_mark_basis_liquidation_price():
    for side in ("long", "short"):
        p = ll.liquidation_price(side, E, Q, M, 0.005, 7.0)
        assert ll.margin_ratio(side, E, p, Q, M, 0.005, 7.0) == pytest.approx(1.0, rel=1e-12)


def test_margin_ratio_of_a_bankrupt_position_is_inf():
    assert ll.margin_ratio("long", E, 50_000, Q, M, 0.005) == math.inf
    out = ll.margin_ratio("long", E, [60_000, 50_000], Q, M, 0.005)
    assert out[1] == math.inf and out[0] == pytest.approx(0.05)


def test_maintenance_margin_with_tiers():
    t = MaintenanceTiers([(50_000, 0.004), (250_000, 0.005)])
    assert ll.maintenance_margin(100_000, t) == pytest.approx(450.0)
    with pytest.raises(ValueError, match="maintenance_amount must be 0 when mmr is a "
                                         "MaintenanceTiers"):
        ll.maintenance_margin(100_000, t, 50.0)


@given(st.floats(1e-3, 100), st.floats(1.0, 1e5), st.floats(1.0, 1e5), st.floats(0.0, 1e6))
def test_equity_is_margin_plus_pnl_and_sides_mirror(q, e, p, m):
    long_eq = ll.equity("long", e, p, q, m)
    short_eq = ll.equity("short", e, p, q, m)
    assert long_eq + short_eq == pytest.approx(2 * m, rel=1e-9, abs=1e-6)
    assert long_eq == pytest.approx(m + ll.unrealized_pnl("long", e, p, q), rel=1e-12, abs=1e-9)


def test_vectorised():
    out = ll.equity("long", E, np.array([54_000.0, 60_000.0, 66_000.0]), Q, M)
    np.testing.assert_allclose(out, [0.0, 1_000.0, 2_000.0], atol=1e-9)


@pytest.mark.parametrize("call, message", [
    (lambda: ll.notional(-1, E), r"quantity must be finite and > 0; got -1.0"),
    (lambda: ll.notional(Q, [E, 0.0]), r"price must be finite and > 0; got 0.0 at index 1"),
    (lambda: ll.notional([Q, Q], [E, E, E]), "array shapes do not broadcast together"),
    (lambda: ll.initial_margin(Q, E, 0), r"leverage must be finite and > 0; got 0.0"),
    (lambda: ll.initial_margin(Q, math.nan, 10), r"entry_price must be finite and > 0; got nan"),
    (lambda: ll.leverage(Q, E, 0.0), r"margin must be finite and > 0; got 0.0"),
    (lambda: ll.unrealized_pnl("up", E, E, Q), "side must be one of 'long', 'short'; got 'up'"),
    (lambda: ll.unrealized_pnl("long", E, -1, Q), r"mark_price must be finite and > 0"),
    (lambda: ll.equity("long", E, E, Q, -1.0), r"margin must be finite and >= 0; got -1.0"),
    (lambda: ll.equity("long", E, E, [Q, math.inf], M),
     r"quantity must be finite and > 0; got inf at index 1"),
    (lambda: ll.maintenance_margin(0, 0.005), r"notional must be finite and > 0; got 0.0"),
    (lambda: ll.maintenance_margin(1e4, 1.0), r"mmr must be in \[0, 1\)"),
    (lambda: ll.maintenance_margin(1e4, 0.005, -1), r"maintenance_amount must be finite and >= 0"),
    (lambda: ll.maintenance_margin([1e4, 1e3], 0.005, 10),
     r"maintenance_amount 10 exceeds notional \* mmr 5 at index 1: maintenance_amount must be "
     r"in \[0, notional \* mmr\]"),
    (lambda: ll.margin_ratio("long", E, E, Q, M, -0.1), r"mmr must be in \[0, 1\)"),
    (lambda: ll.margin_ratio("short", E, E, Q, "x", 0.005), "margin must be a number"),
    (lambda: ll.effective_leverage("long", E, 50_000, Q, M),
     r"equity -666.667 must be > 0 for effective leverage \(the position is bankrupt\)"),
    (lambda: ll.effective_leverage("long", E, [E, 50_000], Q, M),
     r"must be > 0 for effective leverage at index 1"),
])
def test_bad_input(call, message):
    with pytest.raises(ValueError, match=message):
        call()
