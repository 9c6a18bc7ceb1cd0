"""Liquidation and bankruptcy prices of linear (USDT-margined) positions.

A position is liquidated when its equity falls to its maintenance margin,
both evaluated at the mark price ``P``::

    M + s * Q * (P - E) = MM

Venues differ only in what ``MM`` is (see ``mm_basis``):

* ``"mark"``: maintenance margin at the trigger price, ``MM = Q*P*m - c``
  (Binance USDⓈ-M, dYdX v4, Hyperliquid), which gives
  ``P = (M + c - s*Q*E) / (Q*(m - s))``;
* ``"entry"``: maintenance margin at the entry price, ``MM = Q*E*m - c``
  (Bybit isolated margin on its 2024 page; the primer's rough method), which gives
  ``P = E - s*(M - MM)/Q``.

A ``fee_rate`` adds the close fee to the rate (OKX and Gate reserve it).

The primer's example: 1,000 USDT at 10x on BTC at 60,000 (Q = 1/6 BTC), 0.5 %:

>>> round(liquidation_price("long", 60_000, 1/6, 1_000, 0.005), 2)
54271.36
>>> round(liquidation_price("long", 60_000, 1/6, 1_000, 0.005, mm_basis="entry"), 2)
54300.0
>>> bankruptcy_price("long", 60_000, 1/6, 1_000)
54000.0
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

import numpy as np

from . import validation as v

if TYPE_CHECKING:
    from .tiers import MaintenanceTiers

__all__ = [
    "liquidation_price",
    "bankruptcy_price",
    "round_to_tick",
    "rule_of_thumb_move",
    "exact_move",
]

ArrayLike = v.ArrayLike
FloatOrArray = v.FloatOrArray


def _num(x: float) -> str:
    """A number for a message: ``50.0``, ``54271.36``, ``inf``."""
    x = float(x)
    s = f"{x:.12g}"
    if math.isfinite(x) and not any(ch in s for ch in ".e"):
        s += ".0"
    return s


def reject_liquidated_at_entry(bad: np.ndarray, margin: np.ndarray, mm: np.ndarray,
                                fee: bool) -> None:
    """The contract's message for a position already at or past liquidation at entry."""
    if not bad.any():
        return
    i = int(np.flatnonzero(bad.ravel())[0])
    m_i = np.broadcast_to(margin, bad.shape).ravel()[i]
    mm_i = np.broadcast_to(mm, bad.shape).ravel()[i]
    where = "" if bad.ndim == 0 else f" at index {i}"
    what = "maintenance margin plus the close fee" if fee else "maintenance margin"
    raise ValueError(
        f"margin {_num(m_i)}{where} is at or below the {what} {_num(mm_i)} at entry: "
        "the position would be liquidated at once"
    )


def _entry_mm(e: Any, q: Any, mf: Any, c: Any) -> np.ndarray:
    """Maintenance margin (plus reserved fee) at the entry price, ``Q*E*mf - c``."""
    return np.asarray(q * e * mf - c, dtype=float)


def _entry_bad(e: Any, q: Any, margin: Any, mf: Any, c: Any) -> np.ndarray:
    """Where ``(M + c)/Q <= E*mf``: equity at or below maintenance margin at entry.

    The same arithmetic as :func:`_kernel`'s check, so both flag the same
    elements (the boundary counts as liquidated).
    """
    return np.less_equal((margin + c) / q, e * mf)


def _kernel(s: int, e: Any, q: Any, margin: Any, mf: Any, c: Any, basis: str,
            out: np.ndarray, buf: np.ndarray, check: bool = True) -> bool:
    """The linear liquidation price into ``out``; False if a position is liquidated at entry.

    No input validation (the caller has done it).  ``buf`` is scratch space of
    ``out``'s shape.  In place, sharing ``(M + c)/Q`` between the check and
    both bases::

        check:  (M + c)/Q <= E*mf        (equity at or below MM at entry)
        mark:   P = (E - s*(M + c)/Q) / (1 - s*mf)
        entry:  P = E*(1 + s*mf) - s*(M + c)/Q

    A long's answer <= 0 becomes 0.0 (it cannot be liquidated).
    """
    if np.any(c):
        np.add(margin, c, out=out)
        np.divide(out, q, out=out)
    else:
        np.divide(margin, q, out=out)
    if check:
        np.multiply(e, mf, out=buf)
        if np.less_equal(out, buf).any():
            return False
    toward = np.subtract if s == 1 else np.add
    if basis == "mark":
        toward(e, out, out=out)
        np.divide(out, 1.0 - s * mf, out=out)
    else:
        np.multiply(e, 1.0 + s * mf, out=buf)
        toward(buf, out, out=out)
    if s == 1 and out.size and out.min() <= 0:
        out[out <= 0] = 0.0
    return True


def liquidation_price_unchecked(side_sign: int, entry_price: ArrayLike, quantity: ArrayLike,
                                margin: ArrayLike, rate: ArrayLike, maintenance_amount: ArrayLike = 0.0,
                                basis: str = "mark") -> np.ndarray:
    """The liquidation-price kernel of :func:`liquidation_price`, with no validation at all.

    ``rate`` is the maintenance-margin rate plus any reserved fee.  For callers that
    must evaluate deliberately wrong inputs -- the self-checks work out what a student
    who typed a rate in percent (``0.5`` for 0.5 %) would get -- which the public
    function refuses.  Same arithmetic, same long-side floor at 0.

    >>> float(liquidation_price_unchecked(1, 60_000, 1/6, 1_000, 0.5)).__round__(2)
    108000.0
    """
    e, q, m, mf, c = (np.asarray(x, dtype=float) for x in
                      (entry_price, quantity, margin, rate, maintenance_amount))
    shape = np.broadcast_shapes(e.shape, q.shape, m.shape, mf.shape, c.shape)
    out = np.empty(shape)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        _kernel(side_sign, e, q, m, mf, c, basis, out, np.empty(shape), check=False)
    return out


_BLOCK = 65_536  # elements per block: a block of every operand stays in cache


def _fast_flat(s: int, basis: str, values: tuple) -> Any:
    """Flat-rate liquidation price of big contiguous arrays, block by block; None to decline.

    Each block is validated (the same ``_validation`` checks) and solved while it
    is in cache, so the arrays stream from memory about once.  Any problem --
    odd shapes, a bad value, a position liquidated at entry, a maintenance
    amount -- returns None and the caller's full-array path takes over, which
    raises the message with the index in the whole array.
    """
    try:
        arrs = [np.asarray(x, dtype=float) for x in values]
    except (TypeError, ValueError):
        return None
    e, q, m, mmr, c, f = arrs
    big = [a for a in arrs if a.ndim]
    if not big or big[0].size < 2 * _BLOCK or np.any(c) or np.ndim(mmr) or np.ndim(f):
        return None
    shape = big[0].shape
    if any(a.shape != shape or not a.flags.c_contiguous for a in big):
        return None
    try:
        for name, a, check in (("entry_price", e, v.positive), ("quantity", q, v.positive),
                               ("margin", m, v.nonnegative)):
            if not a.ndim:
                check(name, a)
        mf = float(v.rate("mmr", mmr)) + float(v.rate("fee_rate", f))
    except ValueError:
        return None
    if mf >= 1:
        return None
    size = big[0].size
    flat = [a.reshape(-1) if a.ndim else a for a in (e, q, m)]
    checks = [(n, c_) for n, a, c_ in zip(("entry_price", "quantity", "margin"), (e, q, m),
                                          (v.positive, v.positive, v.nonnegative)) if a.ndim]
    out = np.empty(size)
    buf = np.empty(_BLOCK)
    for lo in range(0, size, _BLOCK):
        hi = min(lo + _BLOCK, size)
        blk = [a[lo:hi] if a.ndim else a for a in flat]
        try:
            for (name, check), a in zip(checks, (b for b in blk if b.ndim)):
                check(name, a)
        except ValueError:
            return None
        if not _kernel(s, blk[0], blk[1], blk[2], mf, 0.0, basis, out[lo:hi], buf[:hi - lo]):
            return None
    return out.reshape(shape)


def root_bracket_index(s: int, margin: np.ndarray, entry_value: np.ndarray, tiers: "MaintenanceTiers",
                       f: np.ndarray, what: str, hint: str = "") -> np.ndarray:
    """Index of the bracket that holds the position's value at the root of ``g = equity - MM``.

    At the price where the position's value equals a cap, ``g = M + s*(cap - V_entry)
    - (cap*(m + f) - c)``.  ``g`` is monotone along the value axis, so the brackets
    whose cap lies before the root are those where ``g`` has the sign it has past
    the root: counting them gives the root's bracket.  Linear contracts call this
    with the side's sign ``s`` and the entry notional; inverse contracts, whose
    coin value falls as the price rises, with ``-s`` and the entry value in coin.
    A root beyond the last cap: ValueError naming ``what``.
    """
    shape = np.broadcast(margin, entry_value, f).shape
    idx = np.zeros(shape, dtype=np.intp)
    for cap, rate, amount in zip(tiers.caps, tiers.rates, tiers.amounts):
        if math.isinf(cap):
            continue
        g = margin + s * (cap - entry_value) - (cap * (rate + f) - amount)
        idx += (g < 0) if s == 1 else (g > 0)
    beyond = idx >= len(tiers)
    if beyond.any():
        i = int(np.flatnonzero(beyond.ravel())[0])
        where = "" if beyond.ndim == 0 else f" at index {i}"
        raise ValueError(f"{what}{where} lies above the last tier's cap "
                         f"{_num(tiers.max_notional)}: the tier table does not cover it{hint}")
    return idx


def _tier_rates(s: int, e: np.ndarray, q: np.ndarray, margin: np.ndarray, tiers: "MaintenanceTiers",
                f: np.ndarray, basis: str, shape: tuple) -> tuple[np.ndarray, np.ndarray]:
    """(rate + fee, maintenance amount) of the bracket that holds the liquidation notional.

    Basis "entry": the entry notional's bracket.  Basis "mark": g(P) = equity - MM
    is monotone in P (increasing for a long, decreasing for a short), so the
    root's bracket is found by the sign of g at each cap; the caps whose g is
    on the wrong side are counted.
    """
    n_entry = np.broadcast_to(q * e, shape)
    if basis == "entry":
        idx = tiers.index(n_entry)
    else:
        idx = root_bracket_index(s, margin, n_entry, tiers, f, "the liquidation notional",
                                 " (add a higher tier, or lower the margin)")
    return tiers.rates[idx] + f, tiers.amounts[idx]


def validated_position(entry_price: Any, quantity: Any, margin: Any, mmr: "ArrayLike | MaintenanceTiers", maintenance_amount: Any,
                       fee_rate: Any, margin_rule: Any = v.nonnegative) -> tuple:
    """Validate the common inputs: (e, q, M, rate or tiers, c, f, tiered, scalar, shape).

    ``margin_rule`` is :func:`~liqlearn.formulas.validation.nonnegative` for an isolated
    margin; cross margin passes :func:`~liqlearn.formulas.validation.finite` (its
    collateral may be negative while the position's own profit carries it).
    """
    from .margin import flat_or_tiers

    e = v.positive("entry_price", entry_price)
    q = v.positive("quantity", quantity)
    m_arr = margin_rule("margin", margin)
    rate, c, tiered = flat_or_tiers(mmr, maintenance_amount)
    f = v.rate("fee_rate", fee_rate)
    arrays = {"entry_price": e, "quantity": q, "margin": m_arr, "maintenance_amount": c,
              "fee_rate": f}
    if not tiered:
        arrays["mmr"] = rate
    scalar = all(a.ndim == 0 for a in arrays.values())  # after the checks: ragged input is refused
    top = rate.rates[-1] if tiered else rate
    v.reject_where(top + f >= 1, "mmr + fee_rate must be < 1; got {m}{where}", [("m", top + f)])
    try:
        shape = np.broadcast_shapes(*(a.shape for a in arrays.values()))
    except ValueError:
        v.broadcast(**arrays)  # raises naming the parameters and their shapes
        raise
    return e, q, m_arr, rate, c, f, tiered, scalar, shape


def solve_checked(s: int, basis: str, e: np.ndarray, q: np.ndarray, m_arr: np.ndarray,
                   rate: Any, c: np.ndarray, f: np.ndarray, tiered: bool, shape: tuple,
                   check_entry: bool = True) -> np.ndarray:
    """Validated inputs -> liquidation price array (tiers resolved, entry check optional)."""
    out = np.empty(shape)
    buf = np.empty(shape)
    fee = bool(np.any(f))
    if tiered:
        if check_entry:
            t_rate, t_c = rate.bracket(np.broadcast_to(q * e, shape))
            t_mf, t_c = np.asarray(t_rate) + f, np.asarray(t_c)
            reject_liquidated_at_entry(np.broadcast_to(_entry_bad(e, q, m_arr, t_mf, t_c), shape),
                                        m_arr, _entry_mm(e, q, t_mf, t_c), fee)
        mf, c = _tier_rates(s, e, q, m_arr, rate, f, basis, shape)
        _kernel(s, e, q, m_arr, mf, c, basis, out, buf, check=False)
        return out
    mf = rate if (f.ndim == 0 and float(f) == 0.0) else rate + f
    if check_entry and np.any(c):
        nm = np.asarray(q * e * rate, dtype=float)
        v.reject_where(
            np.less(nm, c),
            "maintenance_amount {c}{where} exceeds notional * mmr {nm} at entry: "
            "maintenance_amount must be in [0, notional * mmr] (the maintenance margin "
            "would be negative)",
            [("c", np.broadcast_to(c, shape)), ("nm", np.broadcast_to(nm, shape))])
    if not _kernel(s, e, q, m_arr, mf, c, basis, out, buf, check=check_entry):
        bad = np.broadcast_to(_entry_bad(e, q, m_arr, mf, c), shape)
        reject_liquidated_at_entry(bad, m_arr, _entry_mm(e, q, mf, c), fee)
        raise AssertionError("unreachable: the kernel and _entry_bad disagree")
    return out


def liquidation_price(side: str, entry_price: ArrayLike, quantity: ArrayLike, margin: ArrayLike,
                      mmr: "float | ArrayLike | MaintenanceTiers", maintenance_amount: ArrayLike = 0.0,
                      *, fee_rate: ArrayLike = 0.0, mm_basis: str = "mark") -> FloatOrArray:
    """Mark price at which equity falls to the maintenance margin (isolated margin).

    Solves ``M + s*Q*(P - E) = MM`` for ``P`` with

    * ``mm_basis="mark"`` (default): ``MM = Q*P*(m + f) - c``, so
      ``P = (Q*E - s*(M + c)) / (Q*(1 - s*(m + f)))`` -- Binance USDⓈ-M
      (``LP = (WB + cum - s*Q*E) / (Q*MMR - s*Q)``), dYdX v4, Hyperliquid;
    * ``mm_basis="entry"``: ``MM = Q*E*(m + f) - c``, so
      ``P = E*(1 + s*(m + f)) - s*(M + c)/Q`` -- Bybit isolated margin (2024 page) and the
      primer's rough method ("price may move 1/L - m").

    ``fee_rate`` ``f`` reserves the close fee (OKX, Gate) by adding it to the
    rate.  ``mmr`` may be a :class:`~liqlearn.formulas.tiers.MaintenanceTiers`; then
    ``maintenance_amount`` must be 0 and the fee is added to every bracket's rate.
    On basis "mark" the answer is the one whose notional ``Q*P`` lies in the
    bracket it was solved with; on basis "entry" the entry notional's bracket
    is used.

    Edge cases: a long that cannot be liquidated (the answer is <= 0, e.g. at 1x)
    returns ``0.0``.  A linear short always has a finite liquidation price.  A
    position whose margin is at or below its maintenance margin at entry
    (the boundary counts) is rejected with ValueError.

    >>> round(liquidation_price("short", 60_000, 1/6, 1_000, 0.005), 2)
    65671.64
    >>> liquidation_price("long", 60_000, 1/6, 10_000, 0.005)  # 1x: never liquidated
    0.0
    """
    s = v.side_sign(side)
    basis = v.choice("mm_basis", mm_basis, v.MM_BASES)
    from .tiers import MaintenanceTiers

    try:
        with np.errstate(over="raise"):
            if not isinstance(mmr, MaintenanceTiers):
                fast = _fast_flat(s, basis, (entry_price, quantity, margin, mmr,
                                             maintenance_amount, fee_rate))
                if fast is not None:
                    return fast
            e, q, m_arr, rate, c, f, tiered, scalar, shape = validated_position(
                entry_price, quantity, margin, mmr, maintenance_amount, fee_rate)
            out = solve_checked(s, basis, e, q, m_arr, rate, c, f, tiered, shape)
    except FloatingPointError:
        raise v.overflow_error("liquidation_price", {"entry_price": entry_price, "quantity": quantity,
                                                     "margin": margin}) from None
    return float(out) if scalar else out


@v.checked(side=v.SIDE, entry_price=v.positive, quantity=v.positive, margin=v.nonnegative,
           fee_rate=v.rate)
def bankruptcy_price(side: str, entry_price: ArrayLike, quantity: ArrayLike, margin: ArrayLike,
                     *, fee_rate: ArrayLike = 0.0) -> FloatOrArray:
    """Mark price at which equity is zero: ``P = E - s*M/Q`` (``E*(1 - s/L)`` with ``M = Q*E/L``).

    With ``fee_rate`` ``f`` the close fee at that price is reserved out of the
    margin too, so equity at the answer just pays the fee to close (Bybit computes
    its "fee to close" at the bankruptcy price; its bankruptcy-price page quotes
    the fee-free ``E*(1 - 1/L)``): ``M + s*Q*(P - E) = f*Q*P``, so
    ``P = (Q*E - s*M) / (Q*(1 - s*f))``.  A long whose answer is <= 0 returns
    ``0.0`` (it cannot go bankrupt).

    >>> bankruptcy_price("short", 60_000, 1/6, 1_000)
    66000.0
    >>> round(bankruptcy_price("long", 60_000, 1/6, 1_000, fee_rate=0.00055), 2)
    54029.72
    """
    return bankruptcy_kernel(side, entry_price, quantity, margin, fee_rate)


def bankruptcy_kernel(s: int, e: Any, q: Any, margin: Any, f: Any = 0.0) -> Any:
    """:func:`bankruptcy_price` without validation: ``(E - s*M/Q) / (1 - s*f)``, a long's
    answer floored at 0 (the liquidation engine calls it for a whole round at once).

    The same arithmetic as the liquidation kernel, so ``M = 0`` gives the same number.

    >>> bankruptcy_kernel(1, 60_000.0, 1/6, 1_000.0)
    54000.0
    """
    out = (e - s * (margin / q)) / (1.0 - s * f)
    if s == 1:
        out = np.where(out > 0, out, 0.0)
    return out if np.ndim(out) else float(out)


def round_to_tick(price: ArrayLike, tick: ArrayLike, side: str) -> FloatOrArray:
    """Round a liquidation price to the venue's tick, conservatively.

    A long's liquidation price is rounded *up* and a short's *down*, so the
    rounded trigger is never further away than the exact one.  ``0.0`` (a long
    that cannot be liquidated) and ``inf`` (a short that cannot be) pass
    through.  Prices already on the grid are kept (to 1e-9 of a tick).

    >>> round_to_tick(54271.3567, 0.1, "long")
    54271.4
    >>> round_to_tick(65671.6418, 0.5, "short")
    65671.5
    """
    s = v.side_sign(side)
    scalar = v.is_scalar(price, tick)
    p = v.as_float_array("price", price)
    v.in_range("price", np.where(np.isposinf(p), 0.0, p), 0.0, math.inf)
    t = v.positive("tick", tick)
    p, t = v.broadcast(price=p, tick=t)
    with np.errstate(invalid="ignore", over="ignore"):
        ticks = p / t
        nearest = np.round(ticks)
        on_grid = np.abs(ticks - nearest) <= 1e-9 * np.maximum(1.0, np.abs(ticks))
        steps = np.where(on_grid, nearest, np.ceil(ticks) if s == 1 else np.floor(ticks))
        inv = 1.0 / t
        inv_int = np.round(inv)
        # dividing by an exact integer (1/0.01 = 100) gives the correctly rounded decimal
        out = np.where(np.abs(inv - inv_int) <= 1e-9 * inv_int, steps / np.where(inv_int > 0, inv_int, 1.0),
                       steps * t)
        out = np.where(np.isinf(p), p, out)
    return v.output(out, scalar)


def _check_room(lev: np.ndarray, m: np.ndarray) -> None:
    v.reject_where(
        lev * m >= 1,
        "mmr {m}{where} is at or above 1/leverage {inv}: the position would be liquidated at once",
        [("m", m), ("inv", 1.0 / lev)],
    )


@v.checked(leverage=v.positive, mmr=v.rate)
def rule_of_thumb_move(leverage: ArrayLike, mmr: ArrayLike) -> FloatOrArray:
    """The rule of thumb "the price may move about ``1/L - m``" (a fraction of entry).

    Exact under basis "entry"; under basis "mark" it understates the room a
    long has and overstates a short's (see :func:`exact_move`).

    >>> rule_of_thumb_move(10, 0.005)
    0.095
    """
    _check_room(leverage, mmr)
    return 1.0 / leverage - mmr


@v.checked(side=v.SIDE, leverage=v.positive, mmr=v.rate)
def exact_move(side: str, leverage: ArrayLike, mmr: ArrayLike, mm_basis: str = "mark") -> FloatOrArray:
    """Exact adverse move to liquidation, ``|P_liq - E| / E``, at leverage L (``M = Q*E/L``).

    * basis "mark", long: ``(1/L - m) / (1 - m)``; short: ``(1/L - m) / (1 + m)``;
    * basis "entry": ``1/L - m`` for both sides (the rule of thumb is exact).

    So the rule of thumb's error on a long is ``m (1/L - m) / (1 - m)``, about
    ``m/L`` for small m.  A long that cannot be liquidated (L < 1 on basis
    mark) returns 1.0, a fall to zero.

    >>> round(exact_move("long", 10, 0.005), 6)
    0.095477
    >>> round(exact_move("short", 10, 0.005), 6)
    0.094527
    """
    basis = v.choice("mm_basis", mm_basis, v.MM_BASES)
    leverage, m = v.broadcast(leverage=leverage, mmr=mmr)
    _check_room(leverage, mmr)
    move = 1.0 / leverage - mmr
    if basis == "mark":
        move = move / (1.0 - side * mmr)
    if side == 1:
        move = np.minimum(move, 1.0)
    return move
