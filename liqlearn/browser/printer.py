"""The registry as JavaScript: SymPy's JavaScript printer plus what the registry needs.

:class:`TwinPrinter` is SymPy's :class:`~sympy.printing.jscode.JavascriptCodePrinter`
with three additions, and nothing else:

* ``Phi`` (the normal CDF, ``liqlearn.derivations.sympy_functions.Phi``) prints as a call to
  ``Phi``, which ``js/special.js`` defines from a Cody-style rational ``erfc``
  (JavaScript has no ``erf``);
* a number-valued special constant such as ``zeta(1/2)`` is evaluated to 17
  significant digits and printed as a literal;
* a ``Piecewise`` without a default branch (the tier table's ``N <= cap`` rows)
  gets ``NaN`` as its default: a notional above the last cap has no answer,
  and the hand-written algorithms reject it with the package's message.

Symbols print as the parameter names the registry keys them by (``entry_price``,
not ``E``), read from the one object the generated function takes.

>>> import sympy as sp
>>> x = sp.Symbol("x")
>>> TwinPrinter({"x": "p.x"}).doprint(sp.Piecewise((x, x <= 1)))
'((p.x <= 1) ? (\\n   p.x\\n)\\n: (\\n   NaN\\n))'
"""

from __future__ import annotations

import json
from typing import Any, Mapping

from sympy import Float, Function, Number, Piecewise, Symbol, nan, true
from sympy.printing.jscode import JavascriptCodePrinter

__all__ = ["TwinPrinter", "function_source", "formulas_source"]


class TwinPrinter(JavascriptCodePrinter):
    """SymPy's JavaScript printer, extended for the registry (see the module docstring)."""

    def __init__(self, names: Mapping[str, str], settings: dict[str, Any] | None = None) -> None:
        super().__init__({"strict": True, **(settings or {})})
        self._names = dict(names)

    def _print_Symbol(self, expr: Symbol) -> str:
        try:
            return self._names[expr.name]
        except KeyError:
            raise ValueError(f"symbol {expr.name!r} is not a parameter of the formula") from None

    def _print_Phi(self, expr: Function) -> str:
        return f"Phi({self._print(expr.args[0])})"

    def _print_zeta(self, expr: Function) -> str:
        value = expr.evalf(20)
        if not isinstance(value, Number):
            raise ValueError(f"{expr} has no numeric value to print")
        return repr(float(value))

    def _print_Float(self, expr: Float) -> str:
        return repr(float(expr))

    def _print_Piecewise(self, expr: Piecewise) -> str:
        if expr.args[-1].cond != true:
            expr = Piecewise(*expr.args, (nan, True))
        return super()._print_Piecewise(expr)

    def _print_NaN(self, expr: Any) -> str:
        return "NaN"


def function_source(formula: Any) -> str:
    """One registry entry as a JavaScript function of one object keyed by ``formula.symbols``."""
    names = {sym.name: f"p.{key}" for key, sym in formula.symbols.items()}
    if len(names) != len(formula.symbols):
        raise ValueError(f"{formula.name}: two parameters share one SymPy symbol name")
    body = TwinPrinter(names).doprint(formula.expr)
    return f"(p) => ({body})"


def formulas_source(formulas: Mapping[str, Any]) -> str:
    """The ``FORMULAS`` object literal (JavaScript) for every entry, in registry order."""
    lines = ["{"]
    for name, formula in formulas.items():
        keys = json.dumps(list(formula.symbols))
        lines.append(f"  // {formula.description}")
        lines.append(f"  // parameters: {keys}")
        lines.append(f"  {json.dumps(name)}: {function_source(formula)},")
    lines.append("}")
    return "\n".join(lines)
