"""Per-fact provenance of the venue presets: every fact has a source, a date read and a status."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from liqlearn import venues
from liqlearn.venues.data import FACT_NAMES, PRESETS, STATUSES, Fact

NAMES = venues.names()
TODAY = dt.date(2026, 12, 1)  # the date of the latest reading; no fact may be dated later
ALL = [(k, n) for k in NAMES for n in venues.get(k).facts]


@pytest.mark.parametrize("key, name", ALL)
def test_every_fact_has_a_source_a_date_and_a_status(key, name):
    f = venues.get(key).fact(name)
    assert isinstance(f, Fact)
    assert f.title.strip() and f.url.startswith("https://")
    read = dt.date.fromisoformat(f.date_read)
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", f.date_read)
    assert dt.date(2026, 1, 1) <= read <= TODAY and read <= dt.date.today()
    assert f.status in STATUSES
    if f.status != "read":  # anything short of a plain reading says why
        assert f.note.strip()


@pytest.mark.parametrize("key", NAMES)
def test_each_preset_carries_every_fact_and_its_fields_repeat_them(key):
    vn = venues.get(key)
    assert set(FACT_NAMES) <= set(vn.facts)
    assert vn.mm_basis == vn.fact("mm_basis").value
    assert vn.fee_in_trigger is vn.fact("fee_in_trigger").value
    assert (vn.maker_fee, vn.taker_fee) == tuple(vn.fact("fees").value)
    assert vn.liquidation_fee == vn.fact("liquidation_fee").value
    assert vn.adl == vn.fact("adl").value and vn.insurance_fund == vn.fact("insurance_fund").value
    assert vn.partial_liquidation == vn.fact("partial_liquidation").value
    rows = vn.fact("tiers").value
    if rows is None:
        assert vn.tiers is None
    else:
        assert [(t.cap, t.mmr) for t in vn.tiers.rows] == [tuple(r) for r in rows]
    assert vn.date_read == max(f.date_read for f in vn.facts.values())
    assert dict(vn.sources) == {n: f.url for n, f in vn.facts.items()}


def test_date_read_is_the_latest_reading_and_presets_match_the_data():
    assert venues.DATE_READ == max(venues.get(k).date_read for k in NAMES)
    assert [p["name"] for p in PRESETS] == [venues.get(k).name for k in NAMES]


def test_facts_not_found_again_keep_their_first_reading():
    stale = [(k, n) for k, n in ALL if venues.get(k).fact(n).status == "not re-verified"]
    assert stale  # some facts could not be re-read: they say so
    for k, n in stale:
        assert venues.get(k).fact(n).date_read < venues.DATE_READ


def test_bybit_follows_its_2026_page_and_says_what_is_carried_over():
    bybit = venues.get("bybit")
    basis = bybit.fact("mm_basis")
    assert basis.value == "mark" and "2026-05-27" in basis.title
    assert basis.status == "assumption" and "carried over" in basis.note and "2024" in basis.note
    fee = bybit.fact("fee_in_trigger")
    assert fee.value is False and "Estimated Fee to Close" in fee.note
    assert "cancels" in venues.fact_text(bybit, "fee_in_trigger")


def test_hyperliquid_partial_liquidation_is_from_a_secondary_source():
    f = venues.get("hyperliquid").fact("partial_liquidation")
    assert f.status == "secondary" and "20 %" in f.value


def test_fact_rejects_unknown_names():
    with pytest.raises(ValueError, match="fact must be one of 'tiers'"):
        venues.get("binance").fact("colour")


def test_rendering_a_fact_shows_its_value_source_and_date():
    text = venues.cite("dydx", "liquidation_fee")
    assert text.startswith("1.5 % ([dYdX: ") and "read 2026-12-01)" in text
    stale = venues.cite("bitmex", "tiers")
    assert "read 2026-11-25 (not re-verified)" in stale
    table = venues.facts_markdown("okx").splitlines()
    assert table[0] == "| fact | value | source | read | status | note |"
    assert len(table) == 2 + len(venues.get("okx").facts)
    assert venues.get("okx").fact_markdown("adl").startswith("when the fund is insufficient")


def test_summary_markdown_dates_each_fact():
    lines = venues.summary_markdown(("venue", "mm_basis", "clearance_fee")).splitlines()
    for key, line in zip(NAMES, lines[2:]):
        vn = venues.get(key)
        for name in ("mm_basis", "liquidation_fee"):
            f = vn.fact(name)
            assert f"[read {f.date_read}]({f.url})" in line
    bybit = next(line for line in lines if "[Bybit]" in line)
    assert "assumption" in bybit
