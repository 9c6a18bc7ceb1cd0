"""ipywidgets explorers: move a control, watch the liquidation react.

Five constructors, one per chapter:

=================================  =============================================
:func:`leverage_explorer`          liquidation and bankruptcy price vs leverage
:func:`mark_price_explorer`        a wick in the last price vs the mark price
:func:`slippage_explorer`          a liquidation order walking the order book
:func:`insurance_fund_explorer`    the fund through a crash, then ADL
:func:`risk_explorer`              probability of touching the liquidation price
=================================  =============================================

Each returns an object with ``.controls`` (name -> ipywidgets control),
``.figure`` (its matplotlib Figure, drawn with Agg) and ``.view`` (the
top-level ipywidgets container); it displays itself in a notebook.  All the
numbers come from plain compute functions (``compute_leverage``,
``compute_mark_price``, ``compute_slippage``, ``compute_insurance_fund``,
``compute_risk``) that need no front end.

Importing this package loads matplotlib and ipywidgets; ``import liqlearn``
does not (it exposes ``liqlearn.explorers`` lazily).
"""

from __future__ import annotations

import importlib
from typing import Any

_EXPORTS = {
    "leverage_explorer": "leverage",
    "compute_leverage": "leverage",
    "mark_price_explorer": "mark_price",
    "compute_mark_price": "mark_price",
    "slippage_explorer": "slippage",
    "compute_slippage": "slippage",
    "insurance_fund_explorer": "insurance_fund",
    "compute_insurance_fund": "insurance_fund",
    "risk_explorer": "risk",
    "compute_risk": "risk",
    "render_png": "_base",
    "Explorer": "_base",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    if name not in _EXPORTS:
        raise AttributeError(f"module 'liqlearn.explorers' has no attribute {name!r}")
    value = getattr(importlib.import_module(f"liqlearn.explorers.{_EXPORTS[name]}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
