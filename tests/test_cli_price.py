"""``python -m liqlearn price`` (subprocess: exit codes, stdout, stderr)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

import liqlearn as ll

BASE = ["--side", "long", "--entry", "60000", "--margin", "1000", "--mmr", "0.005"]


def cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "liqlearn", "price", *args],
                          capture_output=True, text=True, timeout=60)


def test_primer_text_output():
    r = cli(*BASE, "--leverage", "10")
    assert r.returncode == 0, r.stderr
    assert "liquidation price  54,271.36" in r.stdout
    assert "bankruptcy price   54,000.00" in r.stdout
    assert "P_liq = (Q*E - s*(M + c)) / (Q*(1 - s*(m + f)))" in r.stdout
    assert "Binance" in r.stdout and r.stderr == ""


def test_json_output_matches_the_library():
    r = cli(*BASE, "--quantity", "0.2", "--basis", "entry", "--fee-rate", "0.0005",
            "--maintenance-amount", "5", "--json")
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    assert out["contract"] == "linear" and out["quantity"] == 0.2
    assert out["leverage"] == pytest.approx(12.0)
    assert out["liquidation_price"] == pytest.approx(ll.liquidation_price(
        "long", 60_000, 0.2, 1_000, 0.005, 5, fee_rate=0.0005, mm_basis="entry"), rel=1e-15)
    assert out["bankruptcy_price"] == pytest.approx(ll.bankruptcy_price(
        "long", 60_000, 0.2, 1_000, fee_rate=0.0005), rel=1e-15)
    assert "E*(1 + s*(m + f))" in out["formula"]


def test_leverage_sets_the_quantity():
    out = json.loads(cli(*BASE, "--leverage", "10", "--json").stdout)
    assert out["quantity"] == pytest.approx(1 / 6)
    assert out["liquidation_price"] == pytest.approx(54_271.36, abs=0.005)


def test_a_long_at_1x_says_none():
    r = cli(*BASE[:-4], "--margin", "10000", "--mmr", "0.005", "--quantity", str(1 / 6))
    assert r.returncode == 0, r.stderr
    assert "none (the long cannot be liquidated: 0.0)" in r.stdout


def test_inverse():
    args = ["--side", "long", "--entry", "50000", "--margin", "0.1", "--leverage", "2",
            "--mmr", "0.005", "--inverse", "--contract-size", "100"]
    r = cli(*args, "--json")
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    assert out["contract"] == "inverse" and out["contracts"] == pytest.approx(100.0)
    assert out["liquidation_price"] == pytest.approx(33_500.0)
    assert out["bankruptcy_price"] == pytest.approx(100_000 / 3)


def test_inverse_short_that_cannot_be_liquidated():
    args = ["--side", "short", "--entry", "50000", "--margin", "0.2", "--leverage", "1",
            "--mmr", "0.005", "--inverse", "--contract-size", "100"]
    out = json.loads(cli(*args, "--json").stdout)  # strict JSON: no bare Infinity
    assert out["liquidation_price"] == "inf" and out["bankruptcy_price"] == "inf"
    text = cli(*args).stdout
    assert "none (the short can never be liquidated: inf)" in text


@pytest.mark.parametrize("args, message", [
    (BASE[:5] + ["-1"] + BASE[6:] + ["--leverage", "10"],
     "error: margin must be finite and >= 0; got -1.0"),
    (["--side", "long", "--entry", "-5", "--margin", "1000", "--mmr", "0.005", "--leverage", "2"],
     "error: entry_price must be finite and > 0; got -5.0"),
    (BASE + ["--leverage", "0"], "error: leverage must be finite and > 0; got 0.0"),
    (BASE + ["--quantity", "-1"], "error: quantity must be finite and > 0; got -1.0"),
    (BASE[:-2] + ["--mmr", "1.5", "--leverage", "10"], "error: mmr must be in [0, 1)"),
    (BASE + ["--leverage", "300"], "error: margin 1000.0 is at or below the maintenance margin"),
    (BASE + ["--leverage", "10", "--fee-rate", "2"], "error: fee_rate must be in [0, 1)"),
    (BASE + ["--leverage", "10", "--inverse"], "error: --inverse needs --contract-size"),
    (BASE + ["--leverage", "10", "--contract-size", "100"],
     "error: --contract-size only applies with --inverse"),
    (BASE[:4] + ["--margin", "0"] + BASE[6:] + ["--leverage", "10"],
     "error: margin must be > 0 when --leverage is given"),
    (BASE + ["--leverage", "10", "--inverse", "--contract-size", "-1"],
     "error: contract_size must be finite and > 0"),
])
def test_errors_exit_2_with_a_message_and_no_traceback(args, message):
    r = cli(*args)
    assert r.returncode == 2
    assert message in r.stderr, r.stderr
    assert "Traceback" not in r.stderr and r.stdout == ""


@pytest.mark.parametrize("args, fragment", [
    (BASE, "one of the arguments --leverage --quantity is required"),
    (BASE + ["--leverage", "10", "--quantity", "1"], "not allowed with argument"),
    (["--side", "flat", "--entry", "1", "--margin", "1", "--mmr", "0", "--leverage", "2"],
     "invalid choice: 'flat'"),
    (BASE + ["--leverage", "ten"], "invalid float value: 'ten'"),
    (BASE + ["--leverage", "10", "--basis", "last"], "invalid choice: 'last'"),
])
def test_argparse_errors_also_exit_2(args, fragment):
    r = cli(*args)
    assert r.returncode == 2 and fragment in r.stderr and "Traceback" not in r.stderr


VENUE_BASE = ["--side", "long", "--entry", "60000", "--margin", "1000", "--leverage", "10"]


@pytest.mark.parametrize("name", ll.venues.names())
def test_venue_preset_gives_the_venue_price(name):
    """--venue NAME prices the position as ``liqlearn.venues`` does, and names the preset's date."""
    vn = ll.venues.get(name)
    margin = 0.1 if vn.contract == "inverse" else 1_000.0
    args = ["--side", "short", "--entry", "60000", "--margin", str(margin), "--leverage", "5",
            "--venue", name, "--json"]
    extra = {}
    if vn.fee_in_trigger and vn.taker_fee is None:
        args += ["--fee-rate", "0.0005"]
        extra["taker_fee"] = 0.0005
    if vn.tiers is None:
        args += ["--mmr", "0.004"]
        extra["mmr"] = 0.004
    r = cli(*args)
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    size = out["contracts"] if vn.contract == "inverse" else out["quantity"]
    expected = vn.liquidation_price("short", 60_000, size, margin, **extra)
    assert out["liquidation_price"] == pytest.approx(expected, rel=1e-12)
    assert out["venue"] == vn.name and out["venue_date_read"] == vn.date_read
    assert out["mm_basis"] == vn.mm_basis


def test_venue_text_output_names_the_preset_and_its_date():
    r = cli(*VENUE_BASE, "--venue", "binance")
    assert r.returncode == 0, r.stderr
    vn = ll.venues.get("binance")
    assert f"preset: {vn.name} {vn.product} (read {vn.date_read};" in r.stdout
    assert f"liquidation price  {vn.liquidation_price('long', 60_000, 1 / 6, 1_000):,.2f}" in r.stdout


def test_your_rate_and_fee_tier_override_the_venue():
    r = cli(*VENUE_BASE, "--venue", "binance", "--mmr", "0.005", "--json")
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    assert out["liquidation_price"] == pytest.approx(
        ll.venues.get("binance").liquidation_price("long", 60_000, 1 / 6, 1_000, mmr=0.005),
        rel=1e-12)
    assert out["venue"] == "Binance" and out["mm_basis"] == "mark"
    r = cli(*VENUE_BASE, "--venue", "okx", "--mmr", "0.004", "--fee-rate", "0.0002", "--json")
    out = json.loads(r.stdout)
    okx = ll.venues.get("okx")
    assert out["liquidation_price"] == pytest.approx(
        okx.liquidation_price("long", 60_000, 1 / 6, 1_000, mmr=0.004, taker_fee=0.0002), rel=1e-12)
    # a venue's bankruptcy price holds no fee, whatever the fee reserved in its trigger
    assert out["bankruptcy_price"] == pytest.approx(
        okx.bankruptcy_price("long", 60_000, 1 / 6, 1_000), rel=1e-12)


@pytest.mark.parametrize("args, message", [
    (["--venue", "nowhere"], "venue must be one of 'binance', 'bybit'"),
    ([], "give --mmr (the maintenance-margin rate) or --venue NAME"),
    (["--venue", "binance", "--maintenance-amount", "5"], "--maintenance-amount needs --mmr"),
    (["--venue", "binance", "--inverse", "--contract-size", "100"], "preset's contract is linear"),
    (["--venue", "binance", "--inverse"], "is a linear contract"),
    (["--venue", "binance", "--basis", "entry"], "computes on the mark basis"),
    (["--venue", "binance", "--fee-rate", "0.0005"], "reserves no close fee"),
])
def test_venue_errors_name_what_to_do(args, message):
    r = cli(*VENUE_BASE, *args)
    assert r.returncode == 2 and message in r.stderr and "Traceback" not in r.stderr


def test_cross_mark_and_tick_match_the_library():
    r = cli("--side", "long", "--entry", "60000", "--margin", "10000", "--quantity", "1",
            "--mmr", "0.004", "--other", "short:10:3000:2900:0.005", "--mark", "58000",
            "--tick", "0.1", "--json")
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    me = dict(side="long", quantity=1.0, entry_price=60_000, mark_price=58_000, mmr=0.004)
    eth = dict(side="short", quantity=10.0, entry_price=3_000, mark_price=2_900, mmr=0.005)
    assert out["margin_mode"] == "cross" and out["collateral"] == pytest.approx(10_855.0)
    assert out["liquidation_price"] == ll.cross_liquidation_price(10_000, [me, eth], 0)
    assert out["bankruptcy_price"] == ll.bankruptcy_price("long", 60_000, 1.0, 11_000.0)
    assert out["margin_ratio"] == ll.margin_ratio("long", 60_000, 58_000, 1.0, 10_855.0, 0.004)
    assert out["liquidation_price_rounded"] == ll.round_to_tick(out["liquidation_price"], 0.1, "long")
    assert out["distance_to_liquidation"] == pytest.approx(
        (58_000 - out["liquidation_price"]) / 58_000, rel=1e-15)


@pytest.mark.parametrize("extra, message", [
    (["--other", "short:10:3000"], "--other must be SIDE:QUANTITY:ENTRY:MARK:MMR[:AMOUNT]"),
    (["--other", "short:10:3000:2900:0.005", "--basis", "entry"], "--basis must be mark"),
    (["--other", "short:10:3000:2900:0.005", "--fee-rate", "0.001"], "--fee-rate must be 0"),
    (["--mark", "0"], "mark_price must be finite and > 0; got 0.0"),
])
def test_cross_and_mark_refusals(extra, message):
    r = cli(*BASE, "--leverage", "10", *extra)
    assert r.returncode == 2 and message in r.stderr, r.stderr


def test_browser_command_writes_the_twin(tmp_path, capsys):
    from liqlearn.__main__ import main
    from liqlearn.browser import FILES

    assert main(["browser", "--out", str(tmp_path)]) == 0
    assert capsys.readouterr().out.split() == [str(tmp_path / name) for name in FILES]

    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(FILES)
    text = (tmp_path / "formulas.mjs").read_text(encoding="utf-8")
    assert "export const FORMULAS" in text and all(f'"{n}":' in text for n in ll.FORMULAS)
