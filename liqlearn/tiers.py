"""Tiered maintenance margin: Binance "brackets", Bybit and OKX "risk limits".

A tier table is a list of rows ``(notional cap, maintenance-margin rate)``.
Bracket *n* covers notionals in ``(cap_{n-1}, cap_n]`` (the cap itself belongs
to the bracket it closes).  Bigger positions pay a higher rate, but only like
a tax bracket: the venue subtracts a *maintenance amount* ("cum" at Binance,
"MM deduction" at Bybit) so that

    MM(N) = N * m_n - cum_n

is continuous in N.  The amounts follow from the recursion

    cum_1 = 0,   cum_n = floor_n * (m_n - m_{n-1}) + cum_{n-1}

with ``floor_n = cap_{n-1}``, the bracket's lower edge.

>>> t = MaintenanceTiers([(50_000, 0.004), (250_000, 0.005), (1_000_000, 0.01)])
>>> [row.maintenance_amount for row in t.rows]
[0.0, 50.0, 1300.0]
>>> t.bracket(100_000)
(0.005, 50.0)
>>> t.maintenance_margin(50_000), t.maintenance_margin(50_000.01)
(200.0, 200.00005)
"""

from __future__ import annotations

import math
from typing import Any, Iterable, NamedTuple, Sequence

import numpy as np

from . import _validation as v

__all__ = ["MaintenanceTiers", "Tier", "next_maintenance_amount"]

ArrayLike = Any


class Tier(NamedTuple):
    """One row of a tier table with its computed maintenance amount."""

    floor: float  # lower edge (exclusive); 0 for the first bracket
    cap: float  # upper edge (inclusive)
    mmr: float  # maintenance-margin rate of the bracket
    maintenance_amount: float  # Binance "cum", Bybit "MM deduction"


def next_maintenance_amount(floor: ArrayLike, mmr: ArrayLike, previous_mmr: ArrayLike,
                            previous_amount: ArrayLike) -> Any:
    """One step of the maintenance-amount recursion ``cum_n = F (m_n - m_{n-1}) + cum_{n-1}``.

    ``floor`` is the bracket's lower edge (the previous bracket's cap).  The
    recursion is what makes ``N * m - cum`` continuous at the floor: both
    brackets give the same maintenance margin there.

    >>> next_maintenance_amount(50_000, 0.005, 0.004, 0.0)
    50.0
    """
    scalar = v.is_scalar(floor, mmr, previous_mmr, previous_amount)
    f = v.nonnegative("floor", floor)
    m = v.rate("mmr", mmr)
    mp = v.rate("previous_mmr", previous_mmr)
    cp = v.nonnegative("previous_amount", previous_amount)
    f, m, mp, cp = v.broadcast(floor=f, mmr=m, previous_mmr=mp, previous_amount=cp)
    v.reject_where(m < mp, "mmr {m} must be >= previous_mmr {mp}{where}: rates are non-decreasing",
                   [("m", m), ("mp", mp)])
    return v.output(f * (m - mp) + cp, scalar)


class MaintenanceTiers:
    """A tier table of ``(notional cap, mmr)`` rows with computed maintenance amounts.

    Caps must be strictly increasing and finite, except that the last cap may be
    ``math.inf`` (an open-ended top bracket); rates must be in [0, 1) and
    non-decreasing.  A notional above the last cap is rejected (the venue would
    not accept such a position).

    Use it wherever an ``mmr`` is accepted: :func:`~liqlearn.margin.maintenance_margin`,
    :func:`~liqlearn.liquidation.liquidation_price`,
    :func:`~liqlearn.cross.cross_liquidation_price`.

    >>> t = MaintenanceTiers([(50_000, 0.004), (250_000, 0.005)])
    >>> t
    MaintenanceTiers([(50000.0, 0.004), (250000.0, 0.005)])
    >>> print(t)
    notional bracket (USDT)      mmr   maintenance amount
                  0 – 50,000   0.40 %                 0.00
             50,000 – 250,000  0.50 %                50.00
    """

    def __init__(self, rows: Iterable[Sequence[float]]) -> None:
        try:
            pairs = [tuple(r) for r in rows]
        except TypeError:
            raise ValueError("rows must be a sequence of (notional cap, mmr) pairs") from None
        if not pairs:
            raise ValueError("rows must contain at least one (notional cap, mmr) pair")
        for i, r in enumerate(pairs):
            if len(r) != 2:
                raise ValueError(f"rows[{i}] must be a (notional cap, mmr) pair; got {r!r}")
        caps_in = [r[0] for r in pairs]
        rates_in = [r[1] for r in pairs]
        caps = v._as_float_array("cap", caps_in)
        if caps.size > 1:
            v.positive("cap", caps[:-1])
        last = float(caps[-1])
        if not (last > 0) or math.isnan(last) or last == -math.inf:
            v.positive("cap", caps)  # raises with the index
        rates = v.rate("mmr", rates_in)
        if caps.size > 1:
            bad = np.flatnonzero(np.diff(caps) <= 0)
            if bad.size:
                i = int(bad[0]) + 1
                raise ValueError(
                    f"caps must be strictly increasing; got cap {caps[i]:g} at index {i} "
                    f"after {caps[i - 1]:g}")
            bad = np.flatnonzero(np.diff(rates) < 0)
            if bad.size:
                i = int(bad[0]) + 1
                raise ValueError(
                    f"mmr must be non-decreasing across tiers; got {rates[i]:g} at index {i} "
                    f"after {rates[i - 1]:g}")
        floors = np.concatenate([[0.0], caps[:-1]])
        amounts = np.zeros_like(rates)
        for n in range(1, rates.size):
            amounts[n] = floors[n] * (rates[n] - rates[n - 1]) + amounts[n - 1]
        self._caps = caps
        self._rates = rates
        self._floors = floors
        self._amounts = amounts
        for arr in (caps, rates, floors, amounts):
            arr.setflags(write=False)

    # -- data --------------------------------------------------------------
    @property
    def rows(self) -> tuple[Tier, ...]:
        """Every bracket as a :class:`Tier` (floor, cap, mmr, maintenance_amount)."""
        return tuple(Tier(float(f), float(c), float(m), float(a))
                     for f, c, m, a in zip(self._floors, self._caps, self._rates, self._amounts))

    @property
    def caps(self) -> np.ndarray:
        return self._caps

    @property
    def floors(self) -> np.ndarray:
        return self._floors

    @property
    def rates(self) -> np.ndarray:
        return self._rates

    @property
    def amounts(self) -> np.ndarray:
        return self._amounts

    @property
    def max_notional(self) -> float:
        """The last cap: the largest notional the table accepts."""
        return float(self._caps[-1])

    def __len__(self) -> int:
        return int(self._caps.size)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, MaintenanceTiers):
            return NotImplemented
        return bool(np.array_equal(self._caps, other._caps)
                    and np.array_equal(self._rates, other._rates))

    def __hash__(self) -> int:
        return hash((self._caps.tobytes(), self._rates.tobytes()))

    # -- lookups -----------------------------------------------------------
    def index(self, notional: ArrayLike) -> Any:
        """0-based bracket index of each notional (cap inclusive); above the last cap: ValueError."""
        n = v.positive("notional", notional)
        idx = np.searchsorted(self._caps, n, side="left")
        v.reject_where(
            idx >= self._caps.size,
            "notional {n}{where} is above the last tier's cap {cap}: "
            "notional must be in (0, {cap}]",
            [("n", n), ("cap", self._caps[-1])],
        )
        return idx

    def bracket(self, notional: ArrayLike) -> tuple[Any, Any]:
        """``(mmr, maintenance_amount)`` of the bracket each notional falls in.

        >>> t = MaintenanceTiers([(50_000, 0.004), (250_000, 0.005)])
        >>> t.bracket(50_000)
        (0.004, 0.0)
        >>> t.bracket([10_000, 60_000])
        (array([0.004, 0.005]), array([ 0., 50.]))
        """
        scalar = v.is_scalar(notional)
        idx = self.index(notional)
        return v.output(self._rates[idx], scalar), v.output(self._amounts[idx], scalar)

    def maintenance_margin(self, notional: ArrayLike) -> Any:
        """``MM(N) = N * m_n - cum_n`` with the bracket n of N: continuous, piecewise linear.

        >>> MaintenanceTiers([(50_000, 0.004), (250_000, 0.005)]).maintenance_margin(100_000)
        450.0
        """
        scalar = v.is_scalar(notional)
        n = v.positive("notional", notional)
        idx = self.index(n)
        return v.output(n * self._rates[idx] - self._amounts[idx], scalar)

    # -- display -----------------------------------------------------------
    def __repr__(self) -> str:
        pairs = ", ".join(f"({c!r}, {m!r})" for c, m in zip(self._caps.tolist(),
                                                             self._rates.tolist()))
        return f"MaintenanceTiers([{pairs}])"

    def _table(self) -> list[tuple[str, str, str]]:
        out = []
        for t in self.rows:
            cap = "∞" if math.isinf(t.cap) else f"{t.cap:,.0f}"
            out.append((f"{t.floor:,.0f} – {cap}", f"{100 * t.mmr:.2f} %",
                        f"{t.maintenance_amount:,.2f}"))
        return out

    def __str__(self) -> str:
        head = ("notional bracket (USDT)", "mmr", "maintenance amount")
        rows = self._table()
        w = [max(len(head[k]), *(len(r[k]) for r in rows)) for k in range(3)]
        lines = [f"{head[0]:<{w[0]}}  {head[1]:>{w[1]}}  {head[2]:>{w[2]}}"]
        lines += [f"{r[0]:>{w[0]}}  {r[1]:>{w[1]}}  {r[2]:>{w[2]}}" for r in rows]
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        body = "".join(
            f"<tr><td>{n + 1}</td><td style='text-align:right'>{r[0]}</td>"
            f"<td style='text-align:right'>{r[1]}</td><td style='text-align:right'>{r[2]}</td></tr>"
            for n, r in enumerate(self._table()))
        return ("<table class='liqlearn-tiers'><thead><tr><th>bracket</th>"
                "<th>notional (USDT)</th><th>maintenance margin rate</th>"
                "<th>maintenance amount (USDT)</th></tr></thead>"
                f"<tbody>{body}</tbody></table>")


# --------------------------------------------------------------------------
# Registry entries (SymPy is imported here only)
# --------------------------------------------------------------------------

#: A small illustrative table (the shape of Binance's BTCUSDT brackets) used by
#: the registry's tiered-maintenance-margin entry.
EXAMPLE_TIERS = MaintenanceTiers([(50_000, 0.004), (600_000, 0.005), (3_000_000, 0.0065),
                                  (12_000_000, 0.01)])


def _formulas() -> list:
    import sympy as sp

    from ._registry import Formula
    from .margin import symbols

    N = symbols()["notional"]
    F = sp.Symbol("N_n", nonnegative=True)  # the notional at the floor of bracket n
    mn, mp = sp.Symbol("m_n", nonnegative=True), sp.Symbol("m_{n-1}", nonnegative=True)
    cn, cp = sp.Symbol("c_n", nonnegative=True), sp.Symbol("c_{n-1}", nonnegative=True)
    # continuity at the floor: both brackets' maintenance margins agree there
    cum = sp.solve(sp.Eq(F * mp - cp, F * mn - cn), cn)[0]
    recursion = Formula(
        name="tier_maintenance_amount", expr=cum,
        symbols={"floor": F, "mmr": mn, "previous_mmr": mp, "previous_amount": cp},
        numeric=next_maintenance_amount,
        example={"floor": 50_000.0, "mmr": 0.005, "previous_mmr": 0.004, "previous_amount": 0.0},
        lhs=r"c_n",
        description="Maintenance amount of bracket n, chosen so maintenance margin is "
                    "continuous at the bracket's floor.",
        convention="Binance brackets (cum), Bybit/OKX risk limits (MM deduction)",
        domain={"floor": (0.0, 1e8), "mmr": (0.0, 0.5), "previous_mmr": (0.0, 0.5),
                "previous_amount": (0.0, 1e6)},
        steps=(
            ("Maintenance margin in bracket n", sp.Eq(sp.Symbol("MM"), N * mn - cn)),
            ("Continuity at the floor N_n: bracket n-1 and bracket n agree",
             sp.Eq(F * mp - cp, F * mn - cn)),
            ("Solve for the maintenance amount", sp.Eq(cn, cum)),
        ),
    )

    # The tiered maintenance margin as a marginal-rate sum (tax-bracket form)
    # for EXAMPLE_TIERS, and the cum form it equals bracket by bracket.
    t = EXAMPLE_TIERS
    rates = [sp.nsimplify(float(r), rational=True) for r in t.rates]
    caps = [sp.nsimplify(float(c), rational=True) for c in t.caps]
    floors = [sp.Integer(0)] + caps[:-1]
    marginal = sum(r * (sp.Min(N, c) - f) * sp.Heaviside(N - f, 0)
                   for r, c, f in zip(rates, caps, floors))
    amounts = [sp.Integer(0)]
    for n in range(1, len(rates)):
        amounts.append(floors[n] * (rates[n] - rates[n - 1]) + amounts[n - 1])
    pieces = sp.Piecewise(*[(N * r - a, N <= c) for r, a, c in zip(rates, amounts, caps)])
    for r, a, c, f in zip(rates, amounts, caps, floors):
        # each bracket's line equals the marginal sum inside it
        assert sp.simplify(marginal.subs(N, (c + f) / 2) - ((c + f) / 2 * r - a)) == 0
    tiered = Formula(
        name="tiered_maintenance_margin", expr=pieces, symbols={"notional": N},
        numeric=t.maintenance_margin, example={"notional": 1_000_000.0},
        lhs=r"\mathrm{MM}(N)",
        description="Tiered maintenance margin: each slice of notional pays its bracket's "
                    "rate, which equals N m_n - c_n in bracket n (illustrative 4-bracket table).",
        convention="Binance brackets, Bybit/OKX risk limits (illustrative table)",
        domain={"notional": (1.0, float(t.max_notional))},
        steps=(
            ("Each slice of notional pays the rate of its bracket (a marginal-rate sum)",
             sp.Eq(sp.Symbol("MM"), marginal)),
            ("Inside bracket n the sum is the bracket's line N m_n - c_n",
             sp.Eq(sp.Symbol("MM"), pieces)),
        ),
    )
    return [recursion, tiered]
