"""The insurance-fund and ADL formulas, derived: the registry entries of :mod:`liqlearn.formulas.deleveraging`."""

from __future__ import annotations

from ..formulas.deleveraging import adl_score, fund_change


def formulas() -> list:
    import functools

    import sympy as sp

    from .registry import Formula
    from .symbols import symbols

    S = symbols()
    Q, E, P, M = (S[k] for k in ("quantity", "entry_price", "mark_price", "margin"))
    v_ = sp.Symbol("v", positive=True)
    B = sp.Symbol(r"P_{\mathrm{bkr}}", positive=True)
    dF = sp.Symbol(r"\Delta\mathrm{Fund}")  # F is the funding rate
    box = {"entry_price": (1e4, 1e5), "fill_price": (1e4, 1e5), "mark_price": (1e4, 1e5),
           "quantity": (0.01, 2.0), "margin": (100.0, 1e4)}
    out = []
    for side, s in (("long", 1), ("short", -1)):
        bkr = E - s * M / Q
        change = sp.expand(s * Q * (v_ - bkr))
        assert sp.simplify(change - (M + s * Q * (v_ - E))) == 0
        out.append(Formula(
            name=f"fund_change_{side}", expr=change,
            symbols={"entry_price": E, "fill_price": v_, "quantity": Q, "margin": M},
            numeric=functools.partial(fund_change, side),
            example={"entry_price": 60_000.0, "fill_price": 54_200.0 if s == 1 else 65_800.0,
                     "quantity": 1 / 6, "margin": 1_000.0},
            lhs=sp.latex(dF), domain=box,
            description=f"Insurance-fund change when a {side} is liquidated in full and filled "
                        f"at v: the equity at the fill price.",
            convention="Binance, Bybit, BitMEX (closed at the bankruptcy price)",
            steps=(("The account is closed at the bankruptcy price, the book pays v; the fund "
                    "keeps the difference", sp.Eq(dF, s * Q * (v_ - B))),
                   ("The bankruptcy price", sp.Eq(B, bkr)),
                   ("Substitute: the fund receives the equity at the fill price",
                    sp.Eq(dF, change))),
        ))
        pnl = s * (P - E) / E
        eq = M + s * Q * (P - E)
        lev = Q * P / eq
        score = sp.Piecewise((pnl * lev, pnl > 0), (pnl / lev, True))
        out.append(Formula(
            name=f"adl_score_{side}", expr=score,
            symbols={"entry_price": E, "mark_price": P, "quantity": Q, "margin": M},
            numeric=functools.partial(adl_score, side),
            example={"entry_price": 60_000.0, "mark_price": 50_000.0 if s == -1 else 70_000.0,
                     "quantity": 0.5, "margin": 750.0},
            lhs=r"\mathrm{rank}",
            domain={**box, "entry_price": (5e4, 7e4), "mark_price": (5e4, 7e4),
                    "quantity": (0.01, 0.1), "margin": (2e3, 1e4)},
            description=f"ADL ranking of a {side}: PnL% times effective leverage when winning, "
                        f"divided when losing.",
            convention="BitMEX, Bybit",
            steps=(("Profit as a fraction of the entry value",
                    sp.Eq(sp.Symbol(r"\mathrm{PnL\%}"), pnl)),
                   ("Effective leverage: notional at the mark over equity",
                    sp.Eq(sp.Symbol(r"L_{\mathrm{eff}}"), lev)),
                   ("Rank: winners by the product, losers by the quotient",
                    sp.Eq(sp.Symbol(r"\mathrm{rank}"), score))),
        ))
    return out
