"""liqlearn.course.check: right answers pass, wrong ones fail with the named mistake, and no
message ever shows the expected value.

Expected values here come from the public functions (or from the primer's hand
arithmetic), never from check.py's own diagnostic formulas.
"""

from __future__ import annotations

import inspect
import math

import pytest

import liqlearn as ll
from liqlearn import check

PRIMER_Q = 1 / 6  # 1,000 USDT at 10x on 60,000
TIERS_ROWS = [(50_000, 0.004), (250_000, 0.005), (1_000_000, 0.01), (5_000_000, 0.025)]
BOOK = [
    {"side": "long", "quantity": 0.5, "entry_price": 60_000, "mark_price": 59_000, "mmr": 0.005},
    {"side": "short", "quantity": 4.0, "entry_price": 3_000, "mark_price": 2_900, "mmr": 0.01},
]


def tiers():
    return ll.MaintenanceTiers(TIERS_ROWS)


# (check name, check kwargs, expected from the public API)
CASES = [
    ("notional", {}, lambda: ll.notional(PRIMER_Q, 60_000)),
    ("notional", {"quantity": 0.3, "price": 3_000}, lambda: 900.0),
    ("initial_margin", {}, lambda: ll.initial_margin(PRIMER_Q, 60_000, 10)),
    ("initial_margin", {"quantity": 2, "entry_price": 3_000, "leverage": 20}, lambda: 300.0),
    ("leverage", {}, lambda: 10.0),
    ("leverage", {"quantity": 2, "entry_price": 3_000, "margin": 600}, lambda: 10.0),
    ("effective_leverage", {}, lambda: 19.0),
    ("effective_leverage", {"side": "short", "mark_price": 61_000},
     lambda: ll.effective_leverage("short", 60_000, 61_000, PRIMER_Q, 1_000)),
    ("unrealized_pnl", {}, lambda: -500.0),
    ("unrealized_pnl", {"side": "short", "quantity": 2, "entry_price": 3_000,
                        "mark_price": 2_900}, lambda: 200.0),
    ("equity", {}, lambda: 500.0),
    ("equity", {"side": "short", "mark_price": 58_000, "leverage": 5},
     lambda: ll.equity("short", 60_000, 58_000, 1_000 * 5 / 60_000, 1_000)),
    ("maintenance_margin", {}, lambda: 50.0),
    ("maintenance_margin", {"notional": 100_000, "mmr": 0.01, "maintenance_amount": 250},
     lambda: 750.0),
    ("maintenance_margin", {"notional": 300_000, "mmr": "tiers"},
     lambda: tiers().maintenance_margin(300_000)),
    ("margin_ratio", {}, lambda: ll.margin_ratio("long", 60_000, 57_000, PRIMER_Q, 1_000, 0.005)),
    ("liquidation_price", {}, lambda: 9_000 / (PRIMER_Q * 0.995)),
    ("liquidation_price", {"mm_basis": "entry"}, lambda: 54_300.0),
    ("liquidation_price", {"side": "short", "fee_rate": 0.0005, "maintenance_amount": 5}, lambda: ll.liquidation_price("short", 60_000, PRIMER_Q, 1_000, 0.005, 5,
                                                    fee_rate=0.0005)),
    ("liquidation_price", {"quantity": 3, "margin": 20_000, "mmr": "tiers"},
     lambda: ll.liquidation_price("long", 60_000, 3, 20_000, tiers())),
    ("liquidation_price", {"quantity": 3, "margin": 20_000, "mmr": "tiers", "side": "short",
                           "mm_basis": "entry"},
     lambda: ll.liquidation_price("short", 60_000, 3, 20_000, tiers(), mm_basis="entry")),
    ("liquidation_price_long", {}, lambda: 54_271.36),
    ("liquidation_price_short", {}, lambda: 11_000 / (PRIMER_Q * 1.005)),
    ("bankruptcy_price", {}, lambda: 54_000.0),
    ("bankruptcy_price", {"side": "short", "fee_rate": 0.0006},
     lambda: ll.bankruptcy_price("short", 60_000, PRIMER_Q, 1_000, fee_rate=0.0006)),
    ("cross_liquidation_price", {}, lambda: 54_271.36),
    ("cross_liquidation_price", {"wallet_balance": 5_000, "positions": BOOK},
     lambda: ll.cross_liquidation_price(5_000, BOOK, 0)),
    ("inverse_liquidation_price", {},
     lambda: ll.inverse_liquidation_price("long", 60_000, 100, 100, 1 / 60, 0.005)),
    ("inverse_liquidation_price", {"side": "short", "mm_basis": "entry"},
     lambda: ll.inverse_liquidation_price("short", 60_000, 100, 100, 1 / 60, 0.005,
                                          mm_basis="entry")),
    ("inverse_bankruptcy_price", {}, lambda: 10_000 / (1 / 60 + 10_000 / 60_000)),
    ("mark_price", {}, lambda: 60_025.0),
    ("funding_rate", {}, lambda: 0.0005),
    ("funding_rate", {"premium_index": 0.0003}, lambda: 0.0001),
    ("funding_payment", {},
     lambda: ll.funding_payment("long", 10_000, 0.0001)),
    ("funding_payment", {"side": "short", "notional": 25_000, "funding_rate": -0.0003}, lambda: -7.5),
    ("liquidation_probability", {},
     lambda: ll.liquidation_probability(60_000, 54_271.36, 0.6, 7 / 365)),
    ("liquidation_probability", {"barrier": 65_000, "drift": 0.1},
     lambda: ll.liquidation_probability(60_000, 65_000, 0.6, 7 / 365, 0.1)),
    ("call_price", {}, lambda: ll.call_price(60_000, 60_000, 0.6, 30 / 365)),
    ("put_price", {"strike": 55_000, "rate": 0.05},
     lambda: ll.put_price(60_000, 55_000, 0.6, 30 / 365, 0.05)),
    ("max_leverage", {}, lambda: ll.max_leverage(0.6, 7 / 365, 0.99, 0.005)),
]


def _kwargs(params):
    return {k: (tiers() if v == "tiers" else v) for k, v in params.items()}


def _renderings(x: float) -> set[str]:
    """Ways the expected value could leak into a message."""
    out = {repr(x), f"{x:,.2f}", f"{x:.2f}", f"{x:g}", f"{x:.4g}", f"{x:,.0f}"}
    return {s for s in out if len(s.strip("0.-,")) >= 2}


def _case_id(case):
    return f"{case[0]}-{'-'.join(f'{k}' for k in case[1]) or 'defaults'}"


@pytest.mark.parametrize("case", CASES, ids=[_case_id(c) for c in CASES])
def test_accepts_right_rejects_wrong_and_never_reveals(case, monkeypatch):
    name, params, expected_fn = case
    monkeypatch.delenv(check.STRICT_ENV, raising=False)
    fn = getattr(check, name)
    expected = float(expected_fn())
    ok = fn(expected, **_kwargs(params))
    assert ok and ok.correct and ok.message == "✓ Correct." and ok.mistake is None
    for wrong in (expected * 1.01 + 0.37, expected * 0.97 - 0.11):
        res = fn(wrong, **_kwargs(params))
        assert not res and res.message.startswith("✗ Not yet — ")
        shown = res.message + res._repr_html_() + res._repr_markdown_() + repr(res)
        for text in _renderings(expected):
            assert text not in shown, (text, res.message)


def test_every_check_is_covered_and_documented():
    checks = {n for n in check.__all__ if inspect.isfunction(getattr(check, n))}
    covered = {c[0] for c in CASES} | {"number"}
    assert checks <= covered, checks - covered
    for n in checks:
        assert getattr(check, n).__doc__, n
        first = list(inspect.signature(getattr(check, n)).parameters)[0]
        assert first == "answer", n


def test_rounded_to_the_cent_is_accepted_and_tolerance_is_tunable():
    assert check.liquidation_price_long(54_271.36)          # exact 54271.356...
    assert check.liquidation_price_long(54_271.35)          # off by under a cent and 1e-4
    assert check.liquidation_price_long(54_275)              # within relative 1e-4 (5.4 USDT)
    assert not check.liquidation_price_long(54_290, strict=False)
    assert not check.liquidation_price_long(54_275, rel_tol=1e-7, abs_tol=0.005, strict=False)
    assert check.liquidation_price_long(54_280, rel_tol=1e-3)
    # an amount rounded to the cent: a small funding payment or P&L
    assert check.unrealized_pnl(-0.03, quantity=0.00013, mark_price=59_800)  # -0.026
    assert check.equity(0.97, margin=1.0, quantity=0.00013, mark_price=59_800)  # 0.974
    assert not check.equity(0.96, margin=1.0, quantity=0.00013, mark_price=59_800, strict=False)


def test_strict_mode_raises_with_the_hint(monkeypatch):
    monkeypatch.setenv(check.STRICT_ENV, "1")
    with pytest.raises(AssertionError, match="entry price"):
        check.liquidation_price_long(54_300)
    assert check.liquidation_price_long(54_271.36)
    assert not check.liquidation_price_long(54_300, strict=False)  # a chapter may demonstrate
    monkeypatch.setenv(check.STRICT_ENV, "0")
    assert not check.liquidation_price_long(54_300)
    with pytest.raises(AssertionError):
        check.liquidation_price_long(54_300, strict=True)


def test_not_a_number(monkeypatch):
    monkeypatch.delenv(check.STRICT_ENV, raising=False)
    for bad in (None, ..., "54271", [1.0, 2.0], float("nan"), True):
        res = check.notional(bad)
        assert not res and res.mistake == "not_a_number" and "single number" in res.message
    assert check.notional([10_000.0])          # a one-element array is fine
    import numpy as np
    assert check.notional(np.float32(10_000))


def test_display():
    res = check.number(1.0, 1.0)
    assert repr(res) == str(res) == "✓ Correct."
    assert "✓ Correct." in res._repr_html_() and "✓ Correct." in res._repr_markdown_()
    bad = check.number(2.0, 1.0, strict=False)
    assert bad._repr_html_().count("✗ Not yet") == 1 and "<span" in bad._repr_html_()
    assert "&lt;" in check.number(2.0, 1.0, mistakes={"a <b> hint": 2.0}, strict=False)._repr_html_()


def test_bad_parameters_raise_value_error():
    with pytest.raises(ValueError, match="mmr"):
        check.liquidation_price(1.0, mmr=1.5)
    with pytest.raises(ValueError, match="side"):
        check.liquidation_price(1.0, side="sideways")
    with pytest.raises(ValueError, match="not both"):
        check.liquidation_price(1.0, quantity=1, leverage=5)
    with pytest.raises(ValueError, match="rel_tol"):
        check.number(1.0, 1.0, rel_tol=-1)


def test_number_with_custom_mistakes():
    res = check.number(0.5, 0.25, name="the share", mistakes={"you doubled it": 0.5}, strict=False)
    assert res.mistake == "custom" and res.message == "✗ Not yet — you doubled it"
    assert check.number(-0.25, 0.25, strict=False).mistake == "sign"
    assert "the share" in check.number(0.3, 0.25, name="the share", strict=False).message


# (check, kwargs, mistake code, the mistaken answer -- computed from public functions with the
#  mistaken input, or by hand)
E, M, L = 60_000.0, 1_000.0, 10.0


def _liq(**kw):
    base = dict(side="long", entry_price=E, quantity=PRIMER_Q, margin=M, mmr=0.005)
    base.update(kw)
    return ll.liquidation_price(**base)


MISTAKE_CASES = [
    # liquidation price
    ("liquidation_price_long", {}, "basis_entry", lambda: 54_300.0),
    ("liquidation_price", {"mm_basis": "entry"}, "basis_mark", lambda: 54_271.36),
    ("liquidation_price_long", {}, "wrong_side", lambda: _liq(side="short")),
    ("liquidation_price_long", {}, "mmr_percent",                       # m = 0.5 by hand
     lambda: (10_000 - 1_000) / (PRIMER_Q * (1 - 0.5))),
    # (at the primer's 0.005 the /100 answer is within tolerance of the bankruptcy price)
    ("liquidation_price_long", {"mmr": 0.04, "leverage": 5}, "mmr_over_100",
     lambda: _liq(mmr=0.0004, quantity=1 / 12)),
    ("liquidation_price_long", {}, "bankruptcy_not_liquidation", lambda: 54_000.0),
    ("liquidation_price_long", {}, "leverage_twice", lambda: _liq(quantity=PRIMER_Q * L)),
    ("liquidation_price", {"maintenance_amount": 20}, "no_maintenance_amount", lambda: 54_271.36),
    ("liquidation_price", {"maintenance_amount": 20}, "amount_added",   # c enters with + by hand
     lambda: (10_000 - 1_000 + 20) / (PRIMER_Q * 0.995)),
    ("liquidation_price", {"fee_rate": 0.0005}, "no_fee", lambda: 54_271.36),
    ("liquidation_price", {"fee_rate": 0.0005}, "fee_percent", lambda: _liq(fee_rate=0.05)),
    ("liquidation_price_short", {}, "basis_entry", lambda: _liq(side="short", mm_basis="entry")),
    ("liquidation_price", {"quantity": 3, "margin": 20_000, "mmr": "tiers"}, "no_maintenance_amount",
     lambda: _liq(quantity=3, margin=20_000, mmr=0.005)),
    ("liquidation_price", {"quantity": 5, "margin": 60_000, "mmr": "tiers"}, "entry_bracket",
     # entry notional 300,000 is in the 1 % bracket; at 5x the liquidation notional is in 0.5 %
     lambda: _liq(quantity=5, margin=60_000, mmr=float(tiers().bracket(300_000)[0]),
                  maintenance_amount=float(tiers().bracket(300_000)[1]))),
    # bankruptcy
    ("bankruptcy_price", {}, "liquidation_not_bankruptcy", lambda: 54_271.36),
    ("bankruptcy_price", {}, "wrong_side", lambda: 66_000.0),
    ("bankruptcy_price", {"fee_rate": 0.0006}, "no_fee", lambda: 54_000.0),
    # margin and leverage
    ("notional", {}, "margin_not_notional", lambda: 1_000.0),
    ("initial_margin", {}, "times_leverage", lambda: 100_000.0),
    ("initial_margin", {}, "leverage_twice", lambda: 100.0),
    ("initial_margin", {}, "no_leverage", lambda: 10_000.0),
    ("leverage", {}, "inverted", lambda: 0.1),
    ("unrealized_pnl", {}, "wrong_side", lambda: 500.0),
    ("unrealized_pnl", {}, "no_quantity", lambda: -3_000.0),
    ("unrealized_pnl", {}, "return_not_pnl", lambda: -0.05),
    ("equity", {}, "pnl_only", lambda: -500.0),
    ("equity", {}, "initial_margin_for_equity", lambda: 1_000.0),
    ("equity", {}, "wrong_side", lambda: 1_500.0),
    ("effective_leverage", {}, "initial_margin_for_equity", lambda: 9.5),
    ("effective_leverage", {}, "entry_leverage", lambda: 10.0),
    ("effective_leverage", {}, "entry_notional", lambda: 20.0),
    ("maintenance_margin", {}, "mmr_percent", lambda: 5_000.0),
    ("maintenance_margin", {}, "mmr_over_100", lambda: 0.5),
    ("maintenance_margin", {"notional": 100_000, "mmr": 0.01, "maintenance_amount": 250},
     "no_maintenance_amount", lambda: 1_000.0),
    ("maintenance_margin", {"notional": 100_000, "mmr": 0.01, "maintenance_amount": 250},
     "amount_added", lambda: 1_250.0),
    ("maintenance_margin", {"notional": 300_000, "mmr": "tiers"}, "no_maintenance_amount",
     lambda: 3_000.0),
    ("margin_ratio", {}, "inverted", lambda: 500 / 47.5),
    ("margin_ratio", {}, "initial_margin_for_equity", lambda: 47.5 / 1_000),
    ("margin_ratio", {}, "mm_at_entry", lambda: 50 / 500),
    ("margin_ratio", {}, "times_100", lambda: 9.5),
    # cross
    ("cross_liquidation_price", {"wallet_balance": 5_000, "positions": BOOK}, "others_ignored",
     lambda: _liq(quantity=0.5, margin=5_000)),
    ("cross_liquidation_price", {"wallet_balance": 5_000, "positions": BOOK}, "others_pnl_ignored",
     lambda: _liq(quantity=0.5, margin=5_000 - 116)),      # MM(ETH) = 4*2900*1 %
    ("cross_liquidation_price", {"wallet_balance": 5_000, "positions": BOOK}, "others_mm_ignored",
     lambda: _liq(quantity=0.5, margin=5_000 + 400)),      # ETH short P&L +400
    ("cross_liquidation_price", {"wallet_balance": 5_000, "positions": BOOK}, "others_pnl_sign",
     lambda: _liq(quantity=0.5, margin=5_000 - 116 - 400)),
    # inverse (K = 10,000 USD, margin 1/60 BTC)
    ("inverse_liquidation_price", {}, "linear_for_inverse", lambda: 54_271.36),
    ("inverse_liquidation_price", {}, "basis_entry",
     lambda: ll.inverse_liquidation_price("long", E, 100, 100, 1 / 60, 0.005, mm_basis="entry")),
    ("inverse_liquidation_price", {}, "wrong_side",
     lambda: ll.inverse_liquidation_price("short", E, 100, 100, 1 / 60, 0.005)),
    ("inverse_liquidation_price", {}, "bankruptcy_not_liquidation",
     lambda: ll.inverse_bankruptcy_price("long", E, 100, 100, 1 / 60)),
    ("inverse_bankruptcy_price", {}, "linear_for_inverse", lambda: 54_000.0),
    ("inverse_bankruptcy_price", {}, "wrong_side",
     lambda: ll.inverse_bankruptcy_price("short", E, 100, 100, 1 / 60)),
    # prices (defaults: index 60,000, last 60,150, F 0.01 %, 4 h of 8, basis 25)
    ("mark_price", {}, "last_price", lambda: 60_150.0),
    ("mark_price", {}, "index_price", lambda: 60_000.0),
    ("mark_price", {}, "mean_not_median", lambda: (60_003 + 60_025 + 60_150) / 3),
    ("mark_price", {"basis_average": 1, "funding_rate": 0.003, "last_price": 60_300},
     "no_time_fraction", lambda: 60_180.0),
    ("funding_rate", {}, "no_clamp", lambda: 0.0001),
    ("funding_rate", {}, "premium_only", lambda: 0.001),
    ("funding_rate", {}, "times_100", lambda: 0.05),
    ("funding_payment", {}, "wrong_payer",
     lambda: -ll.funding_payment("long", 10_000, 1e-4)),
    # risk and options
    ("liquidation_probability", {}, "complement",
     lambda: 1 - ll.liquidation_probability(E, 54_271.36, 0.6, 7 / 365)),
    ("liquidation_probability", {}, "terminal_not_touch",               # N(ln(B/S)/(σ√T)) + Itô
     lambda: 0.5 * math.erfc(-(math.log(54_271.36 / E) + 0.18 * 7 / 365)
                             / (0.6 * math.sqrt(7 / 365)) / math.sqrt(2))),
    ("liquidation_probability", {}, "vol_percent",
     lambda: ll.liquidation_probability(E, 54_271.36, 60, 7 / 365)),
    ("liquidation_probability", {}, "horizon_days",
     lambda: ll.liquidation_probability(E, 54_271.36, 0.6, 7)),
    ("liquidation_probability", {"drift": 0.5}, "no_ito",
     lambda: ll.liquidation_probability(E, 54_271.36, 0.6, 7 / 365, 0.5 + 0.18)),
    ("call_price", {}, "call_put_swapped", lambda: ll.put_price(E, 55_000, 0.6, 30 / 365)),
    ("call_price", {}, "intrinsic", lambda: 5_000.0),
    ("put_price", {}, "horizon_days", lambda: ll.put_price(E, 55_000, 0.6, 30)),
    ("put_price", {"rate": 0.05}, "no_discount", lambda: _undiscounted_put(E, 55_000, 0.6, 30 / 365,
                                                                         0.05)),
    ("inverse_liquidation_price", {}, "no_contract_size",
     lambda: ll.inverse_liquidation_price("long", E, 100, 1, 1 / 60, 0.005)),
    ("funding_payment", {}, "no_price",
     lambda: ll.funding_payment("long", 10_000, 1e-4) / E),
    ("max_leverage", {}, "survival_swapped", lambda: ll.max_leverage(0.6, 7 / 365, 0.01, 0.005)),
    ("max_leverage", {}, "no_mmr", lambda: ll.max_leverage(0.6, 7 / 365, 0.99, 0.0)),
]


@pytest.mark.parametrize("case", MISTAKE_CASES, ids=[f"{c[0]}-{c[2]}" for c in MISTAKE_CASES])
def test_diagnoses_the_named_mistake(case, monkeypatch):
    name, params, code, wrong_fn = case
    monkeypatch.delenv(check.STRICT_ENV, raising=False)
    kwargs = _kwargs(params)
    if name in ("call_price", "put_price") and "strike" not in kwargs:
        kwargs["strike"] = 55_000
    wrong = float(wrong_fn())
    res = getattr(check, name)(wrong, **kwargs)
    assert not res, f"{wrong} was accepted"
    assert res.mistake == code, res.message
    assert res.message == f"✗ Not yet — {check.MISTAKES[code]}"


def _undiscounted_put(S, K, sig, T, r):
    """Black-Scholes put with the strike left undiscounted (the mistake), via scipy."""
    from scipy.stats import norm

    d1 = (math.log(S / K) + (r + sig ** 2 / 2) * T) / (sig * math.sqrt(T))
    d2 = d1 - sig * math.sqrt(T)
    return K * norm.cdf(-d2) - S * norm.cdf(-d1)


def test_every_mistake_has_a_numberless_hint_and_is_tested():
    import re

    tested = {c[2] for c in MISTAKE_CASES} | {"over_100"}
    assert check.number(-0.25, 0.25, strict=False).mistake == "sign"
    assert check.number(0.0025, 0.25, strict=False).mistake == "over_100"
    for code, hint in check.MISTAKES.items():
        assert hint.endswith(".") and hint[0].islower(), code
        # numbers only as unit examples (0.005, 0.5 %, 7/365), never computed values
        plain = hint.replace("0.0005", "").replace("0.005", "").replace("365", "").replace("100", "")
        assert not re.search(r"\d{3,}", plain), code
    assert set(check.MISTAKES) - tested == {"sign"}


def test_positions_that_cannot_be_liquidated(monkeypatch):
    """A long whose answer is 0.0 and an inverse short whose answer is inf."""
    monkeypatch.delenv(check.STRICT_ENV, raising=False)
    assert ll.liquidation_price("long", E, 1_000 / E, 1_000, 0.0) == 0.0
    assert check.liquidation_price(0.0, leverage=1, mmr=0.0)
    assert not check.liquidation_price(1.0, leverage=1, mmr=0.0)
    assert math.isinf(ll.inverse_liquidation_price("short", E, 10, 100, 1_000 / E, 0.005))
    assert check.inverse_liquidation_price(math.inf, side="short", leverage=1)
    res = check.inverse_liquidation_price(1e9, side="short", leverage=1)
    assert not res and "inf" not in res.message
