"""The option-pricing formulas, derived: the registry entries of :mod:`liqlearn.formulas.options`."""

from __future__ import annotations

from ..formulas.options import call_price, put_price




def formulas() -> list:
    import sympy as sp

    from .registry import Formula
    from .sympy_functions import Phi

    S, K, sig, T = sp.symbols("S K sigma T", positive=True)
    r, x = sp.symbols("r x", real=True)
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
    shared = dict(symbols=syms, example=example, domain=box,
                  convention="Black-Scholes (continuous rate; crypto venues often use r = 0)")
    return [
        Formula(
            name="call_price", expr=call, numeric=call_price, lhs=sp.latex(C), **shared,
            description="Black-Scholes price of a European call.",
            steps=(*common,
                   ("Discounted risk-neutral expectation of max(S_T - K, 0)",
                    sp.Eq(C, call_general)),
                   ("Substitute d1 and d2", sp.Eq(C, call))),
        ),
        Formula(
            name="put_price", expr=put, numeric=put_price, lhs=sp.latex(Pp), **shared,
            description="Black-Scholes price of a European put.",
            steps=(*common,
                   ("Put-call parity: a call minus a put is a forward",
                    sp.Eq(Pp, C - S + K * sp.exp(-r * T))),
                   ("Insert the call", sp.Eq(Pp, parity)),
                   ("Use Phi(x) = 1 - Phi(-x)", sp.Eq(Pp, put_general)),
                   ("Substitute d1 and d2", sp.Eq(Pp, put))),
        ),
    ]
