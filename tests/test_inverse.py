"""Inverse (coin-margined) contracts."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from liqlearn.formulas.tiers import MaintenanceTiers
from liqlearn.formulas.inverse import inverse_bankruptcy_price, inverse_liquidation_price, inverse_margin_for_liquidation_price, inverse_unrealized_pnl

sides = st.sampled_from(["long", "short"])
bases = st.sampled_from(["mark", "entry"])
entries = st.floats(1_000.0, 1e5)
counts = st.floats(1.0, 1e4)
sizes = st.sampled_from([1.0, 10.0, 100.0])
leverages = st.floats(1.05, 100.0)
mmrs = st.floats(0.0, 0.05)


def test_binance_coin_m_calculator_example():
    """A Binance COIN-M calculator figure, reproduced by the mark-basis formula.

    Thread "Coin-margined futures liquidation price calculation help"
    (https://dev.binance.vision/t/coin-margined-futures-liquidation-price-calculation-help-cm-variable/6292):
    wallet 101 BTC, long 100,000 BTCUSD contracts (100 USD each, 10 M USD) at
    45,000; Binance's calculator shows 33,599.40.  The notional at that price,
    10 M / 33,599.4 = 297.6 BTC, lies in the bracket Binance's FAQ
    (https://www.binance.com/es-MX/support/faq/how-to-calculate-liquidation-price-of-coin-m-futures-contracts-ceccfcfb4e3a45e3b48b0b1bb1a8ae46)
    quotes for a 300 BTC position: mmr 12.5 %, maintenance amount 11.605 BTC.
    The thread's own (wrong) answer, 33,578.859744834, is the same formula with
    the older amount 11.81 BTC -- reproduced to all its digits.
    """
    p = inverse_liquidation_price("long", 45_000, 100_000, 100, 101, 0.125, 11.605)
    assert p == pytest.approx(33_599.40, abs=0.05)
    old = inverse_liquidation_price("long", 45_000, 100_000, 100, 101, 0.125, 11.81)
    assert old == pytest.approx(33_578.859744834, abs=1e-6)


def test_worked_examples_by_hand():
    # 2x long: 10,000 * 1.005 / (0.1 + 0.2) = 33,500
    assert inverse_liquidation_price("long", 50_000, 100, 100, 0.1, 0.005) == pytest.approx(33_500)
    # entry basis: 10,000 / (0.1 + 0.995 * 0.2) = 33,444.82
    assert inverse_liquidation_price("long", 50_000, 100, 100, 0.1, 0.005, mm_basis="entry") == \
        pytest.approx(10_000 / 0.299)
    # 2x short: 10,000 * 0.995 / (0.2 - 0.1) = 99,500
    assert inverse_liquidation_price("short", 50_000, 100, 100, 0.1, 0.005) == pytest.approx(99_500)
    assert inverse_bankruptcy_price("long", 50_000, 100, 100, 0.1) == pytest.approx(100_000 / 3)
    assert inverse_bankruptcy_price("short", 50_000, 100, 100, 0.1) == pytest.approx(100_000)
    assert inverse_unrealized_pnl("long", 50_000, 40_000, 100, 100) == pytest.approx(-0.05)


def test_short_never_liquidated_at_1x_and_threshold_on_entry_basis():
    # mark basis: leverage exactly 1 (margin = coin value 0.2) -> inf; just above 1 -> finite
    assert inverse_liquidation_price("short", 50_000, 100, 100, 0.2, 0.005) == math.inf
    assert math.isfinite(inverse_liquidation_price("short", 50_000, 100, 100, 0.1999, 0.005))
    # entry basis: inf iff margin >= (1 + m) * value, i.e. leverage <= 1/(1 + m)
    assert inverse_liquidation_price("short", 50_000, 100, 100, 0.201, 0.005, mm_basis="entry") \
        == math.inf
    assert math.isfinite(inverse_liquidation_price("short", 50_000, 100, 100, 0.2009, 0.005,
                                                   mm_basis="entry"))
    assert inverse_bankruptcy_price("short", 50_000, 100, 100, 0.2) == math.inf


@given(e=entries, lev=st.floats(0.05, 1.0), m=mmrs, size=sizes, n=counts)
def test_inverse_short_at_or_below_1x_never_liquidated(e, lev, m, size, n):
    margin = n * size / e / lev
    assert inverse_liquidation_price("short", e, n, size, margin, m) == math.inf
    assert inverse_bankruptcy_price("short", e, n, size, margin) == math.inf


@given(side=sides, basis=bases, e=entries, n=counts, size=sizes, lev=leverages, m=mmrs,
       f=st.floats(0.0, 0.001), frac_c=st.floats(0.0, 1.0))
def test_equity_equals_maintenance_margin_at_the_answer(side, basis, e, n, size, lev, m, f, frac_c):
    value = n * size / e
    margin = value / lev
    c = frac_c * value * m
    assume(margin > value * (m + f) - c)
    p = inverse_liquidation_price(side, e, n, size, margin, m, c, fee_rate=f, mm_basis=basis)
    s = 1 if side == "long" else -1
    if math.isinf(p):
        assert side == "short"
        return
    assert p > 0
    assert (p < e) if s == 1 else (p > e)
    equity = margin + inverse_unrealized_pnl(side, e, p, n, size)
    mm = n * size / (p if basis == "mark" else e) * (m + f) - c
    assert equity == pytest.approx(mm, rel=1e-9, abs=1e-12 * value)
    # bankruptcy lies beyond liquidation (liquidation first) while the maintenance
    # margin there is >= 0 (a maintenance amount can push a mark-basis short's MM
    # below zero at high prices: then the trigger lies beyond bankruptcy)
    bk = inverse_bankruptcy_price(side, e, n, size, margin)
    if mm >= 0:
        assert (bk <= p * (1 + 1e-12)) if s == 1 else (bk >= p * (1 - 1e-12))
    if math.isfinite(bk):
        assert margin + inverse_unrealized_pnl(side, e, bk, n, size) == pytest.approx(
            0.0, abs=1e-9 * value)


@given(side=sides, e=entries, n=counts, size=sizes, lev=leverages)
def test_bankruptcy_from_leverage(side, e, n, size, lev):
    """With M = Q V/(E L): P_bk = E / (1 + s/L)."""
    s = 1 if side == "long" else -1
    margin = n * size / e / lev
    assert inverse_bankruptcy_price(side, e, n, size, margin) == pytest.approx(e / (1 + s / lev),
                                                                                rel=1e-9)


@given(e=entries, p=entries, n=counts, size=sizes)
def test_pnl_antisymmetric_and_short_loss_capped(e, p, n, size):
    long_ = inverse_unrealized_pnl("long", e, p, n, size)
    assert inverse_unrealized_pnl("short", e, p, n, size) == -long_
    assert inverse_unrealized_pnl("short", e, p, n, size) >= -n * size / e * (1 + 1e-12)


def test_vectorised():
    out = inverse_liquidation_price("short", 50_000, 100, 100, np.array([0.05, 0.1, 0.2]), 0.005)
    assert out.shape == (3,) and math.isinf(out[2]) and out[0] < out[1]
    assert isinstance(inverse_liquidation_price("long", 50_000, 100, 100, 0.1, 0.005), float)


@given(side=sides, basis=bases, e=entries, n=counts, size=sizes, move=st.floats(0.01, 0.8),
       m=mmrs, f=st.floats(0.0, 0.001), frac_c=st.floats(0.0, 1.0))
def test_margin_solver_round_trip(side, basis, e, n, size, move, m, f, frac_c):
    s = 1 if side == "long" else -1
    target = e * (1 - s * move)
    c = frac_c * n * size / e * m
    margin = inverse_margin_for_liquidation_price(side, e, n, size, target, m, c, fee_rate=f,
                                                  mm_basis=basis)
    back = inverse_liquidation_price(side, e, n, size, margin, m, c, fee_rate=f, mm_basis=basis)
    assert back == pytest.approx(target, rel=1e-9)


def test_margin_solver_with_tiers_round_trip():
    for side, target in (("long", 30_000.0), ("short", 52_000.0)):
        for basis in ("mark", "entry"):
            margin = inverse_margin_for_liquidation_price(side, 40_000, 60_000, 100, target,
                                                          COIN_TIERS, mm_basis=basis)
            back = inverse_liquidation_price(side, 40_000, 60_000, 100, margin, COIN_TIERS,
                                             mm_basis=basis)
            assert back == pytest.approx(target, rel=1e-9)


# Illustrative coin-valued brackets (BTC), shaped like Binance COIN-M's; not a venue's table.
COIN_TIERS = MaintenanceTiers([(5, 0.005), (10, 0.0065), (20, 0.01), (50, 0.02), (100, 0.05),
                               (200, 0.1), (400, 0.125), (1_000, 0.15), (math.inf, 0.25)])


@given(side=sides, e=st.floats(10_000, 100_000), value=st.floats(0.5, 800.0),
       lev=st.floats(1.05, 60.0), f=st.sampled_from([0.0, 0.0005]))
def test_tiers_mark_basis_picks_the_bracket_of_the_answer(side, e, value, lev, f):
    n = value * e / 100  # contracts of 100 USD worth `value` BTC at entry
    margin = value / lev
    rate, amount = COIN_TIERS.bracket(value)
    assume(margin > value * (rate + f) - amount)
    p = inverse_liquidation_price(side, e, n, 100, margin, COIN_TIERS, fee_rate=f)
    if math.isinf(p):
        assert side == "short" and margin >= value * (1 - 1e-12)
        return
    coin_value = n * 100 / p
    equity = margin + inverse_unrealized_pnl(side, e, p, n, 100)
    mm = COIN_TIERS.maintenance_margin(coin_value) + f * coin_value
    assert equity == pytest.approx(mm, rel=1e-9, abs=1e-12 * value)
    # the closed form with that bracket's rate and amount
    r, c = COIN_TIERS.bracket(coin_value)
    sign = 1 if side == "long" else -1
    assert n * 100 * (r + f + sign) / (margin + c + sign * value) == pytest.approx(p, rel=1e-9)


def test_tiers_by_hand_and_entry_basis():
    # long 150 BTC of value at 40,000 with 30 BTC: flat 5 % (the entry bracket, 100-200 BTC)
    # would put the trigger at 6,000,000 * 1.05 / (30 + 150) = 35,000 (value 171.4 BTC),
    # inside 100-200: that bracket's amount changes it.
    r, c = COIN_TIERS.bracket(150.0)
    expected = 6_000_000 * (1 + r) / (30 + c + 150)
    p = inverse_liquidation_price("long", 40_000, 60_000, 100, 30, COIN_TIERS)
    assert p == pytest.approx(expected)
    assert 100 < 6_000_000 / p <= 200
    # basis entry uses the entry value's bracket
    pe = inverse_liquidation_price("long", 40_000, 60_000, 100, 30, COIN_TIERS, mm_basis="entry")
    assert pe == pytest.approx(inverse_liquidation_price("long", 40_000, 60_000, 100, 30, r, c,
                                                         mm_basis="entry"))
    # a short at 1x with tiers: still never liquidated
    assert inverse_liquidation_price("short", 40_000, 60_000, 100, 150, COIN_TIERS) == math.inf
    top = MaintenanceTiers([(10, 0.005), (20, 0.01)])
    with pytest.raises(ValueError, match="lies above the last tier's cap 20"):
        inverse_liquidation_price("long", 40_000, 7_600, 100, 5.0, top)  # 19 BTC, 5 BTC margin
    with pytest.raises(ValueError, match="maintenance_amount must be 0 when mmr is a MaintenanceTiers"):
        inverse_liquidation_price("long", 40_000, 600, 100, 1.0, top, 0.1)


@pytest.mark.parametrize(
    "call, match",
    [
        (lambda: inverse_unrealized_pnl("flat", 1, 1, 1, 1), r"side must be one of 'long', 'short'"),
        (lambda: inverse_unrealized_pnl("long", -1, 1, 1, 1), r"entry_price must be finite and > 0"),
        (lambda: inverse_unrealized_pnl("long", 1, 0, 1, 1), r"mark_price must be finite and > 0"),
        (lambda: inverse_unrealized_pnl("long", 1, 1, [1, -1], 1),
         r"contracts must be finite and > 0; got -1.0 at index 1"),
        (lambda: inverse_unrealized_pnl("long", 1, 1, 1, np.nan), r"contract_size must be finite and > 0"),
        (lambda: inverse_liquidation_price("long", 50_000, 100, 100, -0.1, 0.005),
         r"margin must be finite and >= 0"),
        (lambda: inverse_liquidation_price("long", 50_000, 100, 100, 0.1, 1.0), r"mmr must be in \[0, 1\)"),
        (lambda: inverse_liquidation_price("long", 50_000, 100, 100, 0.1, 0.005, -1),
         r"maintenance_amount must be finite and >= 0"),
        (lambda: inverse_liquidation_price("long", 50_000, 100, 100, 0.1, 0.005, 0.01),
         r"maintenance_amount 0.01 exceeds"),
        (lambda: inverse_liquidation_price("long", 50_000, 100, 100, 0.1, 0.6, fee_rate=0.5),
         r"mmr \+ fee_rate must be < 1"),
        (lambda: inverse_liquidation_price("long", 50_000, 100, 100, 0.1, 0.005, fee_rate=-0.1),
         r"fee_rate must be in \[0, 1\)"),
        (lambda: inverse_liquidation_price("long", 50_000, 100, 100, 0.1, 0.005, mm_basis="last"),
         r"mm_basis must be one of 'mark', 'entry'"),
        (lambda: inverse_liquidation_price("long", 50_000, 100, 100, 0.001, 0.005),
         r"margin 0.001 is at or below the maintenance margin 0.001 at entry: "
         r"the position would be liquidated at once"),
        (lambda: inverse_liquidation_price("long", 50_000, 100, 100, [0.1, 0.0005], 0.005),
         r"margin 0.0005 at index 1 is at or below"),
        (lambda: inverse_liquidation_price("long", 50_000, 100, 100, 0.001, 0.004, fee_rate=0.001),
         r"maintenance margin plus the close fee"),
        (lambda: inverse_liquidation_price("long", [1, 2], 100, 100, [0.1, 0.2, 0.3], 0.005),
         r"do not broadcast"),
        (lambda: inverse_bankruptcy_price("long", 50_000, 0, 100, 0.1), r"contracts must be finite and > 0"),
        (lambda: inverse_bankruptcy_price("long", 50_000, 100, 100, np.inf), r"margin must be finite"),
        (lambda: inverse_bankruptcy_price("up", 50_000, 100, 100, 0.1), r"side must be one of"),
        (lambda: inverse_margin_for_liquidation_price("long", 50_000, 100, 100, 60_000, 0.005),
         r"target_price 60000 must be below entry_price 50000 for a long"),
        (lambda: inverse_margin_for_liquidation_price("short", 50_000, 100, 100, 40_000, 0.005),
         r"target_price 40000 must be above entry_price 50000 for a short"),
        (lambda: inverse_margin_for_liquidation_price("long", 50_000, 100, 100, -1, 0.005),
         r"target_price must be finite and > 0"),
        (lambda: inverse_margin_for_liquidation_price("long", 50_000, 100, 100, 40_000, 0.005, 1.0),
         r"maintenance_amount 1 exceeds"),
        (lambda: inverse_margin_for_liquidation_price("long", 50_000, 100, 100, 40_000, 0.005,
                                                      mm_basis="both"), r"mm_basis must be one of"),
    ],
)
def test_bad_input(call, match):
    with pytest.raises(ValueError, match=match):
        call()
