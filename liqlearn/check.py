"""Self-checks for exercises: ``check.NAME(answer, **params) -> CheckResult``.

A student computes an answer and asks whether it is right.  The check
recomputes the answer with the public liqlearn function, compares within a
tolerance and, when the answer is wrong, tries to *name the likely mistake*
(maintenance margin at entry instead of at the trigger, a rate used as a
percentage, the wrong side, the fee left out, ...) -- without ever revealing
the expected value.

Parameters default to the primer's position: a long of 1,000 USDT margin at
10x on BTC at 60,000 with a maintenance-margin rate of 0.5 %, so a check works
with the answer alone.  The position size may be given as ``quantity`` or is
derived from ``margin * leverage / entry_price``.  Positions that need a mark
price (P&L, equity, margin ratio, effective leverage) default to a mark of 57,000.

>>> from liqlearn import check
>>> check.liquidation_price_long(54_271.36)
✓ Correct.
>>> check.liquidation_price_long(54_300, strict=False)
✗ Not yet — you took the maintenance margin at the entry price (the primer's rough method, Bybit's former basis); this question takes it at the liquidation price itself (mark basis: Binance, dYdX, Hyperliquid, Bybit's current page).
>>> check.liquidation_price(54_300, mm_basis="entry")
✓ Correct.
>>> check.liquidation_price_short(65_671.64)
✓ Correct.
>>> bool(check.bankruptcy_price(54_000))
True
>>> check.bankruptcy_price(54_271.36, strict=False).mistake
'liquidation_not_bankruptcy'

A result is truthy exactly when the answer is correct; it shows itself in a
notebook as "✓ Correct." or "✗ Not yet — <hint>".  When the environment
variable ``LIQLEARN_STRICT_CHECKS=1`` is set (``make book``, the tests and
``tools/run_chapter.py`` set it) a wrong answer raises :class:`AssertionError`,
so a worked solution that calls a check proves itself in the strict build;
``strict=False`` (or ``True``) overrides the environment for one call:

>>> check.notional(10_000)
✓ Correct.
>>> check.initial_margin(100_000, strict=False).mistake
'times_leverage'
>>> check.leverage(10)
✓ Correct.
>>> check.unrealized_pnl(-500)             # long 1/6 BTC from 60,000 to 57,000
✓ Correct.
>>> check.equity(500)
✓ Correct.
>>> check.effective_leverage(19)
✓ Correct.
>>> check.maintenance_margin(50)           # 10,000 notional at 0.5 %
✓ Correct.
>>> check.margin_ratio(0.095)              # 47.5 maintenance over 500 equity
✓ Correct.
>>> check.liquidation_price(54_271.36, fee_rate=0.0, maintenance_amount=0.0)
✓ Correct.
>>> check.number(0.75, 3 / 4)
✓ Correct.

Every check accepts ``rel_tol`` (relative tolerance, default 1e-4) and
``abs_tol`` (absolute; 0.005 -- half a cent -- for prices and money, so an
answer rounded to the cent is accepted; 0 for rates, ratios and probabilities).

The checks
----------
``number(answer, expected)``: generic.  Linear contracts: ``notional``,
``initial_margin``, ``leverage``, ``effective_leverage``, ``unrealized_pnl``,
``equity``, ``maintenance_margin`` (flat or tiers), ``margin_ratio``,
``liquidation_price`` (``side``, ``mm_basis``, ``fee_rate``,
``maintenance_amount``; ``mmr`` may be a ``MaintenanceTiers``),
``liquidation_price_long``, ``liquidation_price_short``, ``bankruptcy_price``,
``cross_liquidation_price``.  Inverse contracts: ``inverse_liquidation_price``,
``inverse_bankruptcy_price``.  Prices: ``mark_price``, ``funding_rate``,
``funding_payment``.  Risk: ``liquidation_probability``, ``call_price``,
``put_price``, ``max_leverage``.  :data:`MISTAKES` lists every diagnosis.
"""

from __future__ import annotations

import html
import math
import os
from dataclasses import dataclass
from typing import Any, Callable, Iterable, Mapping, Sequence

import numpy as np

__all__ = [
    "CheckResult",
    "MISTAKES",
    "PRIMER",
    "number",
    "notional",
    "initial_margin",
    "leverage",
    "effective_leverage",
    "unrealized_pnl",
    "equity",
    "maintenance_margin",
    "margin_ratio",
    "liquidation_price",
    "liquidation_price_long",
    "liquidation_price_short",
    "bankruptcy_price",
    "cross_liquidation_price",
    "inverse_liquidation_price",
    "inverse_bankruptcy_price",
    "mark_price",
    "funding_rate",
    "funding_payment",
    "liquidation_probability",
    "call_price",
    "put_price",
    "max_leverage",
]

#: The primer's position: the default parameters of every check.
PRIMER: Mapping[str, Any] = {
    "side": "long",
    "entry_price": 60_000.0,
    "margin": 1_000.0,
    "leverage": 10.0,
    "mmr": 0.005,
    "mark_price": 57_000.0,
}

CENT = 0.005  # half a cent: a price or an amount rounded to the cent is accepted
STRICT_ENV = "LIQLEARN_STRICT_CHECKS"

#: mistake code -> the hint a student sees.  Hints never contain numbers.
MISTAKES: Mapping[str, str] = {
    # liquidation price
    "basis_entry": "you took the maintenance margin at the entry price (the primer's rough method, "
                   "Bybit's former basis); this question takes it at the liquidation price itself "
                   "(mark basis: Binance, dYdX, Hyperliquid, Bybit's current page).",
    "basis_mark": "you took the maintenance margin at the liquidation price (mark basis); this "
                  "question takes it at the entry price (entry basis, as the primer and Bybit's "
                  "older page do).",
    "wrong_side": "that is the answer for the opposite side: a long loses when the price falls, "
                  "a short when it rises.",
    "mmr_percent": "the maintenance-margin rate was used as a percentage (0.5 for 0.5 %); rates "
                   "are fractions (0.005).",
    "mmr_over_100": "the maintenance-margin rate was divided by 100 once too often: 0.005 already "
                    "means 0.5 %.",
    "fee_percent": "the fee rate was used as a percentage; rates are fractions (0.0005 = 0.05 %).",
    "no_maintenance_amount": "you left out the maintenance amount (Binance 'cum', Bybit 'MM "
                             "deduction'), which is subtracted from notional × rate.",
    "amount_added": "the maintenance amount is subtracted from notional × rate, not added.",
    "no_fee": "you left out the close fee: its rate is added to the maintenance-margin rate "
              "(the venue reserves the fee to close the position).",
    "bankruptcy_not_liquidation": "that is the bankruptcy price (equity zero): liquidation "
                                  "comes earlier, when equity falls to the maintenance margin.",
    "liquidation_not_bankruptcy": "that is the liquidation price (equity equal to the "
                                  "maintenance margin); bankruptcy is where equity reaches zero.",
    "leverage_twice": "the leverage seems to be applied twice: the position size is "
                      "margin × leverage / entry price, with the leverage once.",
    "entry_bracket": "you used the bracket of the entry notional; under the mark basis the "
                     "bracket is the one that holds the notional at the liquidation price.",
    # margin and leverage
    "margin_not_notional": "that is the margin (the collateral); the notional is size × price.",
    "times_leverage": "margin is notional divided by the leverage, not multiplied by it.",
    "no_leverage": "that is the notional; the initial margin is the notional divided by the "
                   "leverage.",
    "inverted": "the ratio is upside down: check which quantity goes on top.",
    "initial_margin_for_equity": "you used the initial margin where the equity (margin plus "
                                 "unrealized P&L) was meant.",
    "entry_notional": "you used the notional at the entry price; this quantity uses the notional "
                      "at the current mark price.",
    "entry_leverage": "that is the leverage chosen at entry; effective leverage is the notional "
                      "at the mark over the equity now.",
    "pnl_only": "equity is margin plus unrealized P&L; you have the P&L alone.",
    "no_quantity": "that is the price change per unit; multiply by the position size.",
    "return_not_pnl": "that is a return (a fraction of the entry price), not an amount in quote "
                      "currency: multiply by the notional.",
    "mm_at_entry": "you took the maintenance margin at the entry price; the margin ratio uses the "
                   "notional at the current mark price.",
    # cross margin
    "others_pnl_ignored": "you left out the other positions' unrealized P&L: in cross margin it "
                          "adds to (or eats into) this position's collateral.",
    "others_mm_ignored": "you left out the other positions' maintenance margin: it is reserved "
                         "from the wallet before this position can use it.",
    "others_ignored": "you treated the position as isolated with the whole wallet; in cross "
                      "margin the other positions' P&L and maintenance margin count too.",
    "others_pnl_sign": "the other positions' P&L entered with the wrong sign: a profit adds to "
                       "the collateral, a loss reduces it.",
    # inverse
    "linear_for_inverse": "you used the linear (USDT-margined) formula; an inverse contract's "
                          "P&L in coin is contracts × size × (1/entry − 1/price).",
    "no_contract_size": "the contract size is missing: each contract is worth contract_size "
                        "units of the quote currency.",
    # prices
    "last_price": "that is the last traded price; the mark price is the median of three prices "
                  "built from the index.",
    "index_price": "that is the index price alone; the mark price is the median of three prices.",
    "mean_not_median": "that is the mean of the three prices; the mark price is their median.",
    "no_time_fraction": "the funding term is scaled by the fraction of the interval left until "
                        "the next funding (time to funding / funding interval).",
    "no_clamp": "the difference between the interest rate and the premium index is clamped "
                "before it is added.",
    "premium_only": "you left out the interest-rate term (clamped interest minus premium).",
    "wrong_payer": "right size, wrong direction: with a positive funding rate longs pay shorts.",
    "no_price": "funding is paid on the notional (size × mark price), not on the size alone.",
    # risk and options
    "terminal_not_touch": "that is the probability of *ending* beyond the barrier at the "
                          "horizon; liquidation happens if the price *touches* it at any time "
                          "before.",
    "no_ito": "the drift was used as the log-price drift; the log-price drifts at "
              "mu − sigma²/2.",
    "complement": "that is the probability of the opposite event (survival instead of "
                  "liquidation, or the reverse).",
    "vol_percent": "the volatility was used as a percentage; it is a fraction per year "
                   "(0.6 = 60 %).",
    "horizon_days": "the horizon was used in days; horizons are in years (one week is 7/365).",
    "call_put_swapped": "that is the price of the other option (call for put or put for call).",
    "intrinsic": "that is the intrinsic value only; the option is also worth its time value.",
    "no_discount": "the strike was not discounted: the formula uses strike × exp(−rate × horizon).",
    "survival_swapped": "survival and liquidation probability are swapped: survival 0.99 means a "
                        "1 % chance of liquidation.",
    "no_mmr": "you left out the maintenance-margin rate: liquidation comes before the margin is "
              "used up.",
    # generic
    "times_100": "off by a factor of 100: a percentage and a fraction seem mixed up.",
    "over_100": "off by a factor of 100: a fraction and a percentage seem mixed up.",
    "sign": "right size, wrong sign: check the side (who gains when the price rises?).",
}


@dataclass(frozen=True)
class CheckResult:
    """The verdict of a check: truthy iff correct.

    ``mistake`` is the code of the diagnosed mistake (a key of
    :data:`MISTAKES`) or ``None``.  Neither field holds the expected value.
    """

    correct: bool
    message: str
    mistake: str | None = None

    def __bool__(self) -> bool:
        return self.correct

    def __repr__(self) -> str:
        return self.message

    __str__ = __repr__

    def _repr_markdown_(self) -> str:
        return f"**{self.message}**" if self.correct else self.message

    def _repr_html_(self) -> str:
        colour = "#009E73" if self.correct else "#D55E00"  # Okabe-Ito green / vermillion
        return (f'<span class="liqlearn-check" style="color:{colour};font-weight:bold">'
                f"{html.escape(self.message)}</span>")


# ---------------------------------------------------------------------------
# The judge
# ---------------------------------------------------------------------------

Variant = tuple[str, Callable[[], Any]]


def _strict(strict: bool | None) -> bool:
    if strict is not None:
        return bool(strict)
    return os.environ.get(STRICT_ENV, "").strip() not in ("", "0", "false", "no")


def _as_number(answer: Any) -> float | None:
    if isinstance(answer, (bool, np.bool_, str, bytes)) or answer is None:
        return None
    try:
        arr = np.asarray(answer, dtype=float)
    except (TypeError, ValueError):
        return None
    if arr.size != 1:
        return None
    value = float(arr.reshape(()))
    return None if math.isnan(value) else value


def _close(a: float, e: float, rel_tol: float, abs_tol: float) -> bool:
    if math.isinf(e) or math.isinf(a):
        return a == e
    return abs(a - e) <= max(rel_tol * abs(e), abs_tol)


def _value(thunk: Callable[[], Any]) -> float | None:
    """A variant's value, or None when it cannot be computed (invalid mistaken input)."""
    try:
        with np.errstate(all="ignore"):
            x = thunk()
    except (ValueError, ZeroDivisionError, ArithmeticError, TypeError):
        return None
    x = _as_number(x)
    return x if x is not None and math.isfinite(x) else None


def _judge(answer: Any, expected: float, variants: Iterable[Variant], *, fallback: str,
           rel_tol: float, abs_tol: float, strict: bool | None) -> CheckResult:
    v_rel = _validated_tol(rel_tol, abs_tol)
    a = _as_number(answer)
    if a is None:
        result = CheckResult(False, f"✗ Not yet — the answer must be a single number; got "
                                    f"{type(answer).__name__} {answer!r:.40}.", "not_a_number")
    elif _close(a, expected, v_rel, abs_tol):
        result = CheckResult(True, "✓ Correct.")
    else:
        result = CheckResult(False, f"✗ Not yet — {fallback}")
        generic: list[Variant] = [("times_100", lambda: expected * 100),
                                  ("over_100", lambda: expected / 100),
                                  ("sign", lambda: -expected)]
        for code, thunk in [*variants, *generic]:
            x = _value(thunk)
            if x is None or _close(x, expected, v_rel, abs_tol):
                continue  # not computable, or indistinguishable from the right answer
            if _close(a, x, v_rel, abs_tol):
                result = CheckResult(False, f"✗ Not yet — {MISTAKES[code]}", code)
                break
    if not result.correct and _strict(strict):
        raise AssertionError(result.message)
    return result


def _validated_tol(rel_tol: float, abs_tol: float) -> float:
    from . import _validation as v

    v.in_range("rel_tol", rel_tol, 0.0, 1.0, lo_inclusive=True, hi_inclusive=False)
    v.nonnegative("abs_tol", abs_tol)
    return float(rel_tol)


def _expected(fn: Callable[[], Any]) -> float:
    x = fn()
    return float(np.asarray(x, dtype=float).reshape(()))


def _size(name: str, given: Any, leverage: Any, formula: str,
          derive: Callable[[Any], Any]) -> float:
    """A position size given directly, or derived from the leverage (default 10x)."""
    from . import _validation as v

    if given is not None:
        if leverage is not None:
            raise ValueError(f"give either {name} or leverage, not both ({name} = {formula})")
        return float(v.positive(name, given))
    return float(derive(v.positive("leverage", PRIMER["leverage"] if leverage is None
                                   else leverage)))


def _quantity(quantity: Any, margin: Any, leverage: Any, entry_price: Any) -> float:
    """The position size: given, or margin * leverage / entry_price."""
    from . import _validation as v

    return _size("quantity", quantity, leverage, "margin * leverage / entry_price",
                 lambda lev: v.positive("margin", margin) * lev
                 / v.positive("entry_price", entry_price))


def _sign(side: str) -> int:
    from . import _validation as v

    return v.side_sign(side)


def _other(side: str) -> str:
    return "short" if _sign(side) == 1 else "long"


def number(answer: Any, expected: float, *, rel_tol: float = 1e-4, abs_tol: float = 0.0,
           name: str = "answer", mistakes: Mapping[str, float] | None = None,
           strict: bool | None = None) -> CheckResult:
    """Generic check of ``answer`` against ``expected``.

    ``mistakes`` maps a hint (your own words) to the value that mistake
    produces, so a chapter can diagnose its own exercise:

    >>> number(0.5, 0.25, name="the share", mistakes={"you doubled it": 0.5}, strict=False)
    ✗ Not yet — you doubled it
    >>> number(25, 0.25, strict=False).mistake
    'times_100'
    """
    e = _expected(lambda: expected)
    fallback = f"{name} is not within tolerance; check your working and units."
    own = dict(mistakes or {})
    result = _judge(answer, e, [], fallback=fallback, rel_tol=rel_tol, abs_tol=abs_tol,
                    strict=False)
    if not result.correct and result.mistake in (None, "times_100", "over_100", "sign"):
        a = _as_number(answer)
        for hint, value in own.items():
            x = _as_number(value)
            if a is not None and x is not None and not _close(x, e, rel_tol, abs_tol) \
                    and _close(a, x, rel_tol, abs_tol):
                result = CheckResult(False, f"✗ Not yet — {hint}", "custom")
                break
    if not result.correct and _strict(strict):
        raise AssertionError(result.message)
    return result


# ---------------------------------------------------------------------------
# Margin and leverage
# ---------------------------------------------------------------------------


def notional(answer: Any, *, quantity: Any = None, price: Any = PRIMER["entry_price"],
             margin: Any = PRIMER["margin"], leverage: Any = None, rel_tol: float = 1e-4,
             abs_tol: float = CENT, strict: bool | None = None) -> CheckResult:
    """Position value ``Q * P`` (default: the primer's 10,000 USDT)."""
    import liqlearn as ll

    q = _quantity(quantity, margin, leverage, price)
    e = _expected(lambda: ll.notional(q, price))
    variants = [("margin_not_notional", lambda: q * price / _lev(q, price, margin, leverage))]
    return _judge(answer, e, variants, rel_tol=rel_tol, abs_tol=abs_tol, strict=strict,
                  fallback="the notional is the position size times the price.")


def _lev(q: float, entry_price: Any, margin: Any, leverage: Any) -> float:
    return float(leverage) if leverage is not None else q * float(entry_price) / float(margin)


def initial_margin(answer: Any, *, quantity: Any = None, entry_price: Any = PRIMER["entry_price"],
                   leverage: Any = PRIMER["leverage"], rel_tol: float = 1e-4,
                   abs_tol: float = CENT, strict: bool | None = None) -> CheckResult:
    """Initial margin ``Q * E / L`` (default quantity: the primer's 1/6 BTC)."""
    import liqlearn as ll

    q = _quantity(quantity, PRIMER["margin"], None, PRIMER["entry_price"]) \
        if quantity is None else float(quantity)
    e = _expected(lambda: ll.initial_margin(q, entry_price, leverage))
    n = q * float(entry_price)
    lev = float(leverage)
    variants = [("times_leverage", lambda: n * lev), ("leverage_twice", lambda: n / lev ** 2),
                ("no_leverage", lambda: n)]
    return _judge(answer, e, variants, rel_tol=rel_tol, abs_tol=abs_tol, strict=strict,
                  fallback="the initial margin is the notional at entry divided by the leverage.")


def leverage(answer: Any, *, quantity: Any = None, entry_price: Any = PRIMER["entry_price"],
             margin: Any = PRIMER["margin"], rel_tol: float = 1e-4, abs_tol: float = 0.0,
             strict: bool | None = None) -> CheckResult:
    """Leverage at entry ``Q * E / M`` (default: the primer's 10x)."""
    import liqlearn as ll

    q = _quantity(quantity, PRIMER["margin"], None, PRIMER["entry_price"]) \
        if quantity is None else float(quantity)
    e = _expected(lambda: ll.leverage(q, entry_price, margin))
    variants = [("inverted", lambda: 1 / e)]
    return _judge(answer, e, variants, rel_tol=rel_tol, abs_tol=abs_tol, strict=strict,
                  fallback="leverage is the notional at entry divided by the margin.")


def _marked(side: str, entry_price: Any, mark_price: Any, quantity: Any, margin: Any,
            leverage: Any) -> tuple[int, float, float, float, float]:
    q = _quantity(quantity, margin, leverage, entry_price)
    return _sign(side), float(entry_price), float(mark_price), q, float(margin)


def unrealized_pnl(answer: Any, *, side: str = "long", entry_price: Any = PRIMER["entry_price"],
                   mark_price: Any = PRIMER["mark_price"], quantity: Any = None,
                   margin: Any = PRIMER["margin"], leverage: Any = None, rel_tol: float = 1e-4,
                   abs_tol: float = CENT, strict: bool | None = None) -> CheckResult:
    """Unrealized P&L ``s * Q * (P - E)`` (default: the primer's long marked at 57,000)."""
    import liqlearn as ll

    s, E, P, q, M = _marked(side, entry_price, mark_price, quantity, margin, leverage)
    e = _expected(lambda: ll.unrealized_pnl(side, E, P, q))
    variants = [("wrong_side", lambda: -e), ("no_quantity", lambda: s * (P - E)),
                ("return_not_pnl", lambda: s * (P - E) / E)]
    return _judge(answer, e, variants, rel_tol=rel_tol, abs_tol=abs_tol, strict=strict,
                  fallback="unrealized P&L is side × size × (mark − entry).")


def equity(answer: Any, *, side: str = "long", entry_price: Any = PRIMER["entry_price"],
           mark_price: Any = PRIMER["mark_price"], quantity: Any = None,
           margin: Any = PRIMER["margin"], leverage: Any = None, rel_tol: float = 1e-4,
           abs_tol: float = CENT, strict: bool | None = None) -> CheckResult:
    """Equity ``M + s * Q * (P - E)`` (default: 500 USDT for the primer's long at 57,000)."""
    import liqlearn as ll

    s, E, P, q, M = _marked(side, entry_price, mark_price, quantity, margin, leverage)
    e = _expected(lambda: ll.equity(side, E, P, q, M))
    pnl = s * q * (P - E)
    variants = [("wrong_side", lambda: M - pnl), ("pnl_only", lambda: pnl),
                ("initial_margin_for_equity", lambda: M), ("sign", lambda: pnl - M)]
    return _judge(answer, e, variants, rel_tol=rel_tol, abs_tol=abs_tol, strict=strict,
                  fallback="equity is the margin plus the unrealized P&L at the mark price.")


def effective_leverage(answer: Any, *, side: str = "long",
                       entry_price: Any = PRIMER["entry_price"],
                       mark_price: Any = PRIMER["mark_price"], quantity: Any = None,
                       margin: Any = PRIMER["margin"], leverage: Any = None,
                       rel_tol: float = 1e-4, abs_tol: float = 0.0,
                       strict: bool | None = None) -> CheckResult:
    """Effective leverage ``Q * P / equity`` (default: 19x for the primer's long at 57,000)."""
    import liqlearn as ll

    s, E, P, q, M = _marked(side, entry_price, mark_price, quantity, margin, leverage)
    e = _expected(lambda: ll.effective_leverage(side, E, P, q, M))
    eq = M + s * q * (P - E)
    variants = [("initial_margin_for_equity", lambda: q * P / M),
                ("entry_leverage", lambda: q * E / M),
                ("entry_notional", lambda: q * E / eq),
                ("wrong_side", lambda: q * P / (M - s * q * (P - E))),
                ("inverted", lambda: eq / (q * P))]
    return _judge(answer, e, variants, rel_tol=rel_tol, abs_tol=abs_tol, strict=strict,
                  fallback="effective leverage is the notional at the mark over the equity now.")


def _flat_rate(mmr: Any) -> bool:
    from .tiers import MaintenanceTiers

    return not isinstance(mmr, MaintenanceTiers)


def maintenance_margin(answer: Any, *, notional: Any = 10_000.0, mmr: Any = PRIMER["mmr"],
                       maintenance_amount: Any = 0.0, rel_tol: float = 1e-4,
                       abs_tol: float = CENT, strict: bool | None = None) -> CheckResult:
    """Maintenance margin ``N * m - c``; ``mmr`` may be a ``MaintenanceTiers``.

    >>> from liqlearn import MaintenanceTiers
    >>> tiers = MaintenanceTiers([(50_000, 0.004), (250_000, 0.005), (1_000_000, 0.01)])
    >>> maintenance_margin(450, notional=100_000, mmr=tiers)   # 100,000 * 0.5 % - 50
    ✓ Correct.
    >>> maintenance_margin(500, notional=100_000, mmr=tiers, strict=False).mistake
    'no_maintenance_amount'
    """
    import liqlearn as ll

    N = float(notional)
    e = _expected(lambda: ll.maintenance_margin(N, mmr, maintenance_amount))
    if _flat_rate(mmr):
        m, c = float(mmr), float(maintenance_amount)
    else:
        m, c = (float(x) for x in mmr.bracket(N))
    variants = [("no_maintenance_amount", lambda: N * m), ("amount_added", lambda: N * m + c),
                ("mmr_percent", lambda: N * m * 100 - c), ("mmr_over_100", lambda: N * m / 100 - c)]
    return _judge(answer, e, variants, rel_tol=rel_tol, abs_tol=abs_tol, strict=strict,
                  fallback="maintenance margin is notional × rate minus the maintenance amount.")


def margin_ratio(answer: Any, *, side: str = "long", entry_price: Any = PRIMER["entry_price"],
                 mark_price: Any = PRIMER["mark_price"], quantity: Any = None,
                 margin: Any = PRIMER["margin"], leverage: Any = None, mmr: Any = PRIMER["mmr"],
                 maintenance_amount: Any = 0.0, rel_tol: float = 1e-4, abs_tol: float = 0.0,
                 strict: bool | None = None) -> CheckResult:
    """Margin ratio ``MM / equity`` at the mark (Binance; liquidation at 1.0)."""
    import liqlearn as ll

    s, E, P, q, M = _marked(side, entry_price, mark_price, quantity, margin, leverage)
    e = _expected(lambda: ll.margin_ratio(side, E, P, q, M, mmr, maintenance_amount))
    mm = float(ll.maintenance_margin(q * P, mmr, maintenance_amount))
    mm_entry = lambda: float(ll.maintenance_margin(q * E, mmr, maintenance_amount))  # noqa: E731
    eq = M + s * q * (P - E)
    variants = [("inverted", lambda: eq / mm), ("initial_margin_for_equity", lambda: mm / M),
                ("mm_at_entry", lambda: mm_entry() / eq),
                ("wrong_side", lambda: mm / (M - s * q * (P - E)))]
    return _judge(answer, e, variants, rel_tol=rel_tol, abs_tol=abs_tol, strict=strict,
                  fallback="margin ratio is maintenance margin over equity, both at the mark.")


# ---------------------------------------------------------------------------
# Liquidation and bankruptcy (linear)
# ---------------------------------------------------------------------------


def _raw_linear(side: str, E: float, Q: float, M: float, m: float, c: float, f: float,
                basis: str) -> float:
    """Unvalidated closed form of the linear liquidation price (for mistaken inputs)."""
    s = _sign(side)
    if basis == "mark":
        return (s * Q * E - M - c) / (Q * (s - m - f))
    return E + s * (Q * E * (m + f) - c - M) / Q


def _liq_variants(side: str, E: float, Q: float, M: float, mmr: Any, c: float, f: float,
                  basis: str, expected: float) -> list[Variant]:
    import liqlearn as ll

    flat = _flat_rate(mmr)
    other_basis = "entry" if basis == "mark" else "mark"

    def liq(side=side, Q=Q, M=M, mmr=mmr, c=c, f=f, basis=basis) -> float:
        try:
            return ll.liquidation_price(side, E, Q, M, mmr, c, fee_rate=f, mm_basis=basis)
        except ValueError:
            if not _flat_rate(mmr):
                raise
            return _raw_linear(side, E, Q, M, float(mmr), c, f, basis)

    L = Q * E / M
    out: list[Variant] = [
        ("basis_entry" if basis == "mark" else "basis_mark", lambda: liq(basis=other_basis)),
        ("wrong_side", lambda: liq(side=_other(side))),
        ("bankruptcy_not_liquidation", lambda: ll.bankruptcy_price(side, E, Q, M, fee_rate=f)),
        ("leverage_twice", lambda: liq(Q=Q * L)),
    ]
    if c:
        out += [("no_maintenance_amount", lambda: liq(c=0.0)),
                ("amount_added", lambda: _raw_linear(side, E, Q, M, float(mmr), -c, f, basis))]
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
                ("mmr_percent", lambda: _raw_linear(side, E, Q, M, rate * 100, 0.0, f, basis))]
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
    Q = _quantity(quantity, M, leverage, E)
    c, f = float(maintenance_amount), float(fee_rate)
    e = _expected(lambda: ll.liquidation_price(side, E, Q, M, mmr, c, fee_rate=f,
                                               mm_basis=mm_basis))
    variants = _liq_variants(side, E, Q, M, mmr, c, f, mm_basis, e)
    return _judge(answer, e, variants, rel_tol=rel_tol, abs_tol=abs_tol, strict=strict,
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
    Q = _quantity(quantity, M, leverage, E)
    f = float(fee_rate)
    s = _sign(side)
    e = _expected(lambda: ll.bankruptcy_price(side, E, Q, M, fee_rate=f))
    variants: list[Variant] = [
        ("wrong_side", lambda: ll.bankruptcy_price(_other(side), E, Q, M, fee_rate=f)),
        ("liquidation_not_bankruptcy", lambda: ll.liquidation_price(side, E, Q, M, mmr,
                                                                    fee_rate=f)),
        ("leverage_twice", lambda: ll.bankruptcy_price(side, E, Q * Q * E / M, M, fee_rate=f)),
    ]
    if f:
        variants += [("no_fee", lambda: ll.bankruptcy_price(side, E, Q, M)),
                     ("fee_percent", lambda: _raw_linear(side, E, Q, M, 0.0, 0.0, f * 100, "mark"))]
    return _judge(answer, e, variants, rel_tol=rel_tol, abs_tol=abs_tol, strict=strict,
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
    e = _expected(lambda: ll.cross_liquidation_price(W, positions, which))
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
        ("wrong_side", lambda: liq(W - mm() + pnl(), side=_other(me["side"]))),
    ]
    return _judge(answer, e, variants, rel_tol=rel_tol, abs_tol=abs_tol, strict=strict,
                  fallback="this position's collateral is the wallet minus the others' "
                           "maintenance margin plus their unrealized P&L; then solve as for "
                           "an isolated position.")


# ---------------------------------------------------------------------------
# Inverse (coin-margined) contracts
# ---------------------------------------------------------------------------

INVERSE_MARGIN = PRIMER["margin"] / PRIMER["entry_price"]  # 1,000 USD of BTC at 60,000


def _contracts(contracts: Any, contract_size: Any, margin: Any, leverage: Any,
               entry_price: Any) -> float:
    """Contracts given, or margin (coin) * leverage * entry / contract size."""
    from . import _validation as v

    return _size("contracts", contracts, leverage,
                 "margin * leverage * entry_price / contract_size",
                 lambda lev: v.positive("margin", margin) * lev
                 * v.positive("entry_price", entry_price)
                 / v.positive("contract_size", contract_size))


def _raw_inverse(side: str, E: float, K: float, M: float, m: float, c: float, f: float,
                 basis: str) -> float:
    """Unvalidated closed form of the inverse liquidation price; K = contracts * size."""
    s = _sign(side)
    if basis == "mark":
        return K * (s + m + f) / (M + c + s * K / E) if s == 1 else \
            K * (1 - m - f) / (K / E - M - c)
    return K / (M + c + K * (1 - m - f) / E) if s == 1 else K / (K * (1 + m + f) / E - M - c)


def inverse_liquidation_price(answer: Any, *, side: str = "long",
                              entry_price: Any = PRIMER["entry_price"], contracts: Any = None,
                              contract_size: Any = 100.0, margin: Any = INVERSE_MARGIN,
                              leverage: Any = None, mmr: Any = PRIMER["mmr"],
                              maintenance_amount: Any = 0.0, fee_rate: Any = 0.0,
                              mm_basis: str = "mark", rel_tol: float = 1e-4,
                              abs_tol: float = CENT, strict: bool | None = None) -> CheckResult:
    """Liquidation price of an inverse contract; margin and maintenance amount in coin.

    Default: 100 contracts of 100 USD (10x on 1/60 BTC of margin at 60,000).
    """
    import liqlearn as ll

    E, M, V = float(entry_price), float(margin), float(contract_size)
    n = _contracts(contracts, V, M, leverage, E)
    c, f, m = float(maintenance_amount), float(fee_rate), float(mmr)
    K = n * V

    def inv(side=side, m=m, c=c, f=f, basis=mm_basis, n=n, V=V) -> float:
        try:
            return ll.inverse_liquidation_price(side, E, n, V, M, m, c, fee_rate=f, mm_basis=basis)
        except ValueError:
            return _raw_inverse(side, E, n * V, M, m, c, f, basis)

    e = _expected(lambda: ll.inverse_liquidation_price(side, E, n, V, M, m, c, fee_rate=f,
                                                       mm_basis=mm_basis))
    variants: list[Variant] = [
        ("basis_entry" if mm_basis == "mark" else "basis_mark",
         lambda: inv(basis="entry" if mm_basis == "mark" else "mark")),
        ("wrong_side", lambda: inv(side=_other(side))),
        ("linear_for_inverse", lambda: _raw_linear(side, E, K / E, M * E, m, c * E, f, mm_basis)),
        ("bankruptcy_not_liquidation",
         lambda: ll.inverse_bankruptcy_price(side, E, n, V, M)),
        ("no_contract_size", lambda: inv(V=1.0)),
        ("mmr_percent", lambda: inv(m=m * 100)),
        ("mmr_over_100", lambda: inv(m=m / 100)),
    ]
    if c:
        variants.append(("no_maintenance_amount", lambda: inv(c=0.0)))
    if f:
        variants += [("no_fee", lambda: inv(f=0.0)), ("fee_percent", lambda: inv(f=f * 100))]
    return _judge(answer, e, variants, rel_tol=rel_tol, abs_tol=abs_tol, strict=strict,
                  fallback="in coin: margin + side × contracts × size × (1/entry − 1/price) "
                           "equals the maintenance margin; solve for the price.")


def inverse_bankruptcy_price(answer: Any, *, side: str = "long",
                             entry_price: Any = PRIMER["entry_price"], contracts: Any = None,
                             contract_size: Any = 100.0, margin: Any = INVERSE_MARGIN,
                             leverage: Any = None, rel_tol: float = 1e-4, abs_tol: float = CENT,
                             strict: bool | None = None) -> CheckResult:
    """Bankruptcy price of an inverse contract (a short with margin >= its value: ``inf``)."""
    import liqlearn as ll

    E, M, V = float(entry_price), float(margin), float(contract_size)
    n = _contracts(contracts, V, M, leverage, E)
    K = n * V
    e = _expected(lambda: ll.inverse_bankruptcy_price(side, E, n, V, M))
    variants: list[Variant] = [
        ("wrong_side", lambda: ll.inverse_bankruptcy_price(_other(side), E, n, V, M)),
        ("linear_for_inverse", lambda: _raw_linear(side, E, K / E, M * E, 0.0, 0.0, 0.0, "mark")),
        ("no_contract_size", lambda: ll.inverse_bankruptcy_price(side, E, n, 1.0, M)),
    ]
    return _judge(answer, e, variants, rel_tol=rel_tol, abs_tol=abs_tol, strict=strict,
                  fallback="in coin: margin + side × contracts × size × (1/entry − 1/price) = 0; "
                           "solve for the price.")


# ---------------------------------------------------------------------------
# Prices
# ---------------------------------------------------------------------------


def mark_price(answer: Any, *, index_price: Any = 60_000.0, last_price: Any = 60_150.0,
               funding_rate: Any = 0.0001, time_to_funding: Any = 4.0,
               funding_interval: Any = 8.0, basis_average: Any = 25.0, rel_tol: float = 1e-4,
               abs_tol: float = CENT, strict: bool | None = None) -> CheckResult:
    """Binance mark price: median(index (1 + F t/T), index + basis average, last price)."""
    import liqlearn as ll

    idx, last = float(index_price), float(last_price)
    p1 = idx * (1 + float(funding_rate) * float(time_to_funding) / float(funding_interval))
    p2 = idx + float(basis_average)
    e = _expected(lambda: ll.mark_price(index_price, last_price, funding_rate, time_to_funding,
                                        funding_interval, basis_average))
    p1_full = idx * (1 + float(funding_rate))
    variants: list[Variant] = [
        ("last_price", lambda: last), ("index_price", lambda: idx),
        ("mean_not_median", lambda: (p1 + p2 + last) / 3),
        ("no_time_fraction", lambda: sorted((p1_full, p2, last))[1]),
    ]
    return _judge(answer, e, variants, rel_tol=rel_tol, abs_tol=abs_tol, strict=strict,
                  fallback="the mark price is the median of three prices: index × (1 + funding "
                           "× time fraction), index + average basis, and the last price.")


def funding_rate(answer: Any, *, premium_index: Any = 0.001, interest_rate: Any = 0.0001,
                 clamp: Any = 0.0005, rel_tol: float = 1e-4, abs_tol: float = 0.0,
                 strict: bool | None = None) -> CheckResult:
    """Funding rate ``premium + clamp(interest - premium, -clamp, clamp)``."""
    import liqlearn as ll

    p, i = float(premium_index), float(interest_rate)
    e = _expected(lambda: ll.funding_rate(premium_index, interest_rate, clamp))
    variants: list[Variant] = [("no_clamp", lambda: i), ("premium_only", lambda: p)]
    return _judge(answer, e, variants, rel_tol=rel_tol, abs_tol=abs_tol, strict=strict,
                  fallback="funding = premium index + clamp(interest − premium index) "
                           "within ± the clamp.")


def funding_payment(answer: Any, *, side: str = "long", notional: Any = None,
                    quantity: Any = None, mark_price: Any = PRIMER["entry_price"],
                    funding_rate: Any = 0.0001, rel_tol: float = 1e-4, abs_tol: float = CENT,
                    strict: bool | None = None) -> CheckResult:
    """Funding cash flow *to* the position, ``-s * notional * F`` (negative: it pays).

    The notional is given, or ``quantity * mark_price`` (default: the primer's
    1/6 BTC at 60,000, so a long pays 1 USDT at a rate of 0.01 %).

    >>> funding_payment(-1.0)
    ✓ Correct.
    >>> funding_payment(1.0, strict=False).mistake
    'wrong_payer'
    """
    import liqlearn as ll

    if notional is not None and quantity is not None:
        raise ValueError("give either notional or quantity, not both "
                         "(notional = quantity * mark_price)")
    q = 1 / 6 if quantity is None else quantity
    n = notional if notional is not None else _expected(lambda: ll.notional(q, mark_price))
    e = _expected(lambda: ll.funding_payment(side, n, funding_rate))
    variants: list[Variant] = [("wrong_payer", lambda: -e)]
    if notional is None:
        variants.append(("no_price", lambda: e / float(mark_price)))
    return _judge(answer, e, variants, rel_tol=rel_tol, abs_tol=abs_tol, strict=strict,
                  fallback="the funding cash flow is the notional at the mark times the rate; "
                           "longs pay (a negative flow) when the rate is positive.")


# ---------------------------------------------------------------------------
# Risk and options
# ---------------------------------------------------------------------------

_RISK = {"spot": 60_000.0, "barrier": 54_271.36, "volatility": 0.6, "horizon": 7 / 365}


def _normal_cdf(x: float) -> float:
    return 0.5 * math.erfc(-x / math.sqrt(2))


def liquidation_probability(answer: Any, *, spot: Any = _RISK["spot"],
                            barrier: Any = _RISK["barrier"],
                            volatility: Any = _RISK["volatility"], horizon: Any = _RISK["horizon"],
                            drift: Any = 0.0, rel_tol: float = 1e-4, abs_tol: float = 0.0,
                            strict: bool | None = None) -> CheckResult:
    """Probability that GBM touches ``barrier`` before ``horizon`` (default: the primer's long
    at 60 % volatility over one week)."""
    import liqlearn as ll

    S, B, sig, T, mu = (float(x) for x in (spot, barrier, volatility, horizon, drift))

    def p(**over: float) -> float:
        k = {"spot": S, "barrier": B, "volatility": sig, "horizon": T, "drift": mu, **over}
        return ll.liquidation_probability(**k)

    e = _expected(p)

    def terminal() -> float:
        nu = mu - sig ** 2 / 2
        z = (math.log(B / S) - nu * T) / (sig * math.sqrt(T))
        return _normal_cdf(z) if B < S else 1 - _normal_cdf(z)

    variants: list[Variant] = [
        ("terminal_not_touch", terminal), ("complement", lambda: 1 - e),
        ("no_ito", lambda: p(drift=mu + sig ** 2 / 2)),
        ("vol_percent", lambda: p(volatility=sig * 100)),
        ("horizon_days", lambda: p(horizon=T * 365)),
    ]
    return _judge(answer, e, variants, rel_tol=rel_tol, abs_tol=abs_tol, strict=strict,
                  fallback="use the first-passage (touch) probability of geometric Brownian "
                           "motion; volatility per year, horizon in years.")


_OPTION = {"spot": 60_000.0, "strike": 60_000.0, "volatility": 0.6, "horizon": 30 / 365}


def _option(kind: str, answer: Any, spot: Any, strike: Any, volatility: Any, horizon: Any,
            rate: Any, rel_tol: float, abs_tol: float, strict: bool | None) -> CheckResult:
    import liqlearn as ll

    S, K, sig, T, r = (float(x) for x in (spot, strike, volatility, horizon, rate))
    mine, theirs = (ll.call_price, ll.put_price) if kind == "call" else (ll.put_price, ll.call_price)

    def price(fn: Callable[..., Any] = mine, **over: float) -> float:
        k = {"spot": S, "strike": K, "volatility": sig, "horizon": T, "rate": r, **over}
        return fn(**k)

    e = _expected(price)
    intrinsic = max(S - K, 0.0) if kind == "call" else max(K - S, 0.0)
    variants: list[Variant] = [
        ("call_put_swapped", lambda: price(theirs)),
        ("intrinsic", lambda: intrinsic),
        ("vol_percent", lambda: price(volatility=sig * 100)),
        ("horizon_days", lambda: price(horizon=T * 365)),
    ]
    if r:
        def undiscounted() -> float:
            d1 = (math.log(S / K) + (r + sig ** 2 / 2) * T) / (sig * math.sqrt(T))
            d2 = d1 - sig * math.sqrt(T)
            if kind == "call":
                return S * _normal_cdf(d1) - K * _normal_cdf(d2)
            return K * _normal_cdf(-d2) - S * _normal_cdf(-d1)

        variants.append(("no_discount", undiscounted))
    return _judge(answer, e, variants, rel_tol=rel_tol, abs_tol=abs_tol, strict=strict,
                  fallback=f"use the Black–Scholes {kind} formula; volatility per year, horizon "
                           "in years.")


def call_price(answer: Any, *, spot: Any = _OPTION["spot"], strike: Any = _OPTION["strike"],
               volatility: Any = _OPTION["volatility"], horizon: Any = _OPTION["horizon"],
               rate: Any = 0.0, rel_tol: float = 1e-4, abs_tol: float = CENT,
               strict: bool | None = None) -> CheckResult:
    """Black–Scholes call (default: at the money at 60,000, 60 % volatility, 30 days)."""
    return _option("call", answer, spot, strike, volatility, horizon, rate, rel_tol, abs_tol,
                   strict)


def put_price(answer: Any, *, spot: Any = _OPTION["spot"], strike: Any = _OPTION["strike"],
              volatility: Any = _OPTION["volatility"], horizon: Any = _OPTION["horizon"],
              rate: Any = 0.0, rel_tol: float = 1e-4, abs_tol: float = CENT,
              strict: bool | None = None) -> CheckResult:
    """Black–Scholes put (default: at the money at 60,000, 60 % volatility, 30 days)."""
    return _option("put", answer, spot, strike, volatility, horizon, rate, rel_tol, abs_tol,
                   strict)


def max_leverage(answer: Any, *, volatility: Any = 0.6, horizon: Any = 7 / 365,
                 survival: Any = 0.99, mmr: Any = PRIMER["mmr"], drift: Any = 0.0,
                 rel_tol: float = 1e-3, abs_tol: float = 0.0,
                 strict: bool | None = None) -> CheckResult:
    """Largest leverage whose liquidation probability stays below ``1 - survival``.

    The default tolerance is 1e-3 (a leverage to three significant figures).
    """
    import liqlearn as ll

    sig, T, q, m, mu = (float(x) for x in (volatility, horizon, survival, mmr, drift))

    def L(**over: float) -> float:
        k = {"volatility": sig, "horizon": T, "survival": q, "mmr": m, "drift": mu, **over}
        return ll.max_leverage(**k)

    e = _expected(L)
    variants: list[Variant] = [
        ("survival_swapped", lambda: L(survival=1 - q)),
        ("vol_percent", lambda: L(volatility=sig * 100)),
        ("horizon_days", lambda: L(horizon=T * 365)),
        ("no_mmr", lambda: L(mmr=0.0)),
    ]
    return _judge(answer, e, variants, rel_tol=rel_tol, abs_tol=abs_tol, strict=strict,
                  fallback="find the leverage whose liquidation price is touched with "
                           "probability exactly 1 − survival.")
