"""Inverse (coin-margined) contracts: Binance COIN-M, Bybit inverse, BitMEX XBTUSD.

An inverse contract is quoted in dollars but margined and settled in the
coin.  One contract is worth ``V`` USD (``contract_size``: 100 USD for
Binance's BTCUSD, 1 USD for BitMEX XBTUSD), so ``Q`` contracts are worth
``Q*V/P`` BTC at price ``P`` and the P&L in coin is

    UPnL = s * Q * V * (1/E - 1/P).

Margin ``M`` and the maintenance amount ``c`` are in coin, and the
maintenance margin in coin is ``(Q*V/P)*m - c`` at the trigger price (Binance
COIN-M and Bybit inverse since its 2026 page, ``mm_basis="mark"``) or ``(Q*V/E)*m - c`` at
entry (Bybit inverse on its 2024 page, BitMEX-style, ``mm_basis="entry"``).

The asymmetry that surprises people: a short's coin loss is bounded by
``Q*V/E`` however high the price goes (its dollar value is fixed, the coin's
price rises), so a short at leverage 1 can never be liquidated on the mark
basis; a long's coin loss is unbounded as the price falls to zero.

10,000 USD of BTCUSD (100 contracts of 100 USD) bought at 50,000 with 0.1 BTC
(leverage 2): at 40,000 the loss is 10,000 * (1/50,000 - 1/40,000) = -0.05 BTC.

>>> inverse_unrealized_pnl("long", 50_000, 40_000, 100, 100)
-0.05
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from . import validation as v
from .liquidation import root_bracket_index
from .rates import broadcast_with_rates, reject_wrong_side_target, validated_with_rates

if TYPE_CHECKING:
    from .tiers import MaintenanceTiers

__all__ = [
    "inverse_unrealized_pnl",
    "inverse_liquidation_price",
    "inverse_bankruptcy_price",
    "inverse_margin_for_liquidation_price",
]

ArrayLike = v.ArrayLike
FloatOrArray = v.FloatOrArray


def _face_value(contracts: ArrayLike, contract_size: ArrayLike) -> np.ndarray:
    q = v.positive("contracts", contracts)
    size = v.positive("contract_size", contract_size)
    q, size = v.broadcast(contracts=q, contract_size=size)
    return q * size


def inverse_unrealized_pnl(side: str, entry_price: ArrayLike, mark_price: ArrayLike,
                           contracts: ArrayLike, contract_size: ArrayLike) -> FloatOrArray:
    """Unrealized P&L in coin ``s * Q * V * (1/E - 1/P)``.

    A long gains coin as the price rises, but less and less (the coin it earns
    is worth more); a short's gain as the price falls is unbounded and its
    loss as the price rises is capped at ``Q*V/E``.

    >>> inverse_unrealized_pnl("long", 50_000, 40_000, 100, 100)
    -0.05
    >>> inverse_unrealized_pnl("short", 50_000, 40_000, 100, 100)
    0.05
    """
    s = v.side_sign(side)
    scalar = v.is_scalar(entry_price, mark_price, contracts, contract_size)
    e = v.positive("entry_price", entry_price)
    p = v.positive("mark_price", mark_price)
    face = _face_value(contracts, contract_size)
    e, p, face = v.broadcast(entry_price=e, mark_price=p, contracts=face)
    return v.output(s * face * (1.0 / e - 1.0 / p), scalar)


def _reject_at_entry(m: np.ndarray, mm_entry: np.ndarray, fee: bool) -> None:
    """The contract's "liquidated at once" message (shared with linear contracts)."""
    from .liquidation import reject_liquidated_at_entry

    m, mm_entry = np.broadcast_arrays(m, mm_entry)
    reject_liquidated_at_entry(m <= mm_entry, m, mm_entry, fee)


def _tier_bracket(s: int, basis: str, value: np.ndarray, m: np.ndarray, tiers: Any,
                  f: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(rate + fee, amount) of the bracket (caps in coin) that holds the answer's coin value.

    Basis "entry": the bracket of the entry value ``Q*V/E``.  Basis "mark":
    ``g(P) = equity - MM`` is monotone in ``P`` and the coin value ``Q*V/P``
    falls as ``P`` rises; at the price where the value equals a cap,
    ``equity = M + s*(Q*V/E - cap)``, so the sign of ``g`` there tells on
    which side of the cap the answer's value lies.
    """
    if basis == "entry":
        idx = np.asarray(tiers.index(value))
    else:
        # the coin value falls as the price rises: the linear search with the side flipped
        idx = root_bracket_index(-s, m, value, tiers, f, "the coin value at the liquidation price")
    return tiers.rates[idx] + f, tiers.amounts[idx]


def _inputs(s: int, basis: str, entry_price: Any, contracts: Any, contract_size: Any,
            margin: Any, mmr: "ArrayLike | MaintenanceTiers", maintenance_amount: Any, fee_rate: Any) -> tuple:
    """Validated, broadcast inputs with the rate (plus fee) and amount that apply."""
    face = (lambda _name, _value: _face_value(contracts, contract_size), None)
    b, rate, tiered, scalar = validated_with_rates(
        {"entry_price": (v.positive, entry_price), "contracts": face,
         "margin": (v.nonnegative, margin)}, mmr, maintenance_amount, fee_rate)
    e, face, m, c, f = (b[k] for k in ("entry_price", "contracts", "margin",
                                       "maintenance_amount", "fee_rate"))
    value = face / e  # position value in coin at entry
    fee = bool(np.any(f))
    if tiered:
        entry_rate, entry_c = (np.asarray(x, dtype=float) for x in rate.bracket(value))
        _reject_at_entry(m, value * (entry_rate + f) - entry_c, fee)
        mf, c = _tier_bracket(s, basis, value, m, rate, f)
    else:
        v.reject_where(
            c > value * b["mmr"],
            "maintenance_amount {c}{where} exceeds the coin value at entry * mmr {vm}: "
            "maintenance_amount must be in [0, contracts * contract_size / entry_price * mmr]",
            [("c", c), ("vm", value * b["mmr"])],
        )
        mf = b["mmr"] + f
        _reject_at_entry(m, value * mf - c, fee)
    return e, face, m, mf, c, scalar


def inverse_liquidation_price(side: str, entry_price: ArrayLike, contracts: ArrayLike,
                              contract_size: ArrayLike, margin: ArrayLike, mmr: "ArrayLike | MaintenanceTiers",
                              maintenance_amount: ArrayLike = 0.0, *, fee_rate: ArrayLike = 0.0,
                              mm_basis: str = "mark") -> FloatOrArray:
    """Mark price at which coin equity falls to the coin maintenance margin.

    Solves ``M + s*Q*V*(1/E - 1/P) = MM`` (all in coin) with ``m' = mmr +
    fee_rate`` (a reserved close fee, as on OKX and Gate):

    * ``mm_basis="mark"`` (Binance COIN-M, Bybit inverse 2026): ``MM = (Q*V/P)*m' - c``, so
      ``P = Q*V*(m' + s) / (M + c + s*Q*V/E)``;
    * ``mm_basis="entry"`` (Bybit inverse 2024, BitMEX-style): ``MM = (Q*V/E)*m' - c``,
      so ``P = s*Q*V / (M + c + (s - m')*Q*V/E)``.

    ``mmr`` may be a :class:`~liqlearn.formulas.tiers.MaintenanceTiers` whose caps are
    coin values (Binance COIN-M brackets are in BTC for BTCUSD); then
    ``maintenance_amount`` must be 0 and the fee is added to every bracket's
    rate.  Basis "mark": the bracket that holds the coin value ``Q*V/P`` at the
    answer (unique: equity minus maintenance margin is monotone in ``P``), as
    Binance's FAQ tells you to re-solve; basis "entry": the entry value's
    bracket.

    A short that can never be liquidated returns ``inf``: on basis "mark" when
    ``M + c >= Q*V/E`` (leverage <= 1 with ``c = 0``), on basis "entry" when
    ``M + c >= (1 + m')*Q*V/E`` (leverage <= 1/(1 + m')).  An inverse long always
    has a positive liquidation price (its coin loss is unbounded as the price
    falls); ``0.0`` would mean "none" but cannot occur with valid input.  A
    position already at or below its maintenance margin at entry is rejected,
    as is a maintenance amount above ``(Q*V/E)*mmr``.  On basis "mark" a
    short's coin maintenance margin shrinks as the price rises, so a large
    ``c`` can make it negative at the answer (which then lies beyond the
    bankruptcy price): take ``c`` from the bracket that holds the notional at
    the answer, as Binance's FAQ instructs (or pass the tiers).

    2x long, 100 contracts of 100 USD at 50,000 with 0.1 BTC, mmr 0.5 %:
    ``10,000 * 1.005 / (0.1 + 0.2) = 33,500``.

    >>> inverse_liquidation_price("long", 50_000, 100, 100, 0.1, 0.005)
    33500.0
    >>> inverse_liquidation_price("short", 50_000, 100, 100, 0.2, 0.005)   # 1x short
    inf
    >>> inverse_liquidation_price("short", 50_000, 100, 100, 0.1, 0.005)   # 2x short
    99500.0

    Binance's COIN-M calculator (a thread on dev.binance.vision, see
    ``tests/test_inverse.py``): 101 BTC backing a long of 100,000 BTCUSD contracts
    (10 M USD) at 45,000, bracket 12.5 % with amount 11.605 BTC, shows 33,599.40;
    ``10,000,000 * 1.125 / (101 + 11.605 + 222.222) = 33,599.42``.

    >>> round(inverse_liquidation_price("long", 45_000, 100_000, 100, 101, 0.125, 11.605), 2)
    33599.42
    """
    s = v.side_sign(side)
    basis = v.choice("mm_basis", mm_basis, v.MM_BASES)
    e, face, m, mf, c, scalar = _inputs(s, basis, entry_price, contracts, contract_size, margin,
                                        mmr, maintenance_amount, fee_rate)
    return v.output(inverse_liquidation_price_unchecked(s, e, face, m, mf, c, basis), scalar)


def inverse_liquidation_price_unchecked(side_sign: int, entry_price: ArrayLike, face_value: ArrayLike,
                                        margin: ArrayLike, rate: ArrayLike,
                                        maintenance_amount: ArrayLike = 0.0,
                                        basis: str = "mark") -> np.ndarray:
    """The closed form of :func:`inverse_liquidation_price`, with no validation at all.

    ``face_value`` is contracts times contract size, ``rate`` the maintenance-margin
    rate plus any reserved fee.  For the self-checks, which evaluate deliberately
    wrong inputs (a rate in percent) that the public function refuses.  A long with
    no root returns 0.0, a short with none ``inf``.

    >>> float(inverse_liquidation_price_unchecked(1, 50_000, 10_000, 0.1, 0.005))
    33500.0
    """
    s, e, face, m, mf, c = side_sign, *(np.asarray(x, dtype=float) for x in
                                        (entry_price, face_value, margin, rate, maintenance_amount))
    value = face / e
    if basis == "mark":
        num = face * (mf + s)
        den = m + c + s * value
    else:
        num = s * face
        den = m + c + (s - mf) * value
    with np.errstate(divide="ignore", invalid="ignore"):
        out = num / np.where(den != 0, den, 1.0)
    if s == 1:
        return np.where(den > 0, out, 0.0)
    return np.where(den < 0, out, np.inf)


def inverse_bankruptcy_price(side: str, entry_price: ArrayLike, contracts: ArrayLike,
                             contract_size: ArrayLike, margin: ArrayLike) -> FloatOrArray:
    """Mark price at which coin equity is zero: ``P = Q*V / (s*M + Q*V/E)``.

    From ``M + s*Q*V*(1/E - 1/P) = 0``.  With ``M = Q*V/(E*L)`` this is
    ``E / (1 + s/L)``: a 2x long goes bankrupt at ``E/1.5``, a 2x short at
    ``2E``.  A short whose margin covers its coin value (``M >= Q*V/E``,
    leverage <= 1) never goes bankrupt: ``inf``.

    >>> round(inverse_bankruptcy_price("long", 50_000, 100, 100, 0.1), 2)
    33333.33
    >>> inverse_bankruptcy_price("short", 50_000, 100, 100, 0.1)
    100000.0
    >>> inverse_bankruptcy_price("short", 50_000, 100, 100, 0.2)
    inf
    """
    s = v.side_sign(side)
    scalar = v.is_scalar(entry_price, contracts, contract_size, margin)
    e = v.positive("entry_price", entry_price)
    face = _face_value(contracts, contract_size)
    m = v.nonnegative("margin", margin)
    e, face, m = v.broadcast(entry_price=e, contracts=face, margin=m)
    den = s * m + face / e
    with np.errstate(divide="ignore"):
        out = np.where(den > 0, face / np.where(den > 0, den, 1.0), np.inf)
    return v.output(out, scalar)


def inverse_margin_for_liquidation_price(side: str, entry_price: ArrayLike, contracts: ArrayLike,
                                         contract_size: ArrayLike, target_price: ArrayLike,
                                         mmr: "ArrayLike | MaintenanceTiers", maintenance_amount: ArrayLike = 0.0, *,
                                         fee_rate: ArrayLike = 0.0, mm_basis: str = "mark") -> FloatOrArray:
    """Coin margin whose liquidation price is ``target_price`` (inverse contracts).

    Solve ``M + s*Q*V*(1/E - 1/P) = MM`` for ``M``: ``M = MM - s*Q*V*(1/E - 1/P)``
    with ``MM = (Q*V/P)*m' - c`` (basis "mark") or ``(Q*V/E)*m' - c`` (basis
    "entry"), ``m' = mmr + fee_rate``.  ``mmr`` may be a
    :class:`~liqlearn.formulas.tiers.MaintenanceTiers` with coin-valued caps (the
    bracket of ``Q*V/P`` at the target, or of ``Q*V/E`` on basis "entry").  The
    target must lie below the entry for a long and above it for a short.
    ``inverse_liquidation_price`` with the answer returns the target.

    2x long example reversed: liquidation at 33,500 needs
    ``10,000/33,500 * 0.005 + 10,000 * (1/33,500 - 1/50,000) = 0.1`` BTC.

    >>> round(inverse_margin_for_liquidation_price("long", 50_000, 100, 100, 33_500, 0.005), 12)
    0.1
    """
    s = v.side_sign(side)
    basis = v.choice("mm_basis", mm_basis, v.MM_BASES)
    scalar = v.is_scalar(entry_price, contracts, contract_size, target_price)
    e = v.positive("entry_price", entry_price)
    face = _face_value(contracts, contract_size)
    p = v.positive("target_price", target_price)
    b, rate, tiered, scalar = broadcast_with_rates(
        {"entry_price": e, "contracts": face, "target_price": p}, mmr, maintenance_amount,
        fee_rate, scalar)
    e, face, p, c, f = (b[k] for k in ("entry_price", "contracts", "target_price",
                                       "maintenance_amount", "fee_rate"))
    reject_wrong_side_target(s, side, p, e)
    value_at = face / (p if basis == "mark" else e)
    if tiered:
        m_rate, c = (np.asarray(x, dtype=float) for x in rate.bracket(value_at))
    else:
        m_rate = b["mmr"]
        v.reject_where(
            c > face / e * m_rate,
            "maintenance_amount {c}{where} exceeds the coin value at entry * mmr {vm}: "
            "maintenance_amount must be in [0, contracts * contract_size / entry_price * mmr]",
            [("c", c), ("vm", face / e * m_rate)],
        )
    margin = value_at * (m_rate + f) - c - s * face * (1.0 / e - 1.0 / p)
    return v.output(margin, scalar)
