"""margin_after_funding and liquidation_price_after_funding (liqlearn.formulas.prices)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import liqlearn as ll
from liqlearn.formulas.prices import liquidation_price_after_funding, margin_after_funding


def test_hand_values_primer_long_and_short():
    # 10,000 USDT notional, 0.05 % per 8 h, 30 days = 90 payments of 5 USDT
    assert margin_after_funding("long", 1_000, 10_000, 0.0005, 90) == pytest.approx(550.0)
    assert margin_after_funding("short", 1_000, 10_000, 0.0005, 90) == pytest.approx(1_450.0)
    # negative rate: shorts pay longs
    assert margin_after_funding("long", 1_000, 10_000, -0.0001, 3) == pytest.approx(1_003.0)
    assert margin_after_funding("short", 1_000, 10_000, -0.0001, 3) == pytest.approx(997.0)
    assert margin_after_funding("long", 1_000, 10_000, 0.0005, 0) == 1_000.0


def test_equals_repeated_funding_payments():
    margin = 1_000.0
    for _ in range(9):
        margin += ll.funding_payment("long", 10_000, 0.0001)
    assert margin_after_funding("long", 1_000, 10_000, 0.0001, 9) == pytest.approx(margin)


def test_vectorises_over_periods_like_the_chapter_figure():
    days = np.arange(0, 31)
    got = margin_after_funding("long", 1_000, 10_000, 0.0005, 3 * days)
    np.testing.assert_allclose(got, 1_000 + 3 * days * ll.funding_payment("long", 10_000, 0.0005))
    assert isinstance(got, np.ndarray) and got.shape == (31,)
    assert isinstance(margin_after_funding("long", 1_000, 10_000, 0.0005, 3), float)


def test_may_go_negative_when_funding_exceeds_the_margin():
    assert margin_after_funding("long", 100, 10_000, 0.001, 20) == pytest.approx(-100.0)


@pytest.mark.parametrize("args, message", [
    (("flat", 1_000, 10_000, 0.0001, 3), "side must be one of 'long', 'short'"),
    (("long", -1.0, 10_000, 0.0001, 3), "margin must be finite and >= 0"),
    (("long", 1_000, 0.0, 0.0001, 3), "notional must be finite and > 0"),
    (("long", 1_000, 10_000, math.inf, 3), "funding_rate must be finite"),
    (("long", 1_000, 10_000, 0.0001, -1), "periods must be finite and >= 0"),
    (("long", 1_000, 10_000, 0.0001, [1, -2]), "periods must be finite and >= 0; got -2.0 at index 1"),
    (("long", [1_000, 2_000], 10_000, 0.0001, [1, 2, 3]), "do not broadcast"),
])
def test_bad_input(args, message):
    with pytest.raises(ValueError, match=message):
        margin_after_funding(*args)


def test_liquidation_price_after_funding_hand_value():
    # 450 USDT paid: P = (10,000 - 550) / (1/6 * 0.995)
    got = liquidation_price_after_funding("long", 60_000, 1 / 6, 1_000, 0.005, 0.0005, 90)
    assert got == pytest.approx((10_000 - 550) / (1 / 6 * 0.995), rel=1e-12)
    assert liquidation_price_after_funding("long", 60_000, 1 / 6, 1_000, 0.005, 0.0005, 0) == \
        ll.liquidation_price("long", 60_000, 1 / 6, 1_000, 0.005)


def test_liquidation_price_after_funding_passes_options_through():
    kw = dict(fee_rate=0.0005, mm_basis="entry")
    got = liquidation_price_after_funding("short", 60_000, 1 / 6, 1_000, 0.005, 0.0005, 9,
                                          mark_price=61_000, **kw)
    margin = 1_000 + 9 * 0.0005 * (61_000 / 6)  # the short receives on the notional at the mark
    assert got == pytest.approx(ll.liquidation_price("short", 60_000, 1 / 6, margin, 0.005, **kw))


def test_liquidation_price_after_funding_rejects_exhausted_margin():
    with pytest.raises(ValueError, match="funding leaves a margin of -500"):
        liquidation_price_after_funding("long", 60_000, 1 / 6, 1_000, 0.005, 0.0005, 300)
    with pytest.raises(ValueError, match="at or below the maintenance margin"):
        liquidation_price_after_funding("long", 60_000, 1 / 6, 1_000, 0.005, 0.0005, 190)
    with pytest.raises(ValueError, match="mark_price must be finite and > 0"):
        liquidation_price_after_funding("long", 60_000, 1 / 6, 1_000, 0.005, 0.0005, 9,
                                        mark_price=0.0)


@given(side=st.sampled_from(["long", "short"]), m=st.floats(0.0, 1e6), n=st.floats(1.0, 1e7),
       f=st.floats(-0.01, 0.01), k1=st.integers(0, 500), k2=st.integers(0, 500))
def test_payments_add_up(side, m, n, f, k1, k2):
    """k1 payments then k2 more equal k1 + k2 payments; the long and short mirror each other."""
    first = margin_after_funding(side, m, n, f, k1)
    both = first - m + margin_after_funding(side, m, n, f, k2)
    scale = max(1.0, m, n * abs(f) * (k1 + k2))
    assert both == pytest.approx(margin_after_funding(side, m, n, f, k1 + k2), abs=1e-9 * scale)
    other = "short" if side == "long" else "long"
    mirror = margin_after_funding(other, m, n, f, k1)
    assert first + mirror == pytest.approx(2 * m, abs=1e-9 * scale)  # funding is zero-sum


@given(f=st.floats(1e-6, 0.002), k=st.integers(1, 150))
def test_paying_funding_moves_the_long_trigger_towards_entry(f, k):
    before = ll.liquidation_price("long", 60_000, 1 / 6, 1_000, 0.005)
    try:
        after = liquidation_price_after_funding("long", 60_000, 1 / 6, 1_000, 0.005, f, k)
    except ValueError:
        assert margin_after_funding("long", 1_000, 10_000, f, k) <= 50.0  # MM at entry
        return
    assert before < after < 60_000
