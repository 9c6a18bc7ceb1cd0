"""Liquidation cascades on a uniform book: the branching ratio and the total.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from . import validation as v

FloatOrArray = v.FloatOrArray


def cascade_branching_ratio(basis_weight: Any, trigger_density: Any, book_density: Any) -> FloatOrArray:
    """Liquidations one liquidated unit triggers in the next round: ``R = w*g / (2*rho)``.

    Selling ``q`` into bids of density ``rho`` (base units per unit of price)
    moves the best bid by ``q/rho`` and the mid by ``q/(2*rho)``; the mark
    follows the mid with weight ``w`` (``basis_weight``); positions with
    triggers in that band, ``g`` per unit of price (``trigger_density``), are
    next.  ``R < 1``: the cascade dies out; ``R >= 1``: it runs until the
    triggers thin out or the basis cap stops the mark.

    >>> cascade_branching_ratio(0.5, 0.02, 0.01)
    0.5
    """
    scalar = v.is_scalar(basis_weight, trigger_density, book_density)
    w = v.in_range("basis_weight", basis_weight, 0.0, 1.0)
    g = v.nonnegative("trigger_density", trigger_density)
    rho = v.positive("book_density", book_density)
    w, g, rho = v.broadcast(basis_weight=w, trigger_density=g, book_density=rho)
    return v.output(w * g / (2 * rho), scalar)


def cascade_total(initial_quantity: Any, basis_weight: Any, trigger_density: Any,
                  book_density: Any) -> FloatOrArray:
    """Total liquidated by a cascade that dies out: ``q0 / (1 - R)`` (``R < 1``).

    Round ``n`` liquidates ``q0 * R**n``; the geometric series sums to
    ``q0 / (1 - R)``.  ``R >= 1``: ValueError (the series diverges: the model
    says the cascade does not stop by itself).

    >>> cascade_total(10.0, 0.5, 0.02, 0.01)
    20.0
    """
    scalar = v.is_scalar(initial_quantity, basis_weight, trigger_density, book_density)
    q0 = v.positive("initial_quantity", initial_quantity)
    r = np.asarray(cascade_branching_ratio(basis_weight, trigger_density, book_density), float)
    q0, r = v.broadcast(initial_quantity=q0, branching_ratio=r)
    v.reject_where(r >= 1, "the branching ratio w*g/(2*rho) = {r} must be < 1{where}: "
                   "at R >= 1 the cascade does not die out", [("r", r)])
    return v.output(q0 / (1 - r), scalar)
