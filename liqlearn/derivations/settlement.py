"""The settlement formulas, derived: the registry entries of :mod:`liqlearn.formulas.settlement`."""

from __future__ import annotations

from ..formulas.settlement import clearance_fee, liquidation_leftover, negative_balance, partial_close_quantity




def formulas() -> list:
    import functools

    import sympy as sp

    from .registry import Formula
    from .symbols import symbols

    S = symbols()
    Q, E, M, P = (S[k] for k in ("quantity", "entry_price", "margin", "mark_price"))
    fill = sp.Symbol("v", positive=True)
    r = sp.Symbol(r"f_{\mathrm{cl}}", nonnegative=True)  # the clearance-fee rate
    C = sp.Symbol(r"N_{\mathrm{cap}}", positive=True)  # the lower bracket's cap
    Eq_, Fee, Left, Pay = (sp.Symbol(n) for n in (r"\mathrm{Equity}_v", r"\mathrm{Fee}",
                                                   r"\mathrm{Leftover}", r"\mathrm{Payment}"))
    box = {"entry_price": (1e4, 1e5), "fill_price": (1e4, 1e5), "quantity": (0.01, 2.0),
           "margin": (0.0, 1e4), "clearance_fee_rate": (0.0, 0.01)}
    conv = "Binance, Bybit, BitMEX (clearance fee to the fund); Hyperliquid returns the leftover"
    out = []
    for side, s in (("long", 1), ("short", -1)):
        eq = M + s * Q * (fill - E)
        fee = sp.Min(r * Q * fill, sp.Max(eq, 0))
        left = sp.Max(eq - r * Q * fill, 0)
        pay = sp.Max(-eq, 0)
        syms = {"entry_price": E, "quantity": Q, "margin": M, "fill_price": fill}
        ex = {"entry_price": 60_000.0, "quantity": 1 / 6, "margin": 1_000.0,
              "fill_price": 54_210.0 if s == 1 else 65_790.0}
        eq_step = ("Equity at the fill: margin plus the P&L realised there", sp.Eq(Eq_, eq))
        fee_step = ("The clearance fee: a rate on the liquidated notional, at most the equity "
                    "left", sp.Eq(Fee, sp.Min(r * Q * fill, sp.Max(Eq_, 0))))
        out += [
            Formula(
                name=f"clearance_fee_{side}", expr=fee, symbols={**syms, "clearance_fee_rate": r},
                numeric=functools.partial(clearance_fee, side),
                example={**ex, "clearance_fee_rate": 0.003}, lhs=r"\mathrm{Fee}", domain=box,
                description=f"Clearance fee when a {side} is liquidated in full at v.",
                convention=conv,
                steps=(eq_step, fee_step, ("Substitute the equity", sp.Eq(Fee, fee))),
            ),
            Formula(
                name=f"liquidation_leftover_{side}", expr=left,
                symbols={**syms, "clearance_fee_rate": r},
                numeric=functools.partial(liquidation_leftover, side),
                example={**ex, "clearance_fee_rate": 0.003}, lhs=r"\mathrm{Leftover}",
                domain=box, convention=conv,
                description=f"What a {side} liquidated in full at v leaves after the clearance "
                            "fee: to the insurance fund or back to the trader.",
                steps=(eq_step, fee_step,
                       ("The leftover is what the fee does not take",
                        sp.Eq(Left, sp.Max(Eq_, 0) - Fee)),
                       ("With the fee capped at the equity this is equity minus fee, floored at 0",
                        sp.Eq(Left, left))),
            ),
            Formula(
                name=f"negative_balance_{side}", expr=pay, symbols=syms,
                numeric=functools.partial(negative_balance, side),
                example={**ex, "fill_price": 53_400.0 if s == 1 else 66_600.0},
                lhs=r"\mathrm{Payment}", domain=box,
                convention="all venues with an insurance fund (the trader owes nothing)",
                description=f"Negative balance of a {side} filled beyond its bankruptcy price, "
                            "paid by the insurance fund.",
                steps=(eq_step, ("The fund covers the equity below zero",
                                 sp.Eq(Pay, sp.Max(-Eq_, 0))),
                       ("Substitute the equity", sp.Eq(Pay, pay))),
            ),
        ]
    close = Q - C / P
    out.append(Formula(
        name="partial_close_quantity", expr=close,
        symbols={"quantity": Q, "mark_price": P, "target_notional": C},
        numeric=partial_close_quantity,
        example={"quantity": 50 / 3, "mark_price": 57_919.48, "target_notional": 600_000.0},
        lhs=r"x", description="Quantity a partial liquidation closes to bring the notional at "
                              "the mark down to the next lower bracket's cap.",
        convention="Bybit, BitMEX, OKX (reduce to a lower risk-limit tier first)",
        domain={"quantity": (1.0, 100.0), "mark_price": (1e4, 1e5),
                "target_notional": (1e4, 1e6)},
        steps=(("Keep the quantity whose notional at the mark is the cap",
                sp.Eq(sp.Symbol("Q_{keep}") * P, C)),
               ("Close the rest", sp.Eq(sp.Symbol("x"), close))),
    ))
    return out
