"""Index, mark price and funding."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from liqlearn.formulas.prices import funding_basis_price, index_price, funding_payment, funding_rate, mark_price, moving_average_basis, moving_average_price, premium_index

prices = st.floats(1_000.0, 1e5)
rates = st.floats(-0.01, 0.01)
bases = st.floats(-500.0, 500.0)


def test_binance_style_example_by_hand():
    # Price1 = 60,000 * (1 + 0.0001 * 4/8) = 60,003; Price2 = 60,030
    assert funding_basis_price(60_000, 0.0001, 4, 8) == pytest.approx(60_003.0)
    assert moving_average_price(60_000, 30) == 60_030.0
    assert mark_price(60_000, 60_150, 0.0001, 4, 8, 30) == pytest.approx(60_030.0)
    assert mark_price(60_000, 50_000, 0.0001, 4, 8, 30) == pytest.approx(60_003.0)
    assert mark_price(60_000, 60_020, 0.0001, 4, 8, 30) == 60_020.0
    # at funding time Price1 is the index itself; negative funding and basis allowed
    assert funding_basis_price(60_000, -0.0005, 0, 8) == 60_000.0
    # Price1 = 60,000 * (1 - 0.0005) = 59,970, Price2 = 59,960, last 59,000: median 59,960
    assert mark_price(60_000, 59_000, -0.0005, 8, 8, -40) == pytest.approx(59_960.0)


@given(idx=prices, last=prices, f=rates, frac=st.floats(0.0, 1.0), basis=bases)
def test_mark_is_median_and_between_inputs(idx, last, f, frac, basis):
    mark = mark_price(idx, last, f, 8.0 * frac, 8.0, basis)
    p1 = idx * (1 + f * frac)
    p2 = idx + basis
    parts = [p1, p2, last]
    assert min(parts) - 1e-9 <= mark <= max(parts) + 1e-9
    assert mark == pytest.approx(float(np.median(parts)), rel=1e-12)


@given(idx=prices, f=rates, basis=bases, spike=st.floats(0.0, 1e6))
def test_one_wild_last_price_cannot_move_the_mark_beyond_the_others(idx, f, basis, spike):
    p1 = funding_basis_price(idx, f, 2.0, 8.0)
    p2 = moving_average_price(idx, basis)
    mark = mark_price(idx, idx + spike, f, 2.0, 8.0, basis)
    assert min(p1, p2) - 1e-9 <= mark <= max(p1, p2) + 1e-9


def test_mark_price_vectorises():
    out = mark_price(60_000, np.array([50_000.0, 60_010.0, 70_000.0]), 0.0001, 4, 8, 30)
    np.testing.assert_allclose(out, [60_003.0, 60_010.0, 60_030.0])
    assert isinstance(mark_price(60_000, 60_000, 0, 4, 8, 0), float)


@given(p=st.floats(-0.05, 0.05), i=st.floats(-0.001, 0.001), c=st.floats(0.0, 0.01))
def test_funding_clamp_bounds(p, i, c):
    f = funding_rate(p, i, c)
    assert min(p, i) - 1e-15 <= f <= max(p, i) + 1e-15
    assert abs(f - p) <= c + 1e-15
    if abs(i - p) <= c:
        assert f == pytest.approx(i, abs=1e-15)
    else:
        assert abs(f - p) == pytest.approx(c, abs=1e-15)


def test_funding_rate_by_hand_and_monotone():
    assert funding_rate(0.0003) == pytest.approx(0.0001)
    assert funding_rate(0.002) == pytest.approx(0.0015)
    assert funding_rate(-0.001) == pytest.approx(-0.0005)
    assert funding_rate(0.0001, 0.0001, 0.0) == pytest.approx(0.0001)
    grid = funding_rate(np.linspace(-0.01, 0.01, 401))
    assert np.all(np.diff(grid) >= -1e-18)


def test_premium_index():
    assert premium_index(60_060, 60_090, 60_000) == pytest.approx(0.001)
    assert premium_index(59_910, 59_940, 60_000) == pytest.approx(-0.001)
    assert premium_index(59_990, 60_010, 60_000) == 0.0
    out = premium_index([60_060, 59_990], [60_090, 60_010], 60_000)
    np.testing.assert_allclose(out, [0.001, 0.0])


@given(idx=prices, lo=st.floats(-0.05, 0.05), width=st.floats(0.0, 0.01))
def test_premium_sign_follows_the_spread(idx, lo, width):
    bid = idx * (1 + lo)
    ask = bid * (1 + width)
    prem = premium_index(bid, ask, idx)
    if bid > idx:
        assert prem > 0
    elif ask < idx:
        assert prem < 0
    else:
        assert prem == 0.0


@given(n=st.floats(1.0, 1e7), f=rates)
def test_funding_payment_zero_sum(n, f):
    long_, short = funding_payment("long", n, f), funding_payment("short", n, f)
    assert long_ == -short
    assert long_ * f <= 0  # a long pays when F > 0


def test_moving_average_basis():
    mid = np.array([100.0, 102.0, 104.0, 100.0, 101.0])
    idx = np.array([100.0, 100.0, 101.0, 101.0, 101.0])
    out = moving_average_basis(mid, idx, 3)
    np.testing.assert_allclose(out, [0.0, 1.0, 5 / 3, (2 + 3 - 1) / 3, (3 - 1 + 0) / 3])
    # window 1 is the basis itself; a window longer than the series is the expanding mean
    np.testing.assert_allclose(moving_average_basis(mid, idx, 1), mid - idx)
    np.testing.assert_allclose(moving_average_basis(mid, idx, 99),
                               np.cumsum(mid - idx) / np.arange(1, 6))
    # several series at once, time along the last axis
    both = moving_average_basis(np.stack([mid, mid + 1]), idx, 3)
    assert both.shape == (2, 5)
    np.testing.assert_allclose(both[1] - both[0], 1.0)


@given(st.lists(st.floats(-50, 50), min_size=1, max_size=60), st.integers(1, 40))
def test_moving_average_basis_matches_loop(gaps, window):
    idx = np.full(len(gaps), 60_000.0)
    mid = idx + np.array(gaps)
    out = moving_average_basis(mid, idx, window)
    expected = [np.mean(gaps[max(0, k - window + 1):k + 1]) for k in range(len(gaps))]
    np.testing.assert_allclose(out, expected, atol=1e-9)
    # the averaged basis feeds Price2
    assume(len(gaps) >= 1)
    assert moving_average_price(60_000, out[-1]) == pytest.approx(60_000 + expected[-1])


def test_index_price_rules():
    assert index_price([60_000, 60_030, 59_970]) == pytest.approx(60_000)
    # weights are normalised
    assert index_price([100.0, 102.0], [3, 1]) == pytest.approx(100.5)
    assert index_price([100.0, 102.0], [0.75, 0.25]) == pytest.approx(100.5)
    # one source 6 % off the median: weight zero, the rest re-normalised
    assert index_price([100.0, 101.0, 100.5, 94.0], [1, 1, 2, 4]) == pytest.approx(
        (100.0 + 101.0 + 2 * 100.5) / 4)
    # exactly 5 % off is kept (the rule is "more than")
    assert index_price([100.0, 100.0, 105.0]) == pytest.approx(305 / 3)
    # two outliers: the median of all
    assert index_price([100.0, 100.2, 100.4, 120.0, 80.0]) == 100.2
    # the only weighted source is the outlier: the median
    assert index_price([100.0, 100.0, 110.0], [0, 0, 1]) == 100.0
    # a time series: one row per moment
    rows = index_price(np.array([[100.0, 101.0, 102.0], [100.0, 101.0, 130.0]]))
    np.testing.assert_allclose(rows, [101.0, 100.5])


@given(st.lists(st.floats(50.0, 150.0), min_size=1, max_size=12),
       st.floats(0.0, 0.5))
def test_index_within_the_sources(prices, dev):
    out = index_price(prices, max_deviation=dev)
    assert min(prices) - 1e-9 <= out <= max(prices) + 1e-9


@pytest.mark.parametrize(
    "call, match",
    [
        (lambda: mark_price(-1, 60_000, 0, 4, 8, 0), r"index_price must be finite and > 0"),
        (lambda: mark_price(60_000, 0, 0, 4, 8, 0), r"last_price must be finite and > 0"),
        (lambda: mark_price(60_000, 60_000, np.nan, 4, 8, 0), r"funding_rate must be finite"),
        (lambda: mark_price(60_000, 60_000, 0, -1, 8, 0), r"time_to_funding must be finite and >= 0"),
        (lambda: mark_price(60_000, 60_000, 0, 9, 8, 0),
         r"time_to_funding 9 exceeds funding_interval 8: time_to_funding must be in \[0, funding_interval\]"),
        (lambda: mark_price(60_000, 60_000, 0, [4, 9], 8, 0), r"at index 1"),
        (lambda: mark_price(60_000, 60_000, 0, 4, 0, 0), r"funding_interval must be finite and > 0"),
        (lambda: mark_price(60_000, 60_000, 0, 4, 8, np.inf), r"basis_average must be finite"),
        (lambda: mark_price(60_000, 60_000, 0, 4, 8, -60_000), r"Price2\) -0 must be > 0|Price2\) 0 must be > 0"),
        (lambda: mark_price(60_000, 60_000, -3.0, 8, 8, 0), r"Price1\) .* must be > 0"),
        (lambda: mark_price([1, 2], 60_000, 0, 4, 8, [1, 2, 3]), r"do not broadcast"),
        (lambda: funding_basis_price(60_000, 0, 4, -8), r"funding_interval must be finite and > 0"),
        (lambda: moving_average_price(0, 1), r"index_price must be finite and > 0"),
        (lambda: funding_rate(0.001, 0.0001, -0.0005), r"clamp must be finite and >= 0"),
        (lambda: funding_rate(np.inf), r"premium_index must be finite"),
        (lambda: funding_rate(0.001, np.nan), r"interest_rate must be finite"),
        (lambda: premium_index(60_100, 60_000, 60_000), r"impact_bid 60100 is above impact_ask 60000"),
        (lambda: premium_index(0, 60_000, 60_000), r"impact_bid must be finite and > 0"),
        (lambda: premium_index(60_000, -1, 60_000), r"impact_ask must be finite and > 0"),
        (lambda: premium_index(60_000, 60_001, 0), r"index_price must be finite and > 0"),
        (lambda: funding_payment("flat", 10_000, 0.0001), r"side must be one of 'long', 'short'"),
        (lambda: funding_payment("long", -1, 0.0001), r"notional must be finite and > 0"),
        (lambda: funding_payment("long", 1, np.nan), r"funding_rate must be finite"),
        (lambda: moving_average_basis([1.0, 2.0], [1.0, 1.0], 0), r"window must be a whole number >= 1"),
        (lambda: moving_average_basis([1.0, -2.0], [1.0, 1.0], 2), r"mid_prices must be finite and > 0; got -2.0 at index 1"),
        (lambda: moving_average_basis([1.0, 2.0], [1.0, 0.0], 2), r"index_prices must be finite and > 0"),
        (lambda: moving_average_basis(1.0, 1.0, 2), r"must be time series"),
        (lambda: moving_average_basis([1.0, 2.0], [1.0, 1.0, 1.0], 2), r"do not broadcast"),
        (lambda: index_price(60_000.0), r"prices must be an array"),
        (lambda: index_price([60_000.0, -1.0]), r"prices must be finite and > 0; got -1.0 at index 1"),
        (lambda: index_price([1.0, 2.0], [1.0, -1.0]), r"weights must be finite and >= 0"),
        (lambda: index_price([1.0, 2.0], [0.0, 0.0]), r"weights must not all be zero"),
        (lambda: index_price([1.0, 2.0], [1.0, 1.0, 1.0]), r"do not broadcast"),
        (lambda: index_price([1.0, 2.0], max_deviation=-0.1), r"max_deviation must be finite and >= 0"),
    ],
)
def test_bad_input(call, match):
    with pytest.raises(ValueError, match=match):
        call()
