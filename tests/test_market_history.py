"""Real price history (liqlearn.markets.history), touch frequencies against GBM
(liqlearn.markets.backtest) and fat tails (liqlearn.markets.tails)."""

from __future__ import annotations

import math
import subprocess
import sys

import numpy as np
import pytest

import liqlearn as ll
from liqlearn.markets import backtest as bt
from liqlearn.markets import history, tails

EXPECTED_ROWS = {"btc_monthly": 156, "goog_daily": 2148, "eurusd_hourly": 5000}


def _candles(opens, highs, lows, closes, interval="day"):
    n = len(opens)
    time = np.datetime64("2024-01-01", "s") + np.arange(n) * np.timedelta64(1, "D")
    return history.Candles(name="hand-made", interval=interval, time=time, open=opens,
                           high=highs, low=lows, close=closes)


# --------------------------------------------------------------------------- loader

@pytest.mark.parametrize("name", sorted(history.DATASETS))
def test_each_dataset_loads_with_consistent_candles(name):
    c = history.load_candles(name)
    assert len(c) == EXPECTED_ROWS[name]
    assert c.time.dtype == np.dtype("datetime64[s]")
    assert (np.diff(c.time) > np.timedelta64(0, "s")).all()
    for arr in (c.open, c.high, c.low, c.close):
        assert arr.shape == (len(c),) and np.isfinite(arr).all() and (arr > 0).all()
        assert not arr.flags.writeable
    assert (c.high >= np.maximum(c.open, c.close)).all()
    assert (c.low <= np.minimum(c.open, c.close)).all()
    assert c.log_returns().shape == (len(c) - 1,)
    assert "backtesting" in c.source and c.interval == history.DATASETS[name][1]


def test_btc_monthly_spans_2012_to_2024():
    c = history.load_candles("btc_monthly")
    assert str(c.time[0])[:7] == "2012-01" and str(c.time[-1])[:7] == "2024-12"
    assert c.close[-1] > 1_000 * c.close[0]


def test_data_source_names_the_licence():
    src = history.data_source()
    assert src["package"] == "backtesting" and src["license"] == "AGPL-3.0"
    assert src["version"] == "0.6.6"


def test_missing_extra_names_the_extra():
    with pytest.raises(history.MarketDataMissing, match=r"liqlearn\[market-data\]"):
        history.load_candles("btc_monthly", package="backtesting-not-installed-anywhere")
    with pytest.raises(ImportError, match="market-data"):
        history.data_source("backtesting-not-installed-anywhere")


def test_unknown_dataset_is_rejected_by_name():
    with pytest.raises(ValueError, match="name must be one of"):
        history.load_candles("btc_daily")


def test_import_liqlearn_and_the_loader_never_import_the_extra():
    code = ("import sys, liqlearn as ll; ll.liquidation_price('long', 1, 1, 0.5, 0.005)\n"
            "from liqlearn.markets import backtest, history, tails\n"
            "history.load_candles('btc_monthly')\n"
            "bad = [m for m in ('backtesting', 'pandas', 'bokeh') if m in sys.modules]\n"
            "assert not bad, bad\n")
    subprocess.run([sys.executable, "-c", code], check=True)


def test_parse_csv_reads_a_hand_made_file():
    text = (",Open,High,Low,Close,Volume\n"
            "2017-04-19 09:00:00,1.0,1.2,0.9,1.1,10\n"
            "2017-04-19 10:00:00,1.1,1.3,1.0,1.25,12\n")
    c = history.parse_candles_csv(text, name="fx", interval="hour")
    assert c.time.tolist()[1] == np.datetime64("2017-04-19T10:00:00").astype(object)
    assert c.close.tolist() == [1.1, 1.25] and c.volume.tolist() == [10.0, 12.0]
    assert c.log_returns()[0] == pytest.approx(math.log(1.25 / 1.1))


@pytest.mark.parametrize("text, message", [
    (",Open,High,Close\n2024-01-01,1,2,1\n", "lacks the columns"),
    (",Open,High,Low,Close\n2024-01-01,1,0.5,0.4,1\n", r"high >= max\(open, close\)"),
    (",Open,High,Low,Close\n2024-01-01,1,2,1.5,1\n", r"low <= min\(open, close\)"),
    (",Open,High,Low,Close\n2024-01-02,1,2,1,1\n2024-01-01,1,2,1,1\n", "time must increase"),
    (",Open,High,Low,Close\n2024-01-01,1,2,-1,1\n", "low must be finite and > 0"),
    (",Open,High,Low,Close\n2024-01-01,1,2,x,1\n", "cannot be read"),
])
def test_parse_csv_rejects_bad_rows(text, message):
    with pytest.raises(ValueError, match=message):
        history.parse_candles_csv(text, name="bad", interval="day")


# --------------------------------------------------------------------------- touch counts

def test_touch_frequency_matches_hand_computation():
    # 10x long at 100, rate 0.5 %: liquidation (Q E - M) / (Q (1 - m)) = 90 / 0.995 = 90.4523
    liq_long = 90 / 0.995
    assert ll.liquidation_price("long", 100, 1, 10, 0.005) == pytest.approx(liq_long)
    c = _candles(opens=[100, 100, 100, 100], highs=[101, 112, 100, 109],
                 lows=[95, 90, 90.5, 91], closes=[99, 95, 100, 100])
    # lows 95, 90, 90.5, 91 against 90.45: only the second candle reaches it
    t = bt.touch_frequency(c, "long", 10)
    assert (t.hits, t.trials, t.frequency) == (1, 4, 0.25)
    # short 10x at 100: (Q E + M) / (Q (1 + m)) = 110 / 1.005 = 109.4527; highs 112 and 109
    assert ll.liquidation_price("short", 100, 1, 10, 0.005) == pytest.approx(110 / 1.005)
    assert bt.touch_frequency(c, "short", 10).hits == 1
    # two-candle windows [0, 1] and [2, 3]: only the first has a low at or below 90.45
    assert (bt.touch_frequency(c, "long", 10, horizon=2).hits,
            bt.touch_frequency(c, "long", 10, horizon=2).trials) == (1, 2)
    # overlapping windows [0,1], [1,2], [2,3]: the first two contain candle 1
    t3 = bt.touch_frequency(c, "long", 10, horizon=2, step=1)
    assert (t3.hits, t3.trials) == (2, 3)
    # closes only: 99, 95, 100, 100 never reach 90.45
    assert bt.touch_frequency(c, "long", 10, on="close").hits == 0
    # 1x long cannot be liquidated (liquidation price 0)
    assert bt.touch_frequency(c, "long", 1).hits == 0


def test_window_entry_is_the_open_of_the_first_candle():
    # entry 200 in the second window: its liquidation at 10x is 180.9, the low 185 is safe,
    # although it is below the first window's liquidation price 90.45 * 2
    c = _candles(opens=[100, 200], highs=[100, 200], lows=[99, 185], closes=[99, 190])
    assert bt.touch_frequency(c, "long", 10).hits == 0
    c2 = _candles(opens=[100, 200], highs=[100, 200], lows=[99, 180], closes=[99, 190])
    assert bt.touch_frequency(c2, "long", 10).hits == 1


def test_wilson_interval_against_its_formula_and_known_values():
    lo, hi = bt.wilson_interval(0, 10)
    assert lo == 0.0 and hi == pytest.approx(1.959964**2 / (10 + 1.959964**2), rel=1e-6)
    lo, hi = bt.wilson_interval(40, 208)
    z = 1.959963984540054
    n, p = 208, 40 / 208
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    assert (lo, hi) == pytest.approx((centre - half, centre + half))
    assert bt.wilson_interval(5, 10, 0.99)[0] < bt.wilson_interval(5, 10)[0]
    for bad in ((11, 10), (-1, 10), (1.5, 10)):
        with pytest.raises(ValueError, match="successes"):
            bt.wilson_interval(*bad)
    with pytest.raises(ValueError, match="confidence"):
        bt.wilson_interval(1, 10, 1.0)


def test_bad_arguments_name_the_parameter():
    c = _candles([100, 100], [101, 101], [99, 99], [100, 100])
    with pytest.raises(ValueError, match="side"):
        bt.touch_frequency(c, "flat", 10)
    with pytest.raises(ValueError, match="on"):
        bt.touch_frequency(c, "long", 10, on="open")
    with pytest.raises(ValueError, match="horizon must be at most"):
        bt.touch_frequency(c, "long", 10, horizon=3)
    with pytest.raises(ValueError, match="leverage"):
        bt.touch_frequency(c, "long", -2)
    with pytest.raises(ValueError, match=r"leverage 250 is at or above 1/\(mmr"):
        bt.touch_frequency(c, "long", 250)
    with pytest.raises(ValueError, match="leverage 250"):
        tails.simulated_touch_probability("normal", "short", 250, [0.01, -0.01], horizon=1)
    with pytest.raises(ValueError, match="mmr"):
        bt.gbm_touch_probability("long", 10, 0.05, 1, mmr=-0.1)


def test_gbm_touch_probability_is_the_package_closed_form():
    ratio = ll.liquidation_price("short", 1.0, 1.0, 1 / 20, 0.005)
    expected = ll.liquidation_probability(1.0, ratio, 0.03, 5, 0.001)
    assert bt.gbm_touch_probability("short", 20, 0.03, 5, drift=0.001) == pytest.approx(expected)
    both = bt.gbm_touch_probability("long", np.array([2, 10, 100]), 0.05, 1)
    assert both.shape == (3,) and (np.diff(both) > 0).all()


@pytest.mark.parametrize("horizon, seed", [(1, 11), (4, 12)])
def test_touch_frequency_on_gbm_candles_agrees_with_gbm(horizon, seed):
    """Candles cut from a simulated GBM path: the counted frequency's Wilson interval covers
    the GBM touch probability (monitored at the candles' 64 sub-steps, BGK-corrected)."""
    sigma, substeps = 0.02, 64
    c = bt.gbm_candles(1_200, sigma, substeps=substeps, seed=seed)
    assert bt.realised_volatility(c) == pytest.approx(sigma, rel=0.08)
    for side in ("long", "short"):
        for lev in (20, 50, 100):
            t = bt.touch_frequency(c, side, lev, horizon=horizon, confidence=0.99)
            p = bt.gbm_touch_probability(side, lev, sigma, horizon, steps=horizon * substeps)
            assert 0 < t.hits < t.trials
            assert t.covers(p), (side, lev, t, p)


def test_gbm_candles_are_consistent():
    c = bt.gbm_candles(50, 0.05, substeps=8, seed=3)
    assert len(c) == 50 and (c.open[1:] == c.close[:-1]).all()
    assert c.open[0] == 100.0


# --------------------------------------------------------------------------- tails

def test_hill_estimator_recovers_a_pareto_index():
    rng = np.random.default_rng(0)
    x = rng.pareto(3.0, 20_000) + 1.0  # P(X > x) = x**-3
    assert tails.hill_tail_index(x, 2_000) == pytest.approx(3.0, rel=0.08)
    with pytest.raises(ValueError, match="k must be below"):
        tails.hill_tail_index([1.0, 2.0], 2)


def test_qq_and_kurtosis_see_fat_tails_in_real_data():
    r = history.load_candles("eurusd_hourly").log_returns()
    q, z = tails.normal_qq(r)
    assert q.shape == z.shape == r.shape and (np.diff(z) >= 0).all()
    assert z[0] < q[0] and z[-1] > q[-1]          # the extremes lie beyond the normal's
    assert tails.excess_kurtosis(r) > 3
    normal = np.random.default_rng(1).standard_normal(r.size)
    assert abs(tails.excess_kurtosis(normal)) < 0.3


def test_normal_monte_carlo_matches_the_discrete_gbm_probability():
    rng = np.random.default_rng(5)
    r = rng.normal(0.0, 0.03, 400)
    r = (r - r.mean()) / r.std(ddof=1) * 0.03 - 0.5 * 0.03**2   # log drift -sigma^2/2: mu = 0
    p = tails.simulated_touch_probability("normal", "long", 20, r, horizon=10, paths=40_000,
                                          seed=2)
    expected = bt.gbm_touch_probability("long", 20, 0.03, 10, steps=10)
    assert p == pytest.approx(expected, abs=4 * math.sqrt(expected * (1 - expected) / 40_000)
                              + 0.01)


def test_student_t_and_bootstrap_keep_the_variance():
    r = history.load_candles("goog_daily").log_returns()
    rng = np.random.default_rng(0)
    sd = r.std(ddof=1)
    t = tails._increments("student_t", r, (200_000, 1), 5.0, rng)
    assert t.std() == pytest.approx(sd, rel=0.03)
    assert tails.excess_kurtosis(t) > 2          # Student-t(5): excess kurtosis 6
    b = tails._increments("bootstrap", r, (200_000, 1), 5.0, rng)
    assert set(np.unique(b)) <= set(r)
    # same leverage grid, same draws: the probabilities rise with leverage
    p = tails.simulated_touch_probability("student_t", "short", [5, 20, 100], r, horizon=5,
                                          df=3, paths=5_000, seed=1)
    assert (np.diff(p) >= 0).all()
    with pytest.raises(ValueError, match="df must be > 2"):
        tails.simulated_touch_probability("student_t", "long", 10, r, horizon=5, df=2)
    with pytest.raises(ValueError, match="model"):
        tails.simulated_touch_probability("cauchy", "long", 10, r, horizon=5)


# --------------------------------------------------------------------------- the chapter's prose

def test_the_patterns_the_chapter_explains_hold_in_the_data():
    """'Models against markets' explains these patterns in typed prose; they must hold."""
    leverages = [2, 3, 5, 7, 10, 15, 20, 30, 50, 70, 100]
    horizons = {"btc_monthly": 1, "goog_daily": 5, "eurusd_hourly": 24}
    over = under = 0
    for name, h in horizons.items():
        c = history.load_candles(name)
        s = bt.realised_volatility(c)
        for side in ("long", "short"):
            for lev in leverages:
                t = bt.touch_frequency(c, side, lev, horizon=h)
                p = bt.gbm_touch_probability(side, lev, s, h)
                if lev >= 20 and max(t.frequency, p) >= 0.01:
                    over += p > t.interval[1]
                    under += p < t.interval[0]
    assert over > under          # near the entry GBM mostly overstates
    btc = history.load_candles("btc_monthly")
    s = bt.realised_volatility(btc)
    r = btc.log_returns()
    assert np.mean(np.abs(r - r.mean()) < s) > 0.68      # most months quieter than sigma
    assert bt.touch_frequency(btc, "long", 2).frequency > bt.gbm_touch_probability("long", 2, s, 1)
    shorts = [bt.touch_frequency(btc, "short", L).frequency for L in leverages]
    longs = [bt.touch_frequency(btc, "long", L).frequency for L in leverages]
    assert all(a > b for a, b in zip(shorts, longs))     # a rising market hurt the shorts
    for name in horizons:                                 # fat tails in every series
        assert tails.excess_kurtosis(history.load_candles(name).log_returns()) > 3
    t_model = tails.simulated_touch_probability("student_t", "long", [2, 100], r, horizon=1,
                                                df=3, paths=20_000, seed=7)
    normal = tails.simulated_touch_probability("normal", "long", [2, 100], r, horizon=1,
                                               paths=20_000, seed=7)
    assert t_model[0] > normal[0] and t_model[1] < normal[1]
