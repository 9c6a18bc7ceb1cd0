"""The cascade formulas, derived: the registry entries of :mod:`liqlearn.formulas.cascade`."""

from __future__ import annotations

from ..formulas.cascade import cascade_branching_ratio, cascade_total


def formulas() -> list:
    import sympy as sp

    from .registry import Formula

    w = sp.Symbol("w", nonnegative=True)
    g = sp.Symbol("g", nonnegative=True)
    rho = sp.Symbol(r"\rho", positive=True)
    q0 = sp.Symbol("q_0", positive=True)
    R = sp.Symbol("R", nonnegative=True)
    n = sp.Symbol("n", integer=True, nonnegative=True)
    ratio = w * g / (2 * rho)
    total_conv = q0 / (1 - R)
    cbox = {"basis_weight": (0.0, 1.0), "trigger_density": (0.0, 0.02),
            "book_density": (0.011, 1.0), "initial_quantity": (0.1, 100.0)}
    return [
        Formula(
            name="cascade_branching_ratio", expr=ratio,
            symbols={"basis_weight": w, "trigger_density": g, "book_density": rho},
            numeric=cascade_branching_ratio,
            example={"basis_weight": 0.5, "trigger_density": 0.02, "book_density": 0.01},
            lhs="R", domain=cbox, convention="model: uniform book, mark = index + smoothed basis",
            description="Quantity liquidated in the next round per unit liquidated now.",
            steps=(("Selling q moves the best bid by q/rho, the mid by half of it",
                    sp.Eq(sp.Symbol(r"\Delta\mathrm{mid}"), sp.Symbol("q") / (2 * rho))),
                   ("The mark follows the mid with weight w",
                    sp.Eq(sp.Symbol(r"\Delta P"), w * sp.Symbol("q") / (2 * rho))),
                   ("Triggers in that band, g per unit of price, liquidate next",
                    sp.Eq(sp.Symbol("q'"), g * w * sp.Symbol("q") / (2 * rho))),
                   ("The branching ratio", sp.Eq(R, ratio))),
        ),
        Formula(
            name="cascade_total", expr=(q0 / (1 - ratio)),
            symbols={"initial_quantity": q0, "basis_weight": w, "trigger_density": g,
                     "book_density": rho},
            numeric=cascade_total,
            example={"initial_quantity": 10.0, "basis_weight": 0.5, "trigger_density": 0.02,
                     "book_density": 0.01},
            lhs=r"q_{\mathrm{total}}", domain=cbox,
            convention="model: uniform book, mark = index + smoothed basis",
            description="Total liquidated by a cascade with branching ratio R < 1.",
            steps=(("Round n liquidates R^n times the first round",
                    sp.Eq(sp.Symbol("q_n"), q0 * R**n)),
                   ("Sum over the rounds (R < 1)",
                    sp.Eq(sp.Symbol(r"q_{\mathrm{total}}"), sp.Sum(q0 * R**n, (n, 0, sp.oo)))),
                   ("The geometric series", sp.Eq(sp.Symbol(r"q_{\mathrm{total}}"), total_conv)),
                   ("With R = w g / (2 rho)",
                    sp.Eq(sp.Symbol(r"q_{\mathrm{total}}"), q0 / (1 - ratio)))),
        ),
    ]
