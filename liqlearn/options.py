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

from . import _validation as v

__all__ = ["call_price", "put_price"]

ArrayLike = Any


def _black_scholes(spot: ArrayLike, strike: ArrayLike, volatility: ArrayLike,
                   horizon: ArrayLike, rate: ArrayLike, s: int) -> Any:
    """``s = +1`` call, ``-1`` put: ``s*(S Phi(s d1) - K e^{-rT} Phi(s d2))``."""
    scalar = v.is_scalar(spot, strike, volatility, horizon, rate)
    S = v.positive("spot", spot)
    K = v.positive("strike", strike)
    sig = v.nonnegative("volatility", volatility)
    T = v.nonnegative("horizon", horizon)
    r = v.finite("rate", rate)
    S, K, sig, T, r = v.broadcast(spot=S, strike=K, volatility=sig, horizon=T, rate=r)
    disc_k = K * np.exp(-r * T)
    width = sig * np.sqrt(T)
    live = width > 0
    w = np.where(live, width, 1.0)
    d1 = (np.log(S / K) + (r + 0.5 * sig**2) * T) / w
    d2 = d1 - w
    price = s * (S * ndtr(s * d1) - disc_k * ndtr(s * d2))
    # no uncertainty left: the discounted intrinsic value
    price = np.where(live, price, np.maximum(s * (S - disc_k), 0.0))
    return v.output(np.maximum(price, 0.0), scalar)


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


# --------------------------------------------------------------------------
# Registry entries (SymPy is imported here only)
# --------------------------------------------------------------------------


def _formulas() -> list:
    import sympy as sp

    from ._registry import Formula
    from .risk import normal_cdf_function

    Phi = normal_cdf_function()
    S = sp.Symbol("S", positive=True)
    K = sp.Symbol("K", positive=True)
    sig = sp.Symbol("sigma", positive=True)
    T = sp.Symbol("T", positive=True)
    r = sp.Symbol("r", real=True)
    x = sp.Symbol("x", real=True)
    d1s, d2s = sp.symbols("d_1 d_2", real=True)
    C, Pp = sp.Symbol(r"C_{\mathrm{call}}"), sp.Symbol(r"P_{\mathrm{put}}")  # P is the mark
    d1 = (sp.log(S / K) + (r + sig**2 / 2) * T) / (sig * sp.sqrt(T))
    d2 = d1 - sig * sp.sqrt(T)
    call_general = S * Phi(d1s) - K * sp.exp(-r * T) * Phi(d2s)
    call = call_general.subs({d1s: d1, d2s: d2})
    parity = call_general - S + K * sp.exp(-r * T)
    # Phi(x) = 1 - Phi(-x): the put in its numerically stable form
    put_general = sp.expand(parity.subs({Phi(d1s): 1 - Phi(-d1s), Phi(d2s): 1 - Phi(-d2s)}))
    put = put_general.subs({d1s: d1, d2s: d2})
    syms = {"spot": S, "strike": K, "volatility": sig, "horizon": T, "rate": r}
    example = {"spot": 100.0, "strike": 90.0, "volatility": 0.5, "horizon": 0.5, "rate": 0.05}
    box = {"spot": (50.0, 150.0), "strike": (50.0, 150.0), "volatility": (0.05, 2.0),
           "horizon": (0.01, 5.0), "rate": (-0.05, 0.1)}
    common = (("Standardised log-moneyness", sp.Eq(d1s, d1)),
              ("d2 is d1 less one standard deviation of the log-price", sp.Eq(d2s, d2)),
              ("Phi is the standard normal CDF, written with erf",
               sp.Eq(Phi(x), Phi(x).rewrite(sp.erf))))
    return [
        Formula(
            name="call_price", expr=call, symbols=syms, numeric=call_price, example=example,
            lhs=sp.latex(C), description="Black-Scholes price of a European call.",
            convention="Black-Scholes (continuous rate; crypto venues often use r = 0)",
            domain=box,
            steps=(*common,
                   ("Discounted risk-neutral expectation of max(S_T - K, 0)",
                    sp.Eq(C, call_general)),
                   ("Substitute d1 and d2", sp.Eq(C, call))),
        ),
        Formula(
            name="put_price", expr=put, symbols=syms, numeric=put_price, example=example,
            lhs=sp.latex(Pp), description="Black-Scholes price of a European put.",
            convention="Black-Scholes (continuous rate; crypto venues often use r = 0)",
            domain=box,
            steps=(*common,
                   ("Put-call parity: a call minus a put is a forward",
                    sp.Eq(Pp, C - S + K * sp.exp(-r * T))),
                   ("Insert the call", sp.Eq(Pp, parity)),
                   ("Use Phi(x) = 1 - Phi(-x)", sp.Eq(Pp, put_general)),
                   ("Substitute d1 and d2", sp.Eq(Pp, put))),
        ),
    ]
