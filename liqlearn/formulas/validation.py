"""One shared place where every public function checks its input.

Each checker takes the parameter's *name* and its value, and returns the value
as a float ndarray (0-d for scalars).  A bad value raises :class:`ValueError`
whose message names the parameter, the allowed range and, for arrays, the
first offending index::

    entry_price must be finite and > 0; got -1.0 at index 1

The checks use min/max reductions (NaN propagates through them), so a valid
10-million-element array costs two fast passes, not a chain of temporaries.

>>> positive("entry_price", [60000.0, -1.0])
Traceback (most recent call last):
...
ValueError: entry_price must be finite and > 0; got -1.0 at index 1
>>> float(rate("mmr", 0.005))
0.005
"""

from __future__ import annotations

import functools
import inspect
import math
from typing import Any, Callable, Iterable, Sequence, TypeVar, Union

import numpy as np

F = TypeVar("F", bound=Callable[..., Any])

#: What the public functions accept for a number: a float, or an array of them
#: (any sequence NumPy turns into a float array); arrays broadcast together.
ArrayLike = Union[float, int, np.ndarray, Sequence[float]]
#: What they return: a Python float for scalar input, an ndarray for array input.
FloatOrArray = Union[float, np.ndarray]

__all__ = [
    "SIDES",
    "MM_BASES",
    "side_sign",
    "choice",
    "finite",
    "positive",
    "nonnegative",
    "rate",
    "in_range",
    "count",
    "broadcast",
    "is_scalar",
    "output",
    "reject_where",
    "checked",
    "overflow_error",
    "SIDE",
    "choice_of",
    "as_float_array",
    "ArrayLike",
    "FloatOrArray",
]

SIDES = ("long", "short")
MM_BASES = ("mark", "entry")


def _fmt(x: float) -> str:
    return repr(float(x))


def _not_a_number(name: str, value: Any, what: str | None = None) -> ValueError:
    shown = what or repr(value)
    if len(shown) > 60:
        shown = shown[:57] + "..."
    return ValueError(f"{name} must be a number or an array of numbers; got {shown}")


def as_float_array(name: str, value: Any) -> np.ndarray:
    """``value`` as a float ndarray, refusing what only looks like a number.

    Refused: strings (also inside arrays), booleans (``True`` is not a quantity),
    ``None``, complex numbers and ragged nested lists.

    >>> as_float_array("quantity", True)
    Traceback (most recent call last):
    ...
    ValueError: quantity must be a number or an array of numbers; got True
    >>> as_float_array("entry_price", [[60000, 61000], [62000]])
    Traceback (most recent call last):
    ...
    ValueError: entry_price must be a number or an array of numbers; got a ragged sequence (rows of different lengths)
    """
    if isinstance(value, np.ndarray) and value.dtype.kind == "f":
        return value
    if value is None or isinstance(value, (str, bytes, bool, np.bool_)):
        raise _not_a_number(name, value)
    try:
        raw = np.asarray(value)
    except ValueError:
        raise _not_a_number(name, value, "a ragged sequence (rows of different lengths)") from None
    kind = raw.dtype.kind
    if kind in "iuf":
        return raw.astype(float, copy=False)
    if kind == "O":
        flat = raw.ravel()
        if all(isinstance(x, (int, float, np.integer, np.floating)) and not isinstance(x, (bool, np.bool_))
               for x in flat):
            return raw.astype(float)
        if any(isinstance(x, (list, tuple, np.ndarray)) for x in flat):
            raise _not_a_number(name, value, "a ragged sequence (rows of different lengths)")
    raise _not_a_number(name, value)


def _first_bad(name: str, arr: np.ndarray, ok: np.ndarray, requirement: str) -> ValueError:
    bad = np.flatnonzero(~ok.ravel())
    i = int(bad[0]) if bad.size else 0
    got = arr.ravel()[i]
    if arr.ndim == 0:
        return ValueError(f"{name} must be {requirement}; got {_fmt(got)}")
    index: Any = i if arr.ndim == 1 else tuple(int(k) for k in np.unravel_index(i, arr.shape))
    return ValueError(f"{name} must be {requirement}; got {_fmt(got)} at index {index}")


def _check_bounds(
    name: str,
    value: Any,
    lo: float,
    hi: float,
    lo_inclusive: bool,
    hi_inclusive: bool,
    requirement: str,
) -> np.ndarray:
    arr = as_float_array(name, value)
    if arr.size == 0:
        raise ValueError(f"{name} must not be an empty array")
    vmin = arr.min()
    vmax = arr.max()
    lo_ok = (vmin >= lo) if lo_inclusive else (vmin > lo)
    hi_ok = (vmax <= hi) if hi_inclusive else (vmax < hi)
    # NaN makes both comparisons False; +-inf fail the finite bounds.
    if lo_ok and hi_ok and math.isfinite(vmin) and math.isfinite(vmax):
        return arr
    with np.errstate(invalid="ignore"):
        ok = np.isfinite(arr)
        ok &= (arr >= lo) if lo_inclusive else (arr > lo)
        ok &= (arr <= hi) if hi_inclusive else (arr < hi)
    raise _first_bad(name, arr, ok, requirement)


def finite(name: str, value: Any) -> np.ndarray:
    """Any finite number (e.g. a funding rate, which may be negative)."""
    return _check_bounds(name, value, -math.inf, math.inf, False, False, "finite")


def positive(name: str, value: Any) -> np.ndarray:
    """Finite and strictly positive: prices, quantities, contract sizes."""
    return _check_bounds(name, value, 0.0, math.inf, False, False, "finite and > 0")


def nonnegative(name: str, value: Any) -> np.ndarray:
    """Finite and >= 0: margin, maintenance amounts, balances."""
    return _check_bounds(name, value, 0.0, math.inf, True, False, "finite and >= 0")


def rate(name: str, value: Any) -> np.ndarray:
    """A rate given as a fraction in [0, 1): mmr, fee_rate (0.005 = 0.5 %)."""
    return _check_bounds(
        name, value, 0.0, 1.0, True, False, "in [0, 1) (a fraction: 0.005 = 0.5 %)"
    )


def in_range(
    name: str,
    value: Any,
    lo: float,
    hi: float,
    *,
    lo_inclusive: bool = True,
    hi_inclusive: bool = True,
) -> np.ndarray:
    """A finite number inside an explicit interval; the message prints the interval."""
    left = "[" if lo_inclusive else "("
    right = "]" if hi_inclusive else ")"
    requirement = f"in {left}{_num(lo)}, {_num(hi)}{right}"
    return _check_bounds(name, value, lo, hi, lo_inclusive, hi_inclusive, requirement)


def _num(x: float) -> str:
    if math.isinf(x):
        return "inf" if x > 0 else "-inf"
    return f"{x:g}"


def count(name: str, value: Any) -> int:
    """A whole number >= 1 (Monte Carlo steps and paths, window lengths).

    >>> count("paths", 1000.0)
    1000
    """
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer, float,
                                                                     np.floating)):
        raise ValueError(f"{name} must be a whole number >= 1; got {value!r}")
    if not (math.isfinite(value) and float(value).is_integer() and value >= 1):
        raise ValueError(f"{name} must be a whole number >= 1; got {value!r}")
    return int(value)


def choice(name: str, value: Any, allowed: Sequence[str]) -> str:
    """A string from a fixed set; the message lists the allowed values."""
    if not isinstance(value, str) or value not in allowed:
        listed = ", ".join(repr(a) for a in allowed)
        raise ValueError(f"{name} must be one of {listed}; got {value!r}")
    return value


def side_sign(side: Any) -> int:
    """+1 for "long", -1 for "short".

    >>> side_sign("short")
    -1
    """
    return 1 if choice("side", side, SIDES) == "long" else -1


def SIDE(name: str, value: Any) -> int:  # noqa: N802 - a rule, named like the others' use
    """Rule for a ``side`` parameter: "long" or "short", handed on as its sign +1 / -1."""
    return 1 if choice(name, value, SIDES) == "long" else -1


def choice_of(*allowed: str) -> Callable[[str, Any], str]:
    """Rule for a string parameter with a fixed set of values (``mm_basis``)."""
    def rule(name: str, value: Any) -> str:
        return choice(name, value, allowed)
    rule.allowed = allowed  # type: ignore[attr-defined]
    return rule


def broadcast(**arrays: np.ndarray) -> list[np.ndarray]:
    """Broadcast named arrays together; shapes that do not fit raise ValueError naming them."""
    try:
        return list(np.broadcast_arrays(*arrays.values()))
    except ValueError:
        shapes = ", ".join(f"{k} {np.shape(v)}" for k, v in arrays.items())
        raise ValueError(f"array shapes do not broadcast together: {shapes}") from None


def _largest(arrays: dict[str, np.ndarray]) -> str:
    """``name value`` of each input: the largest magnitude of an array."""
    return ", ".join(f"{key} {float(np.max(np.abs(arr))):g}" for key, arr in arrays.items() if arr.size)


def overflow_error(function: str, arrays: dict[str, Any]) -> ValueError:
    """The message for inputs so large that the arithmetic overflows a 64-bit float.

    >>> str(overflow_error("liquidation_price", {"margin": 1e308, "quantity": 1e-10}))
    'liquidation_price: the inputs overflow a 64-bit float (margin 1e+308, quantity 1e-10); keep prices, quantities and margins within about 1e150'
    """
    shown = _largest({k: np.asarray(a, dtype=float) for k, a in arrays.items()})
    return ValueError(f"{function}: the inputs overflow a 64-bit float ({shown}); "
                      "keep prices, quantities and margins within about 1e150")


def checked(**rules: Callable[[str, Any], Any]) -> Callable[[F], F]:
    """Declare each parameter's rule once; the wrapper checks, broadcasts and shapes the output.

    ``rules`` maps a parameter name to its checker: :func:`positive`,
    :func:`nonnegative`, :func:`rate`, :func:`finite` (numeric; these are
    broadcast together and handed to the function as float ndarrays),
    :data:`SIDE` (the side string becomes its sign, +1 or -1) or ``choice_of(...)``.
    Scalar input gives a Python float, array input an ndarray.  An overflow inside
    the function (inputs near the float limit) raises a ValueError naming the
    largest inputs instead of returning ``inf`` with a RuntimeWarning.  The rules
    stay readable on the function as ``fn.rules`` (the browser twin exports them).

    >>> @checked(quantity=positive, price=positive)
    ... def value(quantity, price):
    ...     return quantity * price
    >>> value(2, 3.5)
    7.0
    >>> value(2, [1.0, -1.0])
    Traceback (most recent call last):
    ...
    ValueError: price must be finite and > 0; got -1.0 at index 1
    """
    numeric = [name for name, rule in rules.items() if rule in NUMERIC_RULES]

    def decorate(fn: F) -> F:
        sig = inspect.signature(fn)
        missing = set(rules) - set(sig.parameters)
        if missing:
            raise TypeError(f"{fn.__name__}: rules for unknown parameters {sorted(missing)}")

        @functools.wraps(fn)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            bound = sig.bind(*args, **kwargs)
            bound.apply_defaults()
            values = bound.arguments
            for name, rule in rules.items():
                values[name] = rule(name, values[name])
            arrays = {name: values[name] for name in numeric}
            scalar = all(a.ndim == 0 for a in arrays.values())
            if len(arrays) > 1:
                for name, arr in zip(arrays, broadcast(**arrays)):
                    values[name] = arr
            try:
                with np.errstate(over="raise"):
                    result = fn(**values)
            except FloatingPointError:
                raise overflow_error(fn.__name__, arrays) from None
            return output(result, scalar)

        wrapper.rules = dict(rules)  # type: ignore[attr-defined]
        return wrapper  # type: ignore[return-value]

    return decorate


def is_scalar(*values: Any) -> bool:
    """True when every input is a scalar (then the public function returns a float).

    A ragged nested list has no shape: it counts as "not scalar" here, and the
    parameter's own check then refuses it by name.
    """
    try:
        return all(np.ndim(v) == 0 for v in values)
    except ValueError:
        return False


def output(result: Any, scalar: bool) -> Any:
    """Python float for scalar input, ndarray otherwise."""
    if scalar:
        return float(np.asarray(result).reshape(()))
    return np.asarray(result, dtype=float)


def reject_where(bad: Any, message: str, values: Iterable[tuple[str, Any]] = ()) -> None:
    """Raise ``ValueError(message)`` if any element of the boolean array ``bad`` is set.

    ``message`` may use ``{name}`` fields filled from ``values`` at the first bad
    element, and ``{where}`` which becomes `` at index i`` for array input.
    """
    bad = np.asarray(bad)
    if not bad.any():
        return
    i = int(np.flatnonzero(bad.ravel())[0])
    fields = {}
    for key, val in values:
        v = np.asarray(val, dtype=float)
        v = np.broadcast_to(v, bad.shape).ravel()[i] if v.ndim else v
        fields[key] = f"{float(v):g}"
    fields["where"] = "" if bad.ndim == 0 else f" at index {i}"
    raise ValueError(message.format(**fields))


NUMERIC_RULES = (finite, positive, nonnegative, rate)
