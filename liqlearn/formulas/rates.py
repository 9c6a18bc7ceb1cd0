"""Shared input handling for functions that take ``mmr`` (a rate or tiers), ``maintenance_amount``
and ``fee_rate`` beside other arrays (inverse liquidation, the margin solver).

>>> b, rate, tiered, scalar = broadcast_with_rates({"entry_price": np.asarray(60_000.0)},
...                                                0.005, 0.0, 0.0005, True)
>>> float(b["mmr"] + b["fee_rate"]), tiered, scalar
(0.0055, False, True)
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from . import validation as v

if TYPE_CHECKING:
    from .tiers import MaintenanceTiers

ArrayLike = v.ArrayLike


def broadcast_with_rates(arrays: dict[str, np.ndarray], mmr: "ArrayLike | MaintenanceTiers", maintenance_amount: Any,
                         fee_rate: Any, scalar: bool) -> tuple[dict[str, np.ndarray], Any, bool, bool]:
    """Validate the rate inputs and broadcast them with the already validated ``arrays``.

    Returns ``(broadcast arrays by name, rate array or MaintenanceTiers, tiered, scalar)``;
    the arrays gain ``maintenance_amount``, ``fee_rate`` and, for a flat rate, ``mmr``.
    ``mmr + fee_rate`` (the top bracket's rate for tiers) must be < 1.
    """
    from .margin import flat_or_tiers

    rate, c, tiered = flat_or_tiers(mmr, maintenance_amount)
    f = v.rate("fee_rate", fee_rate)
    arrays = {**arrays, "maintenance_amount": c, "fee_rate": f}
    scalar = scalar and v.is_scalar(maintenance_amount, fee_rate)
    if not tiered:
        scalar = scalar and np.ndim(mmr) == 0
        arrays["mmr"] = rate
    b = dict(zip(arrays, v.broadcast(**arrays)))
    top = rate.rates[-1] if tiered else b["mmr"]
    v.reject_where(top + b["fee_rate"] >= 1, "mmr + fee_rate must be < 1; got {m}{where}",
                   [("m", top + b["fee_rate"])])
    return b, rate, tiered, scalar


def validated_with_rates(inputs: dict[str, tuple[Any, Any]], mmr: "ArrayLike | MaintenanceTiers",
                         maintenance_amount: Any, fee_rate: Any
                         ) -> tuple[dict[str, np.ndarray], Any, bool, bool]:
    """Check each input by its rule (``name -> (rule, value)``), then :func:`broadcast_with_rates`.

    A rule is a checker of :mod:`~liqlearn.formulas.validation` (or any callable taking the
    name and the value and returning a float array); the answer is scalar when every
    checked input is.
    """
    arrays = {name: rule(name, value) for name, (rule, value) in inputs.items()}
    scalar = all(np.ndim(a) == 0 for a in arrays.values())
    return broadcast_with_rates(arrays, mmr, maintenance_amount, fee_rate, scalar)


def reject_wrong_side_target(s: int, side: str, target: np.ndarray, entry: np.ndarray) -> None:
    """A liquidation target must lie on the losing side: below entry (long), above (short)."""
    v.reject_where(
        (target >= entry) if s == 1 else (target <= entry),
        f"target_price {{p}}{{where}} must be {'below' if s == 1 else 'above'} entry_price "
        f"{{e}} for a {side}: a {side}'s liquidation price lies on its losing side",
        [("p", target), ("e", entry)],
    )
