"""The one registry of formulas: ``liqlearn.FORMULAS`` (name -> :class:`Formula`).

Each module that owns an idea (``margin``, ``liquidation``, ``tiers``, ...)
defines a private function ``_formulas()`` that imports SymPy *inside* it,
derives its expressions and returns a list of :class:`Formula`.  This module
collects them the first time ``liqlearn.FORMULAS`` is touched, so
``import liqlearn`` never imports SymPy.

Fields of an entry
------------------
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
lhs          LaTeX of the left-hand side (e.g. ``P_{\\mathrm{liq}}``)
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, Callable, Mapping

# Modules that contribute formulas, in the order the formula sheet lists them.
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
    "orderbook",
    "engine",
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
            object.__setattr__(self, "latex", f"{lhs} = {sympy.latex(self.expr)}")

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

        return [(caption, sympy.latex(obj)) for caption, obj in self.steps]

    def _repr_markdown_(self) -> str:
        return f"**{self.name}** ({self.convention}): $${self.latex}$$"


_REGISTRY: Mapping[str, Formula] | None = None


def build() -> Mapping[str, Formula]:
    """Collect every module's ``_formulas()`` into one read-only mapping (cached)."""
    global _REGISTRY
    if _REGISTRY is None:
        entries: dict[str, Formula] = {}
        for mod_name in FORMULA_MODULES:
            try:
                mod = importlib.import_module(f"liqlearn.{mod_name}")
            except ModuleNotFoundError as exc:  # a module not written yet
                if exc.name == f"liqlearn.{mod_name}":
                    continue
                raise
            for entry in mod._formulas():
                if entry.name in entries:
                    raise RuntimeError(f"duplicate formula name {entry.name!r}")
                entries[entry.name] = entry
        _REGISTRY = MappingProxyType(entries)
    return _REGISTRY
