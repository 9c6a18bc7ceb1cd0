"""Venue presets (liqlearn.venues): well-formed, dated, sourced, usable."""

from __future__ import annotations

import datetime as dt
import math

import pytest

import liqlearn as ll
from liqlearn import venues
from liqlearn.formulas.tiers import MaintenanceTiers

NAMES = ["binance", "bybit", "okx", "bitmex", "dydx", "hyperliquid"]


def test_all_six_venues_in_dropdown_order():
    assert venues.names() == NAMES
    assert list(venues.VENUES) == NAMES


@pytest.mark.parametrize("name", NAMES)
def test_each_venue_is_sourced_dated_and_consistent(name):
    vn = venues.get(name)
    assert vn.source.startswith("https://")
    assert all(url.startswith("https://") for url in vn.sources.values())
    dt.date.fromisoformat(vn.date_read)
    assert vn.as_of
    assert vn.mm_basis in ("mark", "entry")
    assert vn.contract in ("linear", "inverse")
    assert vn.tier_rule in ("marginal", "whole_position")
    assert vn.insurance_fund and vn.adl
    for fee in (vn.maker_fee, vn.taker_fee, vn.liquidation_fee):
        assert fee is None or -0.01 < fee < 0.05
    if vn.tiers is not None:
        assert isinstance(vn.tiers, MaintenanceTiers)
        if vn.max_leverage is not None:
            assert len(vn.max_leverage) == len(vn.tiers)
            # a bracket's maintenance rate never exceeds its initial margin 1/L
            for lev, rate in zip(vn.max_leverage, vn.tiers.rates):
                assert rate <= 1 / lev + 1e-12
    else:
        assert "None" in vn.notes  # the gap is explained


def test_get_is_case_insensitive_and_rejects_unknown_names():
    assert venues.get("Binance") is venues.get("binance")
    with pytest.raises(ValueError, match=r"venue must be one of 'binance', 'bybit'.*got 'ftx'"):
        venues.get("FTX")
    with pytest.raises(ValueError, match="venue must be one of"):
        venues.get(3)


def test_the_disclaimer_says_illustrative_and_dated():
    assert "Illustrative, dated" in venues.DISCLAIMER
    assert "illustrative" in venues.__doc__.lower() and "dated" in venues.__doc__.lower()
    html = venues.get("bybit")._repr_html_()
    assert "Illustrative, dated" in html and "<table" in html


@pytest.mark.parametrize("name", ["binance", "bybit", "dydx", "hyperliquid"])
def test_linear_venues_plug_into_liquidation_price(name):
    vn = venues.get(name)
    kw = vn.liquidation_kwargs()
    for side in ("long", "short"):
        p = ll.liquidation_price(side, 60_000.0, 1 / 6, 1_000.0, **kw)
        assert (p < 60_000.0) if side == "long" else (p > 60_000.0)


def test_okx_needs_a_fee_and_its_own_mmr():
    okx = venues.get("okx")
    with pytest.raises(ValueError, match="reserves the close fee: pass taker_fee"):
        okx.liquidation_kwargs()
    kw = okx.liquidation_kwargs(taker_fee=0.0005)
    assert "mmr" not in kw and kw["fee_rate"] == 0.0005 and okx.tier_rule == "whole_position"
    p = ll.liquidation_price("long", 60_000.0, 1.0, 3_000.0, 0.004, **kw)
    assert p == ll.liquidation_price("long", 60_000.0, 1.0, 3_000.0, 0.0045)
    with pytest.raises(ValueError, match=r"taker_fee must be in \[0, 1\)"):
        okx.liquidation_kwargs(taker_fee=-0.1)
    with pytest.raises(ValueError, match="no tier table is recorded for OKX"):
        okx.maintenance(1_000.0)


def test_inverse_and_whole_position_venues_say_what_to_use():
    bitmex = venues.get("bitmex")
    with pytest.raises(ValueError, match="inverse_liquidation_price"):
        bitmex.liquidation_kwargs()
    # whole-position steps: no maintenance amount, the step's rate on everything
    assert bitmex.maintenance(180.0) == (0.005, 0.0)
    assert bitmex.maintenance(200.0) == (0.005, 0.0)
    assert bitmex.maintenance(201.0) == (0.01, 0.0)
    with pytest.raises(ValueError, match="above the last tier's cap"):
        bitmex.maintenance(1_000.0)


def test_open_ended_tables():
    assert venues.get("hyperliquid").tiers.bracket(1e12)[0] == pytest.approx(0.025)
    assert math.isinf(venues.get("dydx").tiers.max_notional)
