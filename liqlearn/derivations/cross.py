"""The cross-margin formulas, derived: the registry entries of :mod:`liqlearn.formulas.cross`."""

from __future__ import annotations

from ..formulas.cross import cross_collateral, cross_liquidation_price_from_totals




def formulas() -> list:
    import functools

    import sympy as sp

    from .registry import Formula
    from .symbols import symbols

    S = symbols()
    Q, E, P, m, c = (S[k] for k in ("quantity", "entry_price", "mark_price", "mmr",
                                    "maintenance_amount"))
    W = sp.Symbol("W", nonnegative=True)
    MMo = sp.Symbol(r"\mathrm{MM}_o", nonnegative=True)
    Uo = sp.Symbol(r"\mathrm{UPnL}_o", real=True)
    C = sp.Symbol("C")
    Pl = sp.Symbol(r"P_{\mathrm{liq}}")
    collateral = W - MMo + Uo
    # every draw: collateral in (0, 4.5e3] below the notional Q*E >= 5e3, so a long is > 0
    box = {"wallet_balance": (1e3, 4e3), "others_maintenance_margin": (0.0, 500.0),
           "others_unrealized_pnl": (-500.0, 500.0), "entry_price": (1e4, 1e5),
           "quantity": (0.5, 20.0), "mmr": (0.0, 0.02), "maintenance_amount": (0.0, 10.0)}
    out = [Formula(
        name="cross_collateral", expr=collateral,
        symbols={"wallet_balance": W, "others_maintenance_margin": MMo,
                 "others_unrealized_pnl": Uo},
        numeric=cross_collateral,
        example={"wallet_balance": 10_000.0, "others_maintenance_margin": 145.0,
                 "others_unrealized_pnl": 1_000.0},
        lhs="C", description="Collateral backing one position in cross margin: the wallet less "
                             "the other positions' maintenance margin plus their P&L.",
        convention="Binance USDⓈ-M cross (WB - TMM1 + UPNL1); dYdX v4 cross",
        domain=box,
        steps=(
            ("Cross margin: account equity meets account maintenance margin",
             sp.Eq(W + sp.Symbol(r"\mathrm{UPnL}_1") + Uo, sp.Symbol(r"\mathrm{MM}_1") + MMo)),
            ("Move the other positions to the collateral side",
             sp.Eq(collateral + sp.Symbol(r"\mathrm{UPnL}_1"), sp.Symbol(r"\mathrm{MM}_1"))),
            ("The collateral of position 1", sp.Eq(C, collateral)),
        ),
    )]
    for side, s in (("long", 1), ("short", -1)):
        cond = sp.Eq(collateral + s * Q * (P - E), Q * P * m - c)
        sol = sp.solve(cond, P)[0]
        out.append(Formula(
            name=f"cross_liquidation_price_{side}", expr=sol,
            symbols={"wallet_balance": W, "others_maintenance_margin": MMo,
                     "others_unrealized_pnl": Uo, "entry_price": E, "quantity": Q, "mmr": m,
                     "maintenance_amount": c},
            numeric=functools.partial(cross_liquidation_price_from_totals, side),
            example={"wallet_balance": 10_000.0, "others_maintenance_margin": 145.0,
                     "others_unrealized_pnl": 1_000.0, "entry_price": 60_000.0,
                     "quantity": 1.0, "mmr": 0.004, "maintenance_amount": 0.0},
            lhs=r"P_{\mathrm{liq}}",
            description=f"Cross-margin liquidation price of a {side}, the other positions "
                        "held at their marks.",
            convention="Binance USDⓈ-M cross, mark basis; dYdX v4 cross", domain=box,
            steps=(
                ("Collateral C plus the position's P&L meets its maintenance margin at P",
                 sp.Eq(C + s * Q * (P - E), Q * P * m - c)),
                ("Substitute the collateral", cond),
                ("Solve for the price P", sp.Eq(Pl, sol)),
            ),
        ))
    return out
