"""Black-Scholes call and put prices."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy.stats import norm

from liqlearn.formulas.options import call_price, put_price

spots = st.floats(10.0, 1e5)
moneyness = st.floats(0.3, 3.0)
vols = st.floats(0.01, 3.0)
horizons = st.floats(0.001, 5.0)
rates = st.floats(-0.05, 0.2)


def test_textbook_value():
    # Hull's classic: S = 42, K = 40, r = 10 %, sigma = 20 %, T = 0.5 -> call 4.76, put 0.81
    assert round(call_price(42, 40, 0.2, 0.5, 0.1), 2) == 4.76
    assert round(put_price(42, 40, 0.2, 0.5, 0.1), 2) == 0.81


def test_independent_formula():
    S, K, sig, T, r = 60_000.0, 55_000.0, 0.8, 30 / 365, 0.0
    d1 = (math.log(S / K) + (r + sig**2 / 2) * T) / (sig * math.sqrt(T))
    d2 = d1 - sig * math.sqrt(T)
    assert call_price(S, K, sig, T, r) == pytest.approx(S * norm.cdf(d1) - K * norm.cdf(d2), rel=1e-12)
    assert put_price(S, K, sig, T, r) == pytest.approx(K * norm.cdf(-d2) - S * norm.cdf(-d1), rel=1e-12)


@given(S=spots, k=moneyness, sig=vols, T=horizons, r=rates)
def test_put_call_parity(S, k, sig, T, r):
    K = S * k
    lhs = call_price(S, K, sig, T, r) - put_price(S, K, sig, T, r)
    assert lhs == pytest.approx(S - K * math.exp(-r * T), rel=1e-9, abs=1e-9 * S)


@given(S=spots, k=moneyness, sig=vols, T=horizons, r=rates)
def test_no_arbitrage_bounds(S, k, sig, T, r):
    K = S * k
    disc = K * math.exp(-r * T)
    c, p = call_price(S, K, sig, T, r), put_price(S, K, sig, T, r)
    assert max(S - disc, 0.0) - 1e-9 * S <= c <= S
    assert max(disc - S, 0.0) - 1e-9 * S <= p <= disc + 1e-9 * S


@given(S=spots, k=moneyness, T=horizons, s1=vols, s2=vols)
def test_monotone_in_volatility(S, k, T, s1, s2):
    lo, hi = sorted((s1, s2))
    assert call_price(S, S * k, lo, T) <= call_price(S, S * k, hi, T) + 1e-9 * S
    assert put_price(S, S * k, lo, T) <= put_price(S, S * k, hi, T) + 1e-9 * S


def test_limits_and_shapes():
    assert call_price(120, 100, 0.2, 0.0) == 20.0
    assert put_price(80, 100, 0.0, 1.0) == 20.0
    assert put_price(120, 100, 0.0, 1.0) == 0.0
    assert call_price(100, 100, 0.0, 1.0, 0.05) == pytest.approx(100 - 100 * math.exp(-0.05))
    out = call_price(100, np.array([80.0, 100.0, 120.0]), 0.5, 1.0)
    assert out.shape == (3,) and out[0] > out[1] > out[2]
    assert isinstance(put_price(100, 100, 0.5, 1.0), float)


@pytest.mark.parametrize(
    "call, match",
    [
        (lambda: call_price(0, 100, 0.2, 1.0), r"spot must be finite and > 0"),
        (lambda: call_price(100, -1, 0.2, 1.0), r"strike must be finite and > 0"),
        (lambda: call_price(100, 100, -0.2, 1.0), r"volatility must be finite and >= 0"),
        (lambda: put_price(100, 100, 0.2, -1.0), r"horizon must be finite and >= 0"),
        (lambda: put_price(100, 100, 0.2, 1.0, np.nan), r"rate must be finite"),
        (lambda: put_price(100, [100, np.inf], 0.2, 1.0), r"strike must be finite and > 0; got inf at index 1"),
        (lambda: call_price([1, 2], [1, 2, 3], 0.2, 1.0), r"do not broadcast"),
    ],
)
def test_bad_input(call, match):
    with pytest.raises(ValueError, match=match):
        call()
