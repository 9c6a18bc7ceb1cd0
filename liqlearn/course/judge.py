"""The judge behind every self-check: a verdict that names the mistake, never the answer.

A check computes the expected value with the public liqlearn function, compares the
student's answer within a tolerance and, when it is wrong, tries each named mistake
(:data:`liqlearn.course.mistakes.MISTAKES`) in turn.  Under ``LIQLEARN_STRICT_CHECKS=1``
(the book build and the tests) a wrong answer raises, so a worked solution proves itself.
"""

from __future__ import annotations

import html
import math
import os
from dataclasses import dataclass
from typing import Any, Callable, Iterable, Mapping

import numpy as np

from .mistakes import MISTAKES

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


Variant = tuple[str, Callable[[], Any]]


def strict_mode(strict: bool | None) -> bool:
    if strict is not None:
        return bool(strict)
    return os.environ.get(STRICT_ENV, "").strip() not in ("", "0", "false", "no")


def as_number(answer: Any) -> float | None:
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


def close(a: float, e: float, rel_tol: float, abs_tol: float) -> bool:
    if math.isinf(e) or math.isinf(a):
        return a == e
    return abs(a - e) <= max(rel_tol * abs(e), abs_tol)


def variant_value(thunk: Callable[[], Any]) -> float | None:
    """A variant's value, or None when it cannot be computed (invalid mistaken input)."""
    try:
        with np.errstate(all="ignore"):
            x = thunk()
    except (ValueError, ZeroDivisionError, ArithmeticError, TypeError):
        return None
    x = as_number(x)
    return x if x is not None and math.isfinite(x) else None


def judge(answer: Any, expected: float, variants: Iterable[Variant], *, fallback: str,
           rel_tol: float, abs_tol: float, strict: bool | None) -> CheckResult:
    v_rel = validated_tolerance(rel_tol, abs_tol)
    a = as_number(answer)
    if a is None:
        result = CheckResult(False, f"✗ Not yet — the answer must be a single number; got "
                                    f"{type(answer).__name__} {answer!r:.40}.", "not_a_number")
    elif close(a, expected, v_rel, abs_tol):
        result = CheckResult(True, "✓ Correct.")
    else:
        result = CheckResult(False, f"✗ Not yet — {fallback}")
        generic: list[Variant] = [("times_100", lambda: expected * 100),
                                  ("over_100", lambda: expected / 100),
                                  ("sign", lambda: -expected)]
        for code, thunk in [*variants, *generic]:
            x = variant_value(thunk)
            if x is None or close(x, expected, v_rel, abs_tol):
                continue  # not computable, or indistinguishable from the right answer
            if close(a, x, v_rel, abs_tol):
                result = CheckResult(False, f"✗ Not yet — {MISTAKES[code]}", code)
                break
    if not result.correct and strict_mode(strict):
        raise AssertionError(result.message)
    return result


def validated_tolerance(rel_tol: float, abs_tol: float) -> float:
    from ..formulas import validation as v

    v.in_range("rel_tol", rel_tol, 0.0, 1.0, lo_inclusive=True, hi_inclusive=False)
    v.nonnegative("abs_tol", abs_tol)
    return float(rel_tol)


def expected_value(fn: Callable[[], Any]) -> float:
    x = fn()
    return float(np.asarray(x, dtype=float).reshape(()))


def size_from(name: str, given: Any, leverage: Any, formula: str,
          derive: Callable[[Any], Any]) -> float:
    """A position size given directly, or derived from the leverage (default 10x)."""
    from ..formulas import validation as v

    if given is not None:
        if leverage is not None:
            raise ValueError(f"give either {name} or leverage, not both ({name} = {formula})")
        return float(v.positive(name, given))
    return float(derive(v.positive("leverage", PRIMER["leverage"] if leverage is None
                                   else leverage)))


def quantity_from(quantity: Any, margin: Any, leverage: Any, entry_price: Any) -> float:
    """The position size: given, or margin * leverage / entry_price."""
    from ..formulas import validation as v

    return size_from("quantity", quantity, leverage, "margin * leverage / entry_price",
                 lambda lev: v.positive("margin", margin) * lev
                 / v.positive("entry_price", entry_price))


def sign_of(side: str) -> int:
    from ..formulas import validation as v

    return v.side_sign(side)


def other_side(side: str) -> str:
    return "short" if sign_of(side) == 1 else "long"


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
    e = expected_value(lambda: expected)
    fallback = f"{name} is not within tolerance; check your working and units."
    own = dict(mistakes or {})
    result = judge(answer, e, [], fallback=fallback, rel_tol=rel_tol, abs_tol=abs_tol,
                    strict=False)
    if not result.correct and result.mistake in (None, "times_100", "over_100", "sign"):
        a = as_number(answer)
        for hint, value in own.items():
            x = as_number(value)
            if a is not None and x is not None and not close(x, e, rel_tol, abs_tol) \
                    and close(a, x, rel_tol, abs_tol):
                result = CheckResult(False, f"✗ Not yet — {hint}", "custom")
                break
    if not result.correct and strict_mode(strict):
        raise AssertionError(result.message)
    return result


# ---------------------------------------------------------------------------

def flat_rate(mmr: Any) -> bool:
    from ..formulas.tiers import MaintenanceTiers

    return not isinstance(mmr, MaintenanceTiers)
