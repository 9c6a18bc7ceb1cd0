"""Cross margin: one wallet backs every position (Binance USDⓈ-M cross, dYdX v4).

In cross margin a position is liquidated when the *account's* equity falls to
the *account's* maintenance margin.  Holding the other positions at their
current marks, the position ``positions[which]`` is backed by the collateral

    C = wallet balance - (others' maintenance margin) + (others' unrealized P&L)

and its liquidation price is the isolated one with ``M = C`` (maintenance margin
at the trigger price).  This is Binance's cross formula
``LP = (WB - TMM1 + UPNL1 + cum - s*Q*E) / (Q*MMR - s*Q)``; dYdX's account
equity already contains every position's P&L, which gives the same rule.

>>> btc = dict(side="long", quantity=1.0, entry_price=60_000, mark_price=60_000, mmr=0.004)
>>> eth = dict(side="short", quantity=10.0, entry_price=3_000, mark_price=2_900, mmr=0.005)
>>> round(cross_liquidation_price(10_000, [btc, eth], 0), 2)
49342.37
"""

from __future__ import annotations

from typing import Any, Mapping, Sequence

import numpy as np

from . import _validation as v

__all__ = ["cross_collateral", "cross_liquidation_price", "cross_liquidation_price_from_totals",
           "others_totals"]

ArrayLike = Any
REQUIRED_KEYS = ("side", "quantity", "entry_price", "mark_price", "mmr")


def cross_collateral(wallet_balance: ArrayLike, others_maintenance_margin: ArrayLike,
                     others_unrealized_pnl: ArrayLike) -> Any:
    """Collateral backing one position in cross margin: ``C = W - MM_o + UPnL_o``.

    ``MM_o`` and ``UPnL_o`` are the other positions' maintenance margin and
    unrealized P&L at their marks (Binance's ``WB - TMM1 + UPNL1``).  A
    collateral at or below zero means the account cannot carry the position:
    ValueError.

    >>> cross_collateral(10_000, 145.0, 1_000.0)
    10855.0
    """
    scalar = v.is_scalar(wallet_balance, others_maintenance_margin, others_unrealized_pnl)
    w = v.nonnegative("wallet_balance", wallet_balance)
    mm = v.nonnegative("others_maintenance_margin", others_maintenance_margin)
    u = v.finite("others_unrealized_pnl", others_unrealized_pnl)
    w, mm, u = v.broadcast(wallet_balance=w, others_maintenance_margin=mm,
                           others_unrealized_pnl=u)
    c = w - mm + u
    v.reject_where(
        c <= 0,
        "collateral {c}{where} must be > 0: wallet_balance {w} - the other positions' "
        "maintenance margin {mm} + their unrealized P&L {u} leaves nothing to back the position",
        [("c", c), ("w", w), ("mm", mm), ("u", u)])
    return v.output(c, scalar)


def cross_liquidation_price_from_totals(side: str, wallet_balance: ArrayLike,
                                        others_maintenance_margin: ArrayLike,
                                        others_unrealized_pnl: ArrayLike, entry_price: ArrayLike,
                                        quantity: ArrayLike, mmr: Any,
                                        maintenance_amount: ArrayLike = 0.0,
                                        mark_price: ArrayLike | None = None) -> Any:
    """Cross liquidation price from the account's totals (Binance's cross formula).

    ``P = (C + c - s*Q*E) / (Q*(m - s))`` with ``C`` from :func:`cross_collateral`:
    maintenance margin at the trigger price.  With ``mark_price`` the position
    is checked to be above its liquidation level *now* (ValueError otherwise);
    without it only the collateral is checked.  A long whose answer is <= 0
    returns 0.0.

    >>> round(cross_liquidation_price_from_totals("long", 10_000, 145.0, 1_000.0, 60_000, 1.0,
    ...                                           0.004), 2)
    49342.37
    """
    s = v.side_sign(side)
    from .liquidation import _solve_checked, _validated

    collateral = cross_collateral(wallet_balance, others_maintenance_margin, others_unrealized_pnl)
    scalar = v.is_scalar(collateral) and (mark_price is None or v.is_scalar(mark_price))
    e, q, m_arr, rate, c, f, tiered, scalar2, shape = _validated(
        entry_price, quantity, collateral, mmr, maintenance_amount, 0.0)
    if mark_price is not None:
        _check_alive(side, e, q, m_arr, rate, c, mark_price)
    out = _solve_checked(s, "mark", e, q, m_arr, rate, c, f, tiered, shape, check_entry=False)
    return float(out) if (scalar and scalar2) else out


def _check_alive(side: str, e: Any, q: Any, collateral: Any, mmr: Any, c: Any,
                 mark_price: ArrayLike) -> None:
    """Reject a position whose equity at its mark is already at or below its maintenance margin."""
    from .margin import maintenance_margin, unrealized_pnl

    p = v.positive("mark_price", mark_price)
    eq = np.asarray(collateral + unrealized_pnl(side, e, p, q), dtype=float)
    mm = np.asarray(maintenance_margin(np.asarray(q * p, dtype=float), mmr, c), dtype=float)
    eq, mm = np.broadcast_arrays(eq, mm)
    bad = eq <= mm
    if bad.any():
        i = int(np.flatnonzero(bad.ravel())[0])
        where = "" if bad.ndim == 0 else f" at index {i}"
        raise ValueError(
            f"the position's equity {eq.ravel()[i]:g}{where} at its mark is at or below its "
            f"maintenance margin {mm.ravel()[i]:g}: the account is already being liquidated")


def _position(positions: Sequence[Mapping[str, Any]], j: int) -> Mapping[str, Any]:
    pos = positions[j]
    if not isinstance(pos, Mapping):
        raise ValueError(f"positions[{j}] must be a mapping with keys "
                         f"{', '.join(REQUIRED_KEYS)}; got {type(pos).__name__}")
    missing = [k for k in REQUIRED_KEYS if k not in pos]
    if missing:
        raise ValueError(f"positions[{j}] lacks {', '.join(repr(k) for k in missing)} "
                         f"(required: {', '.join(REQUIRED_KEYS)}; optional: maintenance_amount)")
    return pos


def _named(j: int, fn: Any, *args: Any) -> Any:
    """Call a margin function; prefix its ValueError with the position it is about."""
    try:
        return fn(*args)
    except ValueError as exc:
        raise ValueError(f"positions[{j}]: {exc}") from None


def others_totals(positions: Sequence[Mapping[str, Any]], which: int) -> tuple[Any, Any]:
    """``(maintenance margin, unrealized P&L)`` of every position but ``positions[which]``.

    Each at its own mark; a bad field raises ValueError prefixed ``positions[j]:``.

    >>> eth = dict(side="short", quantity=10.0, entry_price=3_000, mark_price=2_900, mmr=0.005)
    >>> btc = dict(side="long", quantity=1.0, entry_price=60_000, mark_price=60_000, mmr=0.004)
    >>> others_totals([btc, eth], 0)
    (145.0, 1000.0)
    """
    from .margin import maintenance_margin, unrealized_pnl

    others_mm: Any = 0.0
    others_upnl: Any = 0.0
    for j in range(len(positions)):
        pos = _position(positions, j)
        if j == which:
            continue
        c = pos.get("maintenance_amount", 0.0)
        n = _named(j, lambda q, p: v.positive("quantity", q) * v.positive("mark_price", p),
                   pos["quantity"], pos["mark_price"])
        others_mm = others_mm + _named(j, maintenance_margin, n, pos["mmr"], c)
        others_upnl = others_upnl + _named(j, unrealized_pnl, pos["side"], pos["entry_price"],
                                           pos["mark_price"], pos["quantity"])
    return others_mm, others_upnl


def cross_liquidation_price(wallet_balance: ArrayLike, positions: Sequence[Mapping[str, Any]],
                            which: int) -> Any:
    """Liquidation price of ``positions[which]`` in a cross-margin account.

    ``positions`` is a sequence of mappings with keys ``side``, ``quantity``,
    ``entry_price``, ``mark_price``, ``mmr`` (a rate or a
    :class:`~liqlearn.tiers.MaintenanceTiers`) and optional
    ``maintenance_amount``.  The other positions are held at their marks: the
    collateral is ``wallet_balance - their maintenance margin + their unrealized
    P&L`` (Binance USDⓈ-M cross; dYdX v4 gives the same), and the answer is the
    mark-basis liquidation price with that collateral.  One position per symbol
    (hedge mode is out of scope).

    Raises ValueError when the collateral is not positive, or when the position
    is already at or below its maintenance margin at its mark.  A long that
    cannot be liquidated returns 0.0.

    >>> pos = [dict(side="short", quantity=1.0, entry_price=60_000, mark_price=60_000, mmr=0.004)]
    >>> round(cross_liquidation_price(6_000, pos, 0), 2)
    65737.05
    """
    if isinstance(positions, (str, bytes, Mapping)) or not isinstance(positions, Sequence):
        raise ValueError("positions must be a sequence of mappings (one per position)")
    if not positions:
        raise ValueError("positions must contain at least one position")
    if isinstance(which, bool) or not isinstance(which, (int, np.integer)) or not (
            -len(positions) <= which < len(positions)):
        raise ValueError(f"which must be an integer index in [0, {len(positions) - 1}]; "
                         f"got {which!r}")
    which = int(which) % len(positions)
    v.nonnegative("wallet_balance", wallet_balance)
    others_mm, others_upnl = others_totals(positions, which)
    me = positions[which]
    return _named(which, cross_liquidation_price_from_totals, me["side"], wallet_balance,
                  others_mm, others_upnl, me["entry_price"], me["quantity"], me["mmr"],
                  me.get("maintenance_amount", 0.0), me["mark_price"])


# --------------------------------------------------------------------------
# Registry entries (SymPy is imported here only)
# --------------------------------------------------------------------------


def _formulas() -> list:
    import functools

    import sympy as sp

    from ._registry import Formula
    from .margin import symbols

    S = symbols()
    Q, E, P, m, c = (S[k] for k in ("quantity", "entry_price", "mark_price", "mmr",
                                    "maintenance_amount"))
    W = sp.Symbol("W", nonnegative=True)
    MMo = sp.Symbol(r"\mathrm{MM}_o", nonnegative=True)
    Uo = sp.Symbol(r"\mathrm{UPnL}_o", real=True)
    C = sp.Symbol("C")
    Pl = sp.Symbol(r"P_{\mathrm{liq}}")
    collateral = W - MMo + Uo
    # every draw: collateral in (0, 4.5e3] below the notional Q*E >= 5e3, so a long is > 0
    box = {"wallet_balance": (1e3, 4e3), "others_maintenance_margin": (0.0, 500.0),
           "others_unrealized_pnl": (-500.0, 500.0), "entry_price": (1e4, 1e5),
           "quantity": (0.5, 20.0), "mmr": (0.0, 0.02), "maintenance_amount": (0.0, 10.0)}
    out = [Formula(
        name="cross_collateral", expr=collateral,
        symbols={"wallet_balance": W, "others_maintenance_margin": MMo,
                 "others_unrealized_pnl": Uo},
        numeric=cross_collateral,
        example={"wallet_balance": 10_000.0, "others_maintenance_margin": 145.0,
                 "others_unrealized_pnl": 1_000.0},
        lhs="C", description="Collateral backing one position in cross margin: the wallet less "
                             "the other positions' maintenance margin plus their P&L.",
        convention="Binance USDⓈ-M cross (WB - TMM1 + UPNL1); dYdX v4 cross",
        domain=box,
        steps=(
            ("Cross margin: account equity meets account maintenance margin",
             sp.Eq(W + sp.Symbol(r"\mathrm{UPnL}_1") + Uo, sp.Symbol(r"\mathrm{MM}_1") + MMo)),
            ("Move the other positions to the collateral side",
             sp.Eq(collateral + sp.Symbol(r"\mathrm{UPnL}_1"), sp.Symbol(r"\mathrm{MM}_1"))),
            ("The collateral of position 1", sp.Eq(C, collateral)),
        ),
    )]
    for side, s in (("long", 1), ("short", -1)):
        cond = sp.Eq(collateral + s * Q * (P - E), Q * P * m - c)
        sol = sp.solve(cond, P)[0]
        out.append(Formula(
            name=f"cross_liquidation_price_{side}", expr=sol,
            symbols={"wallet_balance": W, "others_maintenance_margin": MMo,
                     "others_unrealized_pnl": Uo, "entry_price": E, "quantity": Q, "mmr": m,
                     "maintenance_amount": c},
            numeric=functools.partial(cross_liquidation_price_from_totals, side),
            example={"wallet_balance": 10_000.0, "others_maintenance_margin": 145.0,
                     "others_unrealized_pnl": 1_000.0, "entry_price": 60_000.0,
                     "quantity": 1.0, "mmr": 0.004, "maintenance_amount": 0.0},
            lhs=r"P_{\mathrm{liq}}",
            description=f"Cross-margin liquidation price of a {side}, the other positions "
                        "held at their marks.",
            convention="Binance USDⓈ-M cross, mark basis; dYdX v4 cross", domain=box,
            steps=(
                ("Collateral C plus the position's P&L meets its maintenance margin at P",
                 sp.Eq(C + s * Q * (P - E), Q * P * m - c)),
                ("Substitute the collateral", cond),
                ("Solve for the price P", sp.Eq(Pl, sol)),
            ),
        ))
    return out
