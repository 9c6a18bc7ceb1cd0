"""The shared validation module (liqlearn.formulas.validation)."""

from __future__ import annotations

import math

import numpy as np
import pytest

import liqlearn as ll
from liqlearn.formulas import validation as v


@pytest.mark.parametrize("check, value, message", [
    (v.positive, -1.0, r"^x must be finite and > 0; got -1.0$"),
    (v.positive, 0.0, r"^x must be finite and > 0; got 0.0$"),
    (v.positive, math.inf, r"^x must be finite and > 0; got inf$"),
    (v.positive, [1.0, math.nan], r"^x must be finite and > 0; got nan at index 1$"),
    (v.positive, [[1.0, 2.0], [3.0, -4.0]], r"got -4.0 at index \(1, 1\)$"),
    (v.nonnegative, -0.5, r"^x must be finite and >= 0; got -0.5$"),
    (v.nonnegative, [0.0, -math.inf], r"got -inf at index 1$"),
    (v.rate, 1.0, r"^x must be in \[0, 1\) \(a fraction: 0.005 = 0.5 %\); got 1.0$"),
    (v.rate, -0.001, r"^x must be in \[0, 1\)"),
    (v.finite, [0.0, math.inf], r"^x must be finite; got inf at index 1$"),
    (v.positive, "10", r"^x must be a number or an array of numbers; got '10'$"),
    (v.positive, [1, "a"], r"^x must be a number or an array of numbers"),
    (v.positive, [], r"^x must not be an empty array$"),
    (v.positive, None, r"^x must be a number or an array of numbers; got None$"),
    (v.positive, True, r"^x must be a number or an array of numbers; got True$"),
    (v.positive, np.array(["1000"]), r"^x must be a number or an array of numbers; got array\(\[.1000.\]"),
    (v.positive, [[60000, 61000], [62000]], r"^x must be a number or an array of numbers; got a ragged sequence"),
])
def test_checkers_reject_with_name_range_and_index(check, value, message):
    with pytest.raises(ValueError, match=message):
        check("x", value)


def test_checkers_accept_and_return_float_arrays():
    out = v.positive("x", [1, 2, 3])
    assert out.dtype == float and out.shape == (3,)
    assert v.nonnegative("x", 0).ndim == 0
    assert float(v.rate("x", 0.0)) == 0.0
    assert float(v.finite("x", -5)) == -5.0


def test_first_bad_index_in_a_big_array():
    arr = np.ones(1_000_003)
    arr[777_777] = -2.0
    arr[900_000] = math.nan
    with pytest.raises(ValueError, match=r"got -2.0 at index 777777$"):
        v.positive("entry_price", arr)


def test_in_range():
    assert float(v.in_range("t", 0.5, 0.0, 1.0)) == 0.5
    with pytest.raises(ValueError, match=r"^t must be in \(0, 1\]; got 0.0$"):
        v.in_range("t", 0.0, 0.0, 1.0, lo_inclusive=False)
    with pytest.raises(ValueError, match=r"^t must be in \[0, inf\]; got nan$"):
        v.in_range("t", math.nan, 0.0, math.inf)


def test_choice_and_side():
    assert v.side_sign("long") == 1 and v.side_sign("short") == -1
    with pytest.raises(ValueError, match=r"^side must be one of 'long', 'short'; got 'Long'$"):
        v.side_sign("Long")
    with pytest.raises(ValueError, match=r"^mm_basis must be one of 'mark', 'entry'; got None$"):
        v.choice("mm_basis", None, v.MM_BASES)


def test_broadcast_names_the_shapes():
    a, b = v.broadcast(a=np.zeros((3, 1)), b=np.zeros(4))
    assert a.shape == b.shape == (3, 4)
    with pytest.raises(ValueError, match=r"array shapes do not broadcast together: a \(3,\), "
                                         r"b \(4,\)"):
        v.broadcast(a=np.zeros(3), b=np.zeros(4))


def test_scalar_and_output():
    assert v.is_scalar(1.0, np.float64(2.0), np.array(3.0))
    assert not v.is_scalar(1.0, [1.0])
    assert type(v.output(np.array(2.0), True)) is float
    out = v.output([1, 2], False)
    assert isinstance(out, np.ndarray) and out.dtype == float


def test_reject_where():
    v.reject_where(np.array([False, False]), "never")
    with pytest.raises(ValueError, match=r"^bad 2 at index 1$"):
        v.reject_where(np.array([False, True]), "bad {x}{where}", [("x", np.array([1.0, 2.0]))])
    with pytest.raises(ValueError, match=r"^bad 5$"):
        v.reject_where(np.array(True), "bad {x}{where}", [("x", 5.0)])


@pytest.mark.parametrize("call, names", [
    (lambda: ll.liquidation_price("short", 60_000, 1e-10, 1e308, 0.005), ("margin 1e+308", "quantity 1e-10")),
    (lambda: ll.liquidation_price("long", 1e308, 10, 1_000, 0.005), ("entry_price 1e+308", "quantity 10")),
    (lambda: ll.bankruptcy_price("short", 60_000, 1e-10, 1e308), ("margin 1e+308", "quantity 1e-10")),
    (lambda: ll.equity("long", 1e308, 1e300, 10, 1_000), ("entry_price 1e+308",)),
])
def test_overflow_is_named_not_inf(call, names):
    """Issue 10: inputs near the float limit raise a message naming them, never inf + a warning."""
    with pytest.raises(ValueError, match="overflow a 64-bit float") as info:
        call()
    for name in names:
        assert name in str(info.value)


@pytest.mark.parametrize("value, shown", [
    (True, "got True"), (None, "got None"), (np.array(["1000"]), "got array"),
    ([[60_000, 61_000], [62_000]], "got a ragged sequence"),
])
def test_public_functions_refuse_what_only_looks_like_a_number(value, shown):
    with pytest.raises(ValueError, match=f"quantity must be a number or an array of numbers; {shown}"):
        ll.liquidation_price("long", 60_000, value, 1_000, 0.005)
