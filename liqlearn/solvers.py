"""Working backwards: the margin for a chosen liquidation price, the leverage for a chosen risk.

Two questions a trader actually asks:

* "I want to be liquidated no sooner than 50,000: how much margin must I post?"
  -- :func:`margin_for_liquidation_price` solves the liquidation condition
  ``M + s*Q*(P - E) = MM`` for the margin ``M`` instead of the price ``P``
  (closed form; the inverse of :func:`liqlearn.liquidation_price`).
* "What is the most leverage I can use and still survive a week with 95 %
  probability?" -- :func:`max_leverage` combines the liquidation price at
  leverage ``L`` with the GBM touch probability of
  :func:`liqlearn.risk.liquidation_probability` and solves for ``L``.

>>> margin_for_liquidation_price("long", 60_000, 1/6, 54_000, 0.005)
1045.0
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from . import _validation as v
from ._rates import broadcast_with_rates, reject_wrong_side_target
from .risk import BGK_BETA, _touch

_ONE = np.asarray(1.0)

__all__ = ["margin_for_liquidation_price", "max_leverage", "liquidation_ratio"]

ArrayLike = Any


def margin_for_liquidation_price(side: str, entry_price: ArrayLike, quantity: ArrayLike,
                                 target_price: ArrayLike, mmr: Any,
                                 maintenance_amount: ArrayLike = 0.0, *,
                                 fee_rate: ArrayLike = 0.0, mm_basis: str = "mark") -> Any:
    """Margin whose liquidation price is ``target_price`` (linear contracts, isolated).

    Solve ``M + s*Q*(P - E) = MM`` for ``M`` with ``m' = mmr + fee_rate``:

    * ``mm_basis="mark"``: ``M = Q*P*m' - c - s*Q*(P - E)`` (Binance USDⓈ-M,
      dYdX, Hyperliquid);
    * ``mm_basis="entry"``: ``M = Q*E*m' - c - s*Q*(P - E)`` (Bybit).

    ``mmr`` may be a :class:`~liqlearn.tiers.MaintenanceTiers` (then
    ``maintenance_amount`` must be 0): the bracket of the notional at the
    target (basis "mark") or at entry (basis "entry") supplies rate and
    amount, the fee added to its rate.  The target must lie on the losing
    side: below the entry for a long, above it for a short (ValueError
    otherwise -- a target at the entry means liquidation at once).  The
    answer is then always above the maintenance margin at entry, and
    ``liquidation_price(side, E, Q, answer, mmr, c, fee_rate=..., mm_basis=...)``
    returns ``target_price`` again.

    The primer's long (1/6 BTC at 60,000, 0.5 %) liquidated at 54,000:
    ``1/6 * 54,000 * 0.005 + 1/6 * 6,000 = 45 + 1,000 = 1,045`` USDT.

    >>> margin_for_liquidation_price("long", 60_000, 1/6, 54_000, 0.005)
    1045.0
    >>> margin_for_liquidation_price("long", 60_000, 1/6, 54_000, 0.005, mm_basis="entry")
    1050.0
    >>> margin_for_liquidation_price("short", 60_000, 1/6, 66_000, 0.005)  # 55 + 1,000
    1055.0
    """
    s = v.side_sign(side)
    basis = v.choice("mm_basis", mm_basis, v.MM_BASES)
    scalar = v.is_scalar(entry_price, quantity, target_price)
    e = v.positive("entry_price", entry_price)
    q = v.positive("quantity", quantity)
    p = v.positive("target_price", target_price)
    b, rate, tiered, scalar = broadcast_with_rates(
        {"entry_price": e, "quantity": q, "target_price": p}, mmr, maintenance_amount, fee_rate,
        scalar)
    e, q, p, c, f = (b[k] for k in ("entry_price", "quantity", "target_price",
                                    "maintenance_amount", "fee_rate"))
    reject_wrong_side_target(s, side, p, e)
    if tiered:
        n_at = q * (p if basis == "mark" else e)
        m_rate, c = (np.asarray(x, dtype=float) for x in rate.bracket(n_at))
        mf = m_rate + f
    else:
        m_rate = b["mmr"]
        mf = m_rate + f
        v.reject_where(
            c > q * e * m_rate,
            "maintenance_amount {c}{where} exceeds notional * mmr {nm} at entry: "
            "maintenance_amount must be in [0, notional * mmr]",
            [("c", c), ("nm", q * e * m_rate)],
        )
    price_for_mm = p if basis == "mark" else e
    margin = q * price_for_mm * mf - c - s * q * (p - e)
    return v.output(margin, scalar)


def liquidation_ratio(side: str, leverage: ArrayLike, mmr: ArrayLike, *, fee_rate: ArrayLike = 0.0,
                      mm_basis: str = "mark") -> Any:
    """Liquidation price over entry price at leverage ``L`` (margin ``Q*E/L``, no maintenance amount).

    * basis "mark": long ``(1 - 1/L)/(1 - m')``, short ``(1 + 1/L)/(1 + m')``;
    * basis "entry": long ``1 + m' - 1/L``, short ``1 - m' + 1/L``;

    with ``m' = mmr + fee_rate``.  A long that cannot be liquidated gives 0.0.
    ``L`` must be below ``1/m'`` (at ``1/m'`` the position is liquidated at once).

    >>> round(liquidation_ratio("long", 10, 0.005), 6)
    0.904523
    >>> liquidation_ratio("long", 1, 0.005)
    0.0
    """
    s = v.side_sign(side)
    basis = v.choice("mm_basis", mm_basis, v.MM_BASES)
    scalar = v.is_scalar(leverage, mmr, fee_rate)
    lev = v.positive("leverage", leverage)
    m = v.rate("mmr", mmr)
    f = v.rate("fee_rate", fee_rate)
    lev, m, f = v.broadcast(leverage=lev, mmr=m, fee_rate=f)
    mf = m + f
    v.reject_where(mf >= 1, "mmr + fee_rate must be < 1; got {m}{where}", [("m", mf)])
    bad = lev * mf >= 1
    if bad.any():
        v.reject_where(
            bad,
            "leverage {L}{where} is at or above 1/(mmr + fee_rate) = {inv}: "
            "the position would be liquidated at once",
            [("L", lev), ("inv", 1.0 / np.where(bad, mf, 1.0))],
        )
    if basis == "mark":
        ratio = (1.0 - s / lev) / (1.0 - s * mf)
    else:
        ratio = 1.0 - s * (1.0 / lev - mf)
    return v.output(np.maximum(ratio, 0.0), scalar)


def _root(g: Any, lo: float, hi: float) -> float:
    from scipy.optimize import brentq

    return float(brentq(g, lo, hi, xtol=1e-12, rtol=1e-12, maxiter=200))


def max_leverage(volatility: ArrayLike, horizon: ArrayLike, survival: ArrayLike, mmr: ArrayLike,
                 drift: ArrayLike = 0.0, *, side: str = "long", mm_basis: str = "mark",
                 fee_rate: ArrayLike = 0.0, steps: int | None = None) -> Any:
    """Largest leverage whose liquidation price is touched with probability <= ``1 - survival``.

    At leverage ``L`` (margin ``Q*E/L``, no maintenance amount) the
    liquidation price is ``E * liquidation_ratio(side, L, mmr)``; the price
    follows GBM with annualised ``volatility`` and ``drift`` (mu), and the
    touch probability over ``horizon`` years is
    :func:`~liqlearn.risk.liquidation_probability`.  It rises continuously
    and strictly with ``L`` (the barrier moves towards the spot), so the
    answer ``L*`` solves ``P_touch(L*) = 1 - survival`` (Brent's method).

    Range of the answer: ``0 < L* < 1/(mmr + fee_rate)`` (at ``1/m'`` the
    position starts at its liquidation price).  A long on basis "mark" at
    ``L <= 1`` (basis "entry": ``L <= 1/(1 + m')``) cannot be liquidated, so a
    long's answer is always above that.  A linear short can always be
    liquidated (a large enough rise); if even 1x is too risky the answer is
    *below 1*: post more margin than the position's notional.  Continuous
    monitoring is assumed, so the answer is slightly conservative against a
    venue that checks once a second; ``steps=n`` instead assumes ``n`` checks
    over the horizon (the Broadie-Glasserman-Kou correction of
    :func:`~liqlearn.risk.liquidation_probability`).

    80 % volatility, one week, 95 % survival, 0.5 % maintenance margin:

    >>> L = max_leverage(0.8, 7 / 365, 0.95, 0.005)
    >>> round(L, 2)
    4.92
    >>> from liqlearn.risk import liquidation_probability
    >>> round(liquidation_probability(1.0, liquidation_ratio("long", L, 0.005), 0.8, 7 / 365), 6)
    0.05

    Checked only once a day, the same risk allows a little more leverage:

    >>> round(max_leverage(0.8, 7 / 365, 0.95, 0.005, steps=7), 2)
    5.44
    """
    s = v.side_sign(side)
    basis = v.choice("mm_basis", mm_basis, v.MM_BASES)
    n_checks = None if steps is None else v.count("steps", steps)
    scalar = v.is_scalar(volatility, horizon, survival, mmr, drift, fee_rate)
    sig = v.positive("volatility", volatility)
    T = v.positive("horizon", horizon)
    surv = v.in_range("survival", survival, 0.0, 1.0, lo_inclusive=False, hi_inclusive=False)
    m = v.rate("mmr", mmr)
    mu = v.finite("drift", drift)
    f = v.rate("fee_rate", fee_rate)
    sig, T, surv, m, mu, f = v.broadcast(volatility=sig, horizon=T, survival=surv, mmr=m,
                                         drift=mu, fee_rate=f)
    mf = m + f
    v.reject_where(mf >= 1, "mmr + fee_rate must be < 1; got {m}{where}", [("m", mf)])
    out = np.empty(sig.shape)
    for idx in np.ndindex(sig.shape):
        alpha = 1.0 - surv[idx]
        mf_i = float(mf[idx])
        top = math.inf if mf_i == 0 else 1.0 / mf_i
        args = (sig[idx], T[idx], mu[idx])
        # BGK: move the barrier away from the spot (down for a long, up for a short)
        shift = 1.0 if n_checks is None else math.exp(
            -s * BGK_BETA * sig[idx] * math.sqrt(T[idx] / n_checks))

        def touch(lev: float, mf_i: float = mf_i, args: tuple = args,
                  shift: float = shift) -> float:
            # liquidation_ratio without re-validating inside the root finder
            if basis == "mark":
                ratio = (1.0 - s / lev) / (1.0 - s * mf_i)
            else:
                ratio = 1.0 - s * (1.0 / lev - mf_i)
            return float(_touch(_ONE, np.asarray(max(ratio, 0.0) * shift), *args))

        if s == 1:
            lo = 1.0 if basis == "mark" else 1.0 / (1.0 + mf[idx])  # touch(lo) == 0
        else:
            lo = 1e-6
            if touch(lo) > alpha:
                raise ValueError(
                    f"no leverage down to {lo:g} keeps the touch probability at or below "
                    f"1 - survival = {alpha:g}{'' if sig.ndim == 0 else f' at index {idx}'}: "
                    "volatility * sqrt(horizon) is too large")
        hi = top * (1.0 - 1e-12) if math.isfinite(top) else _grow(touch, lo, alpha)
        if touch(hi) <= alpha:  # only the very edge of liquidation-at-once is riskier
            out[idx] = hi
            continue
        out[idx] = _root(lambda lev: touch(lev) - alpha, lo, hi)
    return v.output(out, scalar)


def _grow(touch: Any, lo: float, alpha: float) -> float:
    """An upper bracket when mmr + fee_rate = 0 (no cap on leverage)."""
    hi = max(2.0 * lo, 2.0)
    while touch(hi) <= alpha:
        hi *= 2.0
        if hi > 1e12:
            raise ValueError("max_leverage did not find a bracket (leverage > 1e12)")
    return hi


# --------------------------------------------------------------------------
# Registry entries (SymPy is imported here only)
# --------------------------------------------------------------------------


def _formulas() -> list:
    import functools

    import sympy as sp

    from ._registry import Formula
    from .margin import symbols

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
