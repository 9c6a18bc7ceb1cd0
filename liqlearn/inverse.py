"""Inverse (coin-margined) contracts: Binance COIN-M, Bybit inverse, BitMEX XBTUSD.

An inverse contract is quoted in dollars but margined and settled in the
coin.  One contract is worth ``V`` USD (``contract_size``: 100 USD for
Binance's BTCUSD, 1 USD for BitMEX XBTUSD), so ``Q`` contracts are worth
``Q*V/P`` BTC at price ``P`` and the P&L in coin is

    UPnL = s * Q * V * (1/E - 1/P).

Margin ``M`` and the maintenance amount ``c`` are in coin, and the
maintenance margin in coin is ``(Q*V/P)*m - c`` at the trigger price (Binance
COIN-M, ``mm_basis="mark"``) or ``(Q*V/E)*m - c`` at entry (Bybit inverse,
BitMEX-style, ``mm_basis="entry"``).

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

from typing import Any

import numpy as np

from . import _validation as v
from ._rates import broadcast_with_rates, reject_wrong_side_target
from .liquidation import root_bracket_index

__all__ = [
    "inverse_unrealized_pnl",
    "inverse_liquidation_price",
    "inverse_bankruptcy_price",
    "inverse_margin_for_liquidation_price",
]

ArrayLike = Any


def _face_value(contracts: ArrayLike, contract_size: ArrayLike) -> np.ndarray:
    q = v.positive("contracts", contracts)
    size = v.positive("contract_size", contract_size)
    q, size = v.broadcast(contracts=q, contract_size=size)
    return q * size


def inverse_unrealized_pnl(side: str, entry_price: ArrayLike, mark_price: ArrayLike,
                           contracts: ArrayLike, contract_size: ArrayLike) -> Any:
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
    from .liquidation import _reject_liquidated_at_entry

    m, mm_entry = np.broadcast_arrays(m, mm_entry)
    _reject_liquidated_at_entry(m <= mm_entry, m, mm_entry, fee)


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
            margin: Any, mmr: Any, maintenance_amount: Any, fee_rate: Any) -> tuple:
    """Validated, broadcast inputs with the rate (plus fee) and amount that apply."""
    scalar = v.is_scalar(entry_price, contracts, contract_size, margin)
    e = v.positive("entry_price", entry_price)
    face = _face_value(contracts, contract_size)
    m = v.nonnegative("margin", margin)
    b, rate, tiered, scalar = broadcast_with_rates(
        {"entry_price": e, "contracts": face, "margin": m}, mmr, maintenance_amount, fee_rate,
        scalar)
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
                              contract_size: ArrayLike, margin: ArrayLike, mmr: Any,
                              maintenance_amount: ArrayLike = 0.0, *, fee_rate: ArrayLike = 0.0,
                              mm_basis: str = "mark") -> Any:
    """Mark price at which coin equity falls to the coin maintenance margin.

    Solves ``M + s*Q*V*(1/E - 1/P) = MM`` (all in coin) with ``m' = mmr +
    fee_rate`` (a reserved close fee, as on OKX and Gate):

    * ``mm_basis="mark"`` (Binance COIN-M): ``MM = (Q*V/P)*m' - c``, so
      ``P = Q*V*(m' + s) / (M + c + s*Q*V/E)``;
    * ``mm_basis="entry"`` (Bybit inverse, BitMEX-style): ``MM = (Q*V/E)*m' - c``,
      so ``P = s*Q*V / (M + c + (s - m')*Q*V/E)``.

    ``mmr`` may be a :class:`~liqlearn.tiers.MaintenanceTiers` whose caps are
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
        out = np.where(den > 0, out, 0.0)
    else:
        out = np.where(den < 0, out, np.inf)
    return v.output(out, scalar)


def inverse_bankruptcy_price(side: str, entry_price: ArrayLike, contracts: ArrayLike,
                             contract_size: ArrayLike, margin: ArrayLike) -> Any:
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
                                         mmr: Any, maintenance_amount: ArrayLike = 0.0, *,
                                         fee_rate: ArrayLike = 0.0, mm_basis: str = "mark") -> Any:
    """Coin margin whose liquidation price is ``target_price`` (inverse contracts).

    Solve ``M + s*Q*V*(1/E - 1/P) = MM`` for ``M``: ``M = MM - s*Q*V*(1/E - 1/P)``
    with ``MM = (Q*V/P)*m' - c`` (basis "mark") or ``(Q*V/E)*m' - c`` (basis
    "entry"), ``m' = mmr + fee_rate``.  ``mmr`` may be a
    :class:`~liqlearn.tiers.MaintenanceTiers` with coin-valued caps (the
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


# --------------------------------------------------------------------------
# Registry entries (SymPy is imported here only)
# --------------------------------------------------------------------------


def _formulas() -> list:
    import functools

    import sympy as sp

    from ._registry import Formula

    Q = sp.Symbol("Q", positive=True)
    V = sp.Symbol("V", positive=True)
    E = sp.Symbol("E", positive=True)
    P = sp.Symbol("P", positive=True)
    M = sp.Symbol("M", nonnegative=True)
    m = sp.Symbol("m", nonnegative=True)
    c = sp.Symbol("c", nonnegative=True)
    f = sp.Symbol("f", nonnegative=True)
    Pl = sp.Symbol("P", positive=True)  # the unknown (liquidation/bankruptcy price)
    Pt = sp.Symbol("P_t", positive=True)  # a target liquidation price
    base = {"entry_price": E, "contracts": Q, "contract_size": V}
    box = {"entry_price": (1_000.0, 1e5), "mark_price": (1_000.0, 1e5),
           "contracts": (1.0, 1e4), "contract_size": (1.0, 100.0),
           "margin": (0.0, 100.0), "mmr": (0.0, 0.2), "maintenance_amount": (0.0, 0.5),
           "fee_rate": (0.0, 0.001)}
    Equity, MM = sp.Symbol("Equity"), sp.Symbol("MM")
    # Liquidation boxes: coin value Q V / E in [1, 10], margin in [0.5, 0.9] (below the
    # value, so a short's answer is finite, not its never-liquidated inf) and above the
    # maintenance margin at entry (value * (m + f) <= 0.41), so few draws are rejected.
    liq_box = {"entry_price": (2e4, 5e4), "contracts": (1e3, 2e3), "contract_size": (50.0, 100.0),
               "margin": (0.5, 0.9), "mmr": (0.001, 0.04), "maintenance_amount": (0.0, 1e-3),
               "fee_rate": (0.0, 0.001)}
    out = []
    for side, s in (("long", 1), ("short", -1)):
        upnl = s * Q * V * (1 / E - 1 / P)
        out.append(Formula(
            name=f"inverse_unrealized_pnl_{side}", expr=upnl,
            symbols={**base, "mark_price": P},
            numeric=functools.partial(inverse_unrealized_pnl, side),
            example={"entry_price": 50_000.0, "mark_price": 40_000.0, "contracts": 100.0,
                     "contract_size": 100.0},
            lhs=r"\mathrm{UPnL}_{\mathrm{coin}}",
            description=f"Unrealized P&L in coin of an inverse {side}.",
            convention="Binance COIN-M, Bybit inverse, BitMEX XBTUSD", domain=box,
            steps=(("Q contracts of V dollars are worth Q V / P coins at price P",
                    sp.Eq(sp.Symbol(r"N_{\mathrm{coin}}"), Q * V / P)),
                   (f"A {side} (s = {s}) gains the change in the coin value of its dollars",
                    sp.Eq(sp.Symbol("UPnL"), upnl))),
        ))
        equity = M + s * Q * V * (1 / E - 1 / Pl)
        for basis in ("mark", "entry"):
            mm = (Q * V / (Pl if basis == "mark" else E)) * (m + f) - c
            condition = sp.Eq(equity, mm)
            solutions = sp.solve(condition, Pl)
            assert len(solutions) == 1, solutions
            solved = sp.factor(sp.simplify(solutions[0]))
            convention = ("Binance COIN-M, mark basis" if basis == "mark"
                          else "Bybit inverse / BitMEX-style, maintenance margin at entry")
            example = {"entry_price": 50_000.0, "contracts": 100.0, "contract_size": 100.0,
                       "margin": 0.1, "mmr": 0.005, "maintenance_amount": 0.0,
                       "fee_rate": 0.0}
            out.append(Formula(
                name=f"inverse_liquidation_price_{side}_{basis}", expr=solved,
                symbols={**base, "margin": M, "mmr": m, "maintenance_amount": c, "fee_rate": f},
                numeric=functools.partial(inverse_liquidation_price, side, mm_basis=basis),
                example=example, lhs=r"P_{\mathrm{liq}}",
                description=f"Liquidation price of an inverse {side}, maintenance margin "
                            f"at the {'trigger' if basis == 'mark' else 'entry'} price.",
                convention=convention,
                domain=liq_box,
                steps=(("Equity in coin is margin plus the coin P&L",
                        sp.Eq(Equity, equity)),
                       ("Maintenance margin in coin" + (" at the trigger price" if basis == "mark"
                                                        else " at the entry price"),
                        sp.Eq(MM, mm)),
                       ("Liquidation: equity equals maintenance margin", condition),
                       ("Solve for P", sp.Eq(sp.Symbol(r"P_{\mathrm{liq}}"), solved))),
            ))
            margin_expr = sp.expand(sp.solve(condition, M)[0])
            out.append(Formula(
                name=f"inverse_margin_for_liquidation_price_{side}_{basis}",
                expr=margin_expr.subs(Pl, Pt),
                symbols={**base, "target_price": Pt, "mmr": m, "maintenance_amount": c,
                         "fee_rate": f},
                numeric=functools.partial(inverse_margin_for_liquidation_price, side,
                                          mm_basis=basis),
                example={"entry_price": 50_000.0, "contracts": 100.0, "contract_size": 100.0,
                         "target_price": 33_500.0 if s == 1 else 99_500.0, "mmr": 0.005,
                         "maintenance_amount": 0.0, "fee_rate": 0.0},
                lhs="M", description=f"Coin margin that puts an inverse {side}'s liquidation "
                                     "price at the target price.",
                convention=convention,
                domain={"entry_price": (5e4, 1e5) if s == 1 else (1e3, 4.9e4),
                        "target_price": (1e3, 4.9e4) if s == 1 else (5e4, 1e5),
                        "contracts": (1.0, 1e4), "contract_size": (1.0, 100.0),
                        "mmr": (0.001, 0.2), "maintenance_amount": (0.0, 1e-5),
                        "fee_rate": (0.0, 0.001)},
                steps=(("The liquidation condition at the target price",
                        condition.subs(Pl, Pt)),
                       ("Solve for the margin", sp.Eq(M, margin_expr.subs(Pl, Pt)))),
            ))
        bk_condition = sp.Eq(equity, 0)
        bk = sp.factor(sp.solve(bk_condition, Pl)[0])
        out.append(Formula(
            name=f"inverse_bankruptcy_price_{side}", expr=bk,
            symbols={**base, "margin": M},
            numeric=functools.partial(inverse_bankruptcy_price, side),
            example={"entry_price": 50_000.0, "contracts": 100.0, "contract_size": 100.0,
                     "margin": 0.1},
            lhs=r"P_{\mathrm{bk}}", description=f"Bankruptcy price of an inverse {side}: "
                                                "coin equity zero.",
            convention="Binance COIN-M, Bybit inverse, BitMEX XBTUSD",
            domain=liq_box,
            steps=(("Equity in coin is margin plus the coin P&L", sp.Eq(Equity, equity)),
                   ("Bankruptcy: equity is zero", bk_condition),
                   ("Solve for P", sp.Eq(sp.Symbol(r"P_{\mathrm{bkr}}"), bk))),
        ))
    return out
