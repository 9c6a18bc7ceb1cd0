"""Which price liquidates you: index, mark and funding on perpetual futures.

Venues do not liquidate at the *last traded* price, which one large order can
push around, but at a **mark price** built from a spot **index** (a weighted
average of spot exchanges) and the contract's own order book.  Binance's
perpetual contracts use

    mark = median(Price1, Price2, last price)
    Price1 = index * (1 + last funding rate * time to funding / funding interval)
    Price2 = index + moving average of (mid price - index)

(Binance, "What are Mark Price and Price Index in USDⓈ-M Futures",
https://www.binance.com/en/support/faq/what-are-mark-price-and-price-index-in-usd%E2%93%A2-margined-futures-360033525071
and "Mark Price in Coin-Margined Futures",
https://www.binance.com/en-IN/support/faq/fff6ec1b3f5845d19f1fb924644a0877 ,
where the moving average is 30 points, one every 5 seconds, of
``(bid1 + ask1)/2 - index``).  BitMEX's "fair price" is Price1's idea alone:
``index * (1 + funding basis)``.

The **funding rate** pulls the perpetual towards the index: every funding
interval (8 h on most Binance contracts) longs pay shorts ``notional * F``
when ``F > 0`` and receive it when ``F < 0``, with

    F = premium + clamp(interest - premium, -0.05 %, +0.05 %)
    premium = [max(0, impact bid - index) - max(0, index - impact ask)] / index

and an interest rate of 0.01 % per 8 h (the formula as Gate prints it,
https://gate.io/futures/introduction/funding-rate-history ; Binance's
"Introduction to Binance Futures Funding Rates" uses the same form and
*Funding Amount = Nominal Value of Positions x Funding Rate*).  Binance then
caps the rate by a per-contract bound and averages the premium over the
interval; neither is modelled here.

>>> mark_price(60_000, 60_150, 0.0001, 4, 8, 30)
60030.0
>>> funding_rate(0.0003)
0.0001
"""

from __future__ import annotations

from typing import Any

import numpy as np

from . import _validation as v

__all__ = [
    "index_price",
    "funding_basis_price",
    "moving_average_price",
    "mark_price",
    "moving_average_basis",
    "premium_index",
    "funding_rate",
    "funding_payment",
    "margin_after_funding",
    "liquidation_price_after_funding",
]

ArrayLike = Any


def index_price(prices: ArrayLike, weights: ArrayLike = None, *,
                max_deviation: ArrayLike = 0.05) -> Any:
    """Spot index: a weighted average of venues' prices with Binance's outlier rules.

    Sources run along the last axis of ``prices`` (one row per moment for a
    time series).  ``weights`` (default: equal) are normalised.  Binance's
    protections ("Mark Price in USDⓈ-Margined Futures",
    https://www.binance.com/en/support/faq/what-are-mark-price-and-price-index-in-usd%E2%93%A2-margined-futures-360033525071):

    * one source more than ``max_deviation`` (5 %) from the median of all
      sources: its weight is set to zero (the others are re-normalised);
    * more than one such source (or no weight left): the index is the plain
      median of all sources.

    >>> index_price([60_000, 60_030, 59_970])
    60000.0
    >>> index_price([60_000, 60_030, 59_970, 40_000])   # one outlier dropped
    60000.0
    >>> index_price([60_000, 60_030, 70_000, 40_000])   # two: the median instead
    60015.0
    """
    px = v.positive("prices", prices)
    if px.ndim == 0:
        raise ValueError("prices must be an array with one price per source (last axis)")
    if weights is None:
        w = np.ones(px.shape[-1])
    else:
        w = v.nonnegative("weights", weights)
    px, w = v.broadcast(prices=px, weights=w)
    total = w.sum(axis=-1)
    v.reject_where(total <= 0, "weights must not all be zero{where}: "
                   "at least one source needs a positive weight", [])
    dev = v.nonnegative("max_deviation", max_deviation)
    if dev.ndim:
        raise ValueError("max_deviation must be a single number (a fraction: 0.05 = 5 %)")
    med = np.median(px, axis=-1, keepdims=True)
    outlier = np.abs(px - med) > dev * med
    n_out = outlier.sum(axis=-1)
    kept = np.where(outlier, 0.0, w)
    kept_total = kept.sum(axis=-1)
    usable = (n_out <= 1) & (kept_total > 0)
    avg = (kept * px).sum(axis=-1) / np.where(usable, kept_total, 1.0)
    out = np.where(usable, avg, med[..., 0])
    return v.output(out, out.ndim == 0)


def _median3(a: np.ndarray, b: np.ndarray, c: np.ndarray) -> np.ndarray:
    """Element-wise median of three: ``max(min(a, b), min(max(a, b), c))``."""
    return np.maximum(np.minimum(a, b), np.minimum(np.maximum(a, b), c))


def _time_fraction(time_to_funding: ArrayLike, funding_interval: ArrayLike) -> np.ndarray:
    t = v.nonnegative("time_to_funding", time_to_funding)
    h = v.positive("funding_interval", funding_interval)
    t, h = v.broadcast(time_to_funding=t, funding_interval=h)
    v.reject_where(
        t > h,
        "time_to_funding {t} exceeds funding_interval {h}{where}: "
        "time_to_funding must be in [0, funding_interval]",
        [("t", t), ("h", h)],
    )
    return t / h


def funding_basis_price(index_price: ArrayLike, funding_rate: ArrayLike,
                        time_to_funding: ArrayLike, funding_interval: ArrayLike) -> Any:
    """Binance's Price1: ``index * (1 + F * time_to_funding / funding_interval)``.

    The last funding rate is a basis that decays linearly to zero at the next
    funding time.  ``time_to_funding`` and ``funding_interval`` share one
    unit (hours, say).  The result must be > 0 (a funding rate below -100 %
    is rejected).

    Four hours before an 8-hourly funding of 0.01 % on an index of 60,000:
    ``60,000 * (1 + 0.0001 * 4/8) = 60,003``.

    >>> funding_basis_price(60_000, 0.0001, 4, 8)
    60003.0
    """
    scalar = v.is_scalar(index_price, funding_rate, time_to_funding, funding_interval)
    idx = v.positive("index_price", index_price)
    f = v.finite("funding_rate", funding_rate)
    frac = _time_fraction(time_to_funding, funding_interval)
    idx, f, frac = v.broadcast(index_price=idx, funding_rate=f, time_to_funding=frac)
    p1 = idx * (1.0 + f * frac)
    v.reject_where(p1 <= 0, "the funding-basis price (Price1) {p} must be > 0{where}: "
                   "funding_rate * time_to_funding / funding_interval must be > -1",
                   [("p", p1)])
    return v.output(p1, scalar)


def moving_average_price(index_price: ArrayLike, basis_average: ArrayLike) -> Any:
    """Binance's Price2: ``index + moving average of (mid - index)``.

    ``basis_average`` may be negative (the book trades below the index); the
    result must be > 0.

    >>> moving_average_price(60_000, -12.5)
    59987.5
    """
    scalar = v.is_scalar(index_price, basis_average)
    idx = v.positive("index_price", index_price)
    basis = v.finite("basis_average", basis_average)
    idx, basis = v.broadcast(index_price=idx, basis_average=basis)
    p2 = idx + basis
    v.reject_where(p2 <= 0, "the moving-average price (Price2) {p} must be > 0{where}: "
                   "basis_average must be > -index_price", [("p", p2)])
    return v.output(p2, scalar)


def mark_price(index_price: ArrayLike, last_price: ArrayLike, funding_rate: ArrayLike,
               time_to_funding: ArrayLike, funding_interval: ArrayLike,
               basis_average: ArrayLike) -> Any:
    """Binance perpetual mark price: ``median(Price1, Price2, last price)``.

    ``Price1 = index * (1 + funding_rate * time_to_funding / funding_interval)``
    (:func:`funding_basis_price`), ``Price2 = index + basis_average``
    (:func:`moving_average_price`).  ``funding_rate`` and ``basis_average``
    may be negative; ``0 <= time_to_funding <= funding_interval``; Price1 and
    Price2 must be > 0.  The median ignores one outlier: a last price spiked
    by a single order does not move the mark beyond the other two.

    Index 60,000, four of eight hours to a 0.01 % funding (Price1 = 60,003),
    basis average +30 (Price2 = 60,030):

    >>> mark_price(60_000, 60_150, 0.0001, 4, 8, 30)   # last trades high: Price2
    60030.0
    >>> mark_price(60_000, 55_000, 0.0001, 4, 8, 30)   # a wick down: Price1
    60003.0
    >>> mark_price(60_000, 60_010, 0.0001, 4, 8, 30)   # last in between: last
    60010.0
    """
    scalar = v.is_scalar(index_price, last_price, funding_rate, time_to_funding,
                         funding_interval, basis_average)
    last = v.positive("last_price", last_price)
    p1 = np.asarray(funding_basis_price(index_price, funding_rate, time_to_funding,
                                        funding_interval), dtype=float)
    p2 = np.asarray(moving_average_price(index_price, basis_average), dtype=float)
    p1, p2, last = v.broadcast(funding_basis_price=p1, moving_average_price=p2, last_price=last)
    return v.output(_median3(p1, p2, last), scalar)


def moving_average_basis(mid_prices: ArrayLike, index_prices: ArrayLike, window: int) -> Any:
    """Trailing moving average of the basis ``mid - index`` over ``window`` points.

    Binance samples ``(bid1 + ask1)/2 - index`` every 5 seconds and averages
    the last 30 points (2.5 minutes) for COIN-M contracts; the result is the
    ``basis_average`` of :func:`mark_price`.  Time runs along the last axis;
    the output has the input's shape.  Until ``window`` points exist the
    average is over the points so far (no NaN at the start).

    >>> moving_average_basis([100, 102, 104, 100], [100, 100, 101, 101], 2)
    array([0. , 1. , 2.5, 1. ])
    """
    w = v.count("window", window)
    mid = v.positive("mid_prices", mid_prices)
    idx = v.positive("index_prices", index_prices)
    mid, idx = v.broadcast(mid_prices=mid, index_prices=idx)
    if mid.ndim == 0:
        raise ValueError("mid_prices and index_prices must be time series (arrays), "
                         "not single numbers")
    basis = mid - idx
    csum = np.cumsum(basis, axis=-1)
    n = basis.shape[-1]
    out = np.empty_like(basis)
    head = min(w, n)
    out[..., :head] = csum[..., :head] / np.arange(1, head + 1)
    if n > w:
        out[..., w:] = (csum[..., w:] - csum[..., :-w]) / w
    return out


def premium_index(impact_bid: ArrayLike, impact_ask: ArrayLike, index_price: ArrayLike) -> Any:
    """Premium index ``[max(0, bid - index) - max(0, index - ask)] / index``.

    ``impact_bid`` / ``impact_ask`` are the average fill prices of a market
    sell / buy of the venue's impact notional.  Zero while the index lies
    inside the impact spread; a crossed spread (bid > ask) is rejected.

    Impact bid 60,060, ask 60,090, index 60,000: ``60 / 60,000 = 0.1 %``.

    >>> premium_index(60_060, 60_090, 60_000)
    0.001
    >>> premium_index(59_990, 60_010, 60_000)
    0.0
    """
    scalar = v.is_scalar(impact_bid, impact_ask, index_price)
    bid = v.positive("impact_bid", impact_bid)
    ask = v.positive("impact_ask", impact_ask)
    idx = v.positive("index_price", index_price)
    bid, ask, idx = v.broadcast(impact_bid=bid, impact_ask=ask, index_price=idx)
    v.reject_where(bid > ask, "impact_bid {b} is above impact_ask {a}{where}: "
                   "impact_bid must be <= impact_ask", [("b", bid), ("a", ask)])
    prem = (np.maximum(0.0, bid - idx) - np.maximum(0.0, idx - ask)) / idx
    return v.output(prem, scalar)


def funding_rate(premium_index: ArrayLike, interest_rate: ArrayLike = 0.0001,
                 clamp: ArrayLike = 0.0005) -> Any:
    """Funding rate ``F = premium + clamp(interest - premium, -clamp, +clamp)``.

    Defaults: interest 0.01 % and clamp 0.05 % per 8-hour interval (Binance
    USDⓈ-M).  While the premium lies within ``interest +- clamp`` the rate is
    exactly the interest rate; outside, it follows the premium at a distance
    of ``clamp``.  ``clamp`` must be >= 0.

    >>> funding_rate(0.0003)        # premium inside the band: the interest rate
    0.0001
    >>> funding_rate(0.002)         # 0.2 % - 0.05 %
    0.0015
    >>> funding_rate(-0.001)        # -0.1 % + 0.05 %
    -0.0005
    """
    scalar = v.is_scalar(premium_index, interest_rate, clamp)
    p = v.finite("premium_index", premium_index)
    i = v.finite("interest_rate", interest_rate)
    c = v.nonnegative("clamp", clamp)
    p, i, c = v.broadcast(premium_index=p, interest_rate=i, clamp=c)
    return v.output(p + np.clip(i - p, -c, c), scalar)


def funding_payment(side: str, notional: ArrayLike, funding_rate: ArrayLike) -> Any:
    """Signed funding cash flow *to* the position: ``-s * notional * F``.

    Longs pay shorts when ``F > 0`` (and receive when ``F < 0``).  The
    notional is the position value at the mark price at funding time.

    A 10,000 USDT position at 0.01 %:

    >>> funding_payment("long", 10_000, 0.0001)
    -1.0
    >>> funding_payment("short", 10_000, 0.0001)
    1.0
    """
    s = v.side_sign(side)
    scalar = v.is_scalar(notional, funding_rate)
    n = v.positive("notional", notional)
    f = v.finite("funding_rate", funding_rate)
    n, f = v.broadcast(notional=n, funding_rate=f)
    return v.output(-s * n * f, scalar)


def margin_after_funding(side: str, margin: ArrayLike, notional: ArrayLike,
                         funding_rate: ArrayLike, periods: ArrayLike) -> Any:
    """Margin after ``n`` funding payments at a constant rate: ``M - s * n * N * F``.

    Convention: the long pays when ``F > 0`` (a short receives), as in
    :func:`funding_payment`; every payment is taken from (or added to) the
    position's margin, the worst case for an isolated position (venues take it
    from the available balance first in some modes); the notional ``N`` at the
    mark is held constant (the mark does not move, or you pass its average).
    ``periods`` counts funding intervals (3 a day on 8-hour venues, 24 on
    hourly ones) and must be >= 0.  The result can be negative: funding alone
    would have used up the margin (the position is liquidated long before).

    The primer's long (10,000 USDT of notional, 1,000 USDT of margin) after
    30 days at 0.05 % per 8 hours:

    >>> margin_after_funding("long", 1_000, 10_000, 0.0005, 90)
    550.0
    >>> margin_after_funding("short", 1_000, 10_000, 0.0005, 90)
    1450.0
    """
    s = v.side_sign(side)
    scalar = v.is_scalar(margin, notional, funding_rate, periods)
    m = v.nonnegative("margin", margin)
    n = v.positive("notional", notional)
    f = v.finite("funding_rate", funding_rate)
    k = v.nonnegative("periods", periods)
    m, n, f, k = v.broadcast(margin=m, notional=n, funding_rate=f, periods=k)
    return v.output(m - s * k * n * f, scalar)


def liquidation_price_after_funding(side: str, entry_price: ArrayLike, quantity: ArrayLike,
                                    margin: ArrayLike, mmr: Any, funding_rate: ArrayLike,
                                    periods: ArrayLike, *, mark_price: ArrayLike | None = None,
                                    maintenance_amount: ArrayLike = 0.0,
                                    fee_rate: ArrayLike = 0.0, mm_basis: str = "mark") -> Any:
    """Liquidation price once funding has moved the margin (:func:`margin_after_funding`).

    Funding is charged on the notional at ``mark_price`` (default: the entry
    price), held constant; the margin left is passed to
    :func:`liqlearn.liquidation.liquidation_price` with the other arguments.
    A long paying funding sees its liquidation price rise towards the entry;
    when funding has left no more than the maintenance margin at entry,
    ValueError says so (the position would already be liquidated).

    >>> round(liquidation_price_after_funding("long", 60_000, 1/6, 1_000, 0.005, 0.0005, 90), 2)
    56984.92
    """
    from .liquidation import liquidation_price

    if mark_price is None:
        mark_price = entry_price
    n = v.positive("quantity", quantity) * v.positive("mark_price", mark_price)
    left = margin_after_funding(side, margin, n, funding_rate, periods)
    left_arr = np.asarray(left, dtype=float)
    v.reject_where(left_arr <= 0, "funding leaves a margin of {m}{where}: at or below zero, "
                   "the position would be liquidated long before", [("m", left_arr)])
    return liquidation_price(side, entry_price, quantity, left, mmr, maintenance_amount,
                             fee_rate=fee_rate, mm_basis=mm_basis)


# --------------------------------------------------------------------------
# Registry entries (SymPy is imported here only)
# --------------------------------------------------------------------------


def _formulas() -> list:
    import functools

    import sympy as sp

    from ._registry import Formula

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
            name="premium_index", expr=prem,
            symbols={"impact_bid": bid, "impact_ask": ask, "index_price": I},
            numeric=premium_index,
            example={"impact_bid": 60_060.0, "impact_ask": 60_090.0, "index_price": 60_000.0},
            lhs=sp.latex(p), description="Premium index: how far the impact bid is above, or the "
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
