"""The liquidation and bankruptcy price formulas, derived: the registry entries of :mod:`liqlearn.formulas.liquidation`."""

from __future__ import annotations

from ..formulas.liquidation import bankruptcy_price, exact_move, liquidation_price, rule_of_thumb_move


_CONVENTIONS = {
    "mark": "Binance USDⓈ-M, dYdX v4, Hyperliquid, Bybit's 2026 page (maintenance margin at the "
            "trigger price); OKX/Gate with the close fee f",
    "entry": "Bybit isolated on its 2024 page (maintenance margin at entry); the primer's rough "
             "method",
}


def formulas() -> list:
    import functools

    import sympy as sp

    from .registry import Formula
    from .symbols import symbols

    S = symbols()
    Q, E, P, M, m, c, L, f = (S[k] for k in ("quantity", "entry_price", "mark_price", "margin",
                                             "mmr", "maintenance_amount", "leverage", "fee_rate"))
    Equity, MM = sp.Symbol("Equity"), sp.Symbol("MM")
    Pl = sp.Symbol(r"P_{\mathrm{liq}}")
    Pb = sp.Symbol(r"P_{\mathrm{bkr}}")
    # A box where every draw is a valid position whose long liquidation price is > 0:
    # Q*E in [5e3, 1e5] > M + c, and MM at entry <= 2.1e3 < M.
    box = {"quantity": (0.5, 1.0), "entry_price": (1e4, 1e5), "margin": (2_500.0, 4_500.0),
           "mmr": (0.002, 0.02), "maintenance_amount": (0.0, 10.0), "fee_rate": (0.0, 0.001),
           "leverage": (1.0, 125.0)}
    example = {"entry_price": 60_000.0, "quantity": 1 / 6, "margin": 1_000.0, "mmr": 0.005,
               "maintenance_amount": 0.0, "fee_rate": 0.0}
    out = []
    for side, s in (("long", 1), ("short", -1)):
        equity = M + s * Q * (P - E)
        for basis in ("mark", "entry"):
            at = P if basis == "mark" else E
            mm = Q * at * (m + f) - c
            sol = sp.solve(sp.Eq(equity, mm), P)[0]
            # with M = Q E / L and no amount or fee it is the textbook form
            textbook = (E * (1 - s / L) / (1 - s * m) if basis == "mark"
                        else E * (1 - s / L + s * m))
            assert sp.simplify(sol.subs({M: Q * E / L, c: 0, f: 0}) - textbook) == 0
            where = "the trigger price P" if basis == "mark" else "the entry price E"
            out.append(Formula(
                name=f"liquidation_price_{side}_{basis}", expr=sol,
                symbols={"entry_price": E, "quantity": Q, "margin": M, "mmr": m,
                         "maintenance_amount": c, "fee_rate": f},
                numeric=functools.partial(liquidation_price, side, mm_basis=basis),
                example=dict(example), lhs=r"P_{\mathrm{liq}}",
                description=f"Liquidation price of an isolated {side}, maintenance margin "
                            f"at {where}, close fee rate f reserved.",
                convention=_CONVENTIONS[basis], domain=box,
                steps=(
                    ("Liquidation when equity falls to the maintenance margin",
                     sp.Eq(Equity, MM)),
                    (f"Equity is margin plus unrealized P&L; MM is the rate (plus the close "
                     f"fee) on the notional at {where}, less the maintenance amount",
                     sp.Eq(equity, mm)),
                    ("Solve for the price P", sp.Eq(Pl, sol)),
                    ("Textbook form: margin Q E / L, no maintenance amount, no fee",
                     sp.Eq(Pl, textbook)),
                ),
            ))
        bkr = sp.solve(sp.Eq(equity, f * Q * P), P)[0]
        assert sp.simplify(bkr.subs({M: Q * E / L, f: 0}) - E * (1 - s / L)) == 0
        out.append(Formula(
            name=f"bankruptcy_price_{side}", expr=bkr,
            symbols={"entry_price": E, "quantity": Q, "margin": M, "fee_rate": f},
            numeric=functools.partial(bankruptcy_price, side),
            example={k: example[k] for k in ("entry_price", "quantity", "margin", "fee_rate")},
            lhs=r"P_{\mathrm{bkr}}",
            description=f"Bankruptcy price of a {side}: equity just covers the close fee "
                        "(zero without fees).",
            convention="all venues; with f, a venue reserving the close fee out of the margin",
            domain=box,
            steps=(
                ("Bankrupt when equity only covers the fee to close at that price",
                 sp.Eq(Equity, f * Q * P)),
                ("Equity is margin plus unrealized P&L", sp.Eq(equity, f * Q * P)),
                ("Solve for the price P", sp.Eq(Pb, bkr)),
                ("Textbook form: margin Q E / L, no fee", sp.Eq(Pb, E * (1 - s / L))),
            ),
        ))

    # The rule of thumb and the exact move.
    rule = 1 / L - m
    move = sp.Symbol(r"\Delta")
    out.append(Formula(
        name="rule_of_thumb_move", expr=rule, symbols={"leverage": L, "mmr": m},
        numeric=rule_of_thumb_move, example={"leverage": 10.0, "mmr": 0.005},
        lhs=r"\Delta_{\mathrm{rule}}",
        description="Rule of thumb: the price may move about 1/L - m against the position.",
        convention="the primer's rough method; exact on basis entry (Bybit)",
        domain={"leverage": (1.0, 125.0), "mmr": (0.0, 0.2)},
        steps=(
            ("Margin is 1/L of the notional; the maintenance margin m of it must remain",
             sp.Eq(move, 1 / L - m)),
        ),
    ))
    for side, s in (("long", 1), ("short", -1)):
        pl = sp.solve(sp.Eq(Q * E / L + s * Q * (P - E), Q * P * m), P)[0]
        exact = sp.simplify(s * (E - pl) / E)
        err = sp.factor(sp.simplify(exact - rule))
        series = sp.series(err, m, 0, 3)
        out.append(Formula(
            name=f"exact_move_{side}_mark", expr=exact, symbols={"leverage": L, "mmr": m},
            numeric=functools.partial(exact_move, side, mm_basis="mark"),
            example={"leverage": 10.0, "mmr": 0.005}, lhs=r"\Delta",
            description=f"Exact adverse move to liquidation of a {side} at leverage L, "
                        "maintenance margin at the trigger price.",
            convention="Binance USDⓈ-M, dYdX v4, Hyperliquid (mark basis)",
            domain={"leverage": (1.0, 125.0), "mmr": (0.0, 0.2)},
            steps=(
                ("Liquidation: margin Q E / L plus P&L equals the maintenance margin at P",
                 sp.Eq(Q * E / L + s * Q * (P - E), Q * P * m)),
                ("Solve for the price", sp.Eq(Pl, pl)),
                ("The move as a fraction of entry", sp.Eq(move, exact)),
                ("Error of the rule of thumb 1/L - m (closed form)",
                 sp.Eq(move - (1 / L - m), err)),
                ("... and its series in m", sp.Eq(move - (1 / L - m), series)),
            ),
        ))
    pl_e = sp.solve(sp.Eq(Q * E / L + Q * (P - E), Q * E * m), P)[0]
    out.append(Formula(
        name="exact_move_entry", expr=sp.simplify((E - pl_e) / E),
        symbols={"leverage": L, "mmr": m},
        numeric=functools.partial(exact_move, "long", mm_basis="entry"),
        example={"leverage": 10.0, "mmr": 0.005}, lhs=r"\Delta",
        description="Exact adverse move to liquidation on basis entry: the rule of thumb, "
                    "for either side.",
        convention="Bybit isolated, 2024 page (maintenance margin at entry)",
        domain={"leverage": (1.0, 125.0), "mmr": (0.0, 0.2)},
        steps=(
            ("Liquidation: margin Q E / L plus P&L equals the maintenance margin at E",
             sp.Eq(Q * E / L + Q * (P - E), Q * E * m)),
            ("Solve for the price", sp.Eq(Pl, pl_e)),
            ("The move as a fraction of entry is exactly the rule of thumb",
             sp.Eq(move, sp.simplify((E - pl_e) / E))),
        ),
    ))
    return out
