"""Self-checks for inverse (coin-margined) contracts.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from .judge import (CENT, PRIMER, CheckResult, Variant, close, expected_value, flat_rate, judge,
                    other_side, quantity_from, sign_of, size_from, variant_value)
from .checks_liquidation import unchecked_linear

__all__ = ["inverse_liquidation_price", "inverse_bankruptcy_price"]


# Inverse (coin-margined) contracts
# ---------------------------------------------------------------------------

INVERSE_MARGIN = PRIMER["margin"] / PRIMER["entry_price"]  # 1,000 USD of BTC at 60,000


def _contracts(contracts: Any, contract_size: Any, margin: Any, leverage: Any,
               entry_price: Any) -> float:
    """Contracts given, or margin (coin) * leverage * entry / contract size."""
    from ..formulas import validation as v

    return size_from("contracts", contracts, leverage,
                 "margin * leverage * entry_price / contract_size",
                 lambda lev: v.positive("margin", margin) * lev
                 * v.positive("entry_price", entry_price)
                 / v.positive("contract_size", contract_size))


def unchecked_inverse(side: str, E: float, K: float, M: float, m: float, c: float, f: float,
                 basis: str) -> float:
    """The inverse liquidation price for a mistaken input (the package's unvalidated kernel)."""
    from ..formulas.inverse import inverse_liquidation_price_unchecked

    return float(inverse_liquidation_price_unchecked(sign_of(side), E, K, M, m + f, c, basis))


def inverse_liquidation_price(answer: Any, *, side: str = "long",
                              entry_price: Any = PRIMER["entry_price"], contracts: Any = None,
                              contract_size: Any = 100.0, margin: Any = INVERSE_MARGIN,
                              leverage: Any = None, mmr: Any = PRIMER["mmr"],
                              maintenance_amount: Any = 0.0, fee_rate: Any = 0.0,
                              mm_basis: str = "mark", rel_tol: float = 1e-4,
                              abs_tol: float = CENT, strict: bool | None = None) -> CheckResult:
    """Liquidation price of an inverse contract; margin and maintenance amount in coin.

    Default: 100 contracts of 100 USD (10x on 1/60 BTC of margin at 60,000).
    """
    import liqlearn as ll

    E, M, V = float(entry_price), float(margin), float(contract_size)
    n = _contracts(contracts, V, M, leverage, E)
    c, f, m = float(maintenance_amount), float(fee_rate), float(mmr)
    K = n * V

    def inv(side=side, m=m, c=c, f=f, basis=mm_basis, n=n, V=V) -> float:
        try:
            return ll.inverse_liquidation_price(side, E, n, V, M, m, c, fee_rate=f, mm_basis=basis)
        except ValueError:
            return unchecked_inverse(side, E, n * V, M, m, c, f, basis)

    e = expected_value(lambda: ll.inverse_liquidation_price(side, E, n, V, M, m, c, fee_rate=f,
                                                       mm_basis=mm_basis))
    variants: list[Variant] = [
        ("basis_entry" if mm_basis == "mark" else "basis_mark",
         lambda: inv(basis="entry" if mm_basis == "mark" else "mark")),
        ("wrong_side", lambda: inv(side=other_side(side))),
        ("linear_for_inverse", lambda: unchecked_linear(side, E, K / E, M * E, m, c * E, f, mm_basis)),
        ("bankruptcy_not_liquidation",
         lambda: ll.inverse_bankruptcy_price(side, E, n, V, M)),
        ("no_contract_size", lambda: inv(V=1.0)),
        ("mmr_percent", lambda: inv(m=m * 100)),
        ("mmr_over_100", lambda: inv(m=m / 100)),
    ]
    if c:
        variants.append(("no_maintenance_amount", lambda: inv(c=0.0)))
    if f:
        variants += [("no_fee", lambda: inv(f=0.0)), ("fee_percent", lambda: inv(f=f * 100))]
    return judge(answer, e, variants, rel_tol=rel_tol, abs_tol=abs_tol, strict=strict,
                  fallback="in coin: margin + side × contracts × size × (1/entry − 1/price) "
                           "equals the maintenance margin; solve for the price.")


def inverse_bankruptcy_price(answer: Any, *, side: str = "long",
                             entry_price: Any = PRIMER["entry_price"], contracts: Any = None,
                             contract_size: Any = 100.0, margin: Any = INVERSE_MARGIN,
                             leverage: Any = None, rel_tol: float = 1e-4, abs_tol: float = CENT,
                             strict: bool | None = None) -> CheckResult:
    """Bankruptcy price of an inverse contract (a short with margin >= its value: ``inf``)."""
    import liqlearn as ll

    E, M, V = float(entry_price), float(margin), float(contract_size)
    n = _contracts(contracts, V, M, leverage, E)
    K = n * V
    e = expected_value(lambda: ll.inverse_bankruptcy_price(side, E, n, V, M))
    variants: list[Variant] = [
        ("wrong_side", lambda: ll.inverse_bankruptcy_price(other_side(side), E, n, V, M)),
        ("linear_for_inverse", lambda: unchecked_linear(side, E, K / E, M * E, 0.0, 0.0, 0.0, "mark")),
        ("no_contract_size", lambda: ll.inverse_bankruptcy_price(side, E, n, 1.0, M)),
    ]
    return judge(answer, e, variants, rel_tol=rel_tol, abs_tol=abs_tol, strict=strict,
                  fallback="in coin: margin + side × contracts × size × (1/entry − 1/price) = 0; "
                           "solve for the price.")


# ---------------------------------------------------------------------------
