"""The inverse-question (target price, ratio) formulas, derived: the registry entries of :mod:`liqlearn.formulas.solvers`."""

from __future__ import annotations

from ..formulas.solvers import liquidation_ratio, margin_for_liquidation_price




def formulas() -> list:
    import functools

    import sympy as sp

    from .registry import Formula
    from .symbols import symbols

    S = symbols()
    Q, E, M, m, c, f = (S[k] for k in ("quantity", "entry_price", "margin", "mmr",
                                       "maintenance_amount", "fee_rate"))
    P = sp.Symbol("P_t", positive=True)
    syms = {"entry_price": E, "quantity": Q, "target_price": P, "mmr": m,
            "maintenance_amount": c, "fee_rate": f}
    out = []
    for side, s in (("long", 1), ("short", -1)):
        for basis in ("mark", "entry"):
            mm = Q * (P if basis == "mark" else E) * (m + f) - c
            condition = sp.Eq(M + s * Q * (P - E), mm)
            solved = sp.solve(condition, M)
            assert len(solved) == 1, solved
            expr = sp.expand(solved[0])
            lo_hi = ((5e4, 1e5), (1e3, 4.9e4)) if s == 1 else ((1e3, 4.9e4), (5e4, 1e5))
            out.append(Formula(
                name=f"margin_for_liquidation_price_{side}_{basis}", expr=expr, symbols=syms,
                numeric=functools.partial(margin_for_liquidation_price, side, mm_basis=basis),
                example={"entry_price": 60_000.0, "quantity": 1 / 6,
                         "target_price": 54_000.0 if s == 1 else 66_000.0, "mmr": 0.005,
                         "maintenance_amount": 0.0, "fee_rate": 0.0},
                lhs="M", description=f"Margin that puts a {side}'s liquidation price at the "
                                     "target price.",
                convention=("Binance USDⓈ-M, dYdX, Hyperliquid (mark basis)" if basis == "mark"
                            else "Bybit isolated, 2024 page (maintenance margin at entry)"),
                domain={"entry_price": lo_hi[0], "target_price": lo_hi[1],
                        "quantity": (0.1, 100.0), "mmr": (0.001, 0.2),
                        "maintenance_amount": (0.0, 0.1), "fee_rate": (0.0, 0.001)},
                steps=(("The liquidation condition: equity equals maintenance margin "
                        "at the target price", condition),
                       ("Solve for the margin instead of the price", sp.Eq(M, expr))),
            ))
    # Liquidation price over entry at leverage L (margin Q E / L, no maintenance amount).
    Lv = sp.Symbol("L", positive=True)
    Pl = sp.Symbol("P", positive=True)
    ratio_syms = {"leverage": Lv, "mmr": m, "fee_rate": f}
    for side, s in (("long", 1), ("short", -1)):
        for basis in ("mark", "entry"):
            mm = Q * (Pl if basis == "mark" else E) * (m + f)
            condition = sp.Eq(Q * E / Lv + s * Q * (Pl - E), mm)
            price = sp.solve(condition, Pl)[0]
            ratio = sp.simplify(price / E)
            out.append(Formula(
                name=f"liquidation_ratio_{side}_{basis}", expr=ratio, symbols=ratio_syms,
                numeric=functools.partial(liquidation_ratio, side, mm_basis=basis),
                example={"leverage": 10.0, "mmr": 0.005, "fee_rate": 0.0},
                lhs=r"P_{\mathrm{liq}} / E",
                description=f"Liquidation price of a {side} as a fraction of its entry price, "
                            "at leverage L.",
                convention=("Binance USDⓈ-M, dYdX, Hyperliquid (mark basis)" if basis == "mark"
                            else "Bybit isolated, 2024 page (maintenance margin at entry)"),
                domain={"leverage": (1.5, 100.0), "mmr": (0.0, 0.009), "fee_rate": (0.0, 0.001)},
                steps=(("Margin at leverage L", sp.Eq(M, Q * E / Lv)),
                       ("The liquidation condition with that margin", condition),
                       ("Solve for P", sp.Eq(sp.Symbol("P_liq"), price)),
                       ("Divide by the entry price: the quantity drops out",
                        sp.Eq(sp.Symbol("P_liq") / E, ratio))),
            ))
    return out
