"""Illustrative, dated parameter sets of real venues (BTC perpetuals).

**Illustrative and dated.**  Venues change their tier tables, fees and rules
often; every figure below is what the cited page said when it was read
(``date_read``; ``as_of`` is the page's own date where it shows one).  Use them
to see how conventions differ, never as current trading parameters: check the
venue before trading.  Fields that could not be confirmed on a stored copy of
the venue's own page are ``None`` and say so in ``notes``.

>>> v = get("binance")
>>> v.tiers.bracket(500_000)            # the FAQ's example: 1 % and 1,300 USDT
(0.01, 1300.0)
>>> sorted(VENUES) == sorted(names())
True
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, Mapping

import numpy as np

from ..formulas import validation as v
from ..formulas.tiers import MaintenanceTiers

__all__ = ["Venue", "VENUES", "DISCLAIMER", "get", "names", "summary_rows", "summary_markdown",
           "liquidation_prices"]

DISCLAIMER = ("Illustrative, dated parameters: each set is what the cited venue page said when "
              "it was read. Venues change tiers and fees often; check the venue before trading.")

DATE_READ = "2026-11-25"


@dataclass(frozen=True)
class Venue:
    """One venue's BTC perpetual, as documented on a given date.

    ``tier_rule`` is ``"marginal"`` when the venue subtracts a maintenance
    amount so maintenance margin is continuous (Binance, Bybit, OKX,
    Hyperliquid), and ``"whole_position"`` when the whole position pays its
    step's rate (BitMEX risk limits).  ``fee_in_trigger`` means the close fee
    is reserved in the liquidation trigger (OKX).
    """

    name: str
    product: str
    contract: str  # "linear" or "inverse"
    settlement: str  # currency of margin and of the tier table's notional
    tiers: MaintenanceTiers | None
    tier_rule: str
    max_leverage: tuple[float, ...] | None
    maker_fee: float | None
    taker_fee: float | None
    liquidation_fee: float | None
    mm_basis: str
    fee_in_trigger: bool
    insurance_fund: str
    adl: str
    source: str
    as_of: str
    date_read: str = DATE_READ
    sources: Mapping[str, str] = field(default_factory=dict)
    notes: str = ""
    contract_size: float | None = None  # inverse contracts: quote value of one contract

    def maintenance(self, notional: Any) -> tuple[Any, Any]:
        """``(mmr, maintenance_amount)`` for a notional, following the venue's tier rule.

        >>> get("bitmex").maintenance(230.0)   # 1 step above the 200 XBT base limit
        (0.01, 0.0)
        """
        if self.tiers is None:
            raise ValueError(f"no tier table is recorded for {self.name} (see its notes)")
        rate, amount = self.tiers.bracket(notional)
        if self.tier_rule == "whole_position":
            return rate, amount * 0.0
        return rate, amount

    def liquidation_kwargs(self, taker_fee: float | None = None) -> dict[str, Any]:
        """Keyword arguments for :func:`liqlearn.liquidation_price` in this venue's convention.

        ``taker_fee`` overrides the recorded rate (your own fee tier); a venue
        that reserves the close fee needs one of the two.  ``mmr`` is left out
        when no tier table is recorded, or when the venue charges the whole
        position its step's rate (pass ``maintenance(notional)[0]`` as a flat
        mmr, or your own).

        >>> kw = get("okx").liquidation_kwargs(taker_fee=0.0005)
        >>> kw["mm_basis"], kw["fee_rate"]
        ('mark', 0.0005)
        >>> get("binance").liquidation_kwargs()["fee_rate"]
        0.0
        """
        if self.contract != "linear":
            raise ValueError(f"{self.name}'s product is {self.contract}: use "
                             "liqlearn.formulas.inverse.inverse_liquidation_price")
        fee = 0.0
        if self.fee_in_trigger:
            fee = taker_fee if taker_fee is not None else self.taker_fee
            if fee is None:
                raise ValueError(f"{self.name} reserves the close fee: pass taker_fee "
                                 "(no rate is recorded)")
            fee = float(v.rate("taker_fee", fee))
        out: dict[str, Any] = {"mm_basis": self.mm_basis, "fee_rate": fee}
        if self.tiers is not None and self.tier_rule == "marginal":
            out["mmr"] = self.tiers
        return out

    def mmr_for(self, value_at_entry: Any, mmr: Any = None) -> Any:
        """The rate (or tier table) this venue applies to a position of that value at entry.

        ``mmr`` overrides it; a venue with no recorded table, or whose whole-position
        steps depend on the answer, raises a ValueError saying what to pass.
        """
        if mmr is not None:
            return mmr
        if self.tiers is None:
            raise ValueError(f"no tier table is recorded for {self.name} (see its notes): "
                             "pass mmr= (a rate or a MaintenanceTiers)")
        if self.tier_rule == "marginal":
            return self.tiers
        if self.mm_basis == "entry":  # whole-position steps, fixed at entry (BitMEX)
            return self.maintenance(value_at_entry)[0]
        raise ValueError(f"{self.name} charges the whole position its step's rate on basis "
                         "'mark', where the step depends on the answer: pass mmr=")

    def close_fee_rate(self, taker_fee: float | None = None) -> float:
        """The fee rate reserved in the trigger: the taker fee where the venue reserves it, else 0."""
        if not self.fee_in_trigger:
            return 0.0
        fee = taker_fee if taker_fee is not None else self.taker_fee
        if fee is None:
            raise ValueError(f"{self.name} reserves the close fee: pass taker_fee "
                             "(no rate is recorded)")
        return float(v.rate("taker_fee", fee))

    def liquidation_price(self, side: str, entry_price: Any, quantity: Any, margin: Any, *,
                          mmr: Any = None, taker_fee: float | None = None) -> Any:
        """Liquidation price of an isolated position under this venue's convention.

        Uses the venue's ``mm_basis``, its tier table (marginal tiers: the
        bracket of the notional at the trigger, or at entry on basis "entry";
        whole-position steps on basis "entry": the step of the entry value)
        and, where the venue reserves the close fee (OKX), its taker fee
        (``taker_fee`` overrides the recorded rate).  ``mmr`` overrides the
        recorded table, and is required where none is recorded (OKX).

        Units follow the venue's contract.  Linear: ``quantity`` in base units
        (BTC), prices and ``margin`` in the settlement currency (USDT, USDC).
        Inverse (BitMEX XBTUSD): ``quantity`` is the number of contracts of
        ``contract_size`` USD each and ``margin`` is in coin (XBT); the answer
        comes from :func:`liqlearn.formulas.inverse.inverse_liquidation_price`.  To price
        the *same* dollar position everywhere use :func:`liquidation_prices`.

        >>> round(get("binance").liquidation_price("long", 60_000, 1/6, 1_000), 2)
        54216.88
        >>> round(get("bybit").liquidation_price("long", 60_000, 1/6, 1_000), 2)   # 0.5 % at entry
        54300.0
        >>> round(get("okx").liquidation_price("long", 60_000, 1/6, 1_000, mmr=0.004,
        ...                                    taker_fee=0.0005), 2)               # 0.45 %
        54244.1
        >>> round(get("bitmex").liquidation_price("long", 60_000, 10_000, 1/60), 2)  # XBT margin
        54794.52
        """
        v.side_sign(side)
        if self.contract == "inverse":
            from ..formulas.inverse import inverse_liquidation_price

            if self.contract_size is None:
                raise ValueError(f"{self.name} is inverse but no contract_size is recorded")

            value = np.asarray(v.positive("quantity", quantity)) * self.contract_size \
                / np.asarray(v.positive("entry_price", entry_price))
            rate = self.mmr_for(value, mmr)
            return inverse_liquidation_price(side, entry_price, quantity, self.contract_size,
                                             margin, rate, fee_rate=self.close_fee_rate(taker_fee),
                                             mm_basis=self.mm_basis)
        from ..formulas.liquidation import liquidation_price

        value = np.asarray(v.positive("quantity", quantity)) \
            * np.asarray(v.positive("entry_price", entry_price))
        rate = self.mmr_for(value, mmr)
        return liquidation_price(side, entry_price, quantity, margin, rate,
                                 fee_rate=self.close_fee_rate(taker_fee), mm_basis=self.mm_basis)

    def bankruptcy_price(self, side: str, entry_price: Any, quantity: Any, margin: Any) -> Any:
        """Price at which the position's equity is zero, in the venue's contract units.

        Every venue's bankruptcy page defines it without fees (Bybit:
        ``E * (1 - 1/L)`` for a long), so no fee is reserved here; call
        :func:`liqlearn.formulas.liquidation.bankruptcy_price` with ``fee_rate`` for that variant.
        Units as in :meth:`liquidation_price` (inverse: contracts and coin margin).

        >>> get("bybit").bankruptcy_price("long", 60_000, 1/6, 1_000)
        54000.0
        >>> round(get("bitmex").bankruptcy_price("long", 60_000, 10_000, 1/60), 2)
        54545.45
        """
        if self.contract == "inverse":
            from ..formulas.inverse import inverse_bankruptcy_price

            return inverse_bankruptcy_price(side, entry_price, quantity, self.contract_size,
                                            margin)
        from ..formulas.liquidation import bankruptcy_price

        return bankruptcy_price(side, entry_price, quantity, margin)

    def _repr_html_(self) -> str:
        fees = ("–" if self.taker_fee is None else
                f"maker {100 * (self.maker_fee or 0):.4g} %, taker {100 * self.taker_fee:.4g} %")
        tiers = self.tiers._repr_html_() if self.tiers is not None else "<p>(no table)</p>"
        return (f"<h4>{self.name}: {self.product}</h4><p><em>{DISCLAIMER}</em></p>"
                f"<p>Maintenance margin basis: {self.mm_basis}; fees: {fees}; read "
                f"{self.date_read} from <a href='{self.source}'>{self.source}</a></p>{tiers}")


def _tiers(rows: list[tuple[float, float]]) -> MaintenanceTiers:
    return MaintenanceTiers(rows)


_VENUES = (
    Venue(
        name="Binance",
        product="BTCUSDT perpetual (USDⓈ-M)",
        contract="linear", settlement="USDT",
        tiers=_tiers([(50_000, 0.004), (250_000, 0.005), (1_000_000, 0.01),
                      (10_000_000, 0.025), (20_000_000, 0.05), (50_000_000, 0.10),
                      (100_000_000, 0.125), (200_000_000, 0.15), (300_000_000, 0.25),
                      (500_000_000, 0.50)]),
        tier_rule="marginal",
        max_leverage=(125, 100, 50, 20, 10, 5, 4, 3, 2, 1),
        maker_fee=0.0002, taker_fee=0.0005,
        liquidation_fee=None,
        mm_basis="mark", fee_in_trigger=False,
        insurance_fund="Liquidation fees from non-bankrupt liquidations fund it; it covers "
                       "accounts liquidated below zero. BTCUSDT has its own fund.",
        adl="Counterparty liquidation when the fund cannot take the position: opposite "
            "positions ranked by profit and margin ratio, closed at the bankruptcy price.",
        source="https://www.binance.com/en/support/announcement/86cf9aa472574b8cb2e05bb751c2a9a6",
        as_of="2021-03-18",
        sources=MappingProxyType({
            "tiers": "https://www.binance.com/tr/support/announcement/"
                     "86cf9aa472574b8cb2e05bb751c2a9a6 (English text, BTCUSDT 125x table)",
            "formula": "https://www.binance.com/en/support/faq/b3c689c1f50a44cabb3a84e663b81d93",
            "fees": "https://www.binance.com/en/support/faq/360033544231",
            "insurance_fund": "https://www.binance.com/en/support/articles/360033525371-"
                              "Insurance-Fund",
        }),
        notes="Tier table of the 2021-03-18 announcement (newer tables differ). The fee "
              "page's stored copy did not show the table: the regular-user USDⓈ-M rates "
              "0.02 %/0.05 % are from secondary summaries of it. The liquidation clearance "
              "fee rate was not found on a stored Binance page (None).",
    ),
    Venue(
        name="Bybit",
        product="BTCUSDT perpetual (USDT contract)",
        contract="linear", settlement="USDT",
        tiers=_tiers([(2_000_000, 0.005), (2_600_000, 0.0056), (3_200_000, 0.0063),
                      (3_800_000, 0.0067), (4_400_000, 0.0071), (5_000_000, 0.0077),
                      (5_600_000, 0.0091), (8_500_000, 0.01), (10_000_000, 0.013),
                      (14_000_000, 0.015), (20_000_000, 0.016), (28_000_000, 0.02),
                      (38_000_000, 0.025), (50_000_000, 0.029), (55_000_000, 0.03),
                      (60_000_000, 0.035), (65_000_000, 0.036), (70_000_000, 0.038),
                      (75_000_000, 0.04), (80_000_000, 0.045)]),
        tier_rule="marginal",
        max_leverage=(100, 90, 80, 75, 70, 65, 55, 50, 45, 40, 35, 30, 25, 20, 19, 18, 17, 16,
                      15, 14),
        maker_fee=0.0002, taker_fee=0.00055,
        liquidation_fee=None,
        mm_basis="entry", fee_in_trigger=False,
        insurance_fund="Positions close at the bankruptcy price; a better final price pays "
                       "the excess margin into the insurance fund, a worse one is covered by it.",
        adl="When the fund is insufficient, opposite positions ranked by PnL% times effective "
            "leverage are deleveraged at the bankruptcy price.",
        source="https://www.bybit.com/en/announcement-info/margin-parameters",
        as_of="undated page",
        sources=MappingProxyType({
            "tiers": "https://bybitx.global/pt-PT/announcement-info/margin-parameters "
                     "(Bybit's margin-parameters page, stored copy)",
            "liquidation_price": "https://testnet.bybit.com/en-US/help-center/s/article/"
                                 "Liquidation-Price-USDT-Contract",
            "fees": "https://bybit.nl/nl-NL/help-center/article/Perpetual-Futures-Contract-"
                    "Fees-ExplainedDerivatives_Trading_Mechanism_UTA",
            "risk_limit": "https://www.bybit.com/ar-SA/help-center/article/Risk-Limit-Inverse-"
                          "Contract",
        }),
        notes="Isolated liquidation price uses the maintenance margin at entry (Bybit's "
              "'Liquidation Price (USDT Contract)' page). Fees: the page lists 0.055 %/0.02 % "
              "as base rates (region-dependent). Bybit reduces large positions through "
              "risk-limit tiers before a full liquidation.",
    ),
    Venue(
        name="OKX",
        product="BTC-USDT perpetual swap",
        contract="linear", settlement="USDT",
        tiers=None, tier_rule="whole_position", max_leverage=None,
        maker_fee=None, taker_fee=None,
        liquidation_fee=None,
        mm_basis="mark", fee_in_trigger=True,
        insurance_fund="Liquidated positions that close at a loss beyond the margin are "
                       "covered by the insurance fund.",
        adl="Auto-deleveraging of opposite positions when the fund is insufficient.",
        source="https://www.okx.com/help/v-tiered-maintenance-margin-ratio-rules",
        as_of="2025-05-16",
        sources=MappingProxyType({
            "margin_ratio": "https://www.okx.com/help/v-tiered-maintenance-margin-ratio-rules "
                            "(stored copy at okx.huicker.com)",
        }),
        notes="Isolated USDT-margined margin ratio = (margin balance + PnL) / (face value x "
              "|contracts| x mark x (tier MMR + fee rate)): the taker fee is added to the "
              "rate at the mark price; the tier's rate applies to the whole position (the "
              "published position-tier tables list no maintenance deduction). OKX's BTC-USDT "
              "tier table (in contracts) and fee "
              "rates were not found on a stored OKX page: tiers and fees are None (pass "
              "your own taker_fee to liquidation_kwargs).",
    ),
    Venue(
        name="BitMEX",
        product="XBTUSD perpetual (inverse, 1 USD contracts)",
        contract="inverse", settlement="XBT",
        tiers=_tiers([(200, 0.005), (350, 0.01), (500, 0.015), (650, 0.02)]),
        tier_rule="whole_position",
        max_leverage=(100, 66.67, 50, 40),
        maker_fee=-0.00025, taker_fee=0.00075,
        liquidation_fee=None,
        mm_basis="entry", fee_in_trigger=False,
        insurance_fund="Liquidations that fill better than bankruptcy pay into the insurance "
                       "fund; it covers fills worse than bankruptcy.",
        adl="Auto-deleveraging ranks opposite positions by PnL% x effective leverage and "
            "closes them at the liquidated position's bankruptcy price.",
        source="https://www.bitmex.com/app/riskLimitsExamples",
        as_of="2019 (page showed XBTUSD near 3,900)",
        sources=MappingProxyType({
            "tiers": "https://www.bitmex.com/app/riskLimitsExamples",
            "fees": "https://bitcoinwiki.org/wiki/bitmex (secondary: BitMEX fee table copy)",
        }),
        notes="Risk limits are steps in XBT of position value: each 150 XBT step above the "
              "200 XBT base raises the maintenance rate by 0.5 % for the WHOLE position (no "
              "maintenance amount), so maintenance margin jumps at each step; the "
              "MaintenanceTiers amounts do not apply (use maintenance()). Max leverage is "
              "1/initial margin (1 %, 1.5 %, 2 %, 2.5 %). Fees from a secondary copy.",
        contract_size=1.0,
    ),
    Venue(
        name="dYdX",
        product="BTC-USD perpetual (dYdX Chain, v4)",
        contract="linear", settlement="USDC",
        tiers=_tiers([(math.inf, 0.012)]),
        tier_rule="marginal",
        max_leverage=(50,),
        maker_fee=None, taker_fee=None,
        liquidation_fee=0.015,
        mm_basis="mark", fee_in_trigger=False,
        insurance_fund="Liquidations are matched against the book; an insurance fund absorbs "
                       "losses beyond the account's collateral.",
        adl="Deleveraging: when the insurance fund cannot cover a loss, offsetting positions "
            "are closed against the underwater account.",
        source="https://docs.dydx.exchange/concepts-trading/margin",
        as_of="undated page",
        sources=MappingProxyType({
            "margin": "https://docs.dydx.exchange/concepts-trading/margin",
            "liquidity_tiers": "https://docs.dydx.community/dydx-unlimited/modules/governance/"
                               "governance-adjustable-parameters/markets",
        }),
        notes="Maintenance requirement = |size x oracle price x MMF|, cross margin by default. "
              "Liquidity tier 0 (large-cap, BTC): initial margin 2 %, maintenance fraction 0.6 "
              "of it = 1.2 % (governance parameters, change by vote). The docs mention a "
              "liquidation fee of up to 1.5 %. Trading fees not confirmed on a stored page.",
    ),
    Venue(
        name="Hyperliquid",
        product="BTC perpetual (USDC)",
        contract="linear", settlement="USDC",
        tiers=_tiers([(150_000_000, 1 / 80), (math.inf, 1 / 40)]),
        tier_rule="marginal",
        max_leverage=(40, 20),
        maker_fee=0.00015, taker_fee=0.00045,
        liquidation_fee=None,
        mm_basis="mark", fee_in_trigger=False,
        insurance_fund="No clearance fee: liquidation orders go to the book and leftover "
                       "collateral stays with the trader; below 2/3 of maintenance margin a "
                       "backstop liquidation hands the position to the liquidator vault, which "
                       "keeps the maintenance margin.",
        adl="Auto-deleveraging ranks opposite positions by unrealized PnL and leverage and "
            "closes them at the previous mark price.",
        source="https://hyperliquid.gitbook.io/hyperliquid-docs/trading/margin-tiers",
        as_of="undated page",
        sources=MappingProxyType({
            "tiers": "https://hyperliquid.gitbook.io/hyperliquid-docs/trading/margin-tiers",
            "liquidations": "https://hyperliquid.gitbook.io/hyperliquid-docs/trading/"
                            "liquidations",
            "fees": "https://hyperliquid.gitbook.io/hyperliquid-docs/trading/fees (base tier "
                    "rates 0.045 %/0.015 % from copies of its table)",
        }),
        notes="Maintenance rate = half the initial margin at max leverage: 40x -> 1.25 %, "
              "20x -> 2.5 % above 150M USDC; deduction by the same recursion as Binance's cum.",
    ),
)

#: name (lower case) -> :class:`Venue`, in the order of the dropdown.
VENUES: Mapping[str, Venue] = MappingProxyType({vn.name.lower(): vn for vn in _VENUES})


def names() -> list[str]:
    """Venue keys in display order (lower case)."""
    return list(VENUES)


def get(name: str) -> Venue:
    """The :class:`Venue` called ``name`` (case-insensitive); unknown: ValueError listing them.

    >>> get("Hyperliquid").max_leverage
    (40, 20)
    """
    key = name.lower() if isinstance(name, str) else name
    return VENUES[v.choice("venue", key, tuple(VENUES))]


def _pct(x: float | None) -> str:
    return "–" if x is None else f"{100 * x:.4g} %"


def _amount(x: float) -> str:
    if math.isinf(x):
        return "any size"
    for div, unit in ((1e9, "B"), (1e6, "M"), (1e3, "k")):
        if x >= div:
            return f"{x / div:g}{unit}"
    return f"{x:g}"


def _tier_summary(vn: Venue) -> str:
    if vn.tiers is None:
        return "none recorded"
    t = vn.tiers
    kind = "marginal" if vn.tier_rule == "marginal" else "whole position"
    if len(t) == 1:
        return f"flat {_pct(float(t.rates[0]))} ({_amount(float(t.caps[0]))})"
    last = _amount(float(t.caps[-1]))
    return (f"{len(t)} tiers ({kind}): {_pct(float(t.rates[0]))} up to "
            f"{_amount(float(t.caps[0]))} … {_pct(float(t.rates[-1]))} up to "
            f"{last}{'' if last == 'any size' else ' ' + vn.settlement}")


def summary_rows() -> list[dict[str, Any]]:
    """One dict per venue (display order): the conventions side by side.

    Keys: ``venue``, ``product``, ``contract``, ``mm_basis``, ``fee_in_trigger``,
    ``tiers`` (a one-line summary of the tier table), ``first_mmr`` (the
    smallest positions' rate, ``None`` without a table), ``maker_fee``,
    ``taker_fee``, ``clearance_fee`` (the recorded liquidation fee, ``None``
    where no venue page confirmed it), ``insurance_fund``, ``adl``,
    ``source``, ``as_of``, ``date_read``.  Rates are fractions.  Dated and
    illustrative: see ``DISCLAIMER``.

    >>> row = summary_rows()[0]
    >>> row["venue"], row["mm_basis"], row["first_mmr"], row["taker_fee"]
    ('Binance', 'mark', 0.004, 0.0005)
    >>> row["tiers"]
    '10 tiers (marginal): 0.4 % up to 50k … 50 % up to 500M USDT'
    >>> summary_rows()[4]["tiers"], summary_rows()[4]["clearance_fee"]
    ('flat 1.2 % (any size)', 0.015)
    """
    return [{
        "venue": vn.name,
        "product": vn.product,
        "contract": vn.contract,
        "mm_basis": vn.mm_basis,
        "fee_in_trigger": vn.fee_in_trigger,
        "tiers": _tier_summary(vn),
        "first_mmr": None if vn.tiers is None else float(vn.tiers.rates[0]),
        "maker_fee": vn.maker_fee,
        "taker_fee": vn.taker_fee,
        "clearance_fee": vn.liquidation_fee,
        "insurance_fund": vn.insurance_fund,
        "adl": vn.adl,
        "source": vn.source,
        "as_of": vn.as_of,
        "date_read": vn.date_read,
    } for vn in VENUES.values()]


_HEADINGS = {
    "venue": "venue", "product": "product", "contract": "contract", "mm_basis": "MM basis",
    "fee_in_trigger": "fee in trigger", "tiers": "tier table", "first_mmr": "smallest MMR",
    "maker_fee": "maker fee", "taker_fee": "taker fee", "clearance_fee": "clearance fee",
    "insurance_fund": "insurance fund", "adl": "auto-deleveraging", "source": "source",
    "as_of": "as of", "date_read": "read",
}
_RATES = ("first_mmr", "maker_fee", "taker_fee", "clearance_fee")


def summary_markdown(columns: tuple[str, ...] = ("venue", "mm_basis", "fee_in_trigger", "tiers",
                                                  "maker_fee", "taker_fee", "clearance_fee",
                                                  "as_of", "date_read")) -> str:
    """:func:`summary_rows` as a Markdown (GFM) table; the venue name links to its source.

    Rates print as percentages, ``None`` as "–", booleans as yes/no.  Unknown
    column: ValueError listing the allowed ones.

    >>> print(summary_markdown(("venue", "taker_fee")).splitlines()[2])
    | [Binance](https://www.binance.com/en/support/announcement/86cf9aa472574b8cb2e05bb751c2a9a6) | 0.05 % |
    """
    if isinstance(columns, str):
        columns = (columns,)
    for col in columns:
        v.choice("column", col, tuple(_HEADINGS))

    def cell(row: dict[str, Any], col: str) -> str:
        val = row[col]
        if col == "venue":
            return f"[{val}]({row['source']})"
        if col in _RATES:
            return _pct(val)
        if isinstance(val, bool):
            return "yes" if val else "no"
        return str(val).replace("|", "\\|")

    lines = ["| " + " | ".join(_HEADINGS[c] for c in columns) + " |",
             "|" + "---|" * len(columns)]
    lines += ["| " + " | ".join(cell(r, c) for c in columns) + " |" for r in summary_rows()]
    return "\n".join(lines)


def liquidation_prices(side: str, entry_price: float, quantity: float, margin: float, *,
                       assumptions: Mapping[str, Mapping[str, Any]] | None = None
                       ) -> dict[str, float]:
    """The *same* dollar position's liquidation price at every venue: name -> price.

    The position is given in linear terms: ``quantity`` in base units and
    ``margin`` in quote currency.  An inverse venue (BitMEX XBTUSD) holds the
    same notional as ``quantity * entry_price / contract_size`` contracts with
    ``margin / entry_price`` coin of margin (the same dollar margin at entry).
    ``assumptions`` maps a venue key to keyword arguments of
    :meth:`Venue.liquidation_price` (``mmr``, ``taker_fee``) -- required for a
    venue whose table or fee is not recorded (OKX); the error says which.

    >>> prices = liquidation_prices("long", 60_000, 1/6, 1_000,
    ...                             assumptions={"okx": {"mmr": 0.004, "taker_fee": 0.0005}})
    >>> {k: round(p) for k, p in prices.items()}
    {'Binance': 54217, 'Bybit': 54300, 'OKX': 54244, 'BitMEX': 54795, 'dYdX': 54656, 'Hyperliquid': 54684}
    """
    assumptions = dict(assumptions or {})
    for key in assumptions:
        get(key)
    e = float(v.positive("entry_price", entry_price))
    q = float(v.positive("quantity", quantity))
    m = float(v.nonnegative("margin", margin))
    out: dict[str, float] = {}
    for key, vn in VENUES.items():
        kw = dict(assumptions.get(key, {}))
        try:
            if vn.contract == "inverse":
                out[vn.name] = vn.liquidation_price(side, e, q * e / vn.contract_size, m / e, **kw)
            else:
                out[vn.name] = vn.liquidation_price(side, e, q, m, **kw)
        except ValueError as exc:
            if "pass" in str(exc) and key not in assumptions:
                raise ValueError(f"{exc} (give it as assumptions={{{key!r}: {{...}}}})") from None
            raise
    return out
