"""The venue presets' facts, each with its own source and the date it was read.

Data only (no behaviour): :mod:`liqlearn.venues` builds its :class:`~liqlearn.venues.Venue`
objects from :data:`PRESETS`.  Every fact of every preset is a :class:`Fact`: its value,
the page it comes from (title and URL), the date that page was read, and how sure it is
(``status``):

``"read"``
    read on the venue's own page (or a stored copy of it) on ``date_read``;
``"secondary"``
    read on a secondary source (a mirror, a summary, a community wiki): the note names it;
``"not re-verified"``
    read on ``date_read`` but not found again on a later reading: the old source stands;
``"assumption"``
    no page states it: the note says what is assumed and why.

Pages are stored copies read with a search tool, not live pages; the URL is the venue's
address of the page, and the note names the copy when it was read on a mirror.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

__all__ = ["Fact", "PRESETS", "FACT_NAMES", "STATUSES"]

#: how sure a fact is (see the module's docstring)
STATUSES = ("read", "secondary", "not re-verified", "assumption")

#: the facts every preset carries, in display order
FACT_NAMES = ("tiers", "fees", "liquidation_fee", "mm_basis", "fee_in_trigger",
              "partial_liquidation", "insurance_fund", "adl")

NOW = "2026-12-01"      # the reading that re-verified a fact
BEFORE = "2026-11-25"   # the first reading (kept where a fact could not be found again)


@dataclass(frozen=True)
class Fact:
    """One venue fact: its ``value``, where it was read (``title``, ``url``) and when."""

    value: Any
    title: str
    url: str
    date_read: str
    status: str = "read"
    note: str = ""
    display: str = ""   # how to say the value, where its plain form would mislead


def _f(value: Any, title: str, url: str, date_read: str = NOW, status: str = "read",
       note: str = "", display: str = "") -> Fact:
    return Fact(value, title, url, date_read, status, note, display)


# ---------------------------------------------------------------- shared sources
_BN_LIQ = ("How to Calculate Liquidation Price of USDⓈ-M Futures Contracts (Binance FAQ)",
           "https://www.binance.com/en/support/faq/b3c689c1f50a44cabb3a84e663b81d93")
_BN_PROTO = ("Liquidation Protocols (Binance FAQ)",
             "https://binance.com/en-IN/support/faq/liquidation-protocols-360033525271")
_BY_ISO = ("Liquidation Price Calculation under Isolated Mode (Unified Trading Account), "
           "Bybit Help Center, last updated 2026-05-27",
           "https://www.kbybit.com/en/help-center/article/Liquidation-Price-Calculation-under-"
           "Isolated-Mode-Unified-Trading-Account")
_BY_ISO_COPY = ("stored copy at kbybit.com; it ends inside the inverse section, before the "
                "USDT section")
_OKX_MR = ("Tiered maintenance margin ratio rules (OKX Help Center, updated 2025-05-16)",
           "https://www.okx.com/help/v-tiered-maintenance-margin-ratio-rules")
_MEX_LIQ = ("Liquidation (BitMEX)", "https://www.bitmex.com/app/liquidation")
_MEX_RL = ("Risk Limits Examples (BitMEX)", "https://www.bitmex.com/app/riskLimitsExamples")
_DY_MARGIN = ("Margin (dYdX v4 documentation)",
              "https://docs.dydx.exchange/concepts-trading/margin")
_DY_LIQ = ("Liquidations on dYdX Chain (dYdX Help Center)",
           "https://help.dydx.exchange/en/articles/8580691-liquidations-on-dydx-chain")
_HL_LIQ = ("Liquidations (Hyperliquid Docs)",
           "https://hyperliquid.gitbook.io/hyperliquid-docs/trading/liquidations")
_HL_PARTIAL = ("Hyperliquid announcement of partial liquidations, as mirrored on tginsight.xyz; "
               "and the community HyperCore wiki, Clearinghouse: Liquidations",
               "https://hyperliquid-co.gitbook.io/wiki/architecture/hypercore/dex/"
               "clearinghouse/liquidations")


def _rows(caps_rates: list[tuple[float, float]]) -> tuple[tuple[float, float], ...]:
    return tuple(caps_rates)


#: one dict per venue (display order): fixed fields plus ``facts``, fact name -> :class:`Fact`
PRESETS: tuple[dict[str, Any], ...] = (
    dict(
        name="Binance", product="BTCUSDT perpetual (USDⓈ-M)", contract="linear",
        settlement="USDT", as_of="2021-03-18 (tier table)", tier_rule="marginal",
        max_leverage=(125, 100, 50, 20, 10, 5, 4, 3, 2, 1),
        source="https://www.binance.com/en/support/announcement/86cf9aa472574b8cb2e05bb751c2a9a6",
        notes="Tier table of the 2021-03-18 announcement (newer tables differ). The liquidation "
              "clearance fee rate was not found on a current Binance page (None).",
        facts=dict(
            tiers=_f(_rows([(50_000, 0.004), (250_000, 0.005), (1_000_000, 0.01),
                            (10_000_000, 0.025), (20_000_000, 0.05), (50_000_000, 0.10),
                            (100_000_000, 0.125), (200_000_000, 0.15), (300_000_000, 0.25),
                            (500_000_000, 0.50)]),
                     "Updates to Leverage and Margin Tiers of Binance Futures Contracts "
                     "(2021-03-18)",
                     "https://www.binance.com/en/support/announcement/"
                     "86cf9aa472574b8cb2e05bb751c2a9a6",
                     note="BTCUSDT 125x table of that announcement (stored copy at "
                          "binance.com/tr, English text). Binance publishes its current "
                          "brackets per symbol; no stored copy of them was found."),
            fees=_f((0.0002, 0.0005), "Binance Futures fee rates (Binance FAQ)",
                    "https://www.binance.com/en/support/faq/360033544231", BEFORE,
                    "not re-verified",
                    "The stored copy did not show the table: the regular-user USDⓈ-M rates "
                    "0.02 % / 0.05 % are from secondary summaries of it."),
            liquidation_fee=_f(None, *_BN_PROTO,
                               note="Binance charges a liquidation (insurance clearance) fee on "
                                    "the amount liquidated, not the position's notional; the "
                                    "page read gives no rate for BTCUSDT."),
            mm_basis=_f("mark", *_BN_LIQ,
                        note="Isolated: LP = (WB + cum - Side*Pos*EP) / (Pos*MMR - Side*Pos), "
                             "the maintenance margin at the liquidation price; re-solve with "
                             "the bracket at that price."),
            fee_in_trigger=_f(False, *_BN_LIQ, note="The formula has no fee term."),
            partial_liquidation=_f(
                "avoids full liquidation whenever possible: one large immediate-or-cancel "
                "order first reduces the position; the liquidation stops once the account is "
                "margin compliant; small positions are almost always liquidated in full",
                *_BN_PROTO,
                note="The same text appears in Binance's Liquidation Protocol as reproduced on "
                     "docs.traderwagon.com (a Binance copy-trading site)."),
            insurance_fund=_f(
                "still margin deficient after the partial step: the position is closed at the "
                "bankruptcy price and taken over by the fund, and a portion of the remaining "
                "collateral (if any) goes to the fund; the fund takes the losses of bankrupt "
                "positions and keeps their profits",
                *_BN_PROTO,
                note="Also 'Introduction to Futures Insurance Funds' "
                     "(binance.com/en/support/faq/360033525371, last updated 2024-05-29)."),
            adl=_f("counterparty liquidation when the fund cannot take the position: opposite "
                   "positions ranked by unrealized profit (as a share of collateral) and margin "
                   "ratio, the most profitable and leveraged first",
                   "Counterparty Liquidation (Binance FAQ)",
                   "https://www.binance.com/en/support/faq/360033525471",
                   note="The page read does not state the closing price; the bankruptcy price "
                        "used elsewhere in the book is from the 2026-11-25 reading "
                        "(not re-verified)."),
        ),
    ),
    dict(
        name="Bybit", product="BTCUSDT perpetual (USDT contract)", contract="linear",
        settlement="USDT", as_of="2026-05-27 (liquidation page)", tier_rule="marginal",
        max_leverage=(100, 90, 80, 75, 70, 65, 55, 50, 45, 40, 35, 30, 25, 20, 19, 18, 17, 16,
                      15, 14),
        source=_BY_ISO[1],
        notes="Bybit's 2024 'Liquidation Price (USDT Contract)' page took the maintenance margin "
              "at entry with no fee; its page updated 2026-05-27 values positions at the mark "
              "and adds an estimated fee to close to both initial and maintenance margin, so the "
              "fee is held on top of the margin: pass margin = position value / leverage.",
        facts=dict(
            tiers=_f(_rows([(2_000_000, 0.005), (2_600_000, 0.0056), (3_200_000, 0.0063),
                            (3_800_000, 0.0067), (4_400_000, 0.0071), (5_000_000, 0.0077),
                            (5_600_000, 0.0091), (8_500_000, 0.01), (10_000_000, 0.013),
                            (14_000_000, 0.015), (20_000_000, 0.016), (28_000_000, 0.02),
                            (38_000_000, 0.025), (50_000_000, 0.029), (55_000_000, 0.03),
                            (60_000_000, 0.035), (65_000_000, 0.036), (70_000_000, 0.038),
                            (75_000_000, 0.04), (80_000_000, 0.045)]),
                     "Margin parameters, BTCUSDT (Bybit announcement page)",
                     "https://www.bybit.com/en/announcement-info/margin-parameters", BEFORE,
                     "not re-verified",
                     "Stored copy at bybitx.global/pt-PT with its published MM deductions; not "
                     "found again on 2026-12-01."),
            fees=_f((0.0002, 0.00055),
                    "Perpetual & Futures Contract: Fees Explained (Bybit Help Center)",
                    "https://bybit.nl/nl-NL/help-center/article/Perpetual-Futures-Contract-"
                    "Fees-ExplainedDerivatives_Trading_Mechanism_UTA", BEFORE, "not re-verified",
                    "Base (non-VIP) rates 0.055 % taker / 0.02 % maker, region-dependent; "
                    "stored copy at bybit.nl."),
            liquidation_fee=_f(None, *_BY_ISO,
                               note="No separate rate: 'the position will be settled at the "
                                    "bankruptcy price', so everything the fill beats that "
                                    "price by goes to the insurance fund."),
            mm_basis=_f("mark", *_BY_ISO, status="assumption",
                        note="The page values positions at the mark price ('Position Value = "
                             "Contract Quantity ÷ Mark Price' in its inverse section; "
                             + _BY_ISO_COPY + "): the mark basis for BTCUSDT is carried over "
                             "from that section, not read. Bybit's 2024 page 'Liquidation Price "
                             "(USDT Contract)' took the maintenance margin at entry."),
            fee_in_trigger=_f(False, *_BY_ISO, status="assumption",
                              display="no: the fee to close is added to initial and "
                                      "maintenance margin alike, so it cancels",
                              note="'Initial Margin = (Position Value / Leverage) + Estimated "
                                   "Fee to Close Position' and 'Maintenance Margin = (Position "
                                   "Value x MMR) - Maintenance Margin Deduction + Estimated Fee "
                                   "to Close Position': the fee is held in the position margin "
                                   "on top of the margin, and the page's liquidation formula "
                                   "has no fee term. Read in the inverse section ("
                                   + _BY_ISO_COPY + "); carried over to BTCUSDT."),
            partial_liquidation=_f(
                "large positions are reduced through the risk-limit tiers before a full "
                "liquidation",
                "Risk Limit (Inverse Contract), Bybit Help Center",
                "https://www.bybit.com/ar-SA/help-center/article/Risk-Limit-Inverse-Contract",
                BEFORE, "not re-verified",
                "Read 2026-11-25; not found again on 2026-12-01."),
            insurance_fund=_f(
                "the position is settled at the bankruptcy price: a better final fill pays "
                "the excess margin into the insurance fund, a worse one is covered by it",
                *_BY_ISO,
                note="Settlement at the bankruptcy price read on the 2026 page; the fund's "
                     "two directions from the 2026-11-25 reading."),
            adl=_f("when the fund cannot cover the losses, opposite positions ranked by profit "
                   "and effective leverage (PnL% times effective leverage) are deleveraged at "
                   "the bankruptcy price of the liquidated order",
                   "Auto-Deleveraging (ADL) Mechanism (Bybit Help Center, updated 2025-11-05)",
                   "https://testnet.bybitx.global/en/help-center/article/Auto-Deleveraging-ADL",
                   note="That page: ADL deleverages 'profitable or highly leveraged positions on "
                        "the opposite side ... based on the ADL ranking'. The closing price is "
                        "from Bybit's older 'What is Auto-Deleveraging (ADL)?' (help.bybit.com/"
                        "hc/en-us/articles/900000031623): 'deleveraged at the bankruptcy price "
                        "of the liquidated order'."),
            bankruptcy_price=_f(
                "Entry Price x (1 - 1/Leverage) for a long, x (1 + 1/Leverage) for a short: no "
                "fee term (the fee to close sits in the position margin)",
                "Bankruptcy Price (USDT Contract), Bybit Help Center (quoted on a help-centre "
                "search page)",
                "https://www.bybit.kz/en-KAZ/help-center/search-result/?page=3&pageSize=10&"
                "query=%29",
                note="The search page quotes: 'Bankruptcy Price = Entry Price x (1 - Initial "
                     "Margin Rate)', IMR = 1/Leverage."),
        ),
    ),
    dict(
        name="OKX", product="BTC-USDT perpetual swap", contract="linear", settlement="USDT",
        as_of="2025-05-16", tier_rule="whole_position", max_leverage=None,
        source=_OKX_MR[1],
        notes="OKX's BTC-USDT tier table (in contracts) and fee rates were not found on a "
              "stored OKX page: tiers and fees are None (pass your own mmr and taker_fee).",
        facts=dict(
            tiers=_f(None, *_OKX_MR,
                     note="The tier's rate applies to the whole position (the published "
                          "position-tier tables list no maintenance deduction); the BTC-USDT "
                          "table itself was not on the page read (None)."),
            fees=_f((None, None), *_OKX_MR, note="No fee table found on a stored OKX page."),
            liquidation_fee=_f(None, *_OKX_MR,
                               note="Liquidation at a margin ratio of 100 %: 'equity equal to "
                                    "or less than the required maintenance margin plus any "
                                    "applicable liquidation fees'; no rate given."),
            mm_basis=_f("mark", *_OKX_MR,
                        note="Isolated USDT-margined margin ratio = (margin balance + PnL) / "
                             "(face value x |contracts| x mark price x (tier MMR + fee rate)), "
                             "formula read 2026-11-25 on the stored copy at okx.huicker.com; "
                             "the 2026-12-01 reading confirms the 100 % trigger."),
            fee_in_trigger=_f(True, *_OKX_MR,
                              note="The fee rate is added to the tier's rate at the mark."),
            partial_liquidation=_f(
                "positions in higher tiers are partially liquidated down to a lower tier "
                "first",
                "V. Forced Partial or Full Liquidation (OKX Help Center)",
                "https://supdljgzdhc.okx.com/hc/en-us/articles/"
                "360020411711-V-Forced-Partial-or-Full-Liquidation",
                note="An older OKX (OKEx-era) help article, read on an okx.com help-centre "
                     "host; the 2025 margin page lists partial liquidation among the steps "
                     "without detail."),
            insurance_fund=_f(
                "the insurance fund, fed by liquidation surpluses, covers liquidated positions "
                "that close at a loss beyond the margin",
                "Automatic-Deleveraging: what it is and how it affects your positions (OKX "
                "Help Center, updated 2025-03-06)",
                "https://www.okx.com/help/iv-introduction-to-auto-deleveraging-adl"),
            adl=_f("when the fund is insufficient or drops fast, liquidated positions are "
                   "matched with the highest-ranked opposite positions at the current mark "
                   "price",
                   "What is the meaning and purpose of the early liquidation mechanism? (OKX "
                   "Help Center)",
                   "https://www.ouchyi.rocks/es-la/help/what-is-the-mechanism-for-the-strong-"
                   "level-in-advance-what-is-the-use",
                   note="A mirror of OKX's help centre: 'directly match liquidated positions "
                        "with high-priority counterparty accounts in the ADL ranking at the "
                        "current Mark Price'."),
        ),
    ),
    dict(
        name="BitMEX", product="XBTUSD perpetual (inverse, 1 USD contracts)",
        contract="inverse", settlement="XBT", as_of="2019 (page showed XBTUSD near 3,900)",
        tier_rule="whole_position", max_leverage=(100, 66.67, 50, 40), contract_size=1.0,
        source=_MEX_RL[1],
        notes="Risk limits are steps in XBT of position value: each 150 XBT step above the "
              "200 XBT base raises the maintenance rate by 0.5 % for the WHOLE position (no "
              "maintenance amount), so maintenance margin jumps at each step (use "
              "maintenance()). Max leverage is 1/initial margin (1 %, 1.5 %, 2 %, 2.5 %).",
        facts=dict(
            tiers=_f(_rows([(200, 0.005), (350, 0.01), (500, 0.015), (650, 0.02)]), *_MEX_RL,
                     BEFORE, "not re-verified",
                     "'< 200 XBT 0.50 % | < 350 XBT 1.00 % | ...' (XBTUSD, 2019 example)."),
            fees=_f((-0.00025, 0.00075), "BitMEX fee table (copy on bitcoinwiki.org)",
                    "https://bitcoinwiki.org/wiki/bitmex", BEFORE, "secondary",
                    "A secondary copy of BitMEX's fee table; not re-verified."),
            liquidation_fee=_f(None, *_MEX_LIQ,
                               note="No separate rate: a liquidated position is closed at "
                                    "the bankruptcy price and 'your maintenance margin will "
                                    "be lost' (it goes to the insurance fund)."),
            mm_basis=_f("entry", *_MEX_LIQ, status="assumption",
                        note="The pages read give maintenance margin as a percentage of the "
                             "position's value without saying at which price; the entry value "
                             "(cost) is what BitMEX-style liquidation calculators use, and is "
                             "an assumption here."),
            fee_in_trigger=_f(False, *_MEX_LIQ, status="assumption",
                              note="The page states no fee term in the maintenance "
                                   "requirement."),
            partial_liquidation=_f(
                "higher risk-limit tiers: the engine first brings the position down to a lower "
                "risk limit; the lowest tier is liquidated at the bankruptcy price",
                *_MEX_LIQ),
            insurance_fund=_f(
                "liquidations that fill better than the bankruptcy price pay into the insurance "
                "fund; the fund is spent on closing positions it cannot close at that price",
                *_MEX_LIQ),
            adl=_f("auto-deleveraging of the most profitable and leveraged opposite positions "
                   "(ranked by PnL% x effective leverage), closed at the liquidated position's "
                   "bankruptcy price",
                   "BitMEX Insurance Fund: Your Questions Answered (BitMEX blog, March 2020)",
                   "https://blog.bitmex.com/bitmex-insurance-fund-your-questions-answered/",
                   note="The blog says 'ranked by profit and leverage in that contract'; the "
                        "exact score and the closing price are from the 2026-11-25 reading "
                        "(not re-verified)."),
        ),
    ),
    dict(
        name="dYdX", product="BTC-USD perpetual (dYdX Chain, v4)", contract="linear",
        settlement="USDC", as_of="undated page", tier_rule="marginal", max_leverage=(50,),
        source=_DY_MARGIN[1],
        notes="Maintenance requirement = |size x oracle price x MMF|, cross margin by default. "
              "Liquidity tier 0 (large-cap, BTC): initial margin 2 %, maintenance fraction 0.6 "
              "of it = 1.2 % (governance parameters, change by vote).",
        facts=dict(
            tiers=_f(_rows([(math.inf, 0.012)]),
                     "Markets (dYdX governance-adjustable parameters)",
                     "https://docs.dydx.community/dydx-unlimited/modules/governance/"
                     "governance-adjustable-parameters/markets", BEFORE, "not re-verified",
                     "Liquidity tier 0: IMF 2 %, MMF = 0.6 x IMF = 1.2 %."),
            fees=_f((None, None), *_DY_MARGIN, BEFORE, "not re-verified",
                    "Trading fees not confirmed on a stored page."),
            liquidation_fee=_f(0.015, *_DY_LIQ,
                               note="'Maximum Liquidation Penalty of 1.5 %' of the default v4 "
                                    "software, adjustable by governance: a maximum, taken up "
                                    "to the account's remaining value."),
            mm_basis=_f("mark", *_DY_MARGIN, BEFORE, "not re-verified",
                        "'Maintenance Margin Requirement = abs(S x P x M)' with P the oracle "
                        "price."),
            fee_in_trigger=_f(False, *_DY_MARGIN, BEFORE, "not re-verified",
                              "No fee term in the requirement."),
            partial_liquidation=_f(
                "a liquidated subaccount may have its position partially or fully closed "
                "(limits set by the liquidations configuration)", *_DY_LIQ),
            insurance_fund=_f(
                "liquidation orders fill against the book at a 'fillable price'; profits or "
                "losses from liquidations are taken on by the insurance fund", *_DY_LIQ),
            adl=_f("deleveraging when the insurance fund is depleted: offsetting positions "
                   "(the most profitable and leveraged first) are closed against the "
                   "underwater account",
                   "Contract loss mechanisms on dYdX Chain (dYdX Help Center)",
                   "https://help.dydx.exchange/en/articles/8581982-contract-loss-mechanisms-"
                   "on-dydx-chain"),
        ),
    ),
    dict(
        name="Hyperliquid", product="BTC perpetual (USDC)", contract="linear",
        settlement="USDC", as_of="undated page", tier_rule="marginal", max_leverage=(40, 20),
        source="https://hyperliquid.gitbook.io/hyperliquid-docs/trading/margin-tiers",
        notes="Maintenance rate = half the initial margin at max leverage: 40x -> 1.25 %, "
              "20x -> 2.5 % above 150M USDC; deduction by the same recursion as Binance's cum.",
        facts=dict(
            tiers=_f(_rows([(150_000_000, 1 / 80), (math.inf, 1 / 40)]),
                     "Margin tiers (Hyperliquid Docs)",
                     "https://hyperliquid.gitbook.io/hyperliquid-docs/trading/margin-tiers",
                     note="BTC: 0-150M USDC 40x, >150M 20x; maintenance rate = initial margin "
                          "rate at max leverage / 2."),
            fees=_f((0.00015, 0.00045), "Fees (Hyperliquid Docs)",
                    "https://hyperliquid.gitbook.io/hyperliquid-docs/trading/fees", BEFORE,
                    "not re-verified", "Base tier rates from copies of its table."),
            liquidation_fee=_f(0.0, *_HL_LIQ,
                               note="No clearance fee: liquidation orders go to the book and "
                                    "'any remaining collateral remains with the trader' (the "
                                    "announcement of partial liquidations also says 'there is "
                                    "no clearance fee')."),
            mm_basis=_f("mark", *_HL_LIQ,
                        note="'Liquidations use the mark price'; the liquidation-price formula "
                             "(cut from the stored copy) was read on the HyENA and community "
                             "wiki copies and is the mark-basis form."),
            fee_in_trigger=_f(False, *_HL_LIQ, note="No fee term in the formula."),
            partial_liquidation=_f(
                "liquidatable positions above 100k USDC: 20 % is sent to the book first, then "
                "after a 30-second cooldown the whole position; smaller ones in full",
                *_HL_PARTIAL, status="secondary",
                note="Secondary sources: Hyperliquid's own liquidations page says the orders "
                     "are 'for the full size of the position'."),
            insurance_fund=_f(
                "the liquidator vault plays the fund's part: below 2/3 of the maintenance "
                "margin a backstop liquidation hands the position (cross: all cross positions "
                "and margin) to the liquidator vault, which keeps the maintenance margin",
                *_HL_LIQ),
            adl=_f("auto-deleveraging ranks opposite positions by unrealized PnL and leverage "
                   "and closes them at the previous oracle price",
                   "Auto-deleveraging (Hyperliquid Docs)",
                   "https://hyperliquid.gitbook.io/hyperliquid-docs/trading/auto-deleveraging",
                   note="HyENA's copy of the text says 'previous mark price'."),
        ),
    ),
)
