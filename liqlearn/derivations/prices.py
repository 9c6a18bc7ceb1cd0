"""The mark price and funding formulas, derived: the registry entries of :mod:`liqlearn.formulas.prices`."""

from __future__ import annotations

from ..formulas.prices import funding_basis_price, funding_payment, funding_rate, margin_after_funding, mark_price, moving_average_price, premium_index




def formulas() -> list:
    import functools

    import sympy as sp

    from .registry import Formula

    I = sp.Symbol("I", positive=True)  # noqa: E741 - the index price
    last = sp.Symbol(r"P_{\mathrm{last}}", positive=True)
    F = sp.Symbol("F", real=True)
    t = sp.Symbol("t", nonnegative=True)
    H = sp.Symbol("H", positive=True)
    basis = sp.Symbol("MA", real=True)  # moving average of (mid - index)
    p = sp.Symbol(r"p_{\mathrm{prem}}", real=True)  # the book's notation appendix
    r = sp.Symbol(r"r_{\mathrm{int}}", real=True)
    c = sp.Symbol(r"\kappa", nonnegative=True)
    bid = sp.Symbol("B_imp", positive=True)
    ask = sp.Symbol("A_imp", positive=True)
    N = sp.Symbol("N", positive=True)
    P1, P2 = sp.Symbol("P_1"), sp.Symbol("P_2")
    Mark = sp.Symbol(r"P_{\mathrm{mark}}")

    price1 = I * (1 + F * t / H)
    price2 = I + basis
    median = sp.Max(sp.Min(P1, P2), sp.Min(sp.Max(P1, P2), last))
    mark = median.subs({P1: price1, P2: price2}, simultaneous=True)
    clamp_term = sp.Min(sp.Max(r - p, -c), c)
    rate = p + clamp_term
    prem = (sp.Max(0, bid - I) - sp.Max(0, I - ask)) / I

    mark_box = {"index_price": (1_000.0, 1e5), "last_price": (1_000.0, 1e5),
                "funding_rate": (-0.01, 0.01), "time_to_funding": (0.0, 8.0),
                "funding_interval": (1.0, 8.0), "basis_average": (-500.0, 500.0)}
    mark_example = {"index_price": 60_000.0, "last_price": 60_150.0, "funding_rate": 0.0001,
                    "time_to_funding": 4.0, "funding_interval": 8.0, "basis_average": 30.0}
    basis_steps = (
        ("The last funding rate is a basis that decays linearly to zero at funding time",
         sp.Eq(P1, price1)),
    )
    ma_steps = (("The index plus the recent average gap between the book's mid and the index",
                 sp.Eq(P2, price2)),)
    out = [
        Formula(
            name="funding_basis_price", expr=price1,
            symbols={"index_price": I, "funding_rate": F, "time_to_funding": t,
                     "funding_interval": H},
            numeric=funding_basis_price,
            example={"index_price": 60_000.0, "funding_rate": 0.0001, "time_to_funding": 4.0,
                     "funding_interval": 8.0},
            lhs="P_1", description="Mark price component 1: the index carried by the "
                                   "remaining share of the last funding rate.",
            convention="Binance perpetuals (Price 1); BitMEX fair price", domain=mark_box,
            steps=basis_steps,
        ),
        Formula(
            name="moving_average_price", expr=price2,
            symbols={"index_price": I, "basis_average": basis},
            numeric=moving_average_price,
            example={"index_price": 60_000.0, "basis_average": 30.0},
            lhs="P_2", description="Mark price component 2: the index plus the moving "
                                   "average of (mid price - index).",
            convention="Binance perpetuals (Price 2)", domain=mark_box, steps=ma_steps,
        ),
        Formula(
            name="mark_price", expr=mark,
            symbols={"index_price": I, "last_price": last, "funding_rate": F,
                     "time_to_funding": t, "funding_interval": H, "basis_average": basis},
            numeric=mark_price, example=mark_example, lhs=r"P_{\mathrm{mark}}",
            description="Mark price: the median of the funding-basis price, the "
                        "moving-average price and the last price.",
            convention="Binance perpetuals", domain=mark_box,
            steps=(*basis_steps, *ma_steps,
                   ("The mark is the median of the three; written with Min and Max",
                    sp.Eq(Mark, median)),
                   ("Substitute the components", sp.Eq(Mark, mark))),
        ),
        Formula(
            name="premium_index", expr=prem, numeric=premium_index, lhs=sp.latex(p),
            symbols={"impact_bid": bid, "impact_ask": ask, "index_price": I},
            example={"impact_bid": 60_060.0, "impact_ask": 60_090.0, "index_price": 60_000.0},
            description="Premium index: how far the impact bid is above, or the "
                                 "impact ask below, the index, as a fraction of the index.",
            convention="Binance, Bybit, Gate (impact prices)",
            domain={"impact_bid": (1_000.0, 1e5), "impact_ask": (1_000.0, 1e5),
                    "index_price": (1_000.0, 1e5)},
            steps=(("Only the part of the impact spread beyond the index counts",
                    sp.Eq(p, prem)),),
        ),
        Formula(
            name="funding_rate", expr=rate,
            symbols={"premium_index": p, "interest_rate": r, "clamp": c},
            numeric=funding_rate,
            example={"premium_index": 0.002, "interest_rate": 0.0001, "clamp": 0.0005},
            lhs="F", description="Funding rate: the premium plus the interest-premium gap "
                                 "clamped to +-clamp.",
            convention="Binance USDⓈ-M (interest 0.01 %, clamp 0.05 % per 8 h)",
            domain={"premium_index": (-0.05, 0.05), "interest_rate": (-0.001, 0.001),
                    "clamp": (0.0, 0.01)},
            steps=(("The premium, corrected towards the interest rate by at most the clamp",
                    sp.Eq(F, p + sp.Symbol(r"\operatorname{clamp}(r_{\mathrm{int}} - p_{\mathrm{prem}},"
                                           r" -\kappa, \kappa)"))),
                   ("clamp(x, -kappa, kappa) = min(max(x, -kappa), kappa)", sp.Eq(F, rate)),
                   ("Inside the band |r_int - p_prem| <= kappa the rate is the interest rate",
                    sp.Eq(F, sp.simplify(p + (r - p)))),),
        ),
    ]
    for side, s in (("long", 1), ("short", -1)):
        flow = -s * N * F
        out.append(Formula(
            name=f"funding_payment_{side}", expr=flow,
            symbols={"notional": N, "funding_rate": F},
            numeric=functools.partial(funding_payment, side),
            example={"notional": 10_000.0, "funding_rate": 0.0001},
            lhs=r"\Delta W", convention="all perpetuals (longs pay shorts when F > 0)",
            description=f"Funding cash flow to a {side}.",
            domain={"notional": (1.0, 1e7), "funding_rate": (-0.01, 0.01)},
            steps=(("Funding amount is notional times the rate", sp.Eq(sp.Symbol("A"), N * F)),
                   (f"A {side} (s = {s}) receives -s times it", sp.Eq(sp.Symbol("Delta_W"), flow))),
        ))
    M = sp.Symbol("M", nonnegative=True)
    n = sp.Symbol("n", nonnegative=True)
    for side, s in (("long", 1), ("short", -1)):
        after = M - s * n * N * F
        out.append(Formula(
            name=f"margin_after_funding_{side}", expr=after,
            symbols={"margin": M, "notional": N, "funding_rate": F, "periods": n},
            numeric=functools.partial(margin_after_funding, side),
            example={"margin": 1_000.0, "notional": 10_000.0, "funding_rate": 0.0005,
                     "periods": 90.0},
            lhs=r"M_n", convention="all perpetuals (longs pay when F > 0; notional held "
                                   "constant; paid from the position's margin)",
            description=f"Margin of a {side} after n funding payments at a constant rate.",
            domain={"margin": (0.0, 1e4), "notional": (1.0, 1e6), "funding_rate": (-0.01, 0.01),
                    "periods": (0.0, 1_000.0)},
            steps=(("Each payment moves the margin by the funding cash flow",
                    sp.Eq(sp.Symbol("M_{k+1}"), sp.Symbol("M_k") - s * N * F)),
                   ("n equal payments from M", sp.Eq(sp.Symbol("M_n"), after))),
        ))
    return out
