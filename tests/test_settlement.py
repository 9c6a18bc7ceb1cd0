"""liqlearn.formulas.settlement: the clearance-fee waterfall and partial liquidation steps.

Hand computations on the primer's position, agreement with a one-account
:class:`liqlearn.simulation.engine.Engine` run, bad input, and hypothesis properties
(money is conserved; the fee never exceeds the equity left).
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import liqlearn as ll
from liqlearn.simulation.config import EngineConfig
from liqlearn.simulation.engine import Engine
from liqlearn.formulas.deleveraging import fund_change
from liqlearn.simulation.orderbook import OrderBook
from liqlearn.formulas.settlement import Settlement, clearance_fee, liquidation_leftover, liquidation_settlement, negative_balance, partial_close_quantity, partial_liquidation_step
from liqlearn.formulas.tiers import EXAMPLE_TIERS, MaintenanceTiers

E, Q, M = 60_000.0, 1 / 6, 1_000.0


# ------------------------------------------------------------------ hand values
def test_primer_fill_at_54210_matches_the_chapter_exercise():
    st_ = liquidation_settlement("long", E, Q, M, 54_210, 0.003)
    assert isinstance(st_, Settlement)
    assert st_.equity == pytest.approx(1_000 + (54_210 - 60_000) / 6)          # 35
    assert st_.clearance_fee == pytest.approx(0.003 * 54_210 / 6)               # 27.105
    assert st_.leftover == pytest.approx(35 - 27.105)
    assert st_.fund_payment == 0.0 and st_.bankruptcy_price == 54_000.0
    assert st_.fund_change == pytest.approx(35.0)          # fee + leftover to the fund
    assert st_.returned_to_trader == 0.0 and st_.trader_loss == 1_000.0


def test_leftover_returned_to_the_trader():
    st_ = liquidation_settlement("long", E, Q, M, 54_210, 0.003, leftover_to="trader")
    assert st_.returned_to_trader == pytest.approx(7.895)
    assert st_.fund_change == pytest.approx(27.105)
    assert st_.trader_loss == pytest.approx(1_000 - 7.895)


def test_fee_capped_at_the_equity_left():
    # 10 USDT above bankruptcy: 1.67 USDT of equity, the 0.3 % fee would be 27
    st_ = liquidation_settlement("long", E, Q, M, 54_010, 0.003)
    assert st_.clearance_fee == pytest.approx(10 / 6) and st_.leftover == 0.0


def test_negative_balance_paid_by_the_fund_and_no_fee():
    st_ = liquidation_settlement("long", E, Q, M, 53_400, 0.003)
    assert st_.equity == pytest.approx(-100.0)
    assert st_.clearance_fee == 0.0 and st_.leftover == 0.0
    assert st_.fund_payment == pytest.approx(100.0)
    assert st_.fund_change == pytest.approx(-100.0)
    assert st_.trader_loss == 1_000.0  # the trader owes nothing beyond the margin


def test_short_mirror():
    st_ = liquidation_settlement("short", E, Q, M, 65_790, 0.003)
    assert st_.equity == pytest.approx(1_000 - 5_790 / 6)
    assert st_.bankruptcy_price == 66_000.0
    assert negative_balance("short", E, Q, M, 66_600) == pytest.approx(100.0)


def test_twins_agree_with_the_dataclass_and_vectorise():
    fills = np.array([53_400.0, 54_010.0, 54_210.0, 55_000.0])
    st_ = liquidation_settlement("long", E, Q, M, fills, 0.003)
    np.testing.assert_allclose(clearance_fee("long", E, Q, M, fills, 0.003), st_.clearance_fee)
    np.testing.assert_allclose(liquidation_leftover("long", E, Q, M, fills, 0.003), st_.leftover)
    np.testing.assert_allclose(negative_balance("long", E, Q, M, fills), st_.fund_payment)
    assert isinstance(st_.equity, np.ndarray) and st_.equity.shape == (4,)
    assert isinstance(st_.fund_change, np.ndarray)
    assert set(st_.to_dict()) >= {"equity", "clearance_fee", "leftover", "fund_change"}


def test_fund_change_equals_the_engine_formula_when_the_leftover_goes_to_the_fund():
    fills = np.linspace(52_000, 58_000, 13)
    st_ = liquidation_settlement("long", E, Q, M, fills, 0.005)
    np.testing.assert_allclose(st_.fund_change, fund_change("long", E, fills, Q, M), rtol=1e-12,
                               atol=1e-9)


# ------------------------------------------------------------------ the engine
def _engine(cfg: EngineConfig, depth: float, margin: float, quantity: float):
    book = OrderBook.from_profile(60_000, profile="flat", levels=400, depth=depth, tick=5.0)
    eng = Engine(book, 60_000, cfg)
    eng.add_liquidity_providers([50_000_000])
    acct = eng.deposit([margin], mode="isolated")
    eng.open(acct, [quantity], leverage=quantity * 60_000 / margin)
    return eng, int(acct[0])


def _first_event(eng: Engine, start: float, stop: float, step: float):
    for px in np.arange(start, stop, -step):
        events = eng.step(float(px))
        if events:
            return events
    raise AssertionError("no liquidation")


@pytest.mark.parametrize("to_fund", [True, False])
def test_full_liquidation_agrees_with_a_one_account_engine_run(to_fund):
    cfg = EngineConfig(mmr=0.005, taker_fee=0.0, insurance_fund=1_000, clearance_fee=0.005,
                       surplus_to_fund=to_fund)
    eng, acct = _engine(cfg, depth=0.5, margin=M, quantity=Q)
    wallet_before = float(eng.wallet[acct])
    e = _first_event(eng, 54_600.0, 53_000.0, 200.0)[0]
    assert not e.partial and e.fill_quantity == pytest.approx(Q)
    st_ = liquidation_settlement("long", E, Q, M, e.fill_price, cfg.clearance_fee,
                                 leftover_to="fund" if to_fund else "trader")
    assert st_.bankruptcy_price == pytest.approx(e.bankruptcy_price)
    assert st_.clearance_fee == pytest.approx(e.fee, rel=1e-9)
    assert st_.fund_change == pytest.approx(e.fund_change, rel=1e-9, abs=1e-9)
    # the trader's wallet: the margin is gone, only the returned leftover comes back
    assert float(eng.wallet[acct]) - (wallet_before - M) == pytest.approx(
        st_.returned_to_trader, abs=1e-9)


def test_partial_step_agrees_with_a_one_account_engine_run():
    tiers = [(100_000, 0.005), (1_000_000, 0.01)]
    cfg = EngineConfig(tiers=tiers, taker_fee=0.0, insurance_fund=1_000, clearance_fee=0.003)
    eng, acct = _engine(cfg, depth=50.0, margin=20_000, quantity=10 / 3)
    e = _first_event(eng, 54_600.0, 53_000.0, 5.0)[0]
    assert e.partial
    step = partial_liquidation_step("long", E, 10 / 3, 20_000, e.trigger_mark, tiers,
                                    clearance_fee_rate=cfg.clearance_fee, fill_price=e.fill_price)
    assert step.close_quantity == pytest.approx(e.quantity, rel=1e-12)
    assert step.clearance_fee == pytest.approx(e.fee, rel=1e-12)
    assert step.keep_quantity == pytest.approx(float(eng.qty[acct]), rel=1e-12)
    assert step.margin_after == pytest.approx(float(eng.margin[acct]), rel=1e-12)
    assert step.restored
    assert step.liquidation_price_after == pytest.approx(float(eng.trigger_prices()[acct]),
                                                         rel=1e-9)


# --------------------------------------------------------------- partial steps
def test_partial_step_reproduces_the_chapter_whale():
    liq = ll.liquidation_price("long", E, 50 / 3, 40_000, EXAMPLE_TIERS)
    step = partial_liquidation_step("long", E, 50 / 3, 40_000, liq, EXAMPLE_TIERS,
                                    clearance_fee_rate=0.003)
    # by hand, as the chapter used to compute inline
    keep = 600_000 / liq
    closed = 50 / 3 - keep
    fee = 0.003 * closed * liq
    margin_after = 40_000 + closed * (liq - E) - fee
    eq_after = margin_after + keep * (liq - E)
    mm_after = EXAMPLE_TIERS.maintenance_margin(600_000)
    assert step.bracket == 2 and step.target_notional == 600_000.0
    assert step.keep_quantity == pytest.approx(keep, rel=1e-12)
    assert step.clearance_fee == pytest.approx(fee, rel=1e-12)
    assert step.margin_after == pytest.approx(margin_after, rel=1e-12)
    assert step.equity_after == pytest.approx(eq_after, rel=1e-12)
    assert step.maintenance_margin_after == pytest.approx(mm_after)
    assert step.margin_ratio_after == pytest.approx(mm_after / eq_after)
    assert step.restored and step.liquidation_price_after < liq
    assert step.liquidation_price_after == pytest.approx(
        ll.liquidation_price("long", E, keep, margin_after, EXAMPLE_TIERS))


def test_partial_step_of_a_short_and_rows_accepted():
    rows = [(100_000, 0.005), (1_000_000, 0.01)]
    liq = ll.liquidation_price("short", E, 10 / 3, 20_000, MaintenanceTiers(rows))
    step = partial_liquidation_step("short", E, 10 / 3, 20_000, liq, rows)
    assert step.keep_quantity * liq == pytest.approx(100_000)
    assert step.realized_pnl == pytest.approx(-step.close_quantity * (liq - E))
    assert step.restored and step.liquidation_price_after > liq


def test_partial_step_that_does_not_restore_the_margin():
    # a fill far below the mark eats the equity: the rest is liquidated in full
    liq = ll.liquidation_price("long", E, 50 / 3, 40_000, EXAMPLE_TIERS)
    step = partial_liquidation_step("long", E, 50 / 3, 40_000, liq, EXAMPLE_TIERS,
                                    clearance_fee_rate=0.003, fill_price=liq - 700)
    assert not step.restored and step.liquidation_price_after is None
    assert step.margin_ratio_after > 1


def test_partial_close_quantity_values_and_errors():
    assert partial_close_quantity(2.0, 100.0, 150.0) == 0.5
    np.testing.assert_allclose(partial_close_quantity([2.0, 4.0], 100.0, 150.0), [0.5, 2.5])
    with pytest.raises(ValueError, match="target_notional 200 must be below the notional at "
                                         "the mark 200: nothing to close"):
        partial_close_quantity(2.0, 100.0, 200.0)


# ------------------------------------------------------------------ bad input
@pytest.mark.parametrize("kwargs, message", [
    ({"side": "flat"}, "side must be one of 'long', 'short'"),
    ({"entry_price": 0.0}, "entry_price must be finite and > 0"),
    ({"quantity": -1.0}, "quantity must be finite and > 0"),
    ({"margin": -1.0}, "margin must be finite and >= 0"),
    ({"fill_price": math.nan}, "fill_price must be finite and > 0"),
    ({"clearance_fee_rate": 1.0}, r"clearance_fee_rate must be in \[0, 1\)"),
    ({"leftover_to": "exchange"}, "leftover_to must be one of 'fund', 'trader'"),
])
def test_settlement_rejects_bad_input(kwargs, message):
    args = {"side": "long", "entry_price": E, "quantity": Q, "margin": M, "fill_price": 54_210.0,
            "clearance_fee_rate": 0.003, **kwargs}
    with pytest.raises(ValueError, match=message):
        liquidation_settlement(**args)


def test_settlement_rejects_shapes_that_do_not_broadcast():
    with pytest.raises(ValueError, match="do not broadcast"):
        liquidation_settlement("long", [E, E], Q, M, [1.0, 2.0, 3.0], 0.003)


def test_partial_step_rejects_bad_input():
    with pytest.raises(ValueError, match="lies in the lowest bracket"):
        partial_liquidation_step("long", E, Q, M, 54_300, EXAMPLE_TIERS)
    with pytest.raises(ValueError, match="scalar inputs"):
        partial_liquidation_step("long", E, [Q, Q], M, 54_300, EXAMPLE_TIERS)
    with pytest.raises(ValueError, match="mark_price must be finite and > 0"):
        partial_liquidation_step("long", E, 50 / 3, 40_000, -1.0, EXAMPLE_TIERS)
    with pytest.raises(ValueError, match="caps"):
        partial_liquidation_step("long", E, 50 / 3, 40_000, 58_000, [(10, 0.01), (5, 0.02)])


# ----------------------------------------------------------------- properties
prices = st.floats(min_value=1_000.0, max_value=200_000.0)


@given(side=st.sampled_from(["long", "short"]), e=prices, v_=prices,
       q=st.floats(min_value=1e-3, max_value=100.0), m=st.floats(min_value=0.0, max_value=1e6),
       r=st.floats(min_value=0.0, max_value=0.05), to=st.sampled_from(["fund", "trader"]))
def test_settlement_conserves_money(side, e, v_, q, m, r, to):
    s = liquidation_settlement(side, e, q, m, v_, r, leftover_to=to)
    scale = max(1.0, m, q * v_, q * e)
    # every USDT of equity at the fill goes somewhere; a negative balance is paid in
    assert s.clearance_fee + s.leftover - s.fund_payment == pytest.approx(s.equity, abs=1e-9 * scale)
    # fund and trader together receive exactly the equity at the fill
    assert s.fund_change + s.returned_to_trader == pytest.approx(s.equity, abs=1e-9 * scale)
    # the trader's loss is the margin less what comes back: never more than the margin
    assert 0.0 <= s.returned_to_trader <= max(s.equity, 0.0) + 1e-9 * scale
    assert s.trader_loss <= m + 1e-9 * scale
    # the fee is never negative and never more than the equity left
    assert 0.0 <= s.clearance_fee <= max(s.equity, 0.0) + 1e-12 * scale
    assert s.clearance_fee <= r * q * v_ * (1 + 1e-12)
    assert s.leftover >= 0.0 and s.fund_payment >= 0.0
    assert s.fund_payment == 0.0 or s.leftover == 0.0  # never both


@given(side=st.sampled_from(["long", "short"]),
       v_=st.floats(min_value=40_000.0, max_value=80_000.0))
def test_fund_payment_only_beyond_the_bankruptcy_price(side, v_):
    s = liquidation_settlement(side, E, Q, M, v_, 0.003)
    beyond = v_ < s.bankruptcy_price if side == "long" else v_ > s.bankruptcy_price
    if s.fund_payment > 1e-9:
        assert beyond
    if not beyond:
        assert s.fund_payment == pytest.approx(0.0, abs=1e-9)


@given(side=st.sampled_from(["long", "short"]), lev=st.floats(min_value=8.0, max_value=20.0),
       r=st.floats(min_value=0.0, max_value=0.005))
def test_partial_step_at_the_trigger_keeps_the_lower_cap(side, lev, r):
    q = 1_000_000 / E  # bracket 3 of EXAMPLE_TIERS at entry
    margin = q * E / lev
    liq = ll.liquidation_price(side, E, q, margin, EXAMPLE_TIERS)
    step = partial_liquidation_step(side, E, q, margin, liq, EXAMPLE_TIERS, clearance_fee_rate=r)
    assert step.keep_quantity * liq == pytest.approx(step.target_notional, rel=1e-12)
    assert step.close_quantity + step.keep_quantity == pytest.approx(q, rel=1e-12)
    # money: margin in = margin out + realised loss + fee
    assert step.margin_after == pytest.approx(margin + step.realized_pnl - step.clearance_fee)
    assert step.restored == (step.equity_after > step.maintenance_margin_after)
