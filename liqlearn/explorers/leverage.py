"""Leverage explorer: liquidation and bankruptcy price, and the rule of thumb's gap.

The computation is :func:`compute_leverage` (plain NumPy on the public API:
:func:`liqlearn.liquidation_price`, :func:`liqlearn.bankruptcy_price`,
:func:`liqlearn.rule_of_thumb_move`, :class:`liqlearn.formulas.tiers.MaintenanceTiers`);
:class:`LeverageExplorer` only wires controls to it.

>>> r = compute_leverage("long", 60_000, 1_000, 10, 0.005)
>>> round(r.liquidation_price, 2), r.bankruptcy_price
(54271.36, 54000.0)
>>> round(r.move, 6), round(r.rough_move, 6)
(0.095477, 0.095)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..formulas import validation as v
from ..formulas.liquidation import bankruptcy_price, liquidation_price, rule_of_thumb_move
from ..formulas.tiers import MaintenanceTiers
from ._base import ControlSpec, Explorer, choice, slider

__all__ = ["LeverageResult", "compute_leverage", "venue_tables", "tier_tables", "LeverageExplorer",
           "leverage_explorer"]

FLAT = "flat"  # the dropdown's value for "use the maintenance-rate slider"
# leverage grid of the move-versus-leverage panel (log-spaced, 1x to 125x)
CURVE_LEVERAGE = np.geomspace(1.0, 125.0, 97)


@dataclass(frozen=True)
class LeverageResult:
    """Everything the leverage explorer shows, for one set of inputs.

    ``move`` is the exact adverse move to liquidation ``|P_liq - E| / E`` (1.0
    for a long that cannot be liquidated: its liquidation price is 0);
    ``rough_move`` is the rule of thumb ``1/L - m``
    (:func:`liqlearn.rule_of_thumb_move`) with ``m`` the rate of the entry
    notional's bracket; it is negative when ``L * m >= 1`` -- the rule says
    "liquidated at once" although a tier's maintenance amount still leaves
    room; ``gap = move - rough_move``.
    """

    side: str
    basis: str
    entry_price: float
    margin: float
    leverage: float
    quantity: float
    notional: float
    mmr: float
    maintenance_amount: float
    tiered: bool
    allowed_leverage: float | None
    liquidation_price: float
    bankruptcy_price: float
    move: float
    rough_move: float
    gap: float
    prices: np.ndarray = field(repr=False)
    equity: np.ndarray = field(repr=False)
    maintenance: np.ndarray = field(repr=False)
    curve_leverage: np.ndarray = field(repr=False)
    curve_exact: np.ndarray = field(repr=False)
    curve_rough: np.ndarray = field(repr=False)

    @property
    def can_liquidate(self) -> bool:
        """False for a long whose liquidation price is 0 (it can only go to zero)."""
        return self.liquidation_price > 0 and np.isfinite(self.liquidation_price)

    @property
    def distance(self) -> float:
        """Distance from entry to the liquidation price, in USDT (signed: adverse is positive)."""
        s = 1 if self.side == "long" else -1
        return s * (self.entry_price - self.liquidation_price)


def venue_tables() -> dict[str, Any]:
    """Venues of :mod:`liqlearn.venues` with a linear, marginal tier table, by venue key.

    These are the dropdown's choices (``"binance"``, ``"bybit"``, ...); the
    tables are illustrative and dated (see each venue's ``date_read``).
    """
    from .. import venues

    out = {}
    for key in venues.names():
        vn = venues.get(key)
        if vn.contract == "linear" and vn.tier_rule == "marginal" and vn.tiers is not None:
            out[key] = vn
    return out


def tier_tables() -> dict[str, MaintenanceTiers]:
    """The dated venue tier tables of the dropdown, by venue key (see :func:`venue_tables`)."""
    return {key: vn.tiers for key, vn in venue_tables().items()}


def _maintenance_curve(prices: np.ndarray, quantity: float, entry_price: float,
                       mmr: float | MaintenanceTiers, basis: str) -> np.ndarray:
    """Maintenance margin at each mark price (NaN where a tier table does not reach)."""
    at = prices if basis == "mark" else np.full_like(prices, entry_price)
    notional = quantity * at
    if isinstance(mmr, MaintenanceTiers):
        out = np.full_like(prices, np.nan)
        ok = notional <= mmr.max_notional
        if ok.any():
            out[ok] = mmr.maintenance_margin(notional[ok])
        return out
    return notional * mmr


def _move_curve(side: str, entry_price: float, margin: float, mmr: float | MaintenanceTiers,
                basis: str) -> tuple[np.ndarray, np.ndarray]:
    """(exact, rough) adverse move over :data:`CURVE_LEVERAGE`; NaN where no valid answer."""
    lev = CURVE_LEVERAGE
    notional = margin * lev
    exact = np.full_like(lev, np.nan)
    rough = np.full_like(lev, np.nan)
    if isinstance(mmr, MaintenanceTiers):
        inside = notional <= mmr.max_notional
        rate = np.full_like(lev, np.nan)
        amount = np.zeros_like(lev)
        if inside.any():
            r, c = mmr.bracket(notional[inside])
            rate[inside], amount[inside] = r, c
    else:
        inside = np.ones_like(lev, dtype=bool)
        rate, amount = np.full_like(lev, float(mmr)), np.zeros_like(lev)
    with np.errstate(invalid="ignore"):
        valid = inside & (margin > notional * rate - amount)
    if not valid.any():
        return exact, rough
    q = notional[valid] / entry_price
    try:
        liq = np.asarray(liquidation_price(side, entry_price, q, margin, mmr, mm_basis=basis))
    except ValueError:  # e.g. a short whose liquidation notional leaves the table
        liq = np.full(q.shape, np.nan)
        for i, qi in enumerate(q):
            try:
                liq[i] = liquidation_price(side, entry_price, float(qi), margin, mmr,
                                           mm_basis=basis)
            except ValueError:
                pass
    s = 1 if side == "long" else -1
    exact[valid] = s * (entry_price - liq) / entry_price
    rough[valid] = 1.0 / lev[valid] - rate[valid]
    return exact, rough


def compute_leverage(side: str = "long", entry_price: float = 60_000.0, margin: float = 1_000.0,
                     leverage: float = 10.0, mmr: float | MaintenanceTiers = 0.005,
                     basis: str = "mark",
                     max_leverage: tuple[float, ...] | None = None) -> LeverageResult:
    """Liquidation and bankruptcy price of an isolated position opened at ``leverage``.

    ``quantity = margin * leverage / entry_price``; the liquidation price is
    :func:`liqlearn.liquidation_price` with ``mm_basis=basis`` (``mmr`` a rate
    or a :class:`~liqlearn.formulas.tiers.MaintenanceTiers`), the bankruptcy price
    :func:`liqlearn.bankruptcy_price`.  The rule of thumb is
    :func:`liqlearn.rule_of_thumb_move` at the entry bracket's rate.  Also
    returns the curves the explorer draws: equity and maintenance margin over a
    price grid, and the exact and rough moves over leverage 1x-125x.

    ``max_leverage``: a venue's leverage limit per bracket of ``mmr`` (a
    tier table); the result's ``allowed_leverage`` is the limit of the entry
    notional's bracket (``None`` without limits).

    A position at or past liquidation at entry raises ``ValueError`` (the
    explorer shows the message).

    >>> r = compute_leverage("short", 60_000, 1_000, 10, 0.005, basis="entry")
    >>> r.liquidation_price, r.bankruptcy_price, round(r.gap, 12)
    (65700.0, 66000.0, 0.0)
    >>> compute_leverage("long", 60_000, 1_000, 125, 0.01)
    Traceback (most recent call last):
    ...
    ValueError: margin 1000.0 is at or below the maintenance margin 1250.0 at entry: the position would be liquidated at once
    """
    s = v.side_sign(side)
    basis = v.choice("basis", basis, v.MM_BASES)
    e = float(v.positive("entry_price", entry_price))
    m = float(v.positive("margin", margin))
    lev = float(v.positive("leverage", leverage))
    q = m * lev / e
    n = q * e
    allowed = None
    if isinstance(mmr, MaintenanceTiers):
        tiered = True
        rate, amount = (float(x) for x in mmr.bracket(n))
        if max_leverage is not None:
            if len(max_leverage) != len(mmr):
                raise ValueError(f"max_leverage must have one entry per tier ({len(mmr)}); "
                                 f"got {len(max_leverage)}")
            allowed = float(max_leverage[int(mmr.index(n))])
    else:
        tiered = False
        rate, amount = float(v.rate("mmr", mmr)), 0.0
    liq = liquidation_price(side, e, q, m, mmr, mm_basis=basis)
    bkr = bankruptcy_price(side, e, q, m)
    move = s * (e - liq) / e
    # the rule of thumb; rule_of_thumb_move refuses L*m >= 1 ("liquidated at
    # once"), which a tier's maintenance amount can still make a valid position
    rough = rule_of_thumb_move(lev, rate) if lev * rate < 1 else 1.0 / lev - rate
    gap = move - rough

    # price grid: from beyond bankruptcy (adverse side) to a little past entry
    far = 1.35 / lev
    lo, hi = (e * (1 - far), e * (1 + 0.35 / lev)) if s == 1 else (e * (1 - 0.35 / lev),
                                                                     e * (1 + far))
    prices = np.linspace(max(lo, e * 1e-3), hi, 240)
    eq = m + s * q * (prices - e)
    mm = _maintenance_curve(prices, q, e, mmr, basis)
    exact_c, rough_c = _move_curve(side, e, m, mmr, basis)
    return LeverageResult(
        side=side, basis=basis, entry_price=e, margin=m, leverage=lev, quantity=q, notional=n,
        mmr=rate, maintenance_amount=amount, tiered=tiered, allowed_leverage=allowed,
        liquidation_price=liq,
        bankruptcy_price=bkr, move=move, rough_move=rough, gap=gap, prices=prices, equity=eq,
        maintenance=mm, curve_leverage=CURVE_LEVERAGE, curve_exact=exact_c, curve_rough=rough_c,
    )


class LeverageExplorer(Explorer):
    """The widget view over :func:`compute_leverage` (see :func:`leverage_explorer`).

    Computed live in the browser: the registry's liquidation, bankruptcy,
    equity, maintenance-margin and rule-of-thumb formulas, and the tier bracket
    search of ``liqlearn.browser`` over its venue presets (the dropdown's tables).
    """

    name = "leverage"
    title = "Leverage explorer: where is the liquidation price?"

    def _controls(self) -> list[ControlSpec]:
        self._venues = venue_tables()
        return [
            choice("side", "Side", [("long", "long"), ("short", "short")], "long"),
            choice("basis", "Maintenance at", [("mark price", "mark"), ("entry price", "entry")],
                   "mark", help="mark: Binance, dYdX, Hyperliquid; entry: Bybit, the primer"),
            slider("leverage", "Leverage", 1.0, 125.0, 0.5, 10.0, "x:1"),
            slider("margin", "Margin (USDT)", 100.0, 200_000.0, 100.0, 1_000.0, "money:0"),
            slider("entry_price", "Entry price (USDT)", 1_000.0, 150_000.0, 500.0, 60_000.0,
                   "money:0"),
            choice("tiers", "Rate from", [("flat rate (slider)", FLAT), *(
                (f"{vn.name} {vn.settlement} tiers (read {vn.date_read})", key)
                for key, vn in self._venues.items())], FLAT,
                help="a flat rate, or a dated venue tier table"),
            slider("mmr", "Maintenance rate (flat)", 0.0, 0.10, 0.0005, 0.005, "pct:2",
                   disabled_unless=("tiers", FLAT)),
        ]

    def compute(self, **values: Any) -> LeverageResult:
        table = values.pop("tiers")
        if table != FLAT:
            venue = self._venues[table]
            values["mmr"] = venue.tiers
            values["max_leverage"] = venue.max_leverage
        return compute_leverage(**values)

    def _data(self) -> dict[str, Any]:
        # the venue tier tables come with the browser twin (globalThis.liqlearn.VENUES)
        return {"curve_leverage": CURVE_LEVERAGE}


def leverage_explorer(**initial: Any) -> LeverageExplorer:
    """An explorer of leverage, margin and the liquidation price.

    Controls: side, maintenance basis (mark or entry), leverage 1-125x, margin,
    entry price, a flat maintenance rate or a dated venue tier table
    (:mod:`liqlearn.venues`).  Shows the liquidation and bankruptcy prices,
    the distance to liquidation, equity and maintenance margin against the
    mark price with both prices marked, and the exact move to liquidation
    against the rule of thumb ``1/L - m`` over 1x-125x.  Keyword arguments set
    initial control values (``leverage_explorer(leverage=20, side="short")``;
    ``tiers`` takes a venue key: ``leverage_explorer(tiers="binance")``).

    Try this:

    * Move leverage from 10x to 20x: the room to liquidation roughly halves
      (9.5 % to 4.5 %), while the liquidation and bankruptcy prices stay
      about ``m`` of entry apart (exactly ``m`` on entry basis).
    * Set leverage to 1x on a long: no liquidation price (it would be below 0).
      Then switch to short: a 1x short *can* be liquidated.
    * Raise the maintenance rate to 5 % and push leverage up until the message
      appears: at ``L >= 1/m`` the position is liquidated at entry.
    * Switch the basis between mark and entry: on entry basis the rule of
      thumb is exact (gap 0 bp); on mark basis a long gets slightly more room
      than ``1/L - m`` and a short slightly less.
    * Choose the Binance tier table and raise the margin to 100,000 USDT at
      20x: the 2,000,000 notional lands in a higher bracket, the rate rises to
      2.5 % and the room shrinks to 3.4 %. Push the leverage to 30x: the note
      says Binance would not open that position; at 50x it would be
      liquidated at once.
    """
    return LeverageExplorer(**initial)
