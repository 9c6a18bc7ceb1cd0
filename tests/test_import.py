"""``import liqlearn`` stays light: no SymPy, matplotlib or ipywidgets until needed."""

from __future__ import annotations

import subprocess
import sys

HEAVY = ("sympy", "matplotlib", "ipywidgets")


def imported_after(code: str) -> set[str]:
    probe = (f"{code}\nimport sys\n"
             f"print(','.join(m for m in {HEAVY!r} if m in sys.modules))")
    r = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    return {m for m in r.stdout.strip().split(",") if m}


def test_import_liqlearn_is_light():
    assert imported_after("import liqlearn") == set()


def test_the_numeric_core_is_light_too():
    code = ("import liqlearn as ll\n"
            "ll.liquidation_price('long', 60000, 1/6, 1000, 0.005)\n"
            "ll.bankruptcy_price('short', 60000, 1/6, 1000)\n"
            "ll.MaintenanceTiers([(5e4, 0.004)]).bracket(1e3)\n"
            "ll.cross_liquidation_price(1e4, [dict(side='long', quantity=1.0, "
            "entry_price=6e4, mark_price=6e4, mmr=0.004)], 0)\n"
            "import liqlearn.venues, liqlearn.cli.price\n")
    assert imported_after(code) == set()


def test_the_registry_loads_sympy_on_demand():
    assert "sympy" in imported_after("import liqlearn\nliqlearn.FORMULAS")


def test_version_and_py_typed():
    import pathlib

    import liqlearn

    assert liqlearn.__version__
    assert (pathlib.Path(liqlearn.__file__).parent / "py.typed").exists()
