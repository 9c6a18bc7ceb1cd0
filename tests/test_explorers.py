"""The explorers: compute functions against the public API and the registry, and the views.

The compute functions are checked without any front end; the views are
constructed, every control is swept over its minimum, middle and maximum (or
every option), and each sweep must change the numbers or the picture.
"""

from __future__ import annotations

import functools
import math
import subprocess
import sys

import numpy as np
import pytest

import liqlearn
from liqlearn.formulas import risk as lrisk
from liqlearn.formulas.liquidation import bankruptcy_price, exact_move, liquidation_price, rule_of_thumb_move
from liqlearn.formulas.tiers import MaintenanceTiers

ipywidgets = pytest.importorskip("ipywidgets")
anywidget = pytest.importorskip("anywidget")

from liqlearn import explorers as ex  # noqa: E402
from liqlearn.explorers import (  # noqa: E402
    compute_insurance_fund, compute_leverage, compute_mark_price, compute_risk, compute_slippage,
)

CONSTRUCTORS = {
    "leverage": ex.leverage_explorer,
    "mark_price": ex.mark_price_explorer,
    "slippage": ex.slippage_explorer,
    "insurance_fund": ex.insurance_fund_explorer,
    "risk": ex.risk_explorer,
}
TIERS = MaintenanceTiers([(50_000, 0.004), (600_000, 0.005), (3_000_000, 0.0065),
                          (12_000_000, 0.01)])


@functools.lru_cache(maxsize=None)
def _lambdified(name: str):
    return liqlearn.FORMULAS[name].lambdified()


def registry(name: str, **values: float) -> float:
    """Evaluate a registry entry's SymPy expression (lambdified) at ``values``."""
    f = liqlearn.FORMULAS[name]
    return float(_lambdified(name)(**{k: values[k] for k in f.symbols}))


# ------------------------------------------------------------------ leverage
@pytest.mark.parametrize("side", ["long", "short"])
@pytest.mark.parametrize("basis", ["mark", "entry"])
@pytest.mark.parametrize("lev", [2.0, 10.0, 50.0, 125.0])
def test_leverage_matches_public_api_and_registry(side: str, basis: str, lev: float) -> None:
    e, m, mmr = 60_000.0, 1_000.0, 0.005
    r = compute_leverage(side, e, m, lev, mmr, basis=basis)
    q = m * lev / e
    assert r.quantity == pytest.approx(q)
    assert r.liquidation_price == liquidation_price(side, e, q, m, mmr, mm_basis=basis)
    assert r.bankruptcy_price == bankruptcy_price(side, e, q, m)
    vals = dict(entry_price=e, quantity=q, margin=m, mmr=mmr, maintenance_amount=0.0,
                fee_rate=0.0, leverage=lev)
    assert r.liquidation_price == pytest.approx(
        registry(f"liquidation_price_{side}_{basis}", **vals), rel=1e-12)
    assert r.bankruptcy_price == pytest.approx(registry(f"bankruptcy_price_{side}", **vals),
                                               rel=1e-12)
    assert r.move == pytest.approx(exact_move(side, lev, mmr, basis), rel=1e-9)
    assert r.rough_move == pytest.approx(rule_of_thumb_move(lev, mmr), rel=1e-12)
    if basis == "entry":
        assert r.gap == pytest.approx(0.0, abs=1e-12)
    else:  # the closed form of the rule of thumb's error
        s = 1 if side == "long" else -1
        assert r.gap == pytest.approx(s * mmr * (1 / lev - mmr) / (1 - s * mmr), rel=1e-9)
    # the equity curve crosses the maintenance margin at the liquidation price
    i = int(np.argmin(np.abs(r.equity - r.maintenance)))
    step = r.prices[1] - r.prices[0]
    assert abs(r.prices[i] - r.liquidation_price) <= step
    # the move-versus-leverage curve agrees with exact_move where defined
    ok = np.isfinite(r.curve_exact)
    assert ok.sum() > 10
    np.testing.assert_allclose(r.curve_exact[ok],
                               exact_move(side, r.curve_leverage[ok], mmr, basis), rtol=1e-9)


def test_leverage_with_tiers_matches_liquidation_price() -> None:
    for side in ("long", "short"):
        for lev in (5.0, 20.0, 60.0):
            r = compute_leverage(side, 60_000, 20_000, lev, TIERS)
            q = 20_000 * lev / 60_000
            assert r.liquidation_price == liquidation_price(side, 60_000, q, 20_000, TIERS)
            assert r.tiered and (r.mmr, r.maintenance_amount) == TIERS.bracket(q * 60_000)
            # at the liquidation price, equity equals the tiered maintenance margin
            eq = 20_000 + (1 if side == "long" else -1) * q * (r.liquidation_price - 60_000)
            assert eq == pytest.approx(TIERS.maintenance_margin(q * r.liquidation_price), rel=1e-9)


def test_leverage_edge_cases() -> None:
    r = compute_leverage("long", 60_000, 1_000, 1.0, 0.005)
    assert r.liquidation_price == 0.0 and not r.can_liquidate and r.move == 1.0
    with pytest.raises(ValueError, match="liquidated at once"):
        compute_leverage("long", 60_000, 1_000, 125, 0.01)
    with pytest.raises(ValueError, match="above the last tier's cap"):
        compute_leverage("long", 60_000, 1_000_000, 50, TIERS)
    with pytest.raises(ValueError, match="side"):
        compute_leverage("sideways", 60_000, 1_000, 10, 0.005)


# ---------------------------------------------------------------------- risk
def test_risk_matches_public_api_and_registry() -> None:
    r = compute_risk(10, 0.8, 7, 0.1)
    q = 1_000 * 10 / 60_000
    liq = liquidation_price("long", 60_000, q, 1_000, 0.005)
    t = 7 / 365
    assert r.liquidation_price == liq
    assert r.probability == pytest.approx(
        liqlearn.liquidation_probability(60_000, liq, 0.8, t, 0.1), rel=1e-12)
    assert r.probability == pytest.approx(
        registry("touch_probability_lower", spot=60_000, barrier=liq, volatility=0.8, horizon=t,
                 drift=0.1), rel=1e-9)
    # the explorer's Monte Carlo is touch_probability_mc on the same draws, exactly
    z = ex.risk.risk_draws()
    assert r.probability_mc == lrisk.touch_probability_mc(60_000, liq, 0.8, t, 0.1, normals=z)
    assert abs(r.probability_mc - r.probability_discrete) < 4 * r.stderr_mc + 1e-3
    assert r.probability_mc <= r.probability  # discrete checks miss touches
    assert r.put_premium == pytest.approx(q * liqlearn.put_price(60_000, liq, 0.8, t), rel=1e-12)
    assert r.put_premium == pytest.approx(
        q * registry("put_price", spot=60_000, strike=liq, volatility=0.8, horizon=t, rate=0.0),
        rel=1e-9)
    # the by-horizon curves end at the headline numbers and never decrease
    assert r.curve[-1] == r.probability and r.curve_mc[-1] == r.probability_mc
    assert np.all(np.diff(r.curve_mc) >= 0) and np.all(np.diff(r.curve) >= -1e-12)
    # shown paths are gbm_paths on the first draws; "touched" agrees with them
    np.testing.assert_allclose(r.paths, lrisk.gbm_paths(60_000, 0.8, t, 0.1,
                                                        normals=z[:r.paths.shape[0]]))
    np.testing.assert_array_equal(r.touched, r.paths[:, 1:].min(axis=1) <= liq)


def test_risk_unliquidatable_long() -> None:
    r = compute_risk(1, 0.8, 30, 0.0)
    assert r.liquidation_price == 0.0 and r.probability == 0.0 and r.probability_mc == 0.0
    assert r.put_premium is None


# ---------------------------------------------------------------- mark price
def test_mark_price_matches_public_api() -> None:
    from liqlearn.formulas.prices import mark_price, moving_average_basis

    r = compute_mark_price(0.08, 30, 2.5, 0.0002, 20)
    points = 30  # 2.5 minutes of 5-second samples
    basis = moving_average_basis(r.last, r.index, points)
    ttf = 6.0 - r.minutes / 60.0
    np.testing.assert_array_equal(r.mark, mark_price(r.index, r.last, 0.0002, ttf, 8.0, basis))
    k = 1234
    assert r.mark[k] == pytest.approx(registry(
        "mark_price", index_price=r.index[k], last_price=r.last[k], funding_rate=0.0002,
        time_to_funding=ttf[k], funding_interval=8.0, basis_average=basis[k]), rel=1e-12)
    assert r.liquidation_price == liquidation_price("long", r.entry_price, 1.0,
                                                    r.entry_price / 20, 0.005)
    # the default story: the last price touches, the mark does not
    assert r.spared and r.lowest_last <= r.liquidation_price < r.lowest_mark
    assert r.last[r.last_trigger] <= r.liquidation_price
    assert r.last_trigger == 0 or r.last[r.last_trigger - 1] > r.liquidation_price


def test_mark_price_scenarios() -> None:
    flat = compute_mark_price(wick_depth=0.0)
    base = ex.mark_price.index_path()[2]
    np.testing.assert_array_equal(flat.last, base)
    assert flat.last_trigger is None and flat.mark_trigger is None
    long_wick = compute_mark_price(wick_depth=0.08, wick_seconds=300, window_minutes=2.5)
    assert long_wick.mark_trigger is not None and long_wick.last_trigger <= long_wick.mark_trigger
    short_window = compute_mark_price(wick_depth=0.08, wick_seconds=30, window_minutes=0.5)
    assert short_window.lowest_mark < compute_mark_price(window_minutes=10).lowest_mark


# ------------------------------------------------------------------ slippage
def test_slippage_matches_order_book() -> None:
    from liqlearn.simulation.orderbook import OrderBook

    r = compute_slippage(size=8, depth=1.0, spread=10, decay=0.03, speed=0.001, leverage=20)
    margin = 8 * 60_000 / 20
    liq = liquidation_price("long", 60_000, 8, margin, 0.005)
    assert r.liquidation_price == liq
    assert r.bankruptcy_price == bankruptcy_price("long", 60_000, 8, margin)
    book = OrderBook.from_profile(liq * (1 - 0.001), profile="exponential", levels=150,
                                  depth=1.0, tick=5.0, spread=10, decay=0.03)
    assert r.fill == book.quote("sell", 8, reference_price=liq)
    assert r.taken.sum() == pytest.approx(8)
    assert r.fill.vwap == pytest.approx((r.taken @ r.book_bids[:, 0]) / 8, rel=1e-12)
    # complete fill: balance = margin - loss on the position
    assert r.balance_after == pytest.approx(margin - 8 * (60_000 - r.fill.vwap), rel=1e-9)
    # the VWAP curve is the book's quote at every size, and never rises
    for k in (1, 57, 100, 200):
        size = float(r.curve_size[k])
        assert r.curve_vwap[k] == pytest.approx(book.quote("sell", size).vwap, rel=1e-12)
    assert r.curve_size[100] == pytest.approx(8.0)
    assert np.all(np.diff(r.curve_vwap) <= 1e-9)


def test_slippage_negative_balance_and_exhausted_book() -> None:
    fast = compute_slippage(size=5, speed=0.006, leverage=20)
    assert fast.fill.vwap < fast.bankruptcy_price and fast.negative_balance > 0
    thin = compute_slippage(size=60, depth=0.1, decay=0.1)
    assert not thin.fill.complete and thin.fill.unfilled > 0
    with pytest.raises(ValueError, match="cannot be liquidated"):
        compute_slippage(leverage=1.0)


# ------------------------------------------------------------ insurance fund
def test_insurance_fund_accounting() -> None:
    r = compute_insurance_fund()
    assert r.liquidations > 0
    assert abs(r.ledger["difference"]) < 1e-6 * r.ledger["deposits"]
    # the fund's path is its opening balance plus every liquidation's change
    assert r.fund[-1] == pytest.approx(r.fund_initial + r.fund_changes.sum(), abs=1e-6)
    assert r.surplus - r.shortfall == pytest.approx(r.fund_changes.sum(), abs=1e-6)
    assert r.index[0] == 60_000 and r.index[-1] == pytest.approx(60_000 * 0.85)


def test_insurance_fund_adl_only_when_the_fund_cannot_pay() -> None:
    empty = compute_insurance_fund(fund=0.0)
    assert empty.adl and empty.first_adl_step is not None
    assert all(row[3] == "short" for row in empty.adl)  # longs liquidated, shorts deleveraged
    calm = compute_insurance_fund(fund=5_000.0, crash=0.05, depth=1.0)
    assert not calm.adl and calm.shortfall < 0.01 * calm.fund_initial
    rich = compute_insurance_fund(fund=10_000.0)
    assert not rich.adl and rich.fund.min() > 0
    # the clearance fee only matters when the margin left goes to the trader
    lo = compute_insurance_fund(clearance_fee=0.0)
    hi = compute_insurance_fund(clearance_fee=0.005)
    assert hi.surplus > lo.surplus == 0.0
    f_lo = compute_insurance_fund(clearance_fee=0.0, surplus_to="fund")
    f_hi = compute_insurance_fund(clearance_fee=0.005, surplus_to="fund")
    assert f_lo.surplus == pytest.approx(f_hi.surplus)


# ---------------------------------------------------------------------- views
@pytest.fixture(scope="module")
def built() -> dict:
    return {name: make() for name, make in CONSTRUCTORS.items()}


@pytest.mark.parametrize("name", list(CONSTRUCTORS))
def test_explorer_protocol(built: dict, name: str) -> None:
    import json

    x = built[name]
    assert isinstance(x.controls, dict) and x.controls
    assert isinstance(x.view, anywidget.AnyWidget) and isinstance(x.view, ipywidgets.DOMWidget)
    assert x.view.explorer == name and x.view.values == x.values()
    assert [c["name"] for c in x.view.spec["controls"]] == list(x.controls)
    assert x.error is None and x.result is not None
    assert callable(x._ipython_display_)
    # the front end: the browser twin's bundle, the explorers' scripts, a default export
    esm = x.view._esm
    assert "globalThis.liqlearn = " in esm and ex.scripts() in esm
    assert esm.rstrip().endswith("};") and "export default" in esm
    # the state is plain JSON; build-time data stays within the page budget (300 KB)
    state = x.view.get_state()
    assert len(json.dumps(state["data"])) <= 300_000
    json.dumps(state)
    # every control is bounded: sliders carry min/max/step, choices options
    for c in x.controls.values():
        assert c.options or (c.min < c.max and c.step > 0 and c.min <= c.value <= c.max)


def _sweep_values(control) -> list:
    if control.options:  # first, middle and last option
        opts = control.options
        return [opts[0], opts[len(opts) // 2], opts[-1]] if len(opts) > 3 else opts
    lo, hi, step = control.min, control.max, control.step
    mid = lo + round((hi - lo) / 2 / step) * step
    return [lo, mid, hi]


def _fingerprint(result) -> tuple:
    """Every field of a result (arrays by their bytes)."""
    import dataclasses

    return tuple((f.name, np.asarray(getattr(result, f.name)).tobytes()
                  if isinstance(getattr(result, f.name), np.ndarray)
                  else repr(getattr(result, f.name))) for f in dataclasses.fields(result))


@pytest.mark.parametrize("name", list(CONSTRUCTORS))
def test_every_control_sweeps_and_changes_the_result(built: dict, name: str) -> None:
    x = built[name]
    start = x.values()
    for key, control in x.controls.items():
        seen = set()
        for value in _sweep_values(control):
            control.value = value  # validated; the observer recomputes
            assert x.view.values[key] == value
            assert (x.error is None) != (x.result is None)
            seen.add(_fingerprint(x.result) if x.error is None else x.error)
        assert len(seen) > 1, f"{name}: sweeping {key} changed nothing"
        x.set(**start)
    assert x.values() == start and x.error is None


def test_front_end_changes_reach_python(built: dict) -> None:
    """A control moved in the browser arrives as a new ``values`` dict: Python follows."""
    x = built["leverage"]
    start = x.values()
    x.view.values = {**start, "leverage": 20.0}  # what the front end's save_changes does
    assert x.controls["leverage"].value == 20.0 and x.result.leverage == 20.0
    x.set(**start)


def test_controls_refuse_values_out_of_range(built: dict) -> None:
    x = built["leverage"]
    with pytest.raises(ValueError, match=r"leverage must be in \[1, 125\]; got 500"):
        x.controls["leverage"].value = 500
    with pytest.raises(ValueError, match="side must be one of"):
        x.set(side="sideways")
    assert x.values()["leverage"] == 10.0


def test_invalid_combination_is_an_error_not_a_crash(built: dict) -> None:
    x = built["leverage"]
    start = x.values()
    x.set(mmr=0.1, leverage=125.0, tiers=ex.leverage.FLAT)
    assert x.result is None and "liquidated at once" in x.error
    assert x.view.live == {}
    x.controls["leverage"].value = 5.0  # recovers through the observer
    assert x.error is None and x.result.leverage == 5.0
    x.set(**start)


def test_live_data_follows_the_controls(built: dict) -> None:
    """Explorers whose numbers need Python publish them for the current values."""
    risk = built["risk"]
    start = risk.values()
    risk.set(leverage=20.0)
    assert risk.view.live["values"]["leverage"] == 20.0
    assert risk.view.live["probability_mc"] == risk.result.probability_mc
    risk.set(**start)
    fund = built["insurance_fund"]
    fund.set(depth=1.0)
    assert fund.view.live["run"]["liquidations"] == fund.result.liquidations
    fund.set(depth=0.3)


def test_insurance_fund_grid_is_the_engine(built: dict) -> None:
    """The static site's precomputed runs are compute_insurance_fund at the grid points."""
    grid = ex.insurance_fund.grid_runs()
    assert len(grid["runs"]) == len(grid["fund"]) * len(grid["crash"]) <= 200
    for fund, crash in ((0.0, 0.15), (5_000.0, 0.05), (10_000.0, 0.4)):
        run = grid["runs"][f"{fund:g}|{crash:g}"]
        r = compute_insurance_fund(fund, crash=crash, **grid["defaults"])
        assert run["liquidations"] == r.liquidations and run["fund_end"] == float(r.fund[-1])
        assert run["surplus"] == r.surplus and run["shortfall"] == r.shortfall


def test_leverage_venue_tables_match_the_browser_presets(built: dict) -> None:
    """The dropdown's venues are the browser twin's presets (the front end reads those)."""
    from liqlearn.browser.data import venues_data

    presets = venues_data()["presets"]
    tables = ex.leverage.tier_tables()
    assert tables and all(isinstance(t, MaintenanceTiers) for t in tables.values())
    for key, tiers in tables.items():
        np.testing.assert_array_equal(presets[key]["tiers"]["rates"], tiers.rates)
        np.testing.assert_array_equal(presets[key]["tiers"]["amounts"], tiers.amounts)
    x = built["leverage"]
    label = next(iter(tables))
    x.set(tiers=label, margin=1_000.0, leverage=10.0)
    assert x.result.tiered
    q = 1_000 * 10 / x.result.entry_price
    assert x.result.liquidation_price == liquidation_price(
        x.result.side, x.result.entry_price, q, 1_000.0, tables[label], mm_basis=x.result.basis)
    x.set(tiers=ex.leverage.FLAT)


def test_unknown_initial_control_is_rejected() -> None:
    with pytest.raises(ValueError, match="unknown control 'levrage'"):
        ex.leverage_explorer(levrage=10)


def test_imports_stay_light() -> None:
    code = (
        "import sys, liqlearn\n"
        "assert not any(m in sys.modules for m in ('matplotlib', 'ipywidgets', 'sympy'))\n"
        "from liqlearn.explorers import risk_explorer\n"
        "x = risk_explorer()\n"
        "assert 'matplotlib' not in sys.modules\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=300)


def test_initial_values_are_applied() -> None:
    x = ex.risk_explorer(leverage=20.0, horizon_days=30.0)
    assert x.result.leverage == 20.0 and x.result.horizon_days == 30.0
    assert math.isclose(x.controls["leverage"].value, 20.0)
