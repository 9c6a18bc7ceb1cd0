"""Sweep (a round's orders by binary search) fills exactly as OrderBook.execute's level walk."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from liqlearn.simulation.orderbook import PROFILES, OrderBook
from liqlearn.simulation.sweep import Sweep


@settings(max_examples=60, deadline=None)
@given(profile=st.sampled_from(PROFILES), seed=st.integers(0, 2**16),
       side=st.sampled_from(["sell", "buy"]),
       orders=st.lists(st.tuples(st.floats(0.01, 30.0), st.one_of(st.none(), st.floats(-0.02, 0.02)),
                                 st.booleans()), min_size=1, max_size=25))
def test_sweep_matches_the_level_walk(profile, seed, side, orders):
    book = OrderBook.from_profile(60_000, profile=profile, levels=200, depth=1.0, tick=5.0,
                                  noise=0.3, seed=seed)
    walked = book.copy()
    sweep = Sweep(book, side)
    for size, rel_limit, quote_first in orders:
        limit = None if rel_limit is None else 60_000 * (1 + rel_limit)
        if quote_first:
            q = sweep.take(size, limit, commit=False)
            ref = walked.execute(side, size, limit, 60_000.0, commit=False)
            assert q[0] == pytest.approx(ref.filled, rel=1e-9, abs=1e-12)
            sweep.commit_quote()  # nothing quoted: nothing taken
            if ref.filled > 0:
                walked.commit_quote()
            got = q
        else:
            got = sweep.take(size, limit)
            ref = walked.execute(side, size, limit, 60_000.0)
        assert got[0] == pytest.approx(ref.filled, rel=1e-9, abs=1e-12)
        if ref.filled > 1e-9:
            assert got[1] == pytest.approx(ref.vwap, rel=1e-9)
            assert got[2] == ref.last_price
    sweep.commit()
    p, q = book.levels(side)
    wp, wq = walked.levels(side)
    np.testing.assert_array_equal(p, wp)
    np.testing.assert_allclose(q, wq, rtol=1e-9, atol=1e-9)
