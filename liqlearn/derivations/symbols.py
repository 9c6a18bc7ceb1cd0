"""The book's shared SymPy symbols: one symbol per quantity, used by every derivation."""

from __future__ import annotations

from typing import Any




def symbols() -> dict[str, Any]:
    """The book's shared SymPy symbols, positive where the economics says so."""
    import sympy as sp

    return {
        "quantity": sp.Symbol("Q", positive=True),
        "entry_price": sp.Symbol("E", positive=True),
        "mark_price": sp.Symbol("P", positive=True),
        "price": sp.Symbol("P", positive=True),
        "margin": sp.Symbol("M", nonnegative=True),
        "mmr": sp.Symbol("m", nonnegative=True),
        "maintenance_amount": sp.Symbol("c", nonnegative=True),
        "leverage": sp.Symbol("L", positive=True),
        "notional": sp.Symbol("N", positive=True),
        "fee_rate": sp.Symbol("f", nonnegative=True),
    }
