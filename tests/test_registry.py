"""Every registry entry: the SymPy derivation and its numeric twin agree.

For each entry of ``liqlearn.FORMULAS`` hypothesis draws valid inputs from the
entry's ``domain`` box (draws the numeric twin rejects as invalid are
discarded) and compares the lambdified SymPy expression with the twin.  The
entry's own example is also checked exactly, substituting Rationals.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
import sympy as sp
from hypothesis import assume, given
from hypothesis import strategies as st

import liqlearn

FORMULAS = liqlearn.FORMULAS
NAMES = sorted(FORMULAS)
REQUIRED_FIELDS = ("name", "expr", "symbols", "numeric", "example", "latex", "description",
                   "convention", "steps")


def close(a: float, b: float, rel: float = 1e-9, abs_: float = 1e-9) -> bool:
    if math.isinf(a) or math.isinf(b):
        return a == b
    return math.isclose(a, b, rel_tol=rel, abs_tol=abs_)


def test_registry_is_large_enough_and_well_formed():
    assert len(FORMULAS) >= 20
    for name, entry in FORMULAS.items():
        assert entry.name == name
        for field in REQUIRED_FIELDS:
            assert getattr(entry, field) not in (None, ""), (name, field)
        assert isinstance(entry.expr, sp.Basic), name
        # every free symbol of the expression is a declared numeric parameter
        declared = set(entry.symbols.values())
        assert entry.expr.free_symbols <= declared, (name, entry.expr.free_symbols - declared)
        assert set(entry.symbols) <= set(entry.example), (name, "example lacks a parameter")
        assert len(entry.steps) >= 1, name
        for caption, obj in entry.steps:
            assert isinstance(caption, str) and caption
            sp.latex(obj)  # renders


@pytest.mark.parametrize("name", NAMES)
def test_example_exact(name):
    """The SymPy expression evaluated exactly (Rationals) equals the twin at the example."""
    entry = FORMULAS[name]
    numeric = entry.numeric(**entry.example)
    subs = {sym: sp.nsimplify(entry.example[key], rational=True)
            for key, sym in entry.symbols.items()}
    exact = entry.expr.subs(subs)
    value = float(sp.N(exact, 30))
    assert isinstance(numeric, float), f"{name}: scalar in must give a Python float"
    assert close(value, numeric, rel=1e-9), (name, value, numeric)


@pytest.mark.parametrize("name", NAMES)
def test_twin_matches_derivation(name):
    entry = FORMULAS[name]
    f = entry.lambdified()
    keys = list(entry.symbols)
    fixed = {k: val for k, val in entry.example.items() if k not in entry.symbols}
    boxes = {}
    for k in keys:
        default = entry.example[k]
        lo, hi = entry.domain.get(k, (default, default))
        boxes[k] = st.floats(min_value=lo, max_value=hi, allow_nan=False, allow_infinity=False)

    @given(st.fixed_dictionaries(boxes))
    def check(draw):
        kwargs = {**fixed, **draw}
        try:
            numeric = entry.numeric(**kwargs)
        except ValueError:
            assume(False)
            return
        with np.errstate(all="ignore"):
            symbolic = float(f(**draw))
        assume(math.isfinite(symbolic) or math.isinf(numeric))
        assert close(symbolic, float(numeric), rel=1e-7, abs_=1e-7), (kwargs, symbolic, numeric)

    check()


@pytest.mark.parametrize("name", NAMES)
def test_twin_vectorises(name):
    """Array in, array out, element by element the scalar answer."""
    entry = FORMULAS[name]
    ex = dict(entry.example)
    arrays = {k: np.full(3, val, dtype=float) for k, val in ex.items()
              if isinstance(val, (int, float)) and not isinstance(val, bool)}
    if not arrays:
        pytest.skip("no numeric parameters")
    first = next(iter(arrays))
    out = entry.numeric(**{**ex, first: arrays[first]})
    assert isinstance(out, np.ndarray) and out.shape == (3,)
    np.testing.assert_allclose(out, entry.numeric(**ex), rtol=1e-12)


def test_latex_index_matches_registry():
    """Chapters display derivations from a cached LaTeX index: it must equal the registry."""
    from liqlearn.derivations.registry import latex_index

    index = latex_index()
    assert set(index) == set(FORMULAS)
    for name, entry in FORMULAS.items():
        assert index[name]["latex"] == entry.latex
        assert [tuple(s) for s in index[name]["steps"]] == entry.steps_latex()


def test_registry_cache_round_trip(tmp_path, monkeypatch):
    """The on-disk cache is keyed by the package source and loads back equal entries."""
    import pickle

    from liqlearn.derivations import registry as _registry

    monkeypatch.setenv("LIQLEARN_CACHE_DIR", str(tmp_path))
    path = _registry._cache_path()
    assert path is not None and path.parent == tmp_path
    entries = dict(FORMULAS)
    _registry._store_cached(path, entries)
    loaded = _registry._load_cached(path)
    assert loaded is not None and set(loaded) == set(entries)
    name = "liquidation_price_long_mark"
    assert sp.simplify(loaded[name].expr - entries[name].expr) == 0
    assert pickle.loads(pickle.dumps(entries[name])).name == name
    monkeypatch.setenv("LIQLEARN_CACHE_DIR", "")
    assert _registry._cache_path() is None
