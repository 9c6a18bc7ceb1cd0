"""The judge behind every self-check: a verdict that names the mistake, never the answer.

A check computes the expected value with the public liqlearn function, compares the
student's answer within a tolerance and, when it is wrong, tries each named mistake
(:data:`liqlearn.course.mistakes.MISTAKES`) in turn.  Under ``LIQLEARN_STRICT_CHECKS=1``
(the book build and the tests) a wrong answer raises, so a worked solution proves itself.
"""

from __future__ import annotations

import html
import json
import math
import os
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Callable, Iterable, Iterator, Mapping

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


def generic_variants(expected: float) -> list[Variant]:
    """The mistakes every check tries last: a factor of 100 either way, the wrong sign."""
    return [("times_100", lambda: expected * 100), ("over_100", lambda: expected / 100),
            ("sign", lambda: -expected)]


def verdict_data(expected: float, variants: Iterable[Variant], *, fallback: str,
                 rel_tol: float, abs_tol: float,
                 custom: Mapping[str, Any] | None = None) -> dict[str, Any] | None:
    """What a browser needs to judge an answer exactly as :func:`judge` does, as plain data.

    The expected value, the tolerances (an answer ``a`` is right when
    ``|a - expected| <= max(rel_tol * |expected|, abs_tol)``, see ``close``), the
    message for a wrong answer no mistake explains, and each mistake that can be told apart
    from the right answer: its code (a key of :data:`MISTAKES`, or ``"custom"`` for a hint
    given to :func:`number`), the value it produces and the message the check prints, in
    the order the check tries them (the first that matches wins).  ``None`` when the
    expected value is not finite (JSON has no infinity).

    >>> d = verdict_data(0.25, [], fallback="the share is off.", rel_tol=1e-4, abs_tol=0.0)
    >>> [m["code"] for m in d["mistakes"]], d["fallback"]
    (['times_100', 'over_100', 'sign'], '✗ Not yet — the share is off.')
    """
    rel = validated_tolerance(rel_tol, abs_tol)
    e = expected_value(lambda: expected)
    if not math.isfinite(e):
        return None
    mistakes = []
    for _, thunk, hint, code in tried_variants(e, variants, custom):
        x = variant_value(thunk)
        if x is None or close(x, e, rel, abs_tol):
            continue  # not computable, or indistinguishable from the right answer (as judge)
        mistakes.append({"code": code, "value": x, "message": f"✗ Not yet — {hint}"})
    return {"expected": e, "rel_tol": rel, "abs_tol": float(abs_tol),
            "correct": "✓ Correct.", "fallback": f"✗ Not yet — {fallback}",
            "mistakes": mistakes}


def tried_variants(expected: float, variants: Iterable[Variant],
                   custom: Mapping[str, Any] | None) -> list[tuple[str, Callable[[], Any], str, str]]:
    """(name, thunk, hint, code) of every mistake a check tries, in order: the check's own
    variants, then :func:`number`'s hints (code ``"custom"``), then the generic ones."""
    own = [(hint, (lambda x=value: x)) for hint, value in (custom or {}).items()]
    return [*((c, t, MISTAKES[c], c) for c, t in variants),
            *((h, t, h, "custom") for h, t in own),
            *((c, t, MISTAKES[c], c) for c, t in generic_variants(expected))]


def answer_data_html(data: Mapping[str, Any]) -> str:
    """``data`` as an inert ``<script type="application/json">`` element (never displayed)."""
    text = json.dumps(data, ensure_ascii=True, sort_keys=True).replace("</", "<\\/")
    return f'<script type="application/json" class="liqlearn-answer-data">{text}</script>'


_RECORDERS: list[list[dict[str, Any]]] = []


@contextmanager
def recording() -> Iterator[list[dict[str, Any]]]:
    """Collect the :func:`verdict_data` of every check called inside the block.

    >>> from liqlearn import check
    >>> with recording() as seen:
    ...     _ = check.notional(10_000)
    >>> seen[0]["expected"]
    10000.0
    """
    seen: list[dict[str, Any]] = []
    _RECORDERS.append(seen)
    try:
        yield seen
    finally:
        _RECORDERS.remove(seen)


def record(data: Mapping[str, Any] | None) -> None:
    """Give ``data`` to every active :func:`recording`; and in a strict build
    (``LIQLEARN_STRICT_CHECKS=1``) inside a kernel, show it as a hidden output of the
    solution cell, so the executed (and cached) notebook carries what the book's answer
    boxes compare with; the site's extension moves it into the box.  Elsewhere (a
    student's notebook, plain Python) nothing is shown."""
    if data is None:
        return
    for seen in _RECORDERS:
        seen.append(dict(data))
    if not strict_mode(None):
        return
    try:
        from IPython import get_ipython
        from IPython.display import display
    except ImportError:
        return
    if type(get_ipython()).__name__ != "ZMQInteractiveShell":
        return
    display({"text/html": answer_data_html(data), "text/plain": ""}, raw=True)


def judge(answer: Any, expected: float, variants: Iterable[Variant], *, fallback: str,
           rel_tol: float, abs_tol: float, strict: bool | None,
           custom: Mapping[str, Any] | None = None) -> CheckResult:
    """The verdict on ``answer``: right within the tolerance, else the first of
    ``variants``, then ``custom`` (hint -> value), then the generic mistakes, that the
    answer matches; in a strict build it also records :func:`verdict_data` (:func:`record`).
    """
    v_rel = validated_tolerance(rel_tol, abs_tol)
    variants = list(variants)
    record(verdict_data(expected, variants, fallback=fallback, rel_tol=rel_tol,
                        abs_tol=abs_tol, custom=custom))
    a = as_number(answer)
    if a is None:
        result = CheckResult(False, f"✗ Not yet — the answer must be a single number; got "
                                    f"{type(answer).__name__} {answer!r:.40}.", "not_a_number")
    elif close(a, expected, v_rel, abs_tol):
        result = CheckResult(True, "✓ Correct.")
    else:
        result = CheckResult(False, f"✗ Not yet — {fallback}")
        for _, thunk, hint, code in tried_variants(expected, variants, custom):
            x = variant_value(thunk)
            if x is None or close(x, expected, v_rel, abs_tol):
                continue  # not computable, or indistinguishable from the right answer
            if close(a, x, v_rel, abs_tol):
                result = CheckResult(False, f"✗ Not yet — {hint}", code)
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
    return judge(answer, e, [], fallback=fallback, rel_tol=rel_tol, abs_tol=abs_tol,
                 strict=strict, custom=dict(mistakes or {}))


# ---------------------------------------------------------------------------

def flat_rate(mmr: Any) -> bool:
    from ..formulas.tiers import MaintenanceTiers

    return not isinstance(mmr, MaintenanceTiers)
