"""Liquidation and bankruptcy prices of linear contracts (liqlearn.formulas.liquidation)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

import liqlearn as ll
from liqlearn.formulas import liquidation as liq
from liqlearn.formulas.margin import equity, maintenance_margin
from liqlearn.formulas.tiers import MaintenanceTiers

Q = 1 / 6  # the primer: 1,000 USDT at 10x on BTC at 60,000
E = 60_000.0
M = 1_000.0


# --------------------------------------------------------------------------
# The primer's example
# --------------------------------------------------------------------------

def test_primer_long_mark_basis():
    p = ll.liquidation_price("long", E, Q, M, 0.005)
    assert p == pytest.approx(54_271.36, abs=0.005)
    assert p == pytest.approx(54_000 / 0.995, rel=1e-15)


def test_primer_long_entry_basis():
    assert ll.liquidation_price("long", E, Q, M, 0.005, mm_basis="entry") == pytest.approx(
        54_300.0, rel=1e-14)


def test_primer_short_both_bases():
    assert ll.liquidation_price("short", E, Q, M, 0.005) == pytest.approx(66_000 / 1.005,
                                                                           rel=1e-14)
    assert ll.liquidation_price("short", E, Q, M, 0.005) == pytest.approx(65_671.64, abs=0.005)
    assert ll.liquidation_price("short", E, Q, M, 0.005, mm_basis="entry") == pytest.approx(
        65_700.0, rel=1e-14)


def test_primer_bankruptcy():
    assert ll.bankruptcy_price("long", E, Q, M) == pytest.approx(54_000.0, rel=1e-15)
    assert ll.bankruptcy_price("short", E, Q, M) == pytest.approx(66_000.0, rel=1e-15)


def test_scalar_in_float_out_array_in_array_out():
    assert type(ll.liquidation_price("long", E, Q, M, 0.005)) is float
    assert type(ll.bankruptcy_price("long", E, Q, M)) is float
    out = ll.liquidation_price("long", [E, E], Q, M, 0.005)
    assert isinstance(out, np.ndarray) and out.shape == (2,)


# --------------------------------------------------------------------------
# Textbook forms
# --------------------------------------------------------------------------

@pytest.mark.parametrize("lev", [2.0, 5.0, 10.0, 20.0, 50.0, 100.0])
@pytest.mark.parametrize("m", [0.0, 0.004, 0.005, 0.0065])
def test_reduces_to_textbook_forms(lev, m):
    q = 0.37
    margin = q * E / lev
    assert ll.bankruptcy_price("long", E, q, margin) == pytest.approx(E * (1 - 1 / lev))
    assert ll.bankruptcy_price("short", E, q, margin) == pytest.approx(E * (1 + 1 / lev))
    assert ll.liquidation_price("long", E, q, margin, m) == pytest.approx(
        E * (1 - 1 / lev) / (1 - m))
    assert ll.liquidation_price("short", E, q, margin, m) == pytest.approx(
        E * (1 + 1 / lev) / (1 + m))
    assert ll.liquidation_price("long", E, q, margin, m, mm_basis="entry") == pytest.approx(
        E * (1 - 1 / lev + m))
    assert ll.liquidation_price("short", E, q, margin, m, mm_basis="entry") == pytest.approx(
        E * (1 + 1 / lev - m))


def test_binance_formula_with_cum():
    """Binance USDⓈ-M: LP = (WB + cum - s*Q*E) / (Q*MMR - s*Q) (one position, isolated)."""
    wb, cum, mmr, q, e = 5_000.0, 1_300.0, 0.01, 2.0, 80_000.0
    for side, s in (("long", 1), ("short", -1)):
        binance = (wb + cum - s * q * e) / (q * mmr - s * q)
        assert ll.liquidation_price(side, e, q, wb, mmr, cum) == pytest.approx(binance, rel=1e-13)


def test_fee_rate_adds_to_the_rate_in_both_bases():
    for side in ("long", "short"):
        for basis in ("mark", "entry"):
            with_fee = ll.liquidation_price(side, E, Q, M, 0.004, fee_rate=0.0005, mm_basis=basis)
            assert with_fee == pytest.approx(
                ll.liquidation_price(side, E, Q, M, 0.0045, mm_basis=basis), rel=1e-14)


def test_fee_moves_the_price_toward_entry():
    assert ll.liquidation_price("long", E, Q, M, 0.005, fee_rate=0.0005) > \
        ll.liquidation_price("long", E, Q, M, 0.005)
    assert ll.liquidation_price("short", E, Q, M, 0.005, fee_rate=0.0005) < \
        ll.liquidation_price("short", E, Q, M, 0.005)


def test_bankruptcy_with_fee_reserves_the_close_fee():
    f = 0.00055
    for side, s in (("long", 1), ("short", -1)):
        p = ll.bankruptcy_price(side, E, Q, M, fee_rate=f)
        # equity at that price equals the fee to close there
        assert equity(side, E, p, Q, M) == pytest.approx(f * Q * p, rel=1e-12)
        assert s * (ll.bankruptcy_price(side, E, Q, M) - p) < 0  # the fee brings it closer


# --------------------------------------------------------------------------
# Edge cases
# --------------------------------------------------------------------------

def test_long_that_cannot_be_liquidated_returns_zero():
    assert ll.liquidation_price("long", E, Q, 10_000.0, 0.005) == 0.0  # 1x
    assert ll.liquidation_price("long", E, Q, 20_000.0, 0.005, mm_basis="entry") == 0.0
    assert ll.bankruptcy_price("long", E, Q, 10_000.0) == 0.0
    assert ll.bankruptcy_price("long", E, Q, 20_000.0) == 0.0
    out = ll.liquidation_price("long", E, Q, [1_000.0, 10_000.0, 20_000.0], 0.005)
    assert out[0] > 0 and out[1] == 0.0 and out[2] == 0.0
    assert not np.signbit(out).any()


def test_short_always_has_a_finite_price():
    p = ll.liquidation_price("short", E, Q, 1e9, 0.0)
    assert math.isfinite(p) and p > E


def test_at_entry_rejected_with_the_contract_message():
    with pytest.raises(ValueError) as info:
        ll.liquidation_price("long", E, Q, 10.0, 0.005)
    assert str(info.value) == ("margin 10.0 is at or below the maintenance margin 50.0 at entry: "
                               "the position would be liquidated at once")


def test_the_boundary_counts_as_liquidated():
    with pytest.raises(ValueError, match="at or below the maintenance margin 50.0"):
        ll.liquidation_price("long", 10_000.0, 1.0, 50.0, 0.005)
    with pytest.raises(ValueError, match="at or below"):
        ll.liquidation_price("short", 10_000.0, 1.0, 50.0, 0.005, mm_basis="entry")
    with pytest.raises(ValueError, match="at or below"):
        ll.liquidation_price("long", 10_000.0, 1.0, 0.0, 0.0)  # no margin, no rate


def test_at_entry_rejection_names_the_index_and_the_fee():
    with pytest.raises(ValueError, match=r"margin 10.0 at index 1 is at or below"):
        ll.liquidation_price("long", E, Q, [1_000.0, 10.0], 0.005)
    with pytest.raises(ValueError, match="plus the close fee 55.0"):
        ll.liquidation_price("long", E, Q, 50.0, 0.005, fee_rate=0.0005)


@pytest.mark.parametrize("kwargs, message", [
    (dict(side="flat"), r"side must be one of 'long', 'short'; got 'flat'"),
    (dict(entry_price=-1.0), r"entry_price must be finite and > 0; got -1.0"),
    (dict(entry_price=[E, math.nan]), r"entry_price must be finite and > 0; got nan at index 1"),
    (dict(entry_price=math.inf), r"entry_price must be finite and > 0; got inf"),
    (dict(quantity=0.0), r"quantity must be finite and > 0; got 0.0"),
    (dict(margin=-5.0), r"margin must be finite and >= 0; got -5.0"),
    (dict(margin=[1_000.0, 1_000.0, -1.0]), r"margin must be finite and >= 0; got -1.0 at index 2"),
    (dict(mmr=1.0), r"mmr must be in \[0, 1\)"),
    (dict(mmr=-0.01), r"mmr must be in \[0, 1\)"),
    (dict(mmr="0.5%"), r"mmr must be a number"),
    (dict(maintenance_amount=-1.0), r"maintenance_amount must be finite and >= 0"),
    (dict(maintenance_amount=60.0), r"maintenance_amount 60 exceeds notional \* mmr 50"),
    (dict(fee_rate=1.5), r"fee_rate must be in \[0, 1\)"),
    (dict(mmr=0.6, fee_rate=0.5), r"mmr \+ fee_rate must be < 1"),
    (dict(mm_basis="last"), r"mm_basis must be one of 'mark', 'entry'; got 'last'"),
    (dict(entry_price=[E, E], quantity=[Q, Q, Q]), r"array shapes do not broadcast together"),
])
def test_liquidation_price_rejects_bad_input(kwargs, message):
    args = dict(side="long", entry_price=E, quantity=Q, margin=M, mmr=0.005)
    args.update(kwargs)
    side = args.pop("side")
    with pytest.raises(ValueError, match=message):
        ll.liquidation_price(side, **args)


@pytest.mark.parametrize("kwargs, message", [
    (dict(side="buy"), r"side must be one of 'long', 'short'"),
    (dict(entry_price=0.0), r"entry_price must be finite and > 0; got 0.0"),
    (dict(quantity=[Q, -Q]), r"quantity must be finite and > 0; got -0.1666.* at index 1"),
    (dict(margin=math.nan), r"margin must be finite and >= 0; got nan"),
    (dict(fee_rate=-0.001), r"fee_rate must be in \[0, 1\)"),
    (dict(entry_price=[E, E], margin=[M, M, M]), r"array shapes do not broadcast together"),
])
def test_bankruptcy_price_rejects_bad_input(kwargs, message):
    args = dict(side="long", entry_price=E, quantity=Q, margin=M)
    args.update(kwargs)
    side = args.pop("side")
    with pytest.raises(ValueError, match=message):
        ll.bankruptcy_price(side, **args)


def test_broadcasting():
    e = np.array([[50_000.0], [60_000.0], [70_000.0]])
    margins = np.array([500.0, 1_000.0, 2_000.0, 4_000.0])
    out = ll.liquidation_price("long", e, Q, margins, 0.005)
    assert out.shape == (3, 4)
    assert out[1, 1] == pytest.approx(ll.liquidation_price("long", E, Q, M, 0.005))
    mmrs = np.array([0.004, 0.005])
    assert ll.liquidation_price("short", E, Q, M, mmrs).shape == (2,)


def test_two_dimensional_bad_index_is_a_tuple():
    with pytest.raises(ValueError, match=r"got -1.0 at index \(1, 0\)"):
        ll.liquidation_price("long", [[E, E], [-1.0, E]], Q, M, 0.005)


# --------------------------------------------------------------------------
# The blocked fast path for big arrays agrees with the plain path
# --------------------------------------------------------------------------

BIG = 3 * liq._BLOCK + 123


@pytest.fixture(scope="module")
def big():
    rng = np.random.default_rng(7)
    e = rng.uniform(1_000.0, 100_000.0, BIG)
    q = rng.uniform(0.01, 3.0, BIG)
    lev = rng.uniform(0.5, 120.0, BIG)  # some longs below 1x: price 0.0
    return e, q, q * e / lev


@pytest.mark.parametrize("side", ["long", "short"])
@pytest.mark.parametrize("basis", ["mark", "entry"])
def test_fast_path_equals_plain_path(big, side, basis):
    e, q, m = big
    fast = ll.liquidation_price(side, e, q, m, 0.005, fee_rate=0.0002, mm_basis=basis)
    plain = np.array([ll.liquidation_price(side, e[i], q[i], m[i], 0.005, fee_rate=0.0002,
                                           mm_basis=basis) for i in range(0, BIG, 997)])
    np.testing.assert_array_equal(fast[::997], plain)
    s = 1 if side == "long" else -1
    mf = 0.0052
    k = (e - s * m / q) / (1 - s * mf) if basis == "mark" else e * (1 + s * mf) - s * m / q
    np.testing.assert_allclose(fast, np.maximum(k, 0.0), rtol=1e-12)


def test_fast_path_messages_use_the_whole_array_index(big):
    e, q, m = big
    bad = m.copy()
    bad[2 * liq._BLOCK + 5] = -3.0
    with pytest.raises(ValueError, match=rf"margin must be finite and >= 0; got -3.0 at index "
                                         rf"{2 * liq._BLOCK + 5}$"):
        ll.liquidation_price("long", e, q, bad, 0.005)
    bad[2 * liq._BLOCK + 5] = 0.0
    with pytest.raises(ValueError, match=rf"margin 0.0 at index {2 * liq._BLOCK + 5} is at or"):
        ll.liquidation_price("long", e, q, bad, 0.005)
    with pytest.raises(ValueError, match=r"mmr must be in \[0, 1\)"):
        ll.liquidation_price("long", e, q, m, 1.5)


# --------------------------------------------------------------------------
# Tiers
# --------------------------------------------------------------------------

TIERS = MaintenanceTiers([(50_000, 0.004), (600_000, 0.005), (3_000_000, 0.0065),
                          (12_000_000, 0.01), (70_000_000, 0.02)])


def test_single_tier_equals_the_flat_rate():
    one = MaintenanceTiers([(1e9, 0.005)])
    for side in ("long", "short"):
        for basis in ("mark", "entry"):
            assert ll.liquidation_price(side, E, Q, M, one, mm_basis=basis) == pytest.approx(
                ll.liquidation_price(side, E, Q, M, 0.005, mm_basis=basis), rel=1e-14)


def test_tiered_mark_basis_lands_in_its_own_bracket():
    # 50 BTC at 60,000 = 3,000,000 notional (bracket 3, cap inclusive) at 20x
    q, margin = 50.0, 150_000.0
    for side in ("long", "short"):
        p = ll.liquidation_price(side, E, q, margin, TIERS)
        # equity equals the tiered maintenance margin at the answer
        assert equity(side, E, p, q, margin) == pytest.approx(
            TIERS.maintenance_margin(q * p), rel=1e-10)
    # the long's notional falls from 3.0M into bracket 3's own range (600k, 3M]
    p_long = ll.liquidation_price("long", E, q, margin, TIERS)
    rate, amount = TIERS.bracket(q * p_long)
    assert rate == 0.0065
    assert p_long == pytest.approx((q * E - margin - amount) / (q * (1 - rate)))
    # the short's notional rises above 3M: bracket 4 decides, not the entry bracket
    p_short = ll.liquidation_price("short", E, q, margin, TIERS)
    assert TIERS.bracket(q * p_short)[0] == 0.01
    entry_bracket = ll.liquidation_price("short", E, q, margin, 0.0065, TIERS.rows[2][3])
    assert p_short != pytest.approx(entry_bracket, rel=1e-9)


def test_tiered_entry_basis_uses_the_entry_bracket():
    q, margin = 50.0, 150_000.0
    rate, amount = TIERS.bracket(q * E)
    for side in ("long", "short"):
        assert ll.liquidation_price(side, E, q, margin, TIERS, mm_basis="entry") == pytest.approx(
            ll.liquidation_price(side, E, q, margin, rate, amount, mm_basis="entry"), rel=1e-14)


def test_tiered_fee_adds_to_every_bracket():
    q, margin = 50.0, 150_000.0
    fee = 0.0005
    shifted = MaintenanceTiers([(t.cap, t.mmr + fee) for t in TIERS.rows])
    for side in ("long", "short"):
        p = ll.liquidation_price(side, E, q, margin, TIERS, fee_rate=fee)
        # amounts unchanged: MM + fee*N, not the shifted table's amounts (which are equal too,
        # since a constant shift leaves the differences of rates unchanged)
        assert equity(side, E, p, q, margin) == pytest.approx(
            TIERS.maintenance_margin(q * p) + fee * q * p, rel=1e-10)
        assert p == pytest.approx(ll.liquidation_price(side, E, q, margin, shifted), rel=1e-12)


def test_tiered_rejections():
    with pytest.raises(ValueError, match="maintenance_amount must be 0 when mmr is a "
                                         "MaintenanceTiers"):
        ll.liquidation_price("long", E, Q, M, TIERS, 10.0)
    with pytest.raises(ValueError, match=r"notional 1.2e\+08 is above the last tier's cap"):
        ll.liquidation_price("long", E, 2_000.0, 1e7, TIERS)
    with pytest.raises(ValueError, match="at or below the maintenance margin"):
        ll.liquidation_price("long", E, 50.0, 10_000.0, TIERS)  # MM at 3M is 10,500
    with pytest.raises(ValueError, match="lies above the last tier's cap"):
        ll.liquidation_price("short", E, 1_000.0, 5e7, TIERS)  # 60M notional, short at ~1.8x
    with pytest.raises(ValueError, match=r"mmr \+ fee_rate must be < 1"):
        ll.liquidation_price("long", E, Q, M, MaintenanceTiers([(1e6, 0.5)]), fee_rate=0.6)


def test_tiered_arrays_pick_brackets_per_element():
    q = np.array([0.5, 5.0, 50.0, 150.0])
    margin = q * E / 20
    for side in ("long", "short"):
        out = ll.liquidation_price(side, E, q, margin, TIERS)
        for i in range(q.size):
            assert out[i] == pytest.approx(
                ll.liquidation_price(side, E, q[i], margin[i], TIERS), rel=1e-14)
            assert equity(side, E, out[i], q[i], margin[i]) == pytest.approx(
                TIERS.maintenance_margin(q[i] * out[i]), rel=1e-9)


# --------------------------------------------------------------------------
# Properties
# --------------------------------------------------------------------------

prices = st.floats(100.0, 200_000.0)
quantities = st.floats(1e-3, 50.0)
leverages = st.floats(1.01, 125.0)
rates = st.floats(0.0, 0.05)
fees = st.floats(0.0, 0.001)


@given(prices, quantities, leverages, rates, fees, st.sampled_from(["long", "short"]),
       st.sampled_from(["mark", "entry"]))
def test_equity_equals_maintenance_margin_at_the_liquidation_price(e, q, lev, m, f, side, basis):
    margin = q * e / lev
    assume(margin > q * e * (m + f) * (1 + 1e-9))
    p = ll.liquidation_price(side, e, q, margin, m, fee_rate=f, mm_basis=basis)
    assume(p > 0)
    at = p if basis == "mark" else e
    assert equity(side, e, p, q, margin) == pytest.approx(q * at * (m + f), rel=1e-7,
                                                          abs=1e-9 * q * e)


@given(prices, quantities, leverages, rates, st.sampled_from(["mark", "entry"]))
def test_long_below_entry_below_short(e, q, lev, m, basis):
    margin = q * e / lev
    assume(margin > q * e * m * (1 + 1e-9))
    lo = ll.liquidation_price("long", e, q, margin, m, mm_basis=basis)
    hi = ll.liquidation_price("short", e, q, margin, m, mm_basis=basis)
    assert lo < e < hi
    # liquidation comes before bankruptcy
    assert ll.bankruptcy_price("long", e, q, margin) <= lo
    assert hi <= ll.bankruptcy_price("short", e, q, margin)


@given(prices, quantities, leverages, st.floats(1.01, 3.0), rates, st.sampled_from(["mark", "entry"]))
def test_more_margin_moves_the_price_away(e, q, lev, factor, m, basis):
    margin = q * e / lev
    assume(margin > q * e * m * (1 + 1e-9))
    for side, s in (("long", 1), ("short", -1)):
        a = ll.liquidation_price(side, e, q, margin, m, mm_basis=basis)
        b = ll.liquidation_price(side, e, q, margin * factor, m, mm_basis=basis)
        assert s * b <= s * a


@given(prices, st.floats(1.0, 5_000.0), leverages, st.sampled_from(["long", "short"]))
def test_tiered_answer_lies_in_its_own_bracket(e, q, lev, side):
    margin = q * e / lev
    assume(q * e <= TIERS.max_notional)
    try:
        p = ll.liquidation_price(side, e, q, margin, TIERS)
    except ValueError as exc:
        assume("at or below" not in str(exc) and "above the last tier" not in str(exc))
        raise
    assume(p > 0)
    assert equity(side, e, p, q, margin) == pytest.approx(
        maintenance_margin(q * p, TIERS), rel=1e-8, abs=1e-8 * q * e)


# --------------------------------------------------------------------------
# round_to_tick, rule of thumb, exact move
# --------------------------------------------------------------------------

def test_round_to_tick_is_conservative():
    assert ll.round_to_tick(54_271.3567, 0.1, "long") == 54_271.4
    assert ll.round_to_tick(54_271.3567, 0.1, "short") == 54_271.3
    assert ll.round_to_tick(54_271.3567, 0.01, "long") == 54_271.36
    assert ll.round_to_tick(65_671.6418, 0.5, "short") == 65_671.5
    assert ll.round_to_tick(65_671.6418, 2.5, "short") == 65_670.0
    assert ll.round_to_tick(65_671.6418, 2.5, "long") == 65_672.5


def test_round_to_tick_keeps_prices_on_the_grid():
    for p in (54_271.36, 0.3, 0.7, 1.1, 65_671.5):
        assert ll.round_to_tick(p, 0.01, "long") == p
        assert ll.round_to_tick(p, 0.01, "short") == p
    assert ll.round_to_tick(0.0, 0.1, "long") == 0.0
    assert ll.round_to_tick(math.inf, 0.1, "short") == math.inf
    out = ll.round_to_tick(np.array([1.234, 5.678]), 0.01, "long")
    np.testing.assert_array_equal(out, [1.24, 5.68])


def test_round_to_tick_rejects_bad_input():
    with pytest.raises(ValueError, match=r"price must be in \[0, inf\]; got -1.0"):
        ll.round_to_tick(-1.0, 0.1, "long")
    with pytest.raises(ValueError, match=r"price must be in \[0, inf\]; got nan at index 1"):
        ll.round_to_tick([1.0, math.nan], 0.1, "long")
    with pytest.raises(ValueError, match=r"tick must be finite and > 0; got 0.0"):
        ll.round_to_tick(1.0, 0.0, "long")
    with pytest.raises(ValueError, match="side must be one of"):
        ll.round_to_tick(1.0, 0.1, "up")


def test_rule_of_thumb_and_exact_move():
    assert ll.rule_of_thumb_move(10, 0.005) == pytest.approx(0.095)
    assert ll.exact_move("long", 10, 0.005) == pytest.approx(0.095 / 0.995)
    assert ll.exact_move("short", 10, 0.005) == pytest.approx(0.095 / 1.005)
    for side in ("long", "short"):
        assert ll.exact_move(side, 10, 0.005, mm_basis="entry") == pytest.approx(0.095)
    # agrees with the liquidation price
    p = ll.liquidation_price("long", E, Q, M, 0.005)
    assert ll.exact_move("long", 10, 0.005) == pytest.approx((E - p) / E, rel=1e-12)
    p = ll.liquidation_price("short", E, Q, M, 0.005)
    assert ll.exact_move("short", 10, 0.005) == pytest.approx((p - E) / E, rel=1e-12)


@given(st.floats(1.0, 125.0), st.floats(0.0, 0.05))
def test_rule_of_thumb_error_closed_form_and_series(lev, m):
    assume(lev * m < 0.99)
    err = ll.exact_move("long", lev, m) - ll.rule_of_thumb_move(lev, m)
    assert err == pytest.approx(m * (1 / lev - m) / (1 - m), rel=1e-9, abs=1e-15)
    assert err >= 0  # the rule understates a long's room on basis mark
    # first-order series: m/L
    assert abs(err - m / lev) <= 2 * m * m + 1e-15


def test_exact_move_long_below_one_x_falls_to_zero():
    assert ll.exact_move("long", 0.5, 0.005) == 1.0
    assert ll.liquidation_price("long", E, Q, 2 * Q * E, 0.005) == 0.0


@pytest.mark.parametrize("call, message", [
    (lambda: ll.rule_of_thumb_move(0.0, 0.005), r"leverage must be finite and > 0; got 0.0"),
    (lambda: ll.rule_of_thumb_move(10, 1.0), r"mmr must be in \[0, 1\)"),
    (lambda: ll.rule_of_thumb_move(10, 0.1), r"mmr 0.1 is at or above 1/leverage 0.1"),
    (lambda: ll.rule_of_thumb_move([10, 20], [0.005, 0.06]),
     r"mmr 0.06 at index 1 is at or above 1/leverage 0.05"),
    (lambda: ll.exact_move("long", -1, 0.005), r"leverage must be finite and > 0"),
    (lambda: ll.exact_move("sideways", 10, 0.005), "side must be one of"),
    (lambda: ll.exact_move("long", 10, 0.005, mm_basis="index"), "mm_basis must be one of"),
    (lambda: ll.exact_move("short", 10, math.nan), r"mmr must be in \[0, 1\).*got nan"),
])
def test_moves_reject_bad_input(call, message):
    with pytest.raises(ValueError, match=message):
        call()


def test_benchmark_script_runs_and_agrees():
    """benchmarks/kernels.py on a small problem: it checks agreement itself and prints ratios."""
    import subprocess
    import sys

    from conftest import ROOT

    r = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "kernels.py"), "--n", "200000",
                        "--repeat", "2", "--sympy-n", "20", "--max-ratio", "1000"],
                       capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    assert "ratio" in r.stdout and "speed-up" in r.stdout


@given(st.floats(0.0, 1e6), st.sampled_from([0.01, 0.1, 0.5, 1.0, 2.5, 5.0]),
       st.sampled_from(["long", "short"]))
def test_round_to_tick_is_conservative_and_within_one_tick(price, tick, side):
    r = ll.round_to_tick(price, tick, side)
    if side == "long":
        assert price - 1e-9 * max(1.0, price) <= r < price + tick + 1e-9 * max(1.0, price)
    else:
        assert price - tick - 1e-9 * max(1.0, price) < r <= price + 1e-9 * max(1.0, price)
    assert abs(r / tick - round(r / tick)) < 1e-6  # on the grid
