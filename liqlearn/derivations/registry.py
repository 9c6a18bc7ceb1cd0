"""The one registry of formulas: ``liqlearn.FORMULAS`` (name -> :class:`Formula`).

Each module of :mod:`liqlearn.derivations` that owns an idea (``margin``,
``liquidation``, ``tiers``, ...) defines ``formulas()``, which imports SymPy
*inside* it, derives its expressions and returns a list of :class:`Formula` whose
numeric twins live in the module of the same name in :mod:`liqlearn.formulas`.  This module
collects them the first time ``liqlearn.FORMULAS`` is touched, so
``import liqlearn`` never imports SymPy.

Fields of an entry
------------------
===========  ==============================================================
name         unique key, snake_case (``liquidation_price_long_mark``)
expr         the SymPy expression (the right-hand side of the result)
symbols      numeric parameter name -> SymPy symbol used in ``expr``
numeric      the numeric twin; ``numeric(**example)`` returns a float
example      one valid input: a dict of keyword arguments for ``numeric``
latex        LaTeX of ``lhs = expr``
description  one sentence for the formula sheet
convention   which venue convention it follows ("Binance USDⓈ-M, mark basis")
steps        the derivation: a tuple of (caption, SymPy object) pairs
domain       parameter -> (low, high): the box the property tests draw from;
             draws the numeric twin rejects (ValueError) are discarded
lhs          LaTeX of the left-hand side (e.g. ``P_liq`` for the liquidation price)
===========  ==============================================================
"""

from __future__ import annotations

import importlib
import json
import pickle
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any, Callable, Mapping

from .cache import cache_key, cache_root, write_atomic

# Modules of :mod:`liqlearn.derivations` that contribute formulas, in the order the
# formula sheet lists them; each has a twin of the same name in :mod:`liqlearn.formulas`.
FORMULA_MODULES = (
    "margin",
    "liquidation",
    "tiers",
    "cross",
    "inverse",
    "prices",
    "risk",
    "options",
    "solvers",
    "book_depth",
    "deleveraging",
    "cascade",
    "settlement",
)


@dataclass(frozen=True)
class Formula:
    name: str
    expr: Any
    symbols: Mapping[str, Any]
    numeric: Callable[..., Any]
    example: Mapping[str, Any]
    latex: str = ""
    description: str = ""
    convention: str = ""
    steps: tuple = ()
    domain: Mapping[str, tuple] = field(default_factory=dict)
    lhs: str = ""

    def __post_init__(self) -> None:
        if not self.latex:
            import sympy

            lhs = self.lhs or sympy.latex(sympy.Symbol(self.name))
            object.__setattr__(self, "latex", f"{lhs} = {to_latex(self.expr)}")

    def evaluate(self, **values: Any) -> Any:
        """Substitute numbers into the SymPy expression (slow; for checking)."""
        subs = {self.symbols[k]: v for k, v in values.items() if k in self.symbols}
        return self.expr.subs(subs)

    def lambdified(self) -> Callable[..., Any]:
        """``expr`` as a numpy function taking the keys of ``symbols`` as keywords."""
        import sympy

        names = list(self.symbols)
        f = sympy.lambdify([self.symbols[n] for n in names], self.expr, modules=["scipy", "numpy"])

        def call(**kw: Any) -> Any:
            return f(*(kw[n] for n in names))

        return call

    def steps_latex(self) -> list[tuple[str, str]]:
        """The derivation as (caption, LaTeX) pairs, for a chapter to display."""
        import sympy

        return [(caption, to_latex(obj)) for caption, obj in self.steps]

    def _repr_markdown_(self) -> str:
        return f"**{self.name}** ({self.convention}): $${self.latex}$$"


def to_latex(obj: Any) -> str:
    r"""LaTeX of a SymPy object, with word-like symbols upright.

    Symbols named by words (``Equity``, ``MM``, ``UPnL``) are set in roman type,
    as quantities named by words are in print; one-letter symbols and Greek
    letters stay italic, and subscripts (``P_liq``) follow SymPy's rules.

    >>> import sympy
    >>> latex = to_latex(sympy.Eq(sympy.Symbol("Equity"), sympy.Symbol("MM")))
    >>> latex.count("mathrm{Equity}"), latex.count("mathrm{MM}")
    (1, 1)
    """
    import sympy
    from sympy.printing.latex import greek_letters_set

    names = {}
    free = getattr(obj, "free_symbols", set())
    for sym in free:
        name = getattr(sym, "name", "")
        if len(name) > 1 and name.isalpha() and name.lower() not in greek_letters_set:
            names[sym] = rf"\mathrm{{{name}}}"
    return sympy.latex(obj, symbol_names=names)


_REGISTRY: Mapping[str, Formula] | None = None


def _cache_path() -> Path | None:
    """Where the derived registry is pickled, keyed by the package's source and SymPy's version.

    Deriving every entry (``sympy.solve``, series, simplification) takes ~10 s;
    loading the pickle takes well under a second, so each chapter's kernel pays
    for the derivations only once per change of the package.  Set
    ``LIQLEARN_CACHE_DIR`` to move the cache, or to an empty string to disable it.
    """
    root = cache_root()
    return None if root is None else root / f"formulas-{cache_key()}.pickle"


def _load_cached(path: Path | None) -> dict[str, Formula] | None:
    if path is None or not path.is_file():
        return None
    try:
        with path.open("rb") as fh:
            entries = pickle.load(fh)
    except Exception:  # a stale or truncated cache is simply rebuilt
        return None
    return entries if isinstance(entries, dict) else None


def _store_cached(path: Path | None, entries: dict[str, Formula]) -> None:
    try:
        data = pickle.dumps(entries, protocol=pickle.HIGHEST_PROTOCOL)
    except Exception:  # an unpicklable entry: derive again next time
        return
    write_atomic(path, data)


def latex_index() -> dict[str, dict[str, Any]]:
    """What chapters display, without SymPy: name -> latex, description, convention, steps.

    Rendering a derivation needs only LaTeX strings, so they are written once to a
    small JSON file beside the registry cache; a chapter's kernel then shows any
    derivation without importing SymPy or rebuilding expressions.
    """
    global _LATEX_INDEX
    if _LATEX_INDEX is not None:
        return _LATEX_INDEX
    path = _cache_path()
    json_path = path.with_name(path.name.replace("formulas-", "latex-").replace(".pickle", ".json")) if path else None
    if json_path is not None and json_path.is_file():
        try:
            _LATEX_INDEX = json.loads(json_path.read_text(encoding="utf-8"))
            return _LATEX_INDEX
        except Exception:
            pass
    index = {
        name: {
            "latex": f.latex,
            "description": f.description,
            "convention": f.convention,
            "steps": [list(step) for step in f.steps_latex()],
        }
        for name, f in build().items()
    }
    write_atomic(json_path, json.dumps(index).encode("utf-8"))
    _LATEX_INDEX = index
    return index


_LATEX_INDEX: dict[str, dict[str, Any]] | None = None


def build() -> Mapping[str, Formula]:
    """Collect every derivation module's ``formulas()`` into one read-only mapping (cached)."""
    global _REGISTRY
    if _REGISTRY is None:
        path = _cache_path()
        cached = _load_cached(path)
        if cached is not None:
            _REGISTRY = MappingProxyType(cached)
            return _REGISTRY
        entries: dict[str, Formula] = {}
        for mod_name in FORMULA_MODULES:
            mod = importlib.import_module(f"liqlearn.derivations.{mod_name}")
            for entry in mod.formulas():
                if entry.name in entries:
                    raise RuntimeError(f"duplicate formula name {entry.name!r}")
                entries[entry.name] = entry
        _store_cached(path, entries)
        _REGISTRY = MappingProxyType(entries)
    return _REGISTRY


def __getattr__(name: str) -> Any:
    """``FORMULAS``: the registry, derived (or loaded from the cache) on first use."""
    if name == "FORMULAS":
        return build()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
