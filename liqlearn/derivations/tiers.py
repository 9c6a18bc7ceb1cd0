"""The tiered maintenance margin formulas, derived: the registry entries of :mod:`liqlearn.formulas.tiers`."""

from __future__ import annotations

from ..formulas.tiers import EXAMPLE_TIERS, next_maintenance_amount


def formulas() -> list:
    import sympy as sp

    from .registry import Formula
    from .symbols import symbols

    N = symbols()["notional"]
    F = sp.Symbol("N_n", nonnegative=True)  # the notional at the floor of bracket n
    mn, mp = sp.Symbol("m_n", nonnegative=True), sp.Symbol("m_{n-1}", nonnegative=True)
    cn, cp = sp.Symbol("c_n", nonnegative=True), sp.Symbol("c_{n-1}", nonnegative=True)
    # continuity at the floor: both brackets' maintenance margins agree there
    cum = sp.solve(sp.Eq(F * mp - cp, F * mn - cn), cn)[0]
    recursion = Formula(
        name="tier_maintenance_amount", expr=cum,
        symbols={"floor": F, "mmr": mn, "previous_mmr": mp, "previous_amount": cp},
        numeric=next_maintenance_amount,
        example={"floor": 50_000.0, "mmr": 0.005, "previous_mmr": 0.004, "previous_amount": 0.0},
        lhs=r"c_n",
        description="Maintenance amount of bracket n, chosen so maintenance margin is "
                    "continuous at the bracket's floor.",
        convention="Binance brackets (cum), Bybit/OKX risk limits (MM deduction)",
        domain={"floor": (0.0, 1e8), "mmr": (0.0, 0.5), "previous_mmr": (0.0, 0.5),
                "previous_amount": (0.0, 1e6)},
        steps=(
            ("Maintenance margin in bracket n", sp.Eq(sp.Symbol("MM"), N * mn - cn)),
            ("Continuity at the floor N_n: bracket n-1 and bracket n agree",
             sp.Eq(F * mp - cp, F * mn - cn)),
            ("Solve for the maintenance amount", sp.Eq(cn, cum)),
        ),
    )

    # The tiered maintenance margin as a marginal-rate sum (tax-bracket form)
    # for EXAMPLE_TIERS, and the cum form it equals bracket by bracket.
    t = EXAMPLE_TIERS
    rates = [sp.nsimplify(float(r), rational=True) for r in t.rates]
    caps = [sp.nsimplify(float(c), rational=True) for c in t.caps]
    floors = [sp.Integer(0)] + caps[:-1]
    marginal = sum(r * (sp.Min(N, c) - f) * sp.Heaviside(N - f, 0)
                   for r, c, f in zip(rates, caps, floors))
    amounts = [sp.Integer(0)]
    for n in range(1, len(rates)):
        amounts.append(floors[n] * (rates[n] - rates[n - 1]) + amounts[n - 1])
    pieces = sp.Piecewise(*[(N * r - a, N <= c) for r, a, c in zip(rates, amounts, caps)])
    for r, a, c, f in zip(rates, amounts, caps, floors):
        # each bracket's line equals the marginal sum inside it
        assert sp.simplify(marginal.subs(N, (c + f) / 2) - ((c + f) / 2 * r - a)) == 0
    tiered = Formula(
        name="tiered_maintenance_margin", expr=pieces, symbols={"notional": N},
        numeric=t.maintenance_margin, example={"notional": 1_000_000.0},
        lhs=r"\mathrm{MM}(N)",
        description="Tiered maintenance margin: each slice of notional pays its bracket's "
                    "rate, which equals N m_n - c_n in bracket n (illustrative 4-bracket table).",
        convention="Binance brackets, Bybit/OKX risk limits (illustrative table)",
        domain={"notional": (1.0, float(t.max_notional))},
        steps=(
            ("Each slice of notional pays the rate of its bracket (a marginal-rate sum)",
             sp.Eq(sp.Symbol("MM"), marginal)),
            ("Inside bracket n the sum is the bracket's line N m_n - c_n",
             sp.Eq(sp.Symbol("MM"), pieces)),
        ),
    )
    return [recursion, tiered]
