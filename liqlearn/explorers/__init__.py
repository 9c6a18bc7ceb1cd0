"""ipywidgets explorers: move a control, watch the liquidation react.

Five constructors, one per chapter:

=================================  =============================================
:func:`leverage_explorer`          liquidation and bankruptcy price vs leverage
:func:`mark_price_explorer`        a wick in the last price vs the mark price
:func:`slippage_explorer`          a liquidation order walking the order book
:func:`insurance_fund_explorer`    the fund through a crash, then ADL
:func:`risk_explorer`              probability of touching the liquidation price
=================================  =============================================

Each returns an object with ``.controls`` (name -> :class:`~liqlearn.explorers._base.Control`:
its range or options and its ``value``, read and set from Python) and ``.view``
(an ``anywidget.AnyWidget``, i.e. an ipywidgets ``DOMWidget``, whose synced state
holds the control values); it displays itself in a notebook.  All the numbers
come from plain compute functions (``compute_leverage``, ``compute_mark_price``,
``compute_slippage``, ``compute_insurance_fund``, ``compute_risk``) that need no
front end; ``.result`` is the current one.

The front end is one JavaScript file per explorer (``static/``), drawing its own
controls, numbers and SVG figure from the browser twin (``liqlearn.browser``)
or from data computed here: anywidget runs it in a kernel, and on the static site
a small shim (``shim()``) mounts it from the saved widget state.

Importing this package loads ipywidgets and anywidget; ``import liqlearn`` does
not (it exposes ``liqlearn.explorers`` lazily).
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
    "Explorer": "_base",
    "scripts": "_base",
    "shim": "_base",
    "front_end": "_base",
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
