"""Self-checks for liquidation and bankruptcy prices of linear positions, isolated and cross.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from .judge import (CENT, PRIMER, CheckResult, Variant, close, expected_value, flat_rate, judge,
                    other_side, quantity_from, sign_of, size_from, variant_value)

__all__ = ["liquidation_price", "liquidation_price_long", "liquidation_price_short", "bankruptcy_price", "cross_liquidation_price"]


# Liquidation and bankruptcy (linear)
# ---------------------------------------------------------------------------


def unchecked_linear(side: str, E: float, Q: float, M: float, m: float, c: float, f: float,
                basis: str) -> float:
    """The liquidation price for a mistaken input the public function would refuse.

    Calls the package's own unvalidated kernel (the one ``liqlearn.liquidation_price``
    uses), so a diagnosed mistake is the formula with the wrong input, not a copy.
    """
    from ..formulas.liquidation import liquidation_price_unchecked

    return float(liquidation_price_unchecked(sign_of(side), E, Q, M, m + f, c, basis))


def _liq_variants(side: str, E: float, Q: float, M: float, mmr: Any, c: float, f: float,
                  basis: str, expected: float) -> list[Variant]:
    import liqlearn as ll

    flat = flat_rate(mmr)
    other_basis = "entry" if basis == "mark" else "mark"

    def liq(side=side, Q=Q, M=M, mmr=mmr, c=c, f=f, basis=basis) -> float:
        try:
            return ll.liquidation_price(side, E, Q, M, mmr, c, fee_rate=f, mm_basis=basis)
        except ValueError:
            if not flat_rate(mmr):
                raise
            return unchecked_linear(side, E, Q, M, float(mmr), c, f, basis)

    L = Q * E / M
    out: list[Variant] = [
        ("basis_entry" if basis == "mark" else "basis_mark", lambda: liq(basis=other_basis)),
        ("wrong_side", lambda: liq(side=other_side(side))),
        ("bankruptcy_not_liquidation", lambda: ll.bankruptcy_price(side, E, Q, M, fee_rate=f)),
        ("leverage_twice", lambda: liq(Q=Q * L)),
    ]
    if c:
        out += [("no_maintenance_amount", lambda: liq(c=0.0)),
                ("amount_added", lambda: unchecked_linear(side, E, Q, M, float(mmr), -c, f, basis))]
    if f:
        out += [("no_fee", lambda: liq(f=0.0)), ("fee_percent", lambda: liq(f=f * 100))]
    if flat:
        m = float(mmr)
        out += [("mmr_percent", lambda: liq(mmr=m * 100)),
                ("mmr_over_100", lambda: liq(mmr=m / 100))]
    else:
        # the bracket at entry, used with the mark basis; the right bracket without its amount
        rate_e, amount_e = (float(x) for x in mmr.bracket(Q * E))
        notional_at = Q * (expected if basis == "mark" else E)
        rate, _ = (float(x) for x in mmr.bracket(notional_at))
        if basis == "mark":
            out.append(("entry_bracket", lambda: liq(mmr=rate_e, c=amount_e)))
        out += [("no_maintenance_amount", lambda: liq(mmr=rate, c=0.0)),
                ("mmr_percent", lambda: unchecked_linear(side, E, Q, M, rate * 100, 0.0, f, basis))]
    return out


def liquidation_price(answer: Any, *, side: str = "long", entry_price: Any = PRIMER["entry_price"],
                      quantity: Any = None, margin: Any = PRIMER["margin"],
                      leverage: Any = None, mmr: Any = PRIMER["mmr"],
                      maintenance_amount: Any = 0.0, fee_rate: Any = 0.0,
                      mm_basis: str = "mark", rel_tol: float = 1e-4, abs_tol: float = CENT,
                      strict: bool | None = None) -> CheckResult:
    """Liquidation price of an isolated linear position (see ``liqlearn.liquidation_price``).

    >>> liquidation_price(65_671.64, side="short")
    ✓ Correct.
    >>> liquidation_price(65_700, side="short", strict=False).mistake
    'basis_entry'
    >>> liquidation_price(54_271.36, fee_rate=0.0005, strict=False).mistake
    'no_fee'
    """
    import liqlearn as ll

    E, M = float(entry_price), float(margin)
    Q = quantity_from(quantity, M, leverage, E)
    c, f = float(maintenance_amount), float(fee_rate)
    e = expected_value(lambda: ll.liquidation_price(side, E, Q, M, mmr, c, fee_rate=f,
                                               mm_basis=mm_basis))
    variants = _liq_variants(side, E, Q, M, mmr, c, f, mm_basis, e)
    return judge(answer, e, variants, rel_tol=rel_tol, abs_tol=abs_tol, strict=strict,
                  fallback="set equity equal to the maintenance margin and solve for the price; "
                           "check the side, the basis and that rates are fractions.")


def liquidation_price_long(answer: Any, **params: Any) -> CheckResult:
    """:func:`liquidation_price` of a long (default: the primer's 54,271.36)."""
    return liquidation_price(answer, side="long", **params)


def liquidation_price_short(answer: Any, **params: Any) -> CheckResult:
    """:func:`liquidation_price` of a short (default: the primer's short, 65,671.64)."""
    return liquidation_price(answer, side="short", **params)


def bankruptcy_price(answer: Any, *, side: str = "long", entry_price: Any = PRIMER["entry_price"],
                     quantity: Any = None, margin: Any = PRIMER["margin"], leverage: Any = None,
                     fee_rate: Any = 0.0, mmr: Any = PRIMER["mmr"], rel_tol: float = 1e-4,
                     abs_tol: float = CENT, strict: bool | None = None) -> CheckResult:
    """Bankruptcy price (equity zero; with ``fee_rate`` the close fee there is reserved).

    ``mmr`` is used only to recognise a liquidation price given by mistake.
    """
    import liqlearn as ll

    E, M = float(entry_price), float(margin)
    Q = quantity_from(quantity, M, leverage, E)
    f = float(fee_rate)
    s = sign_of(side)
    e = expected_value(lambda: ll.bankruptcy_price(side, E, Q, M, fee_rate=f))
    variants: list[Variant] = [
        ("wrong_side", lambda: ll.bankruptcy_price(other_side(side), E, Q, M, fee_rate=f)),
        ("liquidation_not_bankruptcy", lambda: ll.liquidation_price(side, E, Q, M, mmr,
                                                                    fee_rate=f)),
        ("leverage_twice", lambda: ll.bankruptcy_price(side, E, Q * Q * E / M, M, fee_rate=f)),
    ]
    if f:
        variants += [("no_fee", lambda: ll.bankruptcy_price(side, E, Q, M)),
                     ("fee_percent", lambda: unchecked_linear(side, E, Q, M, 0.0, 0.0, f * 100, "mark"))]
    return judge(answer, e, variants, rel_tol=rel_tol, abs_tol=abs_tol, strict=strict,
                  fallback="set equity (margin plus unrealized P&L) to zero and solve for the "
                           "price.")


def cross_liquidation_price(answer: Any, *, wallet_balance: Any = PRIMER["margin"],
                            positions: Sequence[Mapping[str, Any]] | None = None, which: int = 0,
                            rel_tol: float = 1e-4, abs_tol: float = CENT,
                            strict: bool | None = None) -> CheckResult:
    """Cross-margin liquidation price of ``positions[which]`` (default: the primer's long alone).

    ``positions`` as for ``liqlearn.cross_liquidation_price``: mappings with side, quantity,
    entry_price, mark_price, mmr and optional maintenance_amount.
    """
    import liqlearn as ll

    if positions is None:
        positions = [{"side": "long", "quantity": 1 / 6, "entry_price": PRIMER["entry_price"],
                      "mark_price": PRIMER["entry_price"], "mmr": PRIMER["mmr"]}]
    W = float(wallet_balance)
    e = expected_value(lambda: ll.cross_liquidation_price(W, positions, which))
    me = positions[which]
    others = [p for i, p in enumerate(positions) if i != which]

    def pnl() -> float:
        return sum(float(ll.unrealized_pnl(p["side"], p["entry_price"], p["mark_price"],
                                           p["quantity"])) for p in others)

    def mm() -> float:
        return sum(float(ll.maintenance_margin(ll.notional(p["quantity"], p["mark_price"]),
                                               p["mmr"], p.get("maintenance_amount", 0.0)))
                   for p in others)

    def liq(collateral: float, side: str = me["side"], basis: str = "mark") -> float:
        return ll.liquidation_price(side, me["entry_price"], me["quantity"], collateral,
                                    me["mmr"], me.get("maintenance_amount", 0.0), mm_basis=basis)

    variants: list[Variant] = [
        ("others_ignored", lambda: liq(W)),
        ("others_pnl_ignored", lambda: liq(W - mm())),
        ("others_mm_ignored", lambda: liq(W + pnl())),
        ("others_pnl_sign", lambda: liq(W - mm() - pnl())),
        ("basis_entry", lambda: liq(W - mm() + pnl(), basis="entry")),
        ("wrong_side", lambda: liq(W - mm() + pnl(), side=other_side(me["side"]))),
    ]
    return judge(answer, e, variants, rel_tol=rel_tol, abs_tol=abs_tol, strict=strict,
                  fallback="this position's collateral is the wallet minus the others' "
                           "maintenance margin plus their unrealized P&L; then solve as for "
                           "an isolated position.")


# ---------------------------------------------------------------------------
