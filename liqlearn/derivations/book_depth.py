"""The uniform-book formulas, derived: the registry entries of :mod:`liqlearn.formulas.book_depth`."""

from __future__ import annotations

from ..formulas.book_depth import uniform_book_last_price, uniform_book_vwap


def formulas() -> list:
    import functools

    import sympy as sp

    from .registry import Formula

    b = sp.Symbol(r"P_{\mathrm{best}}", positive=True)  # b is the log distance elsewhere
    Q = sp.Symbol("Q", positive=True)
    rho = sp.Symbol(r"\rho", positive=True)
    x = sp.Symbol("x", nonnegative=True)
    p_last = sp.Symbol(r"P_{\mathrm{last}}", positive=True)
    syms = {"best_price": b, "quantity": Q, "density": rho}
    example = {"best_price": 60_000.0, "quantity": 10.0, "density": 0.05}
    box = {"best_price": (1e4, 1e5), "quantity": (0.01, 50.0), "density": (0.01, 10.0)}
    out = []
    for side, sgn, verb in (("sell", -1, "bids"), ("buy", 1, "asks")):
        price_at = b + sgn * x / rho  # price reached after x has been taken
        last = sp.solve(sp.Eq(Q, rho * sgn * (p_last - b)), p_last)[0]
        vwap = sp.simplify(sp.integrate(price_at, (x, 0, Q)) / Q)
        assert sp.simplify(vwap - (b + sgn * Q / (2 * rho))) == 0
        shared = dict(symbols=syms, example=dict(example), domain=box,
                      convention="model: uniform (flat) order book")
        out += [
            Formula(
                name=f"uniform_book_last_price_{side}", expr=last, lhs=r"P_{\mathrm{last}}",
                numeric=functools.partial(uniform_book_last_price, side), **shared,
                description=f"Last fill price of a market {side} of Q on a uniform book of "
                            f"density rho.",
                steps=((f"Between the best price P_best and the last price the {verb} hold "
                        f"rho per unit of price", sp.Eq(Q, rho * sgn * (p_last - b))),
                       ("Solve for the last price", sp.Eq(p_last, last))),
            ),
            Formula(
                name=f"uniform_book_vwap_{side}", expr=vwap, lhs=r"\mathrm{VWAP}",
                numeric=functools.partial(uniform_book_vwap, side), **shared,
                description=f"Average fill price of a market {side} of Q on a uniform book "
                            f"of density rho.",
                steps=(("After taking x the order fills at", sp.Eq(sp.Symbol("p(x)"), price_at)),
                       ("VWAP is the average price over the quantity filled",
                        sp.Eq(sp.Symbol("VWAP"),
                              sp.Integral(price_at, (x, 0, Q)) / Q)),
                       ("Integrate", sp.Eq(sp.Symbol("VWAP"), vwap))),
            ),
        ]
    return out
