"""Every command's ``--help`` prints and exits 0 (a "%" in a help text once crashed argparse)."""

from __future__ import annotations

import subprocess
import sys

import pytest

from liqlearn.cli import COMMANDS, main


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_every_command_help_works(command, capsys):
    with pytest.raises(SystemExit) as exc:
        main([command, "--help"])
    assert exc.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith("usage: python -m liqlearn " + command)
    assert COMMANDS[command][1] in " ".join(out.split())


def test_top_level_help_lists_every_command(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["--help"])
    assert exc.value.code == 0
    out = capsys.readouterr().out
    assert all(name in out for name in COMMANDS)


def test_simulate_help_from_a_fresh_interpreter():
    # the scenario descriptions hold "%": argparse must print them, not format them
    res = subprocess.run([sys.executable, "-m", "liqlearn", "simulate", "--help"],
                         capture_output=True, text=True, timeout=120)
    assert res.returncode == 0, res.stderr
    assert "15 %" in " ".join(res.stdout.split()) and "Traceback" not in res.stderr
