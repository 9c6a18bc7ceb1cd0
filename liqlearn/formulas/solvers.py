"""Working backwards: the margin for a chosen liquidation price, the leverage for a chosen risk.

Two questions a trader actually asks:

* "I want to be liquidated no sooner than 50,000: how much margin must I post?"
  -- :func:`margin_for_liquidation_price` solves the liquidation condition
  ``M + s*Q*(P - E) = MM`` for the margin ``M`` instead of the price ``P``
  (closed form; the inverse of :func:`liqlearn.liquidation_price`).
* "What is the most leverage I can use and still survive a week with 95 %
  probability?" -- :func:`max_leverage` combines the liquidation price at
  leverage ``L`` with the GBM touch probability of
  :func:`liqlearn.formulas.risk.liquidation_probability` and solves for ``L``.

>>> margin_for_liquidation_price("long", 60_000, 1/6, 54_000, 0.005)
1045.0
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

import numpy as np

from . import validation as v
from .rates import reject_wrong_side_target, validated_with_rates
from .risk import BGK_BETA, touch_probability

if TYPE_CHECKING:
    from .tiers import MaintenanceTiers

_ONE = np.asarray(1.0)

__all__ = ["margin_for_liquidation_price", "max_leverage", "liquidation_ratio"]

ArrayLike = v.ArrayLike
FloatOrArray = v.FloatOrArray


def margin_for_liquidation_price(side: str, entry_price: ArrayLike, quantity: ArrayLike,
                                 target_price: ArrayLike, mmr: "ArrayLike | MaintenanceTiers",
                                 maintenance_amount: ArrayLike = 0.0, *,
                                 fee_rate: ArrayLike = 0.0, mm_basis: str = "mark") -> FloatOrArray:
    """Margin whose liquidation price is ``target_price`` (linear contracts, isolated).

    Solve ``M + s*Q*(P - E) = MM`` for ``M`` with ``m' = mmr + fee_rate``:

    * ``mm_basis="mark"``: ``M = Q*P*m' - c - s*Q*(P - E)`` (Binance USDⓈ-M,
      dYdX, Hyperliquid);
    * ``mm_basis="entry"``: ``M = Q*E*m' - c - s*Q*(P - E)`` (Bybit).

    ``mmr`` may be a :class:`~liqlearn.formulas.tiers.MaintenanceTiers` (then
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
    b, rate, tiered, scalar = validated_with_rates(
        {"entry_price": (v.positive, entry_price), "quantity": (v.positive, quantity),
         "target_price": (v.positive, target_price)}, mmr, maintenance_amount, fee_rate)
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


@v.checked(side=v.SIDE, leverage=v.positive, mmr=v.rate, fee_rate=v.rate,
           mm_basis=v.choice_of(*v.MM_BASES))
def liquidation_ratio(side: str, leverage: ArrayLike, mmr: ArrayLike, *, fee_rate: ArrayLike = 0.0,
                      mm_basis: str = "mark") -> FloatOrArray:
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
    s, basis, lev, mf = side, mm_basis, leverage, mmr + fee_rate
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
    return np.maximum(ratio, 0.0)


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
    :func:`~liqlearn.formulas.risk.liquidation_probability`.  It rises continuously
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
    :func:`~liqlearn.formulas.risk.liquidation_probability`).

    80 % volatility, one week, 95 % survival, 0.5 % maintenance margin:

    >>> L = max_leverage(0.8, 7 / 365, 0.95, 0.005)
    >>> round(L, 2)
    4.92
    >>> from liqlearn.formulas.risk import liquidation_probability
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
            return float(touch_probability(_ONE, np.asarray(max(ratio, 0.0) * shift), *args))

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
