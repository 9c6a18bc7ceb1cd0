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
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

# public name -> module that defines it (loaded on first use)
_EXPORTS: dict[str, str] = {
    # margin and leverage (linear contracts)
    "notional": "margin",
    "initial_margin": "margin",
    "leverage": "margin",
    "effective_leverage": "margin",
    "unrealized_pnl": "margin",
    "equity": "margin",
    "maintenance_margin": "margin",
    "margin_ratio": "margin",
    # liquidation and bankruptcy
    "liquidation_price": "liquidation",
    "bankruptcy_price": "liquidation",
    "round_to_tick": "liquidation",
    "rule_of_thumb_move": "liquidation",
    "exact_move": "liquidation",
    # tiers, cross margin, inverse contracts
    "MaintenanceTiers": "tiers",
    "cross_liquidation_price": "cross",
    "inverse_unrealized_pnl": "inverse",
    "inverse_liquidation_price": "inverse",
    "inverse_bankruptcy_price": "inverse",
    "inverse_margin_for_liquidation_price": "inverse",
    # prices
    "mark_price": "prices",
    "funding_rate": "prices",
    "premium_index": "prices",
    "funding_payment": "prices",
    "index_price": "prices",
    "funding_basis_price": "prices",
    "moving_average_price": "prices",
    "moving_average_basis": "prices",
    "margin_after_funding": "prices",
    "liquidation_price_after_funding": "prices",
    # risk and options
    "liquidation_probability": "risk",
    "touch_probability_mc": "risk",
    "bgk_barrier": "risk",
    "gbm_paths": "risk",
    "standard_normals": "risk",
    "call_price": "options",
    "put_price": "options",
    "margin_for_liquidation_price": "solvers",
    "max_leverage": "solvers",
    "liquidation_ratio": "solvers",
    # what happens after the trigger
    "liquidation_settlement": "settlement",
    "partial_liquidation_step": "settlement",
}

_SUBMODULES = (
    "margin", "liquidation", "tiers", "cross", "inverse", "prices", "risk", "options",
    "solvers", "venues", "orderbook", "engine", "scenarios", "explorers", "check",
    "problems", "plotting", "settlement",
)

__all__ = sorted([*_EXPORTS, "FORMULAS", "__version__"])


def __getattr__(name: str) -> Any:
    if name == "FORMULAS":
        from ._registry import build

        value = build()
    elif name in _EXPORTS:
        value = getattr(importlib.import_module(f"liqlearn.{_EXPORTS[name]}"), name)
    elif name in _SUBMODULES:
        value = importlib.import_module(f"liqlearn.{name}")
    else:
        raise AttributeError(f"module 'liqlearn' has no attribute {name!r}")
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__, *_SUBMODULES})


if TYPE_CHECKING:  # pragma: no cover - for type checkers and IDEs only
    from ._registry import Formula
    from .cross import cross_liquidation_price
    from .inverse import (inverse_bankruptcy_price, inverse_liquidation_price,
                          inverse_margin_for_liquidation_price, inverse_unrealized_pnl)
    from .liquidation import bankruptcy_price, exact_move, liquidation_price, round_to_tick, rule_of_thumb_move
    from .margin import (effective_leverage, equity, initial_margin, leverage, maintenance_margin,
                         margin_ratio, notional, unrealized_pnl)
    from .options import call_price, put_price
    from .prices import (funding_basis_price, funding_payment, funding_rate, index_price,
                         liquidation_price_after_funding, margin_after_funding, mark_price,
                         moving_average_basis, moving_average_price, premium_index)
    from .risk import (bgk_barrier, gbm_paths, liquidation_probability, standard_normals,
                       touch_probability_mc)
    from .solvers import liquidation_ratio, margin_for_liquidation_price, max_leverage
    from .settlement import liquidation_settlement, partial_liquidation_step
    from .tiers import MaintenanceTiers

    FORMULAS: dict[str, Formula]
