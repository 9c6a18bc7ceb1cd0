"""Venue helpers: summary_rows / summary_markdown, Venue.liquidation_price and bankruptcy_price,
liquidation_prices -- against hand computations from each venue's stated convention."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

import liqlearn as ll
from liqlearn import venues

E, Q, M = 60_000.0, 1 / 6, 1_000.0  # the primer's 10x long: 10,000 USDT of notional


# ------------------------------------------------------------------ summary_rows
def test_summary_rows_one_per_venue_with_every_field():
    rows = venues.summary_rows()
    assert [r["venue"] for r in rows] == [venues.get(k).name for k in venues.names()]
    keys = {"venue", "product", "contract", "mm_basis", "fee_in_trigger", "tiers", "first_mmr",
            "maker_fee", "taker_fee", "clearance_fee", "partial_liquidation", "insurance_fund",
            "adl", "source", "as_of", "date_read", "facts"}
    for row, key in zip(rows, venues.names()):
        vn = venues.get(key)
        assert set(row) == keys
        assert row["mm_basis"] == vn.mm_basis and row["taker_fee"] == vn.taker_fee
        assert row["clearance_fee"] == vn.liquidation_fee
        assert row["insurance_fund"] == vn.insurance_fund and row["adl"] == vn.adl
        assert row["source"].startswith("https://") and row["date_read"] == vn.date_read


def test_summary_rows_tier_summaries():
    by = {r["venue"]: r for r in venues.summary_rows()}
    assert by["Binance"]["tiers"] == "10 tiers (marginal): 0.4 % up to 50k … 50 % up to 500M USDT"
    assert by["BitMEX"]["tiers"].startswith("4 tiers (whole position): 0.5 % up to 200")
    assert by["BitMEX"]["tiers"].endswith("XBT")
    assert by["dYdX"]["tiers"] == "flat 1.2 % (any size)"
    assert by["Hyperliquid"]["tiers"].endswith("2.5 % up to any size")
    assert by["OKX"]["tiers"] == "none recorded" and by["OKX"]["first_mmr"] is None
    assert by["Bybit"]["first_mmr"] == 0.005


def test_summary_markdown_formats_and_rejects_unknown_columns():
    text = venues.summary_markdown(("venue", "fee_in_trigger", "clearance_fee", "taker_fee"),
                                   dated=False)
    lines = text.splitlines()
    assert len(lines) == 2 + len(venues.names())
    assert lines[0] == "| venue | fee in trigger | clearance fee | taker fee |"
    okx = next(line for line in lines if "[OKX]" in line)
    assert "| yes | – | – |" in okx
    dydx = next(line for line in lines if "[dYdX]" in line)
    assert "1.5 %" in dydx
    with pytest.raises(ValueError, match="column must be one of 'venue'"):
        venues.summary_markdown(("venue", "colour"))


# ------------------------------------------------------------ liquidation_price
def test_binance_mark_basis_with_its_first_bracket():
    # 10,000 USDT notional: bracket 1, 0.4 %, no amount; mark basis
    hand = (Q * E - M) / (Q * (1 - 0.004))
    assert venues.get("binance").liquidation_price("long", E, Q, M) == pytest.approx(hand, rel=1e-12)


def test_bybit_mark_basis_per_its_2026_page():
    # the page updated 2026-05-27 values positions at the mark: 0.5 % of the notional at P
    assert venues.get("bybit").mm_basis == "mark"
    hand = (Q * E - M) / (Q * (1 - 0.005))
    hand_short = (Q * E + M) / (Q * (1 + 0.005))
    assert venues.get("bybit").liquidation_price("long", E, Q, M) == pytest.approx(hand, rel=1e-12)
    assert venues.get("bybit").liquidation_price("short", E, Q, M) == pytest.approx(hand_short,
                                                                                   rel=1e-12)


def test_bybit_2024_page_entry_basis_is_still_one_call_away():
    # Bybit's 2024 page (and the primer): MM at entry = 10,000 * 0.5 % = 50: P = E -+ (M - 50)/Q
    entry = {side: ll.liquidation_price(side, E, Q, M, 0.005, mm_basis="entry")
             for side in ("long", "short")}
    assert entry == pytest.approx({"long": 54_300.0, "short": 65_700.0})


def test_bybit_large_position_uses_the_bracket_at_the_trigger():
    bybit = venues.get("bybit")
    q = 3_000_000 / E  # notional 3 M at entry
    p = bybit.liquidation_price("long", E, q, 200_000)
    rate, amount = bybit.tiers.bracket(q * p)  # mark basis: the bracket at the trigger
    assert p == pytest.approx((q * E - 200_000 - amount) / (q * (1 - rate)), rel=1e-12)


def test_okx_reserves_the_taker_fee_and_needs_a_rate():
    okx = venues.get("okx")
    with pytest.raises(ValueError, match="no tier table is recorded for OKX.*pass mmr="):
        okx.liquidation_price("long", E, Q, M, taker_fee=0.0005)
    with pytest.raises(ValueError, match="reserves the close fee: pass taker_fee"):
        okx.liquidation_price("long", E, Q, M, mmr=0.004)
    got = okx.liquidation_price("long", E, Q, M, mmr=0.004, taker_fee=0.0005)
    assert got == pytest.approx((Q * E - M) / (Q * (1 - 0.0045)), rel=1e-12)
    with pytest.raises(ValueError, match=r"taker_fee must be in \[0, 1\)"):
        okx.liquidation_price("long", E, Q, M, mmr=0.004, taker_fee=1.5)


def test_venues_without_the_fee_rule_ignore_taker_fee():
    bn = venues.get("binance")
    assert bn.liquidation_price("long", E, Q, M, taker_fee=0.01) == bn.liquidation_price(
        "long", E, Q, M)


def test_dydx_and_hyperliquid_flat_rates_on_mark_basis():
    for key, rate in (("dydx", 0.012), ("hyperliquid", 1 / 80)):
        hand = (Q * E - M) / (Q * (1 - rate))
        assert venues.get(key).liquidation_price("long", E, Q, M) == pytest.approx(hand, rel=1e-12)
        hand_short = (Q * E + M) / (Q * (1 + rate))
        assert venues.get(key).liquidation_price("short", E, Q, M) == pytest.approx(hand_short,
                                                                                   rel=1e-12)


def test_bitmex_is_inverse_entry_basis_with_whole_position_steps():
    bitmex = venues.get("bitmex")
    contracts, margin = 10_000.0, 1 / 60  # 10,000 USD of XBTUSD, 1,000 USD of XBT at entry
    # coin equity M + QV(1/E - 1/P) = (QV/E) m  ->  P = QV / (M + (1 - m) QV/E)
    value = contracts / E
    hand = contracts / (margin + (1 - 0.005) * value)
    assert bitmex.liquidation_price("long", E, contracts, margin) == pytest.approx(hand, rel=1e-12)
    # a 230 XBT position is one step above the base limit: the WHOLE position pays 1 %
    big = 230 * E
    hand_big = big / (10.0 + (1 - 0.01) * 230)
    assert bitmex.liquidation_price("long", E, big, 10.0) == pytest.approx(hand_big, rel=1e-12)
    assert bitmex.bankruptcy_price("long", E, contracts, margin) == pytest.approx(
        contracts / (margin + value), rel=1e-12)


def test_explicit_mmr_overrides_the_table():
    bn = venues.get("binance")
    assert bn.liquidation_price("long", E, Q, M, mmr=0.005) == ll.liquidation_price(
        "long", E, Q, M, 0.005)


def test_bad_inputs_name_the_parameter():
    bn = venues.get("binance")
    with pytest.raises(ValueError, match="side must be one of 'long', 'short'"):
        bn.liquidation_price("flat", E, Q, M)
    with pytest.raises(ValueError, match="entry_price must be finite and > 0"):
        bn.liquidation_price("long", -1.0, Q, M)
    with pytest.raises(ValueError, match="quantity must be finite and > 0"):
        venues.get("bitmex").liquidation_price("long", E, 0.0, 0.01)
    with pytest.raises(ValueError, match="at or below the maintenance margin"):
        venues.get("bybit").liquidation_price("long", E, Q, 10.0)


def test_bankruptcy_price_ignores_fees_for_every_linear_venue():
    for key in ("binance", "bybit", "okx", "dydx", "hyperliquid"):
        assert venues.get(key).bankruptcy_price("long", E, Q, M) == 54_000.0
        assert venues.get(key).bankruptcy_price("short", E, Q, M) == 66_000.0


@given(side=st.sampled_from(["long", "short"]),
       lev=st.floats(min_value=1.5, max_value=40.0),
       key=st.sampled_from(["binance", "bybit", "dydx", "hyperliquid"]))
def test_liquidation_lies_between_entry_and_bankruptcy(side, lev, key):
    vn = venues.get(key)
    margin = Q * E / lev
    liq = vn.liquidation_price(side, E, Q, margin)
    bkr = vn.bankruptcy_price(side, E, Q, margin)
    if side == "long":
        assert bkr <= liq < E
    else:
        assert E < liq <= bkr


# ---------------------------------------------------------- liquidation_prices
def test_liquidation_prices_prices_the_same_dollar_position_everywhere():
    prices = venues.liquidation_prices("long", E, Q, M,
                                       assumptions={"okx": {"mmr": 0.004, "taker_fee": 0.0005}})
    assert list(prices) == [venues.get(k).name for k in venues.names()]
    assert prices["BitMEX"] == venues.get("bitmex").liquidation_price("long", E, Q * E, M / E)
    assert prices["Bybit"] == venues.get("bybit").liquidation_price("long", E, Q, M)
    assert max(prices, key=prices.get) == "BitMEX"  # the inverse long goes first
    assert all(54_000.0 < p < E for p in prices.values())


def test_liquidation_prices_says_which_assumption_is_missing():
    with pytest.raises(ValueError, match=r"OKX.*assumptions=\{'okx'"):
        venues.liquidation_prices("long", E, Q, M)
    with pytest.raises(ValueError, match="venue must be one of"):
        venues.liquidation_prices("long", E, Q, M, assumptions={"ftx": {"mmr": 0.01}})


def test_existing_api_unchanged():
    vn = venues.get("okx")
    assert vn.liquidation_kwargs(taker_fee=0.0005) == {"mm_basis": "mark", "fee_rate": 0.0005}
    assert venues.get("bitmex").contract_size == 1.0
    assert all(venues.get(k).contract_size is None for k in venues.names() if k != "bitmex")
    assert math.isinf(venues.get("dydx").tiers.max_notional)
