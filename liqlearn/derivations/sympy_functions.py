"""SymPy functions the derivations share, defined at module level so that
expressions containing them pickle (the registry is cached on disk).

Imported only when the registry is built: ``import liqlearn`` stays free of SymPy.
"""

from __future__ import annotations

from typing import Any

import mpmath
import sympy as sp
from scipy.special import ndtr


class Phi(sp.Function):
    """Standard normal cumulative distribution function."""

    nargs = 1
    _imp_ = staticmethod(ndtr)

    @classmethod
    def eval(cls, arg):  # noqa: ANN001, ANN206
        if arg is sp.S.Zero:
            return sp.S.Half
        if arg is sp.S.Infinity:
            return sp.S.One
        if arg is sp.S.NegativeInfinity:
            return sp.S.Zero
        return None

    def fdiff(self, argindex: int = 1) -> Any:
        return sp.exp(-self.args[0] ** 2 / 2) / sp.sqrt(2 * sp.pi)

    def _eval_rewrite_as_erf(self, arg: Any, **kwargs: Any) -> Any:
        return (1 + sp.erf(arg / sp.sqrt(2))) / 2

    def _eval_evalf(self, prec: int) -> Any:
        a = self.args[0]._eval_evalf(prec + 20)
        if a is None or not a.is_Number:
            return None
        with mpmath.workprec(prec + 20):
            value = mpmath.ncdf(a._to_mpmath(prec + 20))
        return sp.Float._new(mpmath.mpf(value)._mpf_, prec)

    def _latex(self, printer: Any, exp: Any = None) -> str:
        inner = printer._print(self.args[0])
        out = rf"\Phi\left({inner}\right)"
        return rf"{out}^{{{exp}}}" if exp else out

