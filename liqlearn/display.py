"""Show derivations from ``liqlearn.FORMULAS`` in a notebook, as typeset LaTeX.

Chapters never retype a formula: they call these, which render the SymPy
objects kept in the registry.

>>> lines = derivation_latex("equity_long")
>>> lines[-1][0]
'Substitute the unrealized P&L'
"""

from __future__ import annotations

from typing import Any


def derivation_latex(name: str) -> list[tuple[str, str]]:
    """(caption, LaTeX) for each step of the named formula's derivation."""
    from .derivations.registry import latex_index

    index = latex_index()
    if name not in index:
        raise KeyError(f"no formula named {name!r} in liqlearn.FORMULAS")
    return [(caption, tex) for caption, tex in index[name]["steps"]]


def show_derivation(name: str) -> None:
    """Display each derivation step: the caption in words, then the equation."""
    from IPython.display import Markdown, Math, display

    for caption, tex in derivation_latex(name):
        display(Markdown(f"*{caption}:*"))
        display(Math(tex))


def show_formula(name: str) -> None:
    """Display the final formula with its convention."""
    from IPython.display import Markdown, Math, display

    from .derivations.registry import latex_index

    entry = latex_index()[name]
    display(Math(entry["latex"]))
    display(Markdown(f"*{entry['description']}* Convention: {entry['convention']}."))


def latex(obj: Any) -> str:
    """LaTeX of any SymPy object (thin wrapper so chapters need not import sympy)."""
    import sympy

    return sympy.latex(obj)
