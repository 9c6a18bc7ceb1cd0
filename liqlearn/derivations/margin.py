"""The margin and leverage formulas, derived: the registry entries of :mod:`liqlearn.formulas.margin`."""

from __future__ import annotations

from ..formulas.margin import effective_leverage, equity, initial_margin, leverage, maintenance_margin, margin_ratio, notional, unrealized_pnl
from .symbols import symbols


def formulas() -> list:
    import functools

    import sympy as sp

    from .registry import Formula

    S = symbols()
    Q, E, P, M, m, c, L, N = (S[k] for k in ("quantity", "entry_price", "mark_price", "margin",
                                             "mmr", "maintenance_amount", "leverage", "notional"))
    primer = {"quantity": 1 / 6, "entry_price": 60_000.0, "margin": 1_000.0}
    box = {"quantity": (1e-3, 100.0), "entry_price": (1.0, 1e5), "mark_price": (1.0, 1e5),
           "margin": (0.0, 1e6), "price": (1.0, 1e5), "leverage": (1.0, 125.0),
           "mmr": (0.0, 0.2), "maintenance_amount": (0.0, 1e3), "notional": (1.0, 1e7)}
    out = [
        Formula(
            name="notional", expr=Q * P, symbols={"quantity": Q, "price": P},
            numeric=notional, example={"quantity": 1 / 6, "price": 60_000.0},
            lhs="N", description="Position value: size times price.",
            convention="all venues", domain=box,
            steps=(("Position value is size times price", sp.Eq(sp.Symbol("N"), Q * P)),),
        ),
        Formula(
            name="initial_margin", expr=Q * E / L,
            symbols={"quantity": Q, "entry_price": E, "leverage": L},
            numeric=initial_margin,
            example={"quantity": 1 / 6, "entry_price": 60_000.0, "leverage": 10.0},
            lhs=r"\mathrm{IM}", description="Collateral needed to open at leverage L.",
            convention="all venues", domain=box,
            steps=(("Leverage is notional over margin", sp.Eq(L, Q * E / sp.Symbol("IM"))),
                   ("Solve for the margin", sp.Eq(sp.Symbol("IM"), Q * E / L))),
        ),
        Formula(
            name="leverage", expr=Q * E / M,
            symbols={"quantity": Q, "entry_price": E, "margin": M},
            numeric=leverage, example=dict(primer), lhs="L",
            description="Leverage at entry: notional over margin.", convention="all venues",
            domain={**box, "margin": (1e-2, 1e6)},
            steps=(("Leverage is notional over margin", sp.Eq(L, Q * E / M)),),
        ),
        Formula(
            name="maintenance_margin", expr=N * m - c,
            symbols={"notional": N, "mmr": m, "maintenance_amount": c},
            numeric=maintenance_margin,
            example={"notional": 10_000.0, "mmr": 0.005, "maintenance_amount": 0.0},
            lhs=r"\mathrm{MM}", description="Maintenance margin: notional times rate minus the maintenance amount.",
            convention="Binance brackets (cum), Bybit risk limits (MM deduction)", domain=box,
            steps=(("Rate times notional, less the tier's maintenance amount",
                    sp.Eq(sp.Symbol("MM"), N * m - c)),),
        ),
    ]
    for side, s in (("long", 1), ("short", -1)):
        upnl = s * Q * (P - E)
        eq = M + upnl
        mm = Q * P * m - c
        args = {"entry_price": E, "mark_price": P, "quantity": Q}
        ex = {"entry_price": 60_000.0, "mark_price": 57_000.0 if s == 1 else 63_000.0,
              "quantity": 1 / 6}
        out += [
            Formula(
                name=f"unrealized_pnl_{side}", expr=upnl, symbols=args,
                numeric=functools.partial(unrealized_pnl, side), example=ex,
                lhs=r"\mathrm{UPnL}", convention="all venues (marked at the mark price)",
                description=f"Unrealized P&L of a {side}.", domain=box,
                steps=((f"A {side} gains s(P - E) per unit, s = {s}",
                        sp.Eq(sp.Symbol("UPnL"), upnl)),),
            ),
            Formula(
                name=f"equity_{side}", expr=eq, symbols={**args, "margin": M},
                numeric=functools.partial(equity, side), example={**ex, "margin": 1_000.0},
                lhs=r"\mathrm{Equity}", convention="all venues (isolated margin)",
                description=f"Equity of a {side}: margin plus unrealized P&L.", domain=box,
                steps=(("Equity is margin plus unrealized P&L",
                        sp.Eq(sp.Symbol("Equity"), M + sp.Symbol("UPnL"))),
                       ("Substitute the unrealized P&L", sp.Eq(sp.Symbol("Equity"), eq))),
            ),
            Formula(
                name=f"margin_ratio_{side}", expr=mm / eq,
                symbols={**args, "margin": M, "mmr": m, "maintenance_amount": c},
                numeric=functools.partial(margin_ratio, side),
                example={**ex, "margin": 1_000.0, "mmr": 0.005, "maintenance_amount": 0.0},
                lhs=r"\mathrm{MR}", convention="Binance (liquidation at 100 %)",
                description=f"Margin ratio of a {side}: maintenance margin over equity.",
                domain={**box, "margin": (1e3, 1e6), "quantity": (1e-3, 1e-2),
                        "maintenance_amount": (0.0, 0.0)},
                steps=(("Margin ratio is maintenance margin over equity",
                        sp.Eq(sp.Symbol("MR"), sp.Symbol("MM") / sp.Symbol("Equity"))),
                       ("Both at the mark price", sp.Eq(sp.Symbol("MR"), mm / eq))),
            ),
            Formula(
                name=f"effective_leverage_{side}", expr=Q * P / eq, symbols={**args, "margin": M},
                numeric=functools.partial(effective_leverage, side),
                example={**ex, "margin": 1_000.0}, lhs=r"L_{\mathrm{eff}}",
                convention="all venues",
                domain={**box, "margin": (1e3, 1e6), "quantity": (1e-3, 1e-2)},
                description=f"Effective leverage of a {side}: notional at mark over equity.",
                steps=(("Notional at the mark over equity", sp.Eq(sp.Symbol("L_eff"), Q * P / eq)),),
            ),
        ]
    return out
