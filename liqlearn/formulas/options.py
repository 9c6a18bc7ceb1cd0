"""Options for comparison: Black-Scholes prices of European calls and puts.

The book compares a leveraged futures position with an option on the same
move: the option's holder can lose at most the premium paid (SEC investor
bulletin "An Introduction to Options"; OCC "Characteristics and Risks of
Standardized Options"), while a futures position is liquidated on the *path*
-- a dip that later recovers still closes it.  With ``Phi`` the standard
normal CDF, ``s = sigma * sqrt(T)``,

    d1 = (ln(S/K) + (r + sigma^2/2) T) / s,   d2 = d1 - s
    call = S Phi(d1) - K exp(-r T) Phi(d2)
    put  = K exp(-r T) Phi(-d2) - S Phi(-d1)

and put-call parity ``call - put = S - K exp(-r T)`` ties them together.
Volatility is annualised, the horizon in years, ``rate`` continuously
compounded (crypto options on Deribit are usually priced with ``rate = 0``).

>>> round(call_price(100, 100, 0.2, 1.0), 4)
7.9656
"""

from __future__ import annotations

from typing import Any

import numpy as np
from scipy.special import ndtr

from . import validation as v

__all__ = ["call_price", "put_price"]

ArrayLike = v.ArrayLike
FloatOrArray = v.FloatOrArray


@v.checked(spot=v.positive, strike=v.positive, volatility=v.nonnegative, horizon=v.nonnegative,
           rate=v.finite)
def _black_scholes(spot: ArrayLike, strike: ArrayLike, volatility: ArrayLike,
                   horizon: ArrayLike, rate: ArrayLike, s: int) -> Any:
    """``s = +1`` call, ``-1`` put: ``s*(S Phi(s d1) - K e^{-rT} Phi(s d2))``."""
    S, K, sig, T, r = spot, strike, volatility, horizon, rate
    disc_k = K * np.exp(-r * T)
    width = sig * np.sqrt(T)
    live = width > 0
    w = np.where(live, width, 1.0)
    d1 = (np.log(S / K) + (r + 0.5 * sig**2) * T) / w
    d2 = d1 - w
    price = s * (S * ndtr(s * d1) - disc_k * ndtr(s * d2))
    # no uncertainty left: the discounted intrinsic value
    price = np.where(live, price, np.maximum(s * (S - disc_k), 0.0))
    return np.maximum(price, 0.0)


def call_price(spot: ArrayLike, strike: ArrayLike, volatility: ArrayLike, horizon: ArrayLike,
               rate: ArrayLike = 0.0) -> Any:
    """Black-Scholes price of a European call: ``S Phi(d1) - K e^{-rT} Phi(d2)``.

    ``volatility`` or ``horizon`` 0 gives the discounted intrinsic value
    ``max(S - K e^{-rT}, 0)``.

    At the money, 20 % volatility, one year, no rate: ``d1 = 0.1``, ``d2 =
    -0.1`` and ``100 * (Phi(0.1) - Phi(-0.1)) = 100 * (0.539828 - 0.460172) =
    7.9656``.

    >>> round(call_price(100, 100, 0.2, 1.0), 4)
    7.9656
    >>> call_price(120, 100, 0.2, 0.0)
    20.0
    """
    return _black_scholes(spot, strike, volatility, horizon, rate, 1)


def put_price(spot: ArrayLike, strike: ArrayLike, volatility: ArrayLike, horizon: ArrayLike,
              rate: ArrayLike = 0.0) -> Any:
    """Black-Scholes price of a European put: ``K e^{-rT} Phi(-d2) - S Phi(-d1)``.

    Put-call parity: ``call - put = S - K e^{-rT}``; at the money with no rate
    the two are equal.  The most a put's buyer can lose is this premium.
    Parity with S = 100, K = 90, r = 5 %, T = 0.5: ``100 - 90 e^{-0.025} = 12.2221``.

    >>> round(put_price(100, 100, 0.2, 1.0), 4)
    7.9656
    >>> round(call_price(100, 90, 0.5, 0.5, 0.05) - put_price(100, 90, 0.5, 0.5, 0.05), 4)
    12.2221
    """
    return _black_scholes(spot, strike, volatility, horizon, rate, -1)
