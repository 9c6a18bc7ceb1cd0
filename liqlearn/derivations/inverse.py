"""The inverse-contract formulas, derived: the registry entries of :mod:`liqlearn.formulas.inverse`."""

from __future__ import annotations

from ..formulas.inverse import inverse_bankruptcy_price, inverse_liquidation_price, inverse_margin_for_liquidation_price, inverse_unrealized_pnl




def formulas() -> list:
    import functools

    import sympy as sp

    from .registry import Formula

    Q, V, E, P = sp.symbols("Q V E P", positive=True)
    M, m, c, f = sp.symbols("M m c f", nonnegative=True)
    Pl = sp.Symbol("P", positive=True)  # the unknown (liquidation/bankruptcy price)
    Pt = sp.Symbol("P_t", positive=True)  # a target liquidation price
    base = {"entry_price": E, "contracts": Q, "contract_size": V}
    box = {"entry_price": (1_000.0, 1e5), "mark_price": (1_000.0, 1e5),
           "contracts": (1.0, 1e4), "contract_size": (1.0, 100.0),
           "margin": (0.0, 100.0), "mmr": (0.0, 0.2), "maintenance_amount": (0.0, 0.5),
           "fee_rate": (0.0, 0.001)}
    Equity, MM = sp.Symbol("Equity"), sp.Symbol("MM")
    # Liquidation boxes: coin value Q V / E in [1, 10], margin in [0.5, 0.9] (below the
    # value, so a short's answer is finite, not its never-liquidated inf) and above the
    # maintenance margin at entry (value * (m + f) <= 0.41), so few draws are rejected.
    liq_box = {"entry_price": (2e4, 5e4), "contracts": (1e3, 2e3), "contract_size": (50.0, 100.0),
               "margin": (0.5, 0.9), "mmr": (0.001, 0.04), "maintenance_amount": (0.0, 1e-3),
               "fee_rate": (0.0, 0.001)}
    out = []
    for side, s in (("long", 1), ("short", -1)):
        upnl = s * Q * V * (1 / E - 1 / P)
        out.append(Formula(
            name=f"inverse_unrealized_pnl_{side}", expr=upnl,
            symbols={**base, "mark_price": P},
            numeric=functools.partial(inverse_unrealized_pnl, side),
            example={"entry_price": 50_000.0, "mark_price": 40_000.0, "contracts": 100.0,
                     "contract_size": 100.0},
            lhs=r"\mathrm{UPnL}_{\mathrm{coin}}",
            description=f"Unrealized P&L in coin of an inverse {side}.",
            convention="Binance COIN-M, Bybit inverse, BitMEX XBTUSD", domain=box,
            steps=(("Q contracts of V dollars are worth Q V / P coins at price P",
                    sp.Eq(sp.Symbol(r"N_{\mathrm{coin}}"), Q * V / P)),
                   (f"A {side} (s = {s}) gains the change in the coin value of its dollars",
                    sp.Eq(sp.Symbol("UPnL"), upnl))),
        ))
        equity = M + s * Q * V * (1 / E - 1 / Pl)
        for basis in ("mark", "entry"):
            mm = (Q * V / (Pl if basis == "mark" else E)) * (m + f) - c
            condition = sp.Eq(equity, mm)
            solutions = sp.solve(condition, Pl)
            assert len(solutions) == 1, solutions
            solved = sp.factor(sp.simplify(solutions[0]))
            convention = ("Binance COIN-M, Bybit inverse (2026 page), mark basis" if basis == "mark"
                          else "Bybit inverse (2024 page) / BitMEX-style, maintenance margin "
                               "at entry")
            example = {"entry_price": 50_000.0, "contracts": 100.0, "contract_size": 100.0,
                       "margin": 0.1, "mmr": 0.005, "maintenance_amount": 0.0,
                       "fee_rate": 0.0}
            out.append(Formula(
                name=f"inverse_liquidation_price_{side}_{basis}", expr=solved,
                symbols={**base, "margin": M, "mmr": m, "maintenance_amount": c, "fee_rate": f},
                numeric=functools.partial(inverse_liquidation_price, side, mm_basis=basis),
                example=example, lhs=r"P_{\mathrm{liq}}",
                description=f"Liquidation price of an inverse {side}, maintenance margin "
                            f"at the {'trigger' if basis == 'mark' else 'entry'} price.",
                convention=convention,
                domain=liq_box,
                steps=(("Equity in coin is margin plus the coin P&L",
                        sp.Eq(Equity, equity)),
                       ("Maintenance margin in coin" + (" at the trigger price" if basis == "mark"
                                                        else " at the entry price"),
                        sp.Eq(MM, mm)),
                       ("Liquidation: equity equals maintenance margin", condition),
                       ("Solve for P", sp.Eq(sp.Symbol(r"P_{\mathrm{liq}}"), solved))),
            ))
            margin_expr = sp.expand(sp.solve(condition, M)[0])
            out.append(Formula(
                name=f"inverse_margin_for_liquidation_price_{side}_{basis}",
                expr=margin_expr.subs(Pl, Pt),
                symbols={**base, "target_price": Pt, "mmr": m, "maintenance_amount": c,
                         "fee_rate": f},
                numeric=functools.partial(inverse_margin_for_liquidation_price, side,
                                          mm_basis=basis),
                example={"entry_price": 50_000.0, "contracts": 100.0, "contract_size": 100.0,
                         "target_price": 33_500.0 if s == 1 else 99_500.0, "mmr": 0.005,
                         "maintenance_amount": 0.0, "fee_rate": 0.0},
                lhs="M", description=f"Coin margin that puts an inverse {side}'s liquidation "
                                     "price at the target price.",
                convention=convention,
                domain={"entry_price": (5e4, 1e5) if s == 1 else (1e3, 4.9e4),
                        "target_price": (1e3, 4.9e4) if s == 1 else (5e4, 1e5),
                        "contracts": (1.0, 1e4), "contract_size": (1.0, 100.0),
                        "mmr": (0.001, 0.2), "maintenance_amount": (0.0, 1e-5),
                        "fee_rate": (0.0, 0.001)},
                steps=(("The liquidation condition at the target price",
                        condition.subs(Pl, Pt)),
                       ("Solve for the margin", sp.Eq(M, margin_expr.subs(Pl, Pt)))),
            ))
        bk_condition = sp.Eq(equity, 0)
        bk = sp.factor(sp.solve(bk_condition, Pl)[0])
        out.append(Formula(
            name=f"inverse_bankruptcy_price_{side}", expr=bk, symbols={**base, "margin": M},
            numeric=functools.partial(inverse_bankruptcy_price, side),
            example={"entry_price": 50_000.0, "contracts": 100.0, "contract_size": 100.0,
                     "margin": 0.1},
            lhs=r"P_{\mathrm{bk}}", description=f"Bankruptcy price of an inverse {side}: "
                                                "coin equity zero.",
            convention="Binance COIN-M, Bybit inverse, BitMEX XBTUSD",
            domain=liq_box,
            steps=(("Equity in coin is margin plus the coin P&L", sp.Eq(Equity, equity)),
                   ("Bankruptcy: equity is zero", bk_condition),
                   ("Solve for P", sp.Eq(sp.Symbol(r"P_{\mathrm{bkr}}"), bk))),
        ))
    return out
