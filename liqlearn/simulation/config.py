"""The venue an engine models: :class:`EngineConfig` (rates, fees, fund, mark smoothing).

>>> cfg = EngineConfig(tiers=[(50_000, 0.004), (250_000, 0.005)])
>>> cfg.maintenance_tiers()          # the last bracket is open-ended inside the engine
MaintenanceTiers([(50000.0, 0.004), (inf, 0.005)])
>>> EngineConfig(mmr=0.005).maintenance_tiers()
MaintenanceTiers([(inf, 0.005)])
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Sequence, Union

from ..formulas import validation as v
from ..formulas.tiers import MaintenanceTiers

__all__ = ["ROLES", "MODES", "EngineConfig"]

ROLES = ("trader", "liquidity_provider", "whale")
MODES = ("cross", "isolated")

TierRows = Union[MaintenanceTiers, Sequence[Sequence[float]], None]


@dataclass(frozen=True)
class EngineConfig:
    """Parameters of the venue the engine models (rates are fractions).

    ``tiers``: rows ``(notional cap, mmr)`` or a
    :class:`~liqlearn.formulas.tiers.MaintenanceTiers`; when given it replaces ``mmr``
    (the last tier is extended to any notional inside the engine).
    ``taker_fee``: trading fee on orders that take liquidity (makers pay 0);
    ``clearance_fee``: the liquidation (clearance) fee on the liquidated
    notional, paid to the insurance fund; ``surplus_to_fund``: whether what is
    left after the fee goes to the fund (Binance, Bybit, BitMEX) or back to the
    trader (Hyperliquid); ``partial``: step a position above the first tier down
    one tier (a FillOrKill cut, as Bybit) before liquidating it in full; ``insurance_fund``: its opening
    balance.  ``basis_weight``/``basis_cap``: the mark price's smoothing and
    cap; ``resilience``: the fraction of consumed depth refilled per step;
    ``max_rounds``: liquidation rounds per step at most.
    """

    mmr: float = 0.005
    tiers: TierRows = None
    taker_fee: float = 0.0005
    clearance_fee: float = 0.005
    surplus_to_fund: bool = True
    partial: bool = True
    insurance_fund: float = 0.0
    basis_weight: float = 0.3
    basis_cap: float = 0.05
    resilience: float = 0.2
    max_rounds: int = 50

    def validate(self) -> "EngineConfig":
        """Raise ValueError naming the first bad parameter; return self."""
        v.rate("mmr", self.mmr)
        v.rate("taker_fee", self.taker_fee)
        v.rate("clearance_fee", self.clearance_fee)
        v.nonnegative("insurance_fund", self.insurance_fund)
        v.in_range("basis_weight", self.basis_weight, 0.0, 1.0)
        v.in_range("basis_cap", self.basis_cap, 0.0, 1.0, hi_inclusive=False)
        v.in_range("resilience", self.resilience, 0.0, 1.0)
        if isinstance(self.max_rounds, bool) or not isinstance(self.max_rounds, int) \
                or self.max_rounds < 1:
            raise ValueError(f"max_rounds must be an integer >= 1; got {self.max_rounds!r}")
        self.maintenance_tiers()
        return self

    def maintenance_tiers(self) -> MaintenanceTiers:
        """The tier table the engine uses: ``tiers`` with an open-ended last bracket, or
        one open-ended bracket at ``mmr``."""
        if self.tiers is None:
            return MaintenanceTiers([(math.inf, float(self.mmr))])
        t = self.tiers if isinstance(self.tiers, MaintenanceTiers) else MaintenanceTiers(self.tiers)
        rows = [(float(c), float(m)) for c, m in zip(t.caps, t.rates)]
        rows[-1] = (math.inf, rows[-1][1])
        return MaintenanceTiers(rows)
