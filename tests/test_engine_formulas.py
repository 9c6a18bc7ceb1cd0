"""The engine uses the public formulas: its triggers, settlements and partial steps equal
``ll.liquidation_price``, ``ll.liquidation_settlement`` and ``partial_liquidation_step``
account by account, event by event, in seeded scenario runs (tiers included)."""

from __future__ import annotations

import numpy as np
import pytest

import liqlearn as ll
from liqlearn.formulas.settlement import partial_liquidation_step
from liqlearn.formulas.tiers import MaintenanceTiers
from liqlearn.simulation.scenarios import DEFAULT_TIERS, build_scenario

TIERS = MaintenanceTiers(DEFAULT_TIERS)


def _check_triggers(eng) -> int:
    """Every open position's trigger against ll.liquidation_price; returns how many."""
    trig = eng.trigger_prices()
    coll = eng.collateral()
    checked = 0
    for i in np.flatnonzero(eng.qty != 0):
        side = "long" if eng.qty[i] > 0 else "short"
        try:
            want = ll.liquidation_price(side, eng.entry[i], abs(eng.qty[i]), coll[i], TIERS)
        except ValueError as exc:  # the public function refuses a position already past it
            assert "at once" in str(exc)
            continue
        assert trig[i] == pytest.approx(want, rel=1e-12, abs=1e-9), (i, side)
        checked += 1
    return checked


@pytest.mark.parametrize("name", ["grind", "gap"])
def test_engine_triggers_equal_liquidation_price_account_by_account(name):
    setup = build_scenario(name, seed=3, accounts=300, steps=60)
    eng = setup.engine
    assert _check_triggers(eng) == int(np.sum(eng.qty != 0))
    setup.run()  # positions changed by liquidations, partial cuts and ADL
    assert _check_triggers(eng) > 0


def _run_with_snapshots(name, **overrides):
    """Run a scenario step by step, keeping each account's position before each step."""
    setup = build_scenario(name, seed=5, accounts=300, steps=80, **overrides)
    eng = setup.engine
    before = {}
    for k, x in enumerate(setup.index_path):
        snap = (eng.qty.copy(), eng.entry.copy(), eng.collateral().copy())
        for e in eng.step(x, setup.hooks.get(k)):
            before[id(e)] = snap
    return eng, before


@pytest.mark.parametrize("name,to_fund", [("flash-crash", True), ("gap", True),
                                          ("flash-crash", False)])
def test_engine_settlement_equals_liquidation_settlement(name, to_fund):
    eng, before = _run_with_snapshots(name, surplus_to_fund=to_fund)
    r = eng.config.clearance_fee
    checked = 0
    for e in eng.events:
        qty, entry, coll = before[id(e)]
        i = e.account
        s = 1 if e.side == "long" else -1
        if e.partial or qty[i] != s * e.quantity or e.round != 1:
            continue  # untouched since the step began: its margin is the snapshot's
        big_q, m = e.quantity, coll[i]
        parts = [(e.fill_quantity, e.fill_price, r)] if e.fill_quantity > 0 else []
        if e.takeover_quantity > 0:
            parts.append((e.takeover_quantity, e.takeover_price, 0.0))
        if not parts:
            continue
        q, v, rate = (np.array(x, dtype=float) for x in zip(*parts))
        st = ll.liquidation_settlement(e.side, entry[i], q, m * q / big_q, v, rate,
                                       leftover_to="fund" if to_fund else "trader")
        assert e.bankruptcy_price == pytest.approx(float(st.bankruptcy_price[0]), rel=1e-12)
        assert e.fee == pytest.approx(float(st.clearance_fee[0]) if e.fill_quantity else 0.0,
                                      rel=1e-9, abs=1e-9)
        assert e.fund_change == pytest.approx(float(np.sum(st.fund_change)), rel=1e-9,
                                              abs=1e-7)
        checked += 1
    assert checked >= 5


def test_engine_partial_step_equals_partial_liquidation_step():
    # a flat book deep enough that the cut fills: whales above the first tier
    eng, before = _run_with_snapshots("flash-crash", partial=True)
    checked = 0
    for e in eng.events:
        if not e.partial:
            continue
        qty, entry, coll = before[id(e)]
        i = e.account
        if e.round != 1:
            continue  # untouched since the step began
        step = partial_liquidation_step(e.side, entry[i], abs(qty[i]), coll[i], e.trigger_mark,
                                        TIERS, clearance_fee_rate=eng.config.clearance_fee,
                                        fill_price=e.fill_price)
        assert e.quantity == pytest.approx(step.close_quantity, rel=1e-12)
        assert e.fee == pytest.approx(step.clearance_fee, rel=1e-9, abs=1e-12)
        checked += 1
    assert checked >= 1
