"""``python -m liqlearn simulate``: JSON ledger, table, errors."""

from __future__ import annotations

import io
import json
import math
import subprocess
import sys

import pytest

from liqlearn.cli import main
from liqlearn.cli.simulate import _progress


def run_json(capsys, *args):
    assert main(["simulate", *args, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


@pytest.mark.parametrize("scenario", ["flash-crash", "wick", "grind", "gap", "cascade"])
@pytest.mark.parametrize("seed", [0, 7])
def test_json_ledger_balances(capsys, scenario, seed):
    out = run_json(capsys, scenario, "--seed", str(seed), "--accounts", "120", "--steps", "80")
    for key in ("liquidations", "liquidation_rounds", "adl_events", "bad_debt", "ledger"):
        assert key in out
    led = out["ledger"]
    total = led["wallets"] + led["unrealized_pnl"] + led["insurance_fund"] + led["fees"]
    assert math.isclose(total, led["closing_total"], rel_tol=1e-12)
    assert math.isclose(led["closing_total"], led["deposits"] + led["insurance_fund_initial"],
                        rel_tol=1e-9)


def test_table_output(capsys):
    assert main(["simulate", "gap", "--seed", "1", "--accounts", "100", "--steps", "60"]) == 0
    out = capsys.readouterr().out
    assert "liquidations" in out and "ledger (USDT):" in out and "balances" in out
    assert "yes" in out.splitlines()[-1]


def test_bad_arguments_exit_2_without_traceback():
    proc = subprocess.run([sys.executable, "-m", "liqlearn", "simulate", "gap", "--accounts",
                           "0"], capture_output=True, text=True)
    assert proc.returncode == 2
    assert "accounts must be an integer >= 1" in proc.stderr
    assert "Traceback" not in proc.stderr
    proc = subprocess.run([sys.executable, "-m", "liqlearn", "simulate", "meltdown"],
                          capture_output=True, text=True)
    assert proc.returncode == 2 and "invalid choice" in proc.stderr


class FakeTTY(io.StringIO):
    def isatty(self):
        return True


def test_progress_bar_only_on_tty_or_long_runs():
    assert _progress(10, long_run=False, stream=io.StringIO()) is None
    tty = FakeTTY()
    bar = _progress(10, long_run=False, stream=tty)
    for k in range(10):
        bar(k)
    assert "100 %" in tty.getvalue() and "\r[" in tty.getvalue()
    log = io.StringIO()
    lines = _progress(50, long_run=True, stream=log)
    for k in range(50):
        lines(k)
    assert log.getvalue().count("\n") == 11  # 0 %, 10 %, ..., 100 %
