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

import math
from typing import Any, Iterable, Sequence

import numpy as np

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
]

SIDES = ("long", "short")
MM_BASES = ("mark", "entry")


def _fmt(x: float) -> str:
    return repr(float(x))


def as_float_array(name: str, value: Any) -> np.ndarray:
    if isinstance(value, (str, bytes)):
        raise ValueError(f"{name} must be a number or an array of numbers; got {value!r}")
    try:
        arr = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise ValueError(
            f"{name} must be a number or an array of numbers; got {value!r}"
        ) from None
    return arr


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


def broadcast(**arrays: np.ndarray) -> list[np.ndarray]:
    """Broadcast named arrays together; shapes that do not fit raise ValueError naming them."""
    try:
        return list(np.broadcast_arrays(*arrays.values()))
    except ValueError:
        shapes = ", ".join(f"{k} {np.shape(v)}" for k, v in arrays.items())
        raise ValueError(f"array shapes do not broadcast together: {shapes}") from None


def is_scalar(*values: Any) -> bool:
    """True when every input is a scalar (then the public function returns a float)."""
    return all(np.ndim(v) == 0 for v in values)


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
