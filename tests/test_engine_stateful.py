"""Stateful property tests: random traders, prices and venue parameters.

After every rule: money is conserved (1e-9 relative), long open interest
equals short, no wallet or isolated margin is below zero after the insurance
fund and ADL waterfall, every ADL fill is at its event's bankruptcy price, and
the insurance fund is not negative.  Same seed, same result is checked on
the scenarios.
"""

from __future__ import annotations

import math

import numpy as np
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule

from liqlearn.simulation.config import EngineConfig
from liqlearn.simulation.engine import Engine
from liqlearn.simulation.orderbook import PROFILES, OrderBook
from liqlearn.simulation.scenarios import SCENARIOS, run_scenario

TIER_TABLE = ((50_000, 0.004), (250_000, 0.005), (1_000_000, 0.01), (5_000_000, 0.025))


class EngineMachine(RuleBasedStateMachine):
    engine: Engine | None = None

    @initialize(
        mmr=st.floats(0.002, 0.01), tiered=st.booleans(), taker_fee=st.floats(0.0, 0.001),
        clearance_fee=st.floats(0.0, 0.01), fund=st.floats(0.0, 5_000.0),
        partial=st.booleans(), surplus_to_fund=st.booleans(), resilience=st.floats(0.0, 1.0),
        basis_weight=st.floats(0.0, 1.0), basis_cap=st.floats(0.0, 0.1),
        profile=st.sampled_from(PROFILES), depth=st.floats(0.05, 3.0),
        seed=st.integers(0, 2**16),
    )
    def setup(self, mmr, tiered, taker_fee, clearance_fee, fund, partial, surplus_to_fund,
              resilience, basis_weight, basis_cap, profile, depth, seed):
        self.rng = np.random.default_rng(seed)
        cfg = EngineConfig(mmr=mmr, tiers=TIER_TABLE if tiered else None, taker_fee=taker_fee,
                           clearance_fee=clearance_fee, insurance_fund=fund, partial=partial,
                           surplus_to_fund=surplus_to_fund, resilience=resilience,
                           basis_weight=basis_weight, basis_cap=basis_cap, max_rounds=30)
        book = OrderBook.from_profile(60_000, profile=profile, levels=300, depth=depth,
                                      tick=10.0, noise=0.2, seed=seed)
        self.max_rate = 0.025 if tiered else mmr
        self.engine = Engine(book, 60_000, cfg)
        self.engine.add_liquidity_providers([3_000_000.0, 1_000_000.0])
        self.whale = int(self.engine.deposit([2_000_000.0], role="whale")[0])

    @rule(n=st.integers(1, 12), long_share=st.floats(0.0, 1.0))
    def add_traders(self, n, long_share):
        eng = self.engine
        rng = self.rng
        deposits = rng.lognormal(np.log(2_000), 1.0, n)
        iso = rng.random(n) < 0.5
        max_lev = min(100.0, 0.4 / self.max_rate)
        lev = rng.uniform(1.5, max_lev, n)
        # keep notionals inside the leverage the tier allows
        lev = np.minimum(lev, 200_000 / deposits)
        sides = np.where(rng.random(n) < long_share, 1.0, -1.0)
        price = eng.mark
        qty = sides * deposits * lev / price / (1 + eng.config.taker_fee * lev) * 0.98
        for mode, mask in (("isolated", iso), ("cross", ~iso)):
            if mask.any():
                ids = eng.deposit(deposits[mask], mode=mode)
                eng.open(ids, qty[mask], leverage=lev[mask] if mode == "isolated" else None,
                         price=price)

    @rule(move=st.floats(-0.25, 0.25))
    def step(self, move):
        eng = self.engine
        new = float(np.clip(eng.index * (1 + move), 30_000, 120_000))
        eng.step(new)

    @rule(side=st.sampled_from(["buy", "sell"]), size=st.floats(0.1, 60.0),
          move=st.floats(-0.02, 0.02))
    def whale_wick(self, side, size, move):
        eng = self.engine
        eng.step(eng.index * (1 + move), before_check=lambda e: e.trade(self.whale, side, size))

    @precondition(lambda self: self.engine is not None)
    @invariant()
    def money_is_conserved(self):
        led = self.engine.ledger()
        opening = led["deposits"] + led["insurance_fund_initial"]
        assert math.isclose(led["closing_total"], opening, rel_tol=1e-9), led

    @precondition(lambda self: self.engine is not None)
    @invariant()
    def open_interest_balances(self):
        long_oi, short_oi = self.engine.open_interest()
        assert math.isclose(long_oi, short_oi, rel_tol=1e-9, abs_tol=1e-9), (long_oi, short_oi)

    @precondition(lambda self: self.engine is not None)
    @invariant()
    def no_negative_balance(self):
        eng = self.engine
        scale = 1e-9 * max(1.0, float(np.abs(eng.wallet).max(initial=0.0)))
        assert eng.wallet.min(initial=0.0) >= -scale
        assert eng.margin.min(initial=0.0) >= -scale
        assert eng.fund >= -scale
        iso = ~eng.cross
        assert np.all(eng.margin[iso] <= eng.wallet[iso] + scale)

    @precondition(lambda self: self.engine is not None)
    @invariant()
    def adl_at_bankruptcy_price(self):
        for e in self.engine.events:
            assert all(f.price == e.bankruptcy_price for f in e.adl)
            if e.adl:
                assert math.isclose(sum(f.quantity for f in e.adl), e.adl_quantity,
                                    rel_tol=1e-9)
            if e.fill_price is not None and not e.partial:
                # the liquidation order never fills beyond its limit
                s = 1 if e.side == "long" else -1
                assert s * (e.fill_price - e.bankruptcy_price) >= -1e-9 * e.bankruptcy_price


EngineMachine.TestCase.settings = settings(
    max_examples=20, stateful_step_count=20, deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
TestEngineStateful = EngineMachine.TestCase


def test_same_seed_same_result():
    for name in SCENARIOS:
        a = run_scenario(name, seed=11, accounts=60, steps=60)
        b = run_scenario(name, seed=11, accounts=60, steps=60)
        assert a.to_records() == b.to_records()
        assert a.ledger == b.ledger
        np.testing.assert_array_equal(a.history["mark"], b.history["mark"])
    c = run_scenario("grind", seed=12, accounts=60, steps=60)
    assert c.ledger != a.ledger
