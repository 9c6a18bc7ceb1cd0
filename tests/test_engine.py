"""Liquidation engine: the waterfall, the agreement with the closed forms, validation."""

from __future__ import annotations

import math

import numpy as np
import pytest

from liqlearn.simulation.accounts import trigger_prices
from liqlearn.simulation.config import EngineConfig
from liqlearn.simulation.engine import Engine
from liqlearn.formulas.liquidation import bankruptcy_price, liquidation_price
from liqlearn.simulation.orderbook import OrderBook
from liqlearn.formulas.tiers import MaintenanceTiers

TIERS = ((50_000, 0.004), (250_000, 0.005), (1_000_000, 0.01), (5_000_000, 0.025))


def make_engine(fund=1_000.0, depth=0.5, levels=400, tick=5.0, lp=5_000_000.0, **cfg):
    book = OrderBook.from_profile(60_000, profile="flat", levels=levels, depth=depth, tick=tick)
    cfg.setdefault("taker_fee", 0.0)
    eng = Engine(book, 60_000, EngineConfig(insurance_fund=fund, **cfg))
    eng.add_liquidity_providers([lp])
    return eng


def assert_balanced(eng):
    led = eng.ledger()
    opening = led["deposits"] + led["insurance_fund_initial"]
    assert math.isclose(led["closing_total"], opening, rel_tol=1e-9), led
    long_oi, short_oi = eng.open_interest()
    assert math.isclose(long_oi, short_oi, rel_tol=1e-9, abs_tol=1e-12)


# ---------------------------------------------------------------- closed forms
@pytest.mark.parametrize("side", ["long", "short"])
@pytest.mark.parametrize("tiers", [None, TIERS])
def test_trigger_prices_agree_with_liquidation_price(side, tiers):
    rng = np.random.default_rng(3)
    n = 200
    entry = rng.uniform(20_000, 80_000, n)
    lev = rng.uniform(2, 50, n)
    notional = rng.uniform(1_000, 2_000_000 if tiers else 40_000, n)
    qty = notional / entry
    margin = notional / lev
    s = 1.0 if side == "long" else -1.0
    if tiers:
        t = MaintenanceTiers(TIERS)
        # keep to positions the venue accepts (not liquidated at entry)
        ok = margin > 1.2 * t.maintenance_margin(notional)
        entry, qty, margin = entry[ok], qty[ok], margin[ok]
        engine_tiers = EngineConfig(tiers=TIERS).maintenance_tiers()
        expected = np.array([liquidation_price(side, e, q, m, t) for e, q, m in
                             zip(entry, qty, margin)])
    else:
        engine_tiers = EngineConfig(mmr=0.005).maintenance_tiers()
        expected = liquidation_price(side, entry, qty, margin, 0.005)
    got = trigger_prices(np.full(entry.size, s), qty, entry, margin, engine_tiers)
    np.testing.assert_allclose(got, expected, rtol=1e-10)


def test_engine_check_equals_equity_below_maintenance():
    eng = make_engine(tiers=TIERS)
    rng = np.random.default_rng(0)
    ids = eng.deposit(rng.uniform(500, 50_000, 300), mode="cross")
    eng.open(ids, rng.choice([-1, 1], 300) * rng.uniform(0.01, 2.0, 300) * 1.0)
    trig = eng.trigger_prices()
    for mark in rng.uniform(40_000, 80_000, 50):
        direct = eng.margin_status(mark)["liquidatable"]
        via_trigger = np.where(eng.qty > 0, trig >= mark, np.where(eng.qty < 0, trig <= mark,
                                                                    False))
        # identical except within round-off of the boundary
        diff = np.flatnonzero(direct != via_trigger)
        assert all(abs(trig[d] - mark) < 1e-6 * mark for d in diff)


# ---------------------------------------------------------------- the waterfall
def test_primer_long_liquidated_better_than_bankruptcy_pays_the_fund():
    eng = make_engine()
    alice = eng.deposit([1_000.0], mode="isolated")
    eng.open(alice, [1 / 6], leverage=10)
    assert eng.trigger_prices()[alice[0]] == pytest.approx(54_271.36, abs=0.01)
    assert eng.step(54_300) == []  # above the liquidation price
    (ev,) = eng.step(54_200)
    assert ev.bankruptcy_price == pytest.approx(bankruptcy_price("long", 60_000, 1 / 6, 1_000))
    assert ev.fill_price > ev.bankruptcy_price and ev.shortfall == 0.0
    assert ev.surplus == pytest.approx(ev.fill_quantity * (ev.fill_price - 54_000))
    assert ev.fund_change == pytest.approx(ev.surplus) and ev.fund_after == pytest.approx(
        1_000 + ev.surplus)
    assert ev.fee == pytest.approx(min(0.005 * ev.fill_quantity * ev.fill_price, ev.surplus))
    assert eng.wallet[alice[0]] == 0.0 and eng.qty[alice[0]] == 0.0
    assert ev.to_dict()["adl_counterparties"] == []
    assert_balanced(eng)


def test_surplus_returned_to_account_when_configured():
    eng = make_engine(surplus_to_fund=False)
    a = eng.deposit([1_000.0], mode="isolated")
    eng.open(a, [1 / 6], leverage=10)
    (ev,) = eng.step(54_200)
    kept = ev.fill_quantity * (ev.fill_price - 54_000) - ev.fee
    assert eng.wallet[a[0]] == pytest.approx(kept)
    assert ev.fund_change == pytest.approx(ev.fee)
    assert_balanced(eng)


def test_gap_fund_pays_shortfall():
    eng = make_engine(fund=10_000.0)
    a = eng.deposit([1_000.0], mode="cross")
    eng.open(a, [1 / 6])
    (ev,) = eng.step(50_000)  # gaps far through the bankruptcy price
    assert ev.fill_quantity == 0.0 and ev.takeover_quantity == pytest.approx(1 / 6)
    assert ev.takeover_price < ev.bankruptcy_price
    assert ev.shortfall == pytest.approx((ev.bankruptcy_price - ev.takeover_price) / 6)
    assert ev.fund_after == pytest.approx(10_000 - ev.shortfall)
    assert eng.wallet[a[0]] == 0.0
    assert_balanced(eng)


def test_fund_too_small_adl_at_bankruptcy_price_in_rank_order():
    eng = make_engine(fund=0.0)
    ids = eng.deposit([1_000.0, 2_000.0, 7_000.0, 2_000.0], mode="isolated")
    # one long, three shorts with different leverage: ranking PnL% x effective leverage
    eng.open(ids, [1.0, -0.5, -0.5, -0.5], leverage=[60.0, 20.0, 5.0, 40.0])
    events = eng.step(50_000)
    ev = next(e for e in events if e.account == ids[0])
    assert ev.adl_quantity == pytest.approx(1.0)
    assert all(f.price == ev.bankruptcy_price for f in ev.adl)
    got = [f.account for f in ev.adl]
    assert got[0] == ids[3] and got[1] == ids[1]  # most leveraged winner first
    scores = [f.score for f in ev.adl]
    assert scores == sorted(scores, reverse=True)
    # deleveraged shorts realise their gain at the bankruptcy price, not at the mark
    f0 = ev.adl[0]
    assert f0.realized_pnl == pytest.approx(f0.quantity * (60_000 - ev.bankruptcy_price))
    assert np.all(eng.wallet >= 0)
    assert_balanced(eng)


def test_partial_liquidation_steps_down_a_tier():
    eng = make_engine(tiers=TIERS, depth=5.0, fund=0.0)
    big = eng.deposit([30_000.0], mode="isolated")
    eng.open(big, [5.0], leverage=10)  # 300,000 notional: third tier (1 %)
    trig = eng.trigger_prices()[big[0]]
    t = MaintenanceTiers(TIERS)
    assert trig == pytest.approx(liquidation_price("long", 60_000, 5.0, 30_000, t))
    events = eng.step(trig - 1.0)
    first = events[0]
    assert first.partial
    remaining = abs(eng.qty[big[0]]) * eng.mark
    assert remaining <= 250_000 * (1 + 1e-9) or not events[-1].partial
    assert_balanced(eng)


def test_no_liquidation_without_trigger_and_history():
    eng = make_engine()
    a = eng.deposit([1_000.0], mode="cross")
    eng.open(a, [-1 / 6])
    res = eng.run([60_100, 60_500, 61_000])
    assert res.events == [] and res.summary()["liquidations"] == 0
    assert res.history["mark"].shape == (3,)


def test_wick_moves_last_not_mark():
    eng = make_engine(basis_weight=0.1, basis_cap=0.005, resilience=0.8)
    whale = eng.deposit([10_000_000.0], role="whale")[0]
    eng.step(60_000, before_check=lambda e: e.trade(whale, "sell", 100.0))
    assert eng.last_price < 60_000 * 0.99
    assert eng.mark >= 60_000 * (1 - 0.005)
    assert_balanced(eng)


# ---------------------------------------------------------------- validation
@pytest.mark.parametrize("kwargs, match", [
    (dict(taker_fee=1.0), r"taker_fee must be in \[0, 1\)"),
    (dict(clearance_fee=-0.1), r"clearance_fee must be in \[0, 1\)"),
    (dict(fund=-1.0), "insurance_fund must be finite and >= 0"),
    (dict(mmr=1.5), r"mmr must be in \[0, 1\)"),
    (dict(max_rounds=0), "max_rounds must be an integer >= 1"),
    (dict(resilience=2.0), r"resilience must be in \[0, 1\]"),
    (dict(tiers=[(100, 0.01), (50, 0.02)]), "caps must be strictly increasing"),
])
def test_bad_config(kwargs, match):
    with pytest.raises(ValueError, match=match):
        make_engine(**kwargs)


def test_open_rejects_instant_liquidation_and_bad_input():
    eng = make_engine()
    a = eng.deposit([100.0], mode="cross")
    with pytest.raises(ValueError, match="would be liquidated at once"):
        eng.open(a, [1.0])  # 600x
    assert eng.qty[a[0]] == 0.0 and eng.wallet[a[0]] == 100.0  # nothing changed
    iso = eng.deposit([100.0], mode="isolated")
    with pytest.raises(ValueError, match="leverage is required"):
        eng.open(iso, [0.01])
    with pytest.raises(ValueError, match="mode must be one of"):
        eng.deposit([1.0], mode="portfolio")
    with pytest.raises(ValueError, match="book must be an OrderBook"):
        Engine("book", 60_000)
    with pytest.raises(ValueError, match="index_price must be finite and > 0"):
        eng.step(-1.0)
    with pytest.raises(ValueError, match="account must be an id"):
        eng.trade(99, "sell", 1.0)


# ---------------------------------------------------------------- closed-form helpers
def test_fund_change_is_equity_at_fill_and_matches_engine_event():
    from liqlearn.formulas.deleveraging import fund_change

    eng = make_engine(clearance_fee=0.0)
    a = eng.deposit([1_000.0], mode="isolated")
    eng.open(a, [1 / 6], leverage=10)
    (ev,) = eng.step(54_200)
    assert ev.fund_change == pytest.approx(fund_change("long", 60_000, ev.fill_price, 1 / 6,
                                                       1_000))
    assert fund_change("short", 60_000, 63_500, 0.5, 1_500) == pytest.approx(-250.0)


def test_adl_score_matches_engine_ranking_and_rejects_bankrupt():
    from liqlearn.formulas.deleveraging import adl_score

    eng = make_engine(fund=0.0)
    ids = eng.deposit([1_000.0, 2_000.0, 7_000.0, 2_000.0], mode="isolated")
    eng.open(ids, [1.0, -0.5, -0.5, -0.5], leverage=[60.0, 20.0, 5.0, 40.0])
    (ev,) = eng.step(50_000)
    for f in ev.adl:
        lev = {ids[1]: 20.0, ids[2]: 5.0, ids[3]: 40.0}[f.account]
        assert f.score == pytest.approx(adl_score("short", 60_000, 50_000, 0.5,
                                                  0.5 * 60_000 / lev))
    with pytest.raises(ValueError, match="equity .* must be > 0"):
        adl_score("long", 60_000, 50_000, 1.0, 1_000)


def test_cascade_formulas():
    from liqlearn.formulas.cascade import cascade_branching_ratio, cascade_total

    assert cascade_branching_ratio(0.4, 0.05, 0.1) == pytest.approx(0.1)
    r = 0.6 * 0.2 / (2 * 0.1)
    assert cascade_total(25.0, 0.6, 0.2, 0.1) == pytest.approx(25.0 / (1 - r))
    # the total is the sum of the rounds q0 * R**n
    assert cascade_total(25.0, 0.6, 0.2, 0.1) == pytest.approx(sum(25 * r**n for n in range(200)))
    with pytest.raises(ValueError, match="must be < 1"):
        cascade_total(10.0, 1.0, 0.5, 0.1)
    with pytest.raises(ValueError, match="book_density must be finite and > 0"):
        cascade_branching_ratio(0.5, 0.1, 0.0)


def test_records_table_renders_events():
    from liqlearn.simulation.records import records_table

    eng = make_engine()
    a = eng.deposit([1_000.0], mode="isolated")
    eng.open(a, [1 / 6], leverage=10)
    res = eng.run([54_200])
    table = res.table(["account", "fill_price", "adl_counterparties"])
    assert len(table) == 1
    text = str(table)
    assert "fill_price" in text and f"{res.events[0].fill_price:,.2f}" in text
    html = table._repr_html_()
    assert html.startswith("<table") and "fill price" in html
    assert "-" in str(records_table([{"x": None}]))
