"""liqlearn: how leveraged derivatives positions are liquidated.

Every formula is derived with SymPy (see ``liqlearn.FORMULAS``) and has a fast
NumPy twin, which is what the names below are.  ``import liqlearn`` is light:
SymPy, matplotlib and ipywidgets load only when something needs them.

>>> import liqlearn as ll
>>> round(ll.liquidation_price("long", 60_000, 1/6, 1_000, 0.005), 2)
54271.36
>>> ll.bankruptcy_price("long", 60_000, 1/6, 1_000)
54000.0
"""

from __future__ import annotations

import importlib
from typing import Any

__version__ = "0.1.0"

# The public surface, listed once: public name -> module that defines it (loaded on
# first use, so ``import liqlearn`` imports neither SymPy nor matplotlib).
_EXPORTS: dict[str, str] = {
    # margin and leverage (linear contracts)
    "notional": "formulas.margin",
    "initial_margin": "formulas.margin",
    "leverage": "formulas.margin",
    "effective_leverage": "formulas.margin",
    "unrealized_pnl": "formulas.margin",
    "equity": "formulas.margin",
    "maintenance_margin": "formulas.margin",
    "margin_ratio": "formulas.margin",
    # liquidation and bankruptcy
    "liquidation_price": "formulas.liquidation",
    "bankruptcy_price": "formulas.liquidation",
    "round_to_tick": "formulas.liquidation",
    "rule_of_thumb_move": "formulas.liquidation",
    "exact_move": "formulas.liquidation",
    # tiers, cross margin, inverse contracts
    "MaintenanceTiers": "formulas.tiers",
    "EXAMPLE_TIERS": "formulas.tiers",
    "cross_liquidation_price": "formulas.cross",
    "inverse_unrealized_pnl": "formulas.inverse",
    "inverse_liquidation_price": "formulas.inverse",
    "inverse_bankruptcy_price": "formulas.inverse",
    "inverse_margin_for_liquidation_price": "formulas.inverse",
    # prices
    "mark_price": "formulas.prices",
    "funding_rate": "formulas.prices",
    "premium_index": "formulas.prices",
    "funding_payment": "formulas.prices",
    "index_price": "formulas.prices",
    "funding_basis_price": "formulas.prices",
    "moving_average_price": "formulas.prices",
    "moving_average_basis": "formulas.prices",
    "margin_after_funding": "formulas.prices",
    "liquidation_price_after_funding": "formulas.prices",
    # risk and options
    "liquidation_probability": "formulas.risk",
    "touch_probability_mc": "formulas.risk",
    "bgk_barrier": "formulas.risk",
    "gbm_paths": "formulas.risk",
    "standard_normals": "formulas.risk",
    "call_price": "formulas.options",
    "put_price": "formulas.options",
    "margin_for_liquidation_price": "formulas.solvers",
    "max_leverage": "formulas.solvers",
    "liquidation_ratio": "formulas.solvers",
    # what happens after the trigger
    "liquidation_settlement": "formulas.settlement",
    "partial_liquidation_step": "formulas.settlement",
    "uniform_book_vwap": "formulas.book_depth",
    "uniform_book_last_price": "formulas.book_depth",
    "fund_change": "formulas.deleveraging",
    "adl_score": "formulas.deleveraging",
    "cascade_branching_ratio": "formulas.cascade",
    "cascade_total": "formulas.cascade",
    # the registry of derivations
    "FORMULAS": "derivations.registry",
}

# Modules reachable as attributes (``from liqlearn import check``): short name -> module.
_MODULES: dict[str, str] = {
    "formulas": "formulas", "derivations": "derivations", "simulation": "simulation",
    "course": "course", "venues": "venues", "explorers": "explorers", "cli": "cli",
    "check": "course.check", "problems": "course.problems",
    "orderbook": "simulation.orderbook", "engine": "simulation.engine",
    "scenarios": "simulation.scenarios", "plotting": "plotting", "display": "display",
}

__all__ = sorted([*_EXPORTS, "__version__"])


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        value = getattr(importlib.import_module(f"liqlearn.{_EXPORTS[name]}"), name)
    elif name in _MODULES:
        value = importlib.import_module(f"liqlearn.{_MODULES[name]}")
    else:
        raise AttributeError(f"module 'liqlearn' has no attribute {name!r}")
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__, *_MODULES})
