"""Order book: walking the levels, VWAP, slippage, impact, profiles, validation."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from liqlearn.simulation.orderbook import OrderBook, depth_profile, walk_levels


def brute_force_fill(levels, size, limit=None, side="sell"):
    """Walk level by level in plain Python: (filled, notional, last price)."""
    filled = notional = 0.0
    last = None
    for price, qty in levels:
        if limit is not None and ((side == "sell" and price < limit)
                                  or (side == "buy" and price > limit)):
            break
        if qty <= 0:
            continue
        take = min(qty, size - filled)
        if take <= 0:
            break
        filled += take
        notional += take * price
        last = price
    return filled, notional, last


def test_flat_book_vwap_closed_form():
    # k whole levels of a flat book: VWAP = best - tick * (k - 1) / 2
    book = OrderBook.from_profile(50_000, profile="flat", levels=40, depth=0.5, tick=5.0)
    for k in (1, 2, 7, 40):
        fill = book.quote("sell", 0.5 * k)
        assert fill.vwap == pytest.approx(book.best_bid - 5.0 * (k - 1) / 2, rel=1e-12)
        assert fill.levels_touched == k
        assert fill.complete


def test_slippage_and_impact_signs():
    book = OrderBook.from_profile(100.0, profile="flat", levels=20, depth=1.0, tick=0.1)
    sell = book.quote("sell", 5.0)
    buy = book.quote("buy", 5.0)
    assert sell.slippage > 0 and buy.slippage > 0  # both worse than the mid
    assert sell.impact < 0 < buy.impact
    assert sell.slippage_cost == pytest.approx(sell.filled * (sell.reference_price - sell.vwap))
    # against a reference far below the fills, a sell gains: negative slippage
    gain = book.quote("sell", 1.0, reference_price=90.0)
    assert gain.slippage < 0


def test_quote_does_not_mutate_market_order_does():
    book = OrderBook.from_profile(100.0, profile="exponential", levels=10, depth=2.0, tick=0.5)
    before = book.bids.copy()
    q = book.quote("sell", 3.0)
    np.testing.assert_array_equal(book.bids, before)
    f = book.market_order("sell", 3.0)
    assert f == q
    assert book.bids[:, 1].sum() == pytest.approx(before[:, 1].sum() - 3.0)
    assert book.best_bid < before[0, 0]


def test_limit_stops_the_walk_and_reports_unfilled():
    book = OrderBook([(99.0, 1.0), (98.0, 1.0), (97.0, 5.0)], [(101.0, 1.0)])
    f = book.market_order("sell", 4.0, limit=98.0)
    assert (f.filled, f.unfilled, f.vwap, f.last_price) == (2.0, 2.0, 98.5, 98.0)
    assert not f.complete
    # limit above the best: nothing fills, no average of nothing
    g = book.quote("sell", 1.0, limit=100.0)
    assert g.filled == 0.0 and g.vwap is None and g.slippage is None


def test_fee_is_rate_times_notional():
    book = OrderBook([(99.0, 1.0), (98.0, 1.0)], [(101.0, 1.0)])
    f = book.quote("sell", 2.0, fee_rate=0.0005)
    assert f.fee == pytest.approx(0.0005 * (99.0 + 98.0))


def test_empty_side_fills_nothing_and_mid_raises():
    book = OrderBook([(99.0, 1.0)], [(101.0, 1.0)])
    book.market_order("sell", 1.0)
    with pytest.raises(ValueError, match="bid side of the book is empty"):
        book.mid
    f = book.market_order("sell", 1.0)
    assert f.filled == 0.0 and f.unfilled == 1.0
    book.replenish(1.0)
    assert book.best_bid == 99.0


@pytest.mark.parametrize(
    "call, match",
    [
        (lambda: OrderBook([], [(1.0, 1.0)]), "bids must hold at least one level"),
        (lambda: OrderBook([(1.0, 0.0)], [(2.0, 1.0)]), "bids must hold at least one level"),
        (lambda: OrderBook([(1.0, -1.0), (0.5, 1.0)], [(2.0, 1.0)]),
         r"bids quantity must be finite and >= 0; got -1.0 at index 0"),
        (lambda: OrderBook([(2.0, 1.0)], [(1.0, 1.0)]), "crossed"),
        (lambda: depth_profile("flat", 5, depth=-2.0), "depth must be finite and > 0"),
        (lambda: depth_profile("steep", 5), "profile must be one of 'flat', 'exponential'"),
        (lambda: depth_profile("flat", 0), "levels must be an integer >= 1"),
        (lambda: OrderBook.from_profile(100.0, levels=200, tick=1.0), "too wide"),
        (lambda: OrderBook([(1.0, 1.0)], [(2.0, 1.0)]).quote("sell", 1.0, fee_rate=1.0),
         r"fee_rate must be in \[0, 1\)"),
        (lambda: OrderBook([(1.0, 1.0)], [(2.0, 1.0)]).quote("hold", 1.0),
         "side must be one of 'buy', 'sell'"),
        (lambda: OrderBook([(1.0, 1.0)], [(2.0, 1.0)]).quote("buy", 0.0),
         "quantity must be finite and > 0"),
        (lambda: OrderBook([(1.0, 1.0)], [(2.0, 1.0)]).replenish(1.5), r"rate must be in \[0, 1\]"),
    ],
)
def test_bad_parameters_name_the_parameter(call, match):
    with pytest.raises(ValueError, match=match):
        call()


def test_profiles_are_seeded():
    a = OrderBook.from_profile(100.0, profile="thin", levels=50, noise=0.3, seed=7, tick=0.1)
    b = OrderBook.from_profile(100.0, profile="thin", levels=50, noise=0.3, seed=7, tick=0.1)
    c = OrderBook.from_profile(100.0, profile="thin", levels=50, noise=0.3, seed=8, tick=0.1)
    np.testing.assert_array_equal(a.bids, b.bids)
    assert not np.array_equal(a.bids, c.bids)
    thin = depth_profile("thin", 200, depth=1.0, seed=1)
    assert thin[0] > 0 and 0.2 < np.mean(thin > 0) < 0.6
    assert depth_profile("exponential", 5, decay=0.1).tolist() == pytest.approx(
        [math.exp(-0.1 * k) for k in range(5)])


def test_depth_within_band_and_records():
    book = OrderBook.from_profile(100.0, profile="flat", levels=5, depth=2.0, tick=1.0)
    assert book.depth("ask") == 10.0
    assert book.depth("ask", within=0.03) == 6.0  # asks 100.5, 101.5, 102.5 (<= 103)
    recs = book.to_records()
    assert len(recs) == 10 and recs[0]["side"] == "ask" and recs[-1]["side"] == "bid"


def test_shift_and_replenish():
    book = OrderBook.from_profile(100.0, profile="flat", levels=5, depth=1.0, tick=1.0)
    book.market_order("buy", 2.5)
    book.shift(-10.0)
    assert book.best_ask == pytest.approx(100.5 + 2 - 10)
    book.replenish(0.5)
    assert book.asks[:, 1].tolist() == pytest.approx([0.5, 0.5, 0.75, 1.0, 1.0])
    with pytest.raises(ValueError, match="lowest bid"):
        book.shift(-1000.0)


levels_st = st.lists(st.floats(0.0, 10.0, allow_nan=False), min_size=1, max_size=30)


@given(qty=levels_st, size=st.floats(1e-6, 200.0), limit_frac=st.none() | st.floats(0.5, 1.0),
       side=st.sampled_from(["sell", "buy"]))
def test_walk_matches_brute_force(qty, size, limit_frac, side):
    qty = [q if i else max(q, 0.1) for i, q in enumerate(qty)]
    n = len(qty)
    bids = [(100.0 - i, q) for i, q in enumerate(qty)]
    asks = [(101.0 + i, q) for i, q in enumerate(qty)]
    book = OrderBook(bids, asks)
    levels = bids if side == "sell" else asks
    limit = None
    if limit_frac is not None:
        limit = 100.0 - limit_frac * n if side == "sell" else 101.0 + limit_frac * n
    fill = book.quote(side, size, limit=limit)
    filled, notional, last = brute_force_fill(levels, size, limit, side)
    assert fill.filled == pytest.approx(filled, rel=1e-9, abs=1e-12)
    assert fill.filled + fill.unfilled == pytest.approx(size, rel=1e-12)
    if filled > 0:
        assert fill.vwap == pytest.approx(notional / filled, rel=1e-9)
        assert fill.last_price == last
        best = levels[0][0]
        lo, hi = sorted((best, last))
        assert lo - 1e-9 <= fill.vwap <= hi + 1e-9


def test_walk_levels_partial_and_cap():
    taken, touched = walk_levels(np.array([3.0, 2.0, 1.0]), np.array([1.0, 0.0, 4.0]), 10.0, 2)
    assert taken.tolist() == [1.0, 0.0, 0.0] and touched == 1


def test_uniform_book_closed_forms_match_a_fine_flat_book():
    from liqlearn.formulas.book_depth import uniform_book_last_price, uniform_book_vwap

    # a flat book with a tiny tick approximates the uniform density rho = depth / tick
    tick, depth = 0.01, 0.001
    book = OrderBook([(60_000 - k * tick, depth) for k in range(20_000)], [(60_001.0, 1.0)])
    f = book.quote("sell", 10.0)
    rho = depth / tick
    assert f.vwap == pytest.approx(uniform_book_vwap("sell", 60_000, 10.0, rho), abs=tick)
    assert f.last_price == pytest.approx(uniform_book_last_price("sell", 60_000, 10.0, rho),
                                         abs=tick)
    assert uniform_book_vwap("buy", 100.0, 1.0, 0.5) == 101.0
    with pytest.raises(ValueError, match="walk the bids down to a price <= 0"):
        uniform_book_vwap("sell", 100.0, 60.0, 0.5)
