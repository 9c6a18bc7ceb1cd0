"""Cross-margin liquidation price (liqlearn.formulas.cross)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

import liqlearn as ll
from liqlearn.formulas.cross import cross_collateral, cross_liquidation_price_from_totals
from liqlearn.formulas.margin import maintenance_margin, unrealized_pnl
from liqlearn.formulas.tiers import MaintenanceTiers

BTC = dict(side="long", quantity=1.0, entry_price=60_000.0, mark_price=60_000.0, mmr=0.004)
ETH = dict(side="short", quantity=10.0, entry_price=3_000.0, mark_price=2_900.0, mmr=0.005)


def account_equity_minus_mm(wallet, positions, which, price):
    """Account equity minus account maintenance margin with positions[which] marked at price."""
    total = wallet
    for j, p in enumerate(positions):
        mark = price if j == which else p["mark_price"]
        total += unrealized_pnl(p["side"], p["entry_price"], mark, p["quantity"])
        total -= maintenance_margin(p["quantity"] * mark, p["mmr"], p.get("maintenance_amount", 0))
    return total


def test_binance_cross_formula():
    """LP = (WB - TMM1 + UPNL1 + cum - s*Q*E) / (Q*MMR - s*Q), TMM1/UPNL1 of the others."""
    wb = 10_000.0
    tmm1 = 10 * 2_900 * 0.005
    upnl1 = 10 * (3_000 - 2_900)
    binance = (wb - tmm1 + upnl1 - 1.0 * 60_000) / (1.0 * 0.004 - 1.0)
    assert ll.cross_liquidation_price(wb, [BTC, ETH], 0) == pytest.approx(binance, rel=1e-13)
    assert binance == pytest.approx(49_342.37, abs=0.005)


@pytest.mark.parametrize("which", [0, 1])
def test_account_equity_meets_account_mm_at_the_answer(which):
    p = ll.cross_liquidation_price(10_000.0, [BTC, ETH], which)
    assert account_equity_minus_mm(10_000.0, [BTC, ETH], which, p) == pytest.approx(0.0, abs=1e-7)


def test_one_position_at_entry_is_the_isolated_price():
    for side in ("long", "short"):
        pos = [dict(BTC, side=side)]
        assert ll.cross_liquidation_price(6_000.0, pos, 0) == pytest.approx(
            ll.liquidation_price(side, 60_000.0, 1.0, 6_000.0, 0.004), rel=1e-14)


def test_other_positions_profit_and_loss_move_the_price():
    winning = dict(ETH, mark_price=2_500.0)
    losing = dict(ETH, mark_price=3_300.0)
    p_win = ll.cross_liquidation_price(10_000.0, [BTC, winning], 0)
    p_lose = ll.cross_liquidation_price(10_000.0, [BTC, losing], 0)
    assert p_win < p_lose < 60_000.0


def test_a_profitable_position_on_a_thin_wallet_is_not_rejected():
    """The position is in profit at its mark: its liquidation price may lie above entry."""
    pos = [dict(BTC, mark_price=70_000.0)]
    p = ll.cross_liquidation_price(100.0, pos, 0)
    assert 60_000.0 < p < 70_000.0
    assert account_equity_minus_mm(100.0, pos, 0, p) == pytest.approx(0.0, abs=1e-7)


def test_tiers_in_cross():
    tiers = MaintenanceTiers([(50_000, 0.004), (600_000, 0.005), (3_000_000, 0.0065)])
    big = dict(BTC, quantity=20.0, mmr=tiers)  # 1.2M notional
    p = ll.cross_liquidation_price(100_000.0, [big, ETH], 0)
    assert account_equity_minus_mm(100_000.0, [big, ETH], 0, p) == pytest.approx(0.0, abs=1e-6)
    assert ll.cross_liquidation_price(100_000.0, [ETH, big], 0) > 2_900.0


def test_long_that_cannot_be_liquidated():
    assert ll.cross_liquidation_price(1e6, [BTC, ETH], 0) == 0.0


def test_negative_index_and_numpy_index():
    assert ll.cross_liquidation_price(10_000.0, [BTC, ETH], -1) == \
        ll.cross_liquidation_price(10_000.0, [BTC, ETH], np.int64(1))


def test_array_marks_sweep():
    eth = dict(ETH, mark_price=np.array([2_500.0, 2_900.0, 3_300.0]))
    out = ll.cross_liquidation_price(10_000.0, [BTC, eth], 0)
    assert out.shape == (3,) and np.all(np.diff(out) > 0)
    assert out[1] == pytest.approx(ll.cross_liquidation_price(10_000.0, [BTC, ETH], 0))


@pytest.mark.parametrize("wallet, positions, which, message", [
    (100.0, [BTC, dict(ETH, mark_price=3_300.0)], 0, r"equity -3065 at its mark is at or below its maintenance margin 240: the account is already being liquidated"),
    (-1.0, [BTC], 0, r"wallet_balance must be finite and >= 0; got -1.0"),
    (1_000.0, [dict(BTC, mark_price=50_000.0)], 0,
     "at or below its maintenance margin 200: the account is already being liquidated"),
    (1_000.0, [BTC], 1, r"which must be an integer index in \[0, 0\]; got 1"),
    (1_000.0, [BTC], 0.0, r"which must be an integer index"),
    (1_000.0, [BTC], True, r"which must be an integer index"),
    (1_000.0, [], 0, "at least one position"),
    (1_000.0, BTC, 0, "positions must be a sequence of mappings"),
    (1_000.0, [BTC, {"side": "long"}], 0, r"positions\[1\] lacks 'quantity', 'entry_price'"),
    (1_000.0, [BTC, 5], 0, r"positions\[1\] must be a mapping"),
    (1_000.0, [BTC, dict(ETH, side="sell")], 0, r"positions\[1\]: side must be one of"),
    (1_000.0, [BTC, dict(ETH, quantity=-1.0)], 0,
     r"positions\[1\]: quantity must be finite and > 0; got -1.0"),
    (1_000.0, [dict(BTC, entry_price=math.nan)], 0,
     r"positions\[0\]: entry_price must be finite and > 0; got nan"),
    (1_000.0, [dict(BTC, mmr=1.5)], 0, r"positions\[0\]: mmr must be in \[0, 1\)"),
    (1_000.0, [BTC, dict(ETH, mmr=-0.1)], 0, r"positions\[1\]: mmr must be in \[0, 1\)"),
])
def test_bad_input(wallet, positions, which, message):
    with pytest.raises(ValueError, match=message):
        ll.cross_liquidation_price(wallet, positions, which)


def test_cross_collateral_and_totals():
    assert cross_collateral(10_000, 145.0, 1_000.0) == 10_855.0
    np.testing.assert_array_equal(cross_collateral([1e4, 2e4], 0.0, -5.0), [9_995.0, 19_995.0])
    # the collateral may be zero or negative: the position's own P&L may still carry it
    np.testing.assert_array_equal(cross_collateral([1e4, 100.0], 100.0, -50.0), [9_850.0, -50.0])
    with pytest.raises(ValueError, match=r"collateral 0 at index 1 must be > 0 when no mark_price"):
        cross_liquidation_price_from_totals("long", [1e4, 100.0], 100.0, 0.0, 60_000, 1.0, 0.004)
    with pytest.raises(ValueError, match=r"others_unrealized_pnl must be finite; got inf"):
        cross_collateral(1.0, 0.0, math.inf)
    with pytest.raises(ValueError, match=r"others_maintenance_margin must be finite and >= 0"):
        cross_collateral(1.0, -1.0, 0.0)
    assert cross_liquidation_price_from_totals("long", 10_000, 145.0, 1_000.0, 60_000, 1.0,
                                               0.004) == pytest.approx(49_342.37, abs=0.005)
    with pytest.raises(ValueError, match="side must be one of"):
        cross_liquidation_price_from_totals("up", 1, 0, 0, 1, 1, 0.0)


sides = st.sampled_from(["long", "short"])


@given(st.floats(1_000.0, 1e6), sides, st.floats(0.01, 10.0), st.floats(1e3, 1e5),
       st.floats(0.7, 1.3), sides, st.floats(0.1, 100.0), st.floats(10.0, 5e3),
       st.floats(0.7, 1.3), st.floats(0.0, 0.02), st.floats(0.0, 0.02))
def test_property_account_at_liquidation(wallet, s1, q1, e1, r1, s2, q2, e2, r2, m1, m2):
    positions = [dict(side=s1, quantity=q1, entry_price=e1, mark_price=e1 * r1, mmr=m1),
                 dict(side=s2, quantity=q2, entry_price=e2, mark_price=e2 * r2, mmr=m2)]
    try:
        p = ll.cross_liquidation_price(wallet, positions, 0)
    except ValueError as exc:
        assume(False, ) if ("collateral" in str(exc) or "already" in str(exc)) else None
        raise
    assume(p > 0)
    scale = wallet + q1 * e1 + q2 * e2
    assert account_equity_minus_mm(wallet, positions, 0, p) == pytest.approx(0.0, abs=1e-9 * scale)
    # liquidation lies on the losing side of the current mark
    mark = positions[0]["mark_price"]
    assert (p < mark) if s1 == "long" else (p > mark)


@pytest.mark.parametrize("kwargs, message", [
    (dict(wallet_balance=-1.0), r"wallet_balance must be finite and >= 0; got -1.0"),
    (dict(others_maintenance_margin=math.nan), r"others_maintenance_margin must be finite"),
    (dict(others_unrealized_pnl=-20_000.0), r"collateral -10145 must be > 0"),
    (dict(entry_price=0.0), r"entry_price must be finite and > 0; got 0.0"),
    (dict(quantity=[1.0, -1.0]), r"quantity must be finite and > 0; got -1.0 at index 1"),
    (dict(mmr=1.0), r"mmr must be in \[0, 1\)"),
    (dict(maintenance_amount=-5.0), r"maintenance_amount must be finite and >= 0"),
    (dict(mark_price=-1.0), r"mark_price must be finite and > 0; got -1.0"),
    (dict(mark_price=40_000.0), "already being liquidated"),
])
def test_from_totals_rejects_bad_input(kwargs, message):
    args = dict(wallet_balance=10_000.0, others_maintenance_margin=145.0,
                others_unrealized_pnl=0.0, entry_price=60_000.0, quantity=1.0, mmr=0.004)
    args.update(kwargs)
    with pytest.raises(ValueError, match=message):
        cross_liquidation_price_from_totals("long", **args)


def test_profitable_position_carries_a_negative_collateral():
    """Issue 10, bug 1: the other positions' losses exceed the wallet, but this one's profit
    keeps the account alive.  Equity P - 51,000 meets maintenance 0.005 P + 120."""
    pos = [dict(side="long", quantity=1.0, entry_price=50_000, mark_price=60_000, mmr=0.005),
           dict(side="long", quantity=10.0, entry_price=3_000, mark_price=2_400, mmr=0.005)]
    price = ll.cross_liquidation_price(5_000, pos, 0)
    assert price == pytest.approx(51_000 / 0.995 + 120 / 0.995, rel=1e-12)
    assert round(price, 2) == 51_376.88
    # at that price the account's equity equals its maintenance margin
    equity = 5_000 + (price - 50_000) + 10 * (2_400 - 3_000)
    assert equity == pytest.approx(0.005 * price + 0.005 * 10 * 2_400, rel=1e-12)
