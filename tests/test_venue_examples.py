"""Worked examples published by the venues themselves, reproduced with liqlearn.

Each fixture cites the page it was read from (stored copies, read 2026-11-25;
Bybit's 2026 page and Hyperliquid's tiers re-read 2026-12-01)
and the numbers the venue states.  Where a venue uses a convention liqlearn
does not model, the test says so instead of fudging the numbers.
"""

from __future__ import annotations

import numpy as np
import pytest

import liqlearn as ll
from liqlearn import venues
from liqlearn.formulas.margin import equity
from liqlearn.formulas.tiers import MaintenanceTiers


# --------------------------------------------------------------------------
# Binance USDⓈ-M: "How to Calculate Liquidation Price of USDT-Margined Futures"
# https://www.binance.com/au/support/faq/b3c689c1f50a44cabb3a84e663b81d93
#   "if the position of USDT-margined BTC/USDT Contract is 264,000 USDT, then the
#    maintenance margin rate would be 1% (or 0.01)"
#   "if the position ... is 500,000 USDT, then the maintenance amount would be
#    1,300 USDT"; "= 250,000 * (1% - 0.5%) + 50 USDT = 1,300 USDT"
# Brackets: BTCUSDT table of the 2021-03-18 announcement
# https://www.binance.com/tr/support/announcement/86cf9aa472574b8cb2e05bb751c2a9a6
# --------------------------------------------------------------------------

def test_binance_faq_bracket_examples():
    tiers = venues.get("binance").tiers
    assert tiers.bracket(264_000)[0] == 0.01
    rate, amount = tiers.bracket(500_000)
    assert rate == 0.01 and amount == pytest.approx(1_300.0)
    assert tiers.rows[1].maintenance_amount == pytest.approx(50.0)
    assert 250_000 * (0.01 - 0.005) + 50 == pytest.approx(amount)


def test_binance_formula_is_the_mark_basis():
    """LP = (WB - TMM1 + UPNL1 + cumB - Side*Pos*EP) / (Pos*MMR - Side*Pos), isolated: TMM1 =
    UPNL1 = 0.  Binance also says: re-solve with the bracket at the liquidation price."""
    wb, pos, ep = 30_000.0, 10.0, 60_000.0  # 600,000 notional at 20x
    tiers = venues.get("binance").tiers
    p = ll.liquidation_price("long", ep, pos, wb, tiers)
    mmr, cum = tiers.bracket(pos * p)  # the bracket at the liquidation price
    assert p == pytest.approx((wb + cum - pos * ep) / (pos * mmr - pos), rel=1e-12)


# --------------------------------------------------------------------------
# Bybit's 2024 page (the preset follows its 2026 page, below): "Liquidation Price
# (USDT Contract)", isolated margin, maintenance margin at ENTRY -- so these
# examples pass mm_basis="entry" explicitly instead of using the Bybit preset.
# https://testnet.bybit.com/en-US/help-center/s/article/Liquidation-Price-USDT-Contract
#   "Trader A placed a long entry of 1 BTC at 20,000 USDT with 50x leverage.
#    Assuming the Maintenance Margin Rate (MMR) is 0.5% ...
#    Initial Margin = 400 USDT, Maintenance Margin = 100 USDT,
#    LP = 20,000 USDT - (400 - 100) = 19,700 USDT"
# --------------------------------------------------------------------------

def test_bybit_usdt_isolated_long_example():
    q, e, lev, mmr = 1.0, 20_000.0, 50.0, 0.005
    im = ll.initial_margin(q, e, lev)
    assert im == pytest.approx(400.0)
    assert ll.maintenance_margin(q * e, mmr) == pytest.approx(100.0)
    assert ll.liquidation_price("long", e, q, im, mmr, mm_basis="entry") == pytest.approx(
        19_700.0, rel=1e-14)
    # the short mirror of the same formula (the page's Example 2 was cut off in the copy)
    assert ll.liquidation_price("short", e, q, im, mmr, mm_basis="entry") == pytest.approx(
        20_300.0, rel=1e-14)
    # on the mark basis the same long would be liquidated slightly lower
    assert ll.liquidation_price("long", e, q, im, mmr) < 19_700.0


# --------------------------------------------------------------------------
# Bybit: "Bankruptcy Price (USDT Contract)"
# stored copy in https://www.bybitx.global/fil-PH/help-center/search-result?page=46&pageSize=10&query=trade
#   "traders hold a 1BTC Long position with an entry price at 10,000USDT, leverage
#    is 50x. Bankruptcy Price = 10,000 x (1 - 2%) = 9,800 USDT"
# (No fee term: the fee to close is held in the position margin on top of the
#  leverage-defined margin, so the bankruptcy price is E(1 -+ 1/L); the preset's
#  bankruptcy_price, with margin = value / leverage, says the same.)
# --------------------------------------------------------------------------

def test_bybit_bankruptcy_example():
    margin = ll.initial_margin(1.0, 10_000.0, 50.0)
    assert ll.bankruptcy_price("long", 10_000.0, 1.0, margin) == pytest.approx(9_800.0)
    assert ll.bankruptcy_price("short", 10_000.0, 1.0, margin) == pytest.approx(10_200.0)
    assert venues.get("bybit").bankruptcy_price("long", 10_000.0, 1.0, margin) == pytest.approx(
        9_800.0)


# --------------------------------------------------------------------------
# Bybit: "Liquidation Price Calculation under Isolated Mode (Unified Trading
# Account)", last updated 2026-05-27 (stored copy at kbybit.com), inverse section:
#   "Liquidation Price (Long) = [Position Size x (MM Rate + 1)] / [(Position Size /
#    Entry Price) + (Position Size / Entry Price / Leverage) + (Extra Margin Added /
#    (1 + Taker Fee Rate)) + MM Deduction]"   (short: 1 - MM Rate, minus signs)
#   "Position Value = Contract Quantity / Mark Price"; the estimated fee to close is
#   added to initial AND maintenance margin, so it cancels out of the formula.
# With no extra margin this is the mark-basis inverse trigger with margin Q/(E L)
# in coin: the basis the Bybit preset now uses.
# --------------------------------------------------------------------------

@pytest.mark.parametrize("lev", [2.0, 10.0, 50.0])
@pytest.mark.parametrize("mmr, deduction", [(0.005, 0.0), (0.01, 0.003)])
def test_bybit_2026_inverse_formula_is_the_mark_basis(lev, mmr, deduction):
    size, entry = 60_000.0, 50_000.0  # USD contracts (size 1 USD), entry price
    margin = size / entry / lev
    long_page = size * (mmr + 1) / (size / entry + size / entry / lev + deduction)
    short_page = size * (1 - mmr) / (size / entry - size / entry / lev - deduction)
    assert ll.inverse_liquidation_price("long", entry, size, 1.0, margin, mmr, deduction,
                                        mm_basis="mark") == pytest.approx(long_page, rel=1e-12)
    if size / entry - size / entry / lev - deduction > 0:  # else the short is never liquidated
        assert ll.inverse_liquidation_price("short", entry, size, 1.0, margin, mmr, deduction,
                                            mm_basis="mark") == pytest.approx(short_page,
                                                                              rel=1e-12)
    assert venues.get("bybit").mm_basis == "mark"


# --------------------------------------------------------------------------
# Bybit: margin parameters, BTCUSDT (20 risk-limit levels with their published
# "MM deduction"): https://bybitx.global/pt-PT/announcement-info/margin-parameters
#   "Dedução = Limite de Risco no Nível (N-1) x (diferença das taxas) + Dedução (N-1)"
# --------------------------------------------------------------------------

BYBIT_PUBLISHED_DEDUCTIONS = [0, 1_200, 3_020, 4_300, 5_820, 8_460, 15_460, 20_500, 46_000,
                              66_000, 80_000, 160_000, 300_000, 452_000, 502_000, 777_000,
                              837_000, 967_000, 1_107_000, 1_482_000]


def test_bybit_published_mm_deductions_follow_the_recursion():
    tiers = venues.get("bybit").tiers
    np.testing.assert_allclose(tiers.amounts, BYBIT_PUBLISHED_DEDUCTIONS, rtol=1e-12, atol=1e-6)


# --------------------------------------------------------------------------
# BitMEX: "Risk Limits Examples" https://www.bitmex.com/app/riskLimitsExamples
#   "with XBTUSD the base maintenance and initial margin are 0.50% and 1.00%"
#   "< 200 XBT 0.50% | < 350 XBT 1.00% | < 500 XBT 1.50% | < 650 XBT 2.00%"
#   "A trader has a XBTUSD position worth 180 XBT. The current maintenance margin
#    requirement is 0.50% (0.90 XBT)" ... increasing to 230 XBT moves him to
#    1.00% maintenance / 1.50% initial.
# BitMEX charges the step's rate on the whole position (no maintenance amount):
# a convention MaintenanceTiers' continuous form does not model, so the venue's
# maintenance() applies the step rate instead.
# --------------------------------------------------------------------------

def test_bitmex_risk_limit_example():
    bitmex = venues.get("bitmex")
    rate, amount = bitmex.maintenance(180.0)
    assert 180.0 * rate - amount == pytest.approx(0.90)
    assert bitmex.maintenance(230.0) == (0.01, 0.0)
    # the continuous (tax-bracket) form would have charged less at 230 XBT
    assert bitmex.tiers.maintenance_margin(230.0) < 230.0 * 0.01


# --------------------------------------------------------------------------
# Hyperliquid: "Margin tiers"
# https://hyperliquid.gitbook.io/hyperliquid-docs/trading/margin-tiers
#   "maintenance_margin_rate(tier = n) = (Initial Margin Rate at Maximum leverage at
#    tier n) / 2. For example, at 20x max leverage, maintenance_margin_rate = 2.5%"
#   "maintenance_deduction(tier = n) = maintenance_deduction(tier = n - 1) +
#    notional_position_lower_bound(tier = n) * (mmr(n) - mmr(n - 1))"; BTC: 0-150M 40x,
#    >150M 20x
# "Liquidations": https://hyperliquid.gitbook.io/hyperliquid-docs/trading/liquidations
#   liq_price = price - side * margin_available / position_size / (1 - l * side),
#   l = 1 / maintenance leverage (the stored copy of that page was cut before the
#   formula; it was read in full on https://docs.hyena.trade/trading/liquidation,
#   a HIP-3 venue that reproduces Hyperliquid's formula)
# --------------------------------------------------------------------------

def test_hyperliquid_tiers():
    hl = venues.get("hyperliquid")
    assert 0.5 / 20 == pytest.approx(0.025)
    assert list(hl.tiers.rates) == pytest.approx([0.5 / 40, 0.5 / 20])
    assert hl.tiers.rows[1].maintenance_amount == pytest.approx(150e6 * (0.025 - 0.0125))


@pytest.mark.parametrize("side, s", [("long", 1), ("short", -1)])
@pytest.mark.parametrize("lev", [2.0, 10.0, 40.0])
def test_hyperliquid_liquidation_formula_is_the_mark_basis(side, s, lev):
    price, size, mmr = 60_000.0, 0.75, 1 / 80
    margin = size * price / lev
    margin_available = margin - size * price * mmr  # isolated: margin above maintenance
    hl_formula = price - s * margin_available / size / (1 - mmr * s)
    assert ll.liquidation_price(side, price, size, margin, mmr) == pytest.approx(hl_formula,
                                                                                 rel=1e-12)


# --------------------------------------------------------------------------
# OKX: "Tiered maintenance margin ratio rules", isolated USDT-margined contracts
# https://www.okx.com/help/v-tiered-maintenance-margin-ratio-rules (stored copy at
# okx.huicker.com): "(Margin balance + PnL) / (Face value x |Contracts| x Mark price
# x (Tiered margin rate + fee rate))"; forced liquidation "when your margin ratio
# falls to 100%".
# --------------------------------------------------------------------------

def test_okx_margin_ratio_is_100_percent_at_the_fee_inclusive_price():
    face, contracts, entry, margin, mmr, fee = 0.01, 100.0, 60_000.0, 3_000.0, 0.004, 0.0005
    q = face * contracts  # 1 BTC
    for side in ("long", "short"):
        p = ll.liquidation_price(side, entry, q, margin, mmr, fee_rate=fee)
        okx_ratio = equity(side, entry, p, q, margin) / (face * contracts * p * (mmr + fee))
        assert okx_ratio == pytest.approx(1.0, rel=1e-12)


# --------------------------------------------------------------------------
# dYdX v4: "Margin" https://docs.dydx.exchange/concepts-trading/margin
#   "Maintenance Margin Requirement = abs(S x P x M)" with P the oracle price,
#   and a position is liquidated when equity falls below it: the mark basis.
# --------------------------------------------------------------------------

def test_dydx_maintenance_requirement_at_the_oracle_price():
    mmf = float(venues.get("dydx").tiers.rates[0])
    s_size, e, collateral = -2.0, 60_000.0, 6_000.0  # a short of 2 BTC at 10x
    p = ll.liquidation_price("short", e, abs(s_size), collateral, mmf)
    assert equity("short", e, p, abs(s_size), collateral) == pytest.approx(
        abs(s_size * p * mmf), rel=1e-12)


def test_a_published_table_round_trips_through_maintenance_tiers():
    """Rebuilding a table from its published (cap, rate) rows gives the published amounts."""
    rows = [(t.cap, t.mmr) for t in venues.get("bybit").tiers.rows]
    assert MaintenanceTiers(rows) == venues.get("bybit").tiers
