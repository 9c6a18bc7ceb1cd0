"""The published figures of real liquidation events, and the replays calibrated to them."""

from __future__ import annotations

import re

import numpy as np
import pytest

from liqlearn.markets import events, replays

from _book import ROOT

BIB = (ROOT / "book" / "references.bib").read_text(encoding="utf-8")
CHAPTER = (ROOT / "book" / "liquidations_in_the_wild.md").read_text(encoding="utf-8")
ALL_FIGURES = [(e.key, f) for e in events.EVENTS.values() for f in e.figures]


def bib_entry(key: str) -> str:
    m = re.search(r"@\w+\{" + re.escape(key) + r",(.*?)\n\}", BIB, re.S)
    assert m, f"{key} is not in book/references.bib"
    return m.group(1)


def bib_field(entry: str, name: str) -> str:
    m = re.search(r"^\s*" + name + r"\s*=\s*\{(.*)\},?\s*$", entry, re.M)
    assert m, f"no {name} in {entry[:80]!r}"
    return m.group(1)


# ---------------------------------------------------------------- figures and sources
@pytest.mark.parametrize("event,figure", ALL_FIGURES, ids=[f"{k}:{f.name}" for k, f in ALL_FIGURES])
def test_every_figure_has_a_dated_source(event, figure):
    assert figure.sources
    for key in figure.sources:
        s = events.source(key)
        assert s.title and s.publisher and s.url.startswith("http")
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", s.date_read)
        assert s.date_read == events.DATE_READ == "2026-12-01"
    assert figure.unit and figure.measures


@pytest.mark.parametrize("event,figure", ALL_FIGURES, ids=[f"{k}:{f.name}" for k, f in ALL_FIGURES])
def test_ranges_are_ordered_and_values_nonnegative(event, figure):
    lo, hi = figure.bounds
    assert 0 <= lo <= hi
    assert figure.is_range == (lo < hi)
    assert lo <= figure.mid <= hi


@pytest.mark.parametrize("key", list(events.SOURCES))
def test_every_source_is_in_the_bibliography_with_its_url_and_date_read(key):
    s = events.SOURCES[key]
    entry = bib_entry(key)
    assert bib_field(entry, "url") == s.url
    assert bib_field(entry, "urldate") == s.date_read


def test_every_source_is_used_and_every_event_cites_several():
    used = {k for _, f in ALL_FIGURES for k in f.sources}
    cited = set(re.findall(r"\{cite:[pt]\}`([^`]+)`", CHAPTER))
    cited = {k.strip() for c in cited for k in c.split(",")}
    assert set(events.SOURCES) <= used | cited, "sources neither behind a figure nor cited"
    assert cited <= set(events.SOURCES), "the chapter cites a source missing from the module"
    for e in events.EVENTS.values():
        assert len(e.sources()) >= 3, e.key
        assert {s.kind for s in e.sources()} & {"venue", "research"}, (
            f"{e.key}: only press reports")


def test_the_three_events_and_their_estimates():
    assert list(events.EVENTS) == ["2020-03-12", "2021-05-19", "2025-10-10"]
    oct25 = events.get("2025-10-10")
    est, rep = oct25.figure("true_total_estimate"), oct25.figure("total_liquidations")
    assert est.estimate and not rep.estimate
    assert est.low > rep.high        # the estimate exceeds everything reported
    assert "auto-deleveraging" in oct25.mechanisms
    assert events.get("2020-03-12").figure("adl_events").value == 0


def test_markdown_table_has_a_row_and_links_per_figure():
    for e in events.EVENTS.values():
        lines = e.markdown().splitlines()
        assert len(lines) == 2 + len(e.figures)
        for line, f in zip(lines[2:], e.figures):
            assert f.formatted() in line
            for k in f.sources:
                assert f"]({events.SOURCES[k].url})" in line
            assert ("estimate" if f.estimate else "reported") in line


def test_bad_figures_and_lookups_are_rejected():
    with pytest.raises(ValueError, match="low < high"):
        events.Figure("x", (2.0, 1.0), "USD", "something", ("bitmex_if_2020",))
    with pytest.raises(ValueError, match="at least one source"):
        events.Figure("x", 1.0, "USD", "something", ())
    with pytest.raises(ValueError, match="unknown source"):
        events.Figure("x", 1.0, "USD", "something", ("nowhere",))
    with pytest.raises(ValueError, match="date_read"):
        events.Source("k", "t", "p", "https://x", "press", "1 Dec 2026")
    with pytest.raises(ValueError, match="event must be one of"):
        events.get("1999-01-01")
    with pytest.raises(ValueError, match="no figure"):
        events.get("2021-05-19").figure("nonsense")


# ---------------------------------------------------------------- calibration
def test_calibration_comes_from_the_published_figures():
    m = events.get("2020-03-12")
    cal = replays.calibration("2020-03-12")
    expected = (m.figure("leg1_low").mid / m.figure("btc_high").mid) * (
        m.figure("btc_low").mid / m.figure("leg2_start").value)
    assert cal.trough == pytest.approx(expected)
    assert cal.legs[1].steps * cal.minutes_per_step == pytest.approx(   # to half a step
        m.figure("leg2_minutes").value, abs=cal.minutes_per_step / 2)
    may = replays.calibration("2021-05-19")
    assert may.trough == pytest.approx(1 - events.get("2021-05-19").figure("btc_fall").mid)
    assert may.steps * may.minutes_per_step == pytest.approx(
        events.get("2021-05-19").figure("round_trip_hours").value * 60)
    oct25 = replays.calibration("2025-10-10")
    assert oct25.trough == pytest.approx(
        1 - events.get("2025-10-10").figure("average_decline").mid)
    assert oct25.steps * oct25.minutes_per_step == events.get("2025-10-10").figure(
        "cascade_minutes").value
    assert oct25.bid_gap == events.get("2025-10-10").figure("bid_bands").low
    for key in events.EVENTS:
        c = replays.calibration(key)
        assert c.steps <= 200 and len(c.index_path()) == c.steps
        assert c.expected in replays.LAYERS and c.expected in events.get(key).mechanisms


@pytest.fixture(scope="module")
def runs():
    return {k: replays.replay(k) for k in events.EVENTS}


def test_march_fund_matches_the_published_drawdown(runs):
    m = events.get("2020-03-12")
    target = m.figure("fund_largest_fall").value / m.figure("fund_size").mid
    assert runs["2020-03-12"].summary()["fund_drawdown"] == pytest.approx(target, rel=1e-6)


# ---------------------------------------------------------------- replays
@pytest.mark.parametrize("key", list(events.EVENTS))
def test_replay_conserves_money(key, runs):
    led = runs[key].result.ledger
    assert abs(led["difference"]) <= 1e-9 * (led["deposits"] + led["insurance_fund_initial"])
    assert runs[key].result.accounts == 300


@pytest.mark.parametrize("key", list(events.EVENTS))
def test_replay_is_deterministic(key, runs):
    again = replays.replay(key)
    assert again.summary() == runs[key].summary()
    assert again.result.to_records() == runs[key].result.to_records()
    other = replays.replay(key, seed=1)
    assert other.summary() != runs[key].summary()


@pytest.mark.parametrize("key", list(events.EVENTS))
def test_outcome_accounts_for_every_liquidated_bitcoin(key, runs):
    o = runs[key].outcome
    assert o.liquidated > 0
    assert o.order_book + o.insurance_fund + o.auto_deleveraging == pytest.approx(
        o.liquidated, rel=1e-9)
    assert sum(o.shares().values()) == pytest.approx(1.0)


@pytest.mark.parametrize("key", list(events.EVENTS))
def test_deciding_mechanism_is_what_the_chapter_says(key, runs):
    r = runs[key]
    assert r.mechanism == r.calibration.expected
    # the chapter's takeaway for the event names that mechanism
    takeaways = CHAPTER.split("## Key takeaways", 1)[1].split("## Exercises", 1)[0]
    label = {"2020-03-12": "March 2020", "2021-05-19": "May 2021",
             "2025-10-10": "October 2025"}[key]
    bullet = next(b for b in takeaways.split("\n- ") if b.startswith(label))
    assert r.mechanism in " ".join(bullet.split())


def test_deciding_mechanism_rule():
    o = replays.Outcome(10.0, 8.0, 1.5, 0.5)
    assert o.mechanism == "insurance fund"       # ADL closed 5 %, below a tenth
    assert replays.Outcome(10.0, 5.0, 3.0, 2.0).mechanism == "auto-deleveraging"
    assert replays.Outcome(10.0, 10.0, 0.0, 0.0).mechanism == "order book"
    assert replays.Outcome(0.0, 0.0, 0.0, 0.0).mechanism == "none"


def test_what_moves_the_outcome():
    """Thinner books hand the May move to the fund; a bigger fund takes part of October's ADL."""
    thin = replays.replay("2021-05-19", depth_ratio=1.0)
    assert thin.outcome.shares()["insurance fund"] > 0.10
    big = replays.replay("2025-10-10", fund_share=0.2)
    calibrated = replays.replay("2025-10-10")
    assert big.outcome.shares()["auto-deleveraging"] < calibrated.outcome.shares()[
        "auto-deleveraging"]
    small = replays.replay("2020-03-12", fund_share=0.01)
    assert small.mechanism == "auto-deleveraging"


def test_index_paths_follow_the_legs():
    c = replays.calibration("2020-03-12")
    path = c.index_path()
    assert path.min() / replays.P0 == pytest.approx(c.trough)
    assert np.all(np.diff(path) <= 1e-9)            # two falls and two pauses


def test_bad_replay_input_is_rejected():
    with pytest.raises(ValueError, match="seed"):
        replays.replay("2021-05-19", seed=-1)
    with pytest.raises(ValueError, match="accounts"):
        replays.replay("2021-05-19", accounts=5)
    with pytest.raises(ValueError, match="unknown override 'mmr'"):
        replays.replay("2021-05-19", mmr=0.01)
    with pytest.raises(ValueError, match="event must be one of"):
        replays.calibration("2022-11-08")


def test_numbers_in_the_event_sections_come_from_the_module():
    """Every number typed in the prose about the events is a figure (or is in a figure's note)."""
    prose = CHAPTER.split("## Replaying the events", 1)[0].split("(liquidations_in_the_wild)=", 1)[1]
    prose = re.sub(r"```\{code-cell\}.*?```", "", prose, flags=re.S)
    prose = re.sub(r"\{(?:cite:[pt]|ref)\}`[^`]*`", "", prose)
    hay = []
    for e in events.EVENTS.values():
        hay += [e.summary, e.reporting, e.dates]
        for f in e.figures:
            hay += [f.note, f.measures]
            for x in f.bounds:
                hay += [f"{x:,.0f}", f"{x:g}", f"{100 * x:g}", f"{x / 1e9:g}", f"{x / 1e6:g}"]
    haystack = " ".join(hay).replace(",", "")
    numbers = set(re.findall(r"\d[\d,]*(?:\.\d+)?", prose))
    missing = sorted(n for n in numbers if n.replace(",", "") not in haystack)
    assert not missing, f"numbers in the chapter's event sections not in the module: {missing}"


def test_chapter_tables_render_as_tables():
    """Markdown tables printed by a cell need GFM output parsing (``markdown_format: gfm``)."""
    cells = re.findall(r"```\{code-cell\}[^\n]*\n(.*?)```", CHAPTER, re.S)
    tables = [c for c in cells if ".markdown()" in c]
    assert len(tables) == len(events.EVENTS)
    assert all("markdown_format: gfm" in c for c in tables)
