"""The touch-probability formulas, derived: the registry entries of :mod:`liqlearn.formulas.risk`."""

from __future__ import annotations

from ..formulas.risk import bgk_barrier, liquidation_probability


def formulas() -> list:
    import sympy as sp

    from .registry import Formula

    S0, B, sig, T = sp.symbols("S_0 B sigma T", positive=True)
    mu = sp.Symbol("mu", real=True)
    n = sp.Symbol("n", positive=True, integer=True)
    b, nu = sp.symbols("b nu", real=True)
    x = sp.Symbol("x", real=True)
    from .sympy_functions import Phi
    Pt = sp.Symbol("P_touch")
    syms = {"spot": S0, "barrier": B, "volatility": sig, "horizon": T, "drift": mu}
    subs = {b: sp.log(B / S0), nu: mu - sig**2 / 2}
    s = sig * sp.sqrt(T)

    # Lower barrier: reflection principle for Brownian motion with drift.
    lower_general = Phi((b - nu * T) / s) + sp.exp(2 * nu * b / sig**2) * Phi((b + nu * T) / s)
    # Upper barrier: mirror X -> -X (b -> -b, nu -> -nu).
    upper_general = lower_general.subs({b: -b, nu: -nu}, simultaneous=True)
    first_passage = -b / (sig * sp.sqrt(2 * sp.pi * T**3)) * sp.exp(-(b - nu * T)**2
                                                                   / (2 * sig**2 * T))
    driftless_lower = sp.simplify(lower_general.subs(nu, 0))
    driftless_upper = sp.simplify(upper_general.subs(nu, 0))
    lower_expr = lower_general.subs(subs)
    upper_expr = upper_general.subs(subs)

    beta = -sp.zeta(sp.S.Half) / sp.sqrt(2 * sp.pi)
    dt = T / n
    lower_box = {"spot": (100.0, 200.0), "barrier": (50.0, 99.0), "volatility": (0.1, 2.0),
                 "horizon": (0.01, 2.0), "drift": (-1.0, 1.0)}
    upper_box = {"spot": (50.0, 99.0), "barrier": (100.0, 200.0), "volatility": (0.1, 2.0),
                 "horizon": (0.01, 2.0), "drift": (-1.0, 1.0)}
    common_steps = (
        ("The log-price X = ln(S/S_0) of GBM is a Brownian motion with drift nu",
         sp.Eq(nu, mu - sig**2 / 2)),
        ("Distance to the barrier in log terms", sp.Eq(b, sp.log(B / S0))),
    )
    phi_step = ("Phi is the standard normal CDF, written with erf",
                sp.Eq(Phi(x), Phi(x).rewrite(sp.erf)))
    derivations = {
        "lower": (
            ("Reflection principle (nu = 0): a path that touches b and ends above it "
             "mirrors, after its first touch, onto one that ends below b",
             sp.Eq(Pt, 2 * sp.Symbol(r"\mathbb{P}(X_T \le b)"))),
            ("X_T is normal with mean 0 and standard deviation sigma sqrt(T): touching is "
             "twice as likely as ending below", sp.Eq(Pt, driftless_lower)),
            ("With drift: Girsanov reweights the reflected paths by exp(2 nu b / sigma^2)",
             sp.Eq(Pt, lower_general)),
            ("Check: its T-derivative is the first-passage (inverse Gaussian) density of "
             "level b < 0 (verified in tests/test_risk.py)",
             sp.Eq(sp.Derivative(Pt, T), first_passage)),
            ("Substitute b and nu", sp.Eq(Pt, lower_expr)),
            phi_step,
        ),
        "upper": (
            ("Mirror the lower-barrier result: X -> -X sends b -> -b and nu -> -nu",
             sp.Eq(Pt, upper_general)),
            ("Driftless case (nu = 0)", sp.Eq(Pt, driftless_upper)),
            ("Substitute b and nu", sp.Eq(Pt, upper_expr)),
            phi_step,
        ),
    }
    out = []
    for side, expr, box, barrier, where in (
            ("lower", lower_expr, lower_box, 54_000.0, "falls to a lower barrier (a long's"),
            ("upper", upper_expr, upper_box, 66_000.0, "rises to an upper barrier (a short's")):
        out.append(Formula(
            name=f"touch_probability_{side}", expr=expr, symbols=syms,
            numeric=liquidation_probability,
            example={"spot": 60_000.0, "barrier": barrier, "volatility": 0.8,
                     "horizon": 7 / 365, "drift": 0.0},
            lhs=r"P_{\mathrm{touch}}",
            description=f"Probability that a GBM price {where} liquidation price) "
                        "before the horizon.",
            convention="GBM, continuous monitoring (reflection principle)", domain=box,
            steps=(*common_steps, *derivations[side]),
        ))
    for side, sign in (("lower", -1), ("upper", 1)):
        dt_sym = sp.Symbol("Delta_t", positive=True)
        shifted = B * sp.exp(sign * beta * sig * sp.sqrt(dt_sym))
        out.append(Formula(
            name=f"bgk_barrier_{side}", expr=shifted,
            symbols={"spot": S0, "barrier": B, "volatility": sig, "dt": dt_sym},
            numeric=bgk_barrier,
            example={"spot": 100.0, "barrier": 90.0 if sign < 0 else 110.0,
                     "volatility": 0.5, "dt": 1 / 365},
            lhs=r"B_{\mathrm{BGK}}",
            description=f"Broadie-Glasserman-Kou shifted {side} barrier: the continuous "
                        "formula there approximates monitoring every Delta_t.",
            convention="Broadie, Glasserman & Kou (1997)",
            domain=({"spot": (100.0, 200.0), "barrier": (1.0, 99.0)} if sign < 0 else
                    {"spot": (1.0, 99.0), "barrier": (100.0, 200.0)})
            | {"volatility": (0.01, 3.0), "dt": (0.0, 1.0)},
            steps=(
                ("The BGK constant", sp.Eq(sp.Symbol("beta"), beta)),
                ("Its value", sp.Eq(sp.Symbol("beta"), sp.N(beta, 10))),
                ("Monitoring n times over T", sp.Eq(dt_sym, dt)),
                (f"Move the {side} barrier away from the spot",
                 sp.Eq(sp.Symbol("B_BGK"), shifted)),
            ),
        ))
    return out
