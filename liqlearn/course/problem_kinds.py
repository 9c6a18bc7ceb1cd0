"""The ten kinds of problem in a per-student set, and the seeded draws behind them.

Each kind draws its parameters from the student's seed (SHA-256 streams, so the
numbers depend neither on Python's hash salt nor on NumPy's version) and takes its
answer from the public liqlearn function.  A draw liqlearn rejects is replaced.
"""

from __future__ import annotations

import ast
import hashlib
import json
import operator
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterator, Mapping, Sequence


# An illustrative tier table (notional cap in USDT, maintenance rate), shaped like a
# large venue's BTC perpetual brackets; the amounts follow from the rates.
TIER_ROWS: tuple[tuple[float, float], ...] = (
    (50_000.0, 0.004), (250_000.0, 0.005), (1_000_000.0, 0.01), (5_000_000.0, 0.025),
)

# symbol -> (entry price range, price tick)
INSTRUMENTS: Mapping[str, tuple[tuple[float, float], float]] = {
    "BTCUSDT": ((20_000.0, 100_000.0), 10.0),
    "ETHUSDT": ((1_500.0, 5_000.0), 1.0),
    "SOLUSDT": ((50.0, 300.0), 0.01),
}
MMRS = (0.004, 0.005, 0.0065, 0.01)
FEES = (0.0002, 0.0004, 0.0005, 0.0006)


def seed_from(student_id: Any) -> int:
    """A 64-bit seed from any id (str or int), stable across runs and machines.

    >>> seed_from("alice") == seed_from("alice"), seed_from(42) == seed_from("42")
    (True, True)
    """
    digest = hashlib.sha256(str(student_id).encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big")


class _Draws:
    """Uniform numbers from SHA-256 of (seed, problem key, attempt, counter)."""

    def __init__(self, seed: int, key: str, attempt: int) -> None:
        self._prefix = f"{seed}:{key}:{attempt}:"
        self._n = 0

    def uniform(self, lo: float = 0.0, hi: float = 1.0) -> float:
        h = hashlib.sha256(f"{self._prefix}{self._n}".encode()).digest()
        self._n += 1
        return lo + (hi - lo) * (int.from_bytes(h[:7], "big") >> 3) / 2.0 ** 53

    def choice(self, seq: Sequence[Any]) -> Any:
        return seq[min(int(self.uniform() * len(seq)), len(seq) - 1)]

    def integer(self, lo: int, hi: int) -> int:
        """An integer in [lo, hi]."""
        return lo + min(int(self.uniform() * (hi - lo + 1)), hi - lo)

    def rounded(self, lo: float, hi: float, step: float) -> float:
        return _round(self.uniform(lo, hi), step)


def _round(x: float, step: float) -> float:
    decimals = max(0, -int(f"{step:e}".split("e")[1]))
    return float(round(round(x / step) * step, decimals))


# ---------------------------------------------------------------------------
# Problems
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    """One problem: its statement, the check that grades it and the expected answer."""

    number: int
    key: str
    chapter: str
    title: str
    text: str
    check: str
    params: Mapping[str, Any]
    answer: float
    unit: str
    setup: str = ""

    def check_kwargs(self) -> dict[str, Any]:
        """The check's keyword arguments as Python objects (tier tables rebuilt)."""
        return {k: materialise(v) for k, v in self.params.items()}

    def run_check(self, answer: Any, **kw: Any) -> Any:
        """Call ``liqlearn.course.check.<check>(answer, **params)``."""
        from . import check

        return getattr(check, self.check)(answer, **self.check_kwargs(), **kw)

    def code(self) -> str:
        """The answer cell: the student replaces ``...`` with the answer."""
        args = "".join(f",\n    {k}={_py(v)}" for k, v in self.params.items())
        return f"answer = ...  # your answer ({self.unit})\ncheck.{self.check}(answer{args})"

    def formatted_answer(self) -> str:
        return _fmt_answer(self.answer, self.unit)


def materialise(value: Any) -> Any:
    if isinstance(value, Mapping) and set(value) == {"MaintenanceTiers"}:
        from ..formulas.tiers import MaintenanceTiers

        return MaintenanceTiers([tuple(r) for r in value["MaintenanceTiers"]])
    if isinstance(value, list):
        return [materialise(v) for v in value]
    if isinstance(value, Mapping):
        return {k: materialise(v) for k, v in value.items()}
    return value


def _py(value: Any) -> str:
    """Python source for a parameter value (floats by repr: exact round trip)."""
    if isinstance(value, Mapping) and set(value) == {"MaintenanceTiers"}:
        rows = ", ".join(f"({_py(c)}, {_py(r)})" for c, r in value["MaintenanceTiers"])
        return f"MaintenanceTiers([{rows}])"
    if isinstance(value, Mapping):
        return "{" + ", ".join(f"{k!r}: {_py(v)}" for k, v in value.items()) + "}"
    if isinstance(value, (list, tuple)):
        items = [_py(v) for v in value]
        flat = "[" + ", ".join(items) + "]"
        return flat if len(flat) <= 70 else "[\n" + "".join(f"        {i},\n" for i in items) + "    ]"
    return repr(value)


def _money(x: float, unit: str = "USDT") -> str:
    decimals = 2 if abs(x) >= 1 or x == 0 else 6
    return f"{x:,.{decimals}f} {unit}".strip()


def _price(x: float, tick: float) -> str:
    decimals = max(0, -int(f"{tick:e}".split("e")[1]))
    return f"{x:,.{decimals}f}"


def _pct(x: float) -> str:
    return f"{x * 100:g} %"


def _fmt_answer(x: float, unit: str) -> str:
    if unit in ("USDT", "USD"):
        return f"{x:,.2f} {unit}"
    if unit == "probability":
        return f"{x:.4f}"
    if unit == "rate":
        return f"{x:.6f} ({x * 100:.4f} %)"
    return f"{x:,.4f} {unit}".strip()


def _position(d: _Draws) -> dict[str, Any]:
    """A random isolated linear position: symbol, side, entry, margin, leverage, mmr."""
    symbol = d.choice(sorted(INSTRUMENTS))
    (lo, hi), tick = INSTRUMENTS[symbol]
    return {
        "symbol": symbol, "tick": tick, "side": d.choice(("long", "short")),
        "entry_price": d.rounded(lo, hi, tick), "margin": d.rounded(200, 5_000, 10),
        "leverage": float(d.integer(2, 50)), "mmr": d.choice(MMRS),
    }


def _describe(p: Mapping[str, Any]) -> str:
    return (f"You open a **{p['side']}** on {p['symbol']} at an entry price of "
            f"{_price(p['entry_price'], p['tick'])} USDT with {_money(p['margin'])} of isolated "
            f"margin at {p['leverage']:g}x leverage (so the size is margin × leverage / entry).")


# Each builder draws parameters and returns the Problem's fields; the answer comes from
# the public liqlearn function (the check recomputes it independently).
Builder = Callable[[_Draws], dict[str, Any]]


def _effective_leverage(d: _Draws) -> dict[str, Any]:
    import liqlearn as ll

    p = _position(d)
    s = 1 if p["side"] == "long" else -1
    move = d.uniform(0.2, 0.8) * (1 / p["leverage"] - p["mmr"])  # adverse, short of liquidation
    mark = _round(p["entry_price"] * (1 - s * move), p["tick"])
    q = p["margin"] * p["leverage"] / p["entry_price"]
    params = {"side": p["side"], "entry_price": p["entry_price"], "mark_price": mark,
              "margin": p["margin"], "leverage": p["leverage"]}
    return dict(
        chapter="margin_leverage", title="Effective leverage after a move", check="effective_leverage",
        text=f"{_describe(p)} The mark price moves to {_price(mark, p['tick'])} USDT. What is your "
             "**effective leverage** now (notional at the mark over equity)?",
        params=params, unit="x",
        answer=ll.effective_leverage(p["side"], p["entry_price"], mark, q, p["margin"]))


def _margin_ratio(d: _Draws) -> dict[str, Any]:
    import liqlearn as ll

    p = _position(d)
    s = 1 if p["side"] == "long" else -1
    move = d.uniform(-0.5, 0.9) * (1 / p["leverage"] - p["mmr"])
    mark = _round(p["entry_price"] * (1 - s * move), p["tick"])
    q = p["margin"] * p["leverage"] / p["entry_price"]
    params = {"side": p["side"], "entry_price": p["entry_price"], "mark_price": mark,
              "margin": p["margin"], "leverage": p["leverage"], "mmr": p["mmr"]}
    return dict(
        chapter="equity_maintenance", title="Margin ratio", check="margin_ratio",
        text=f"{_describe(p)} The maintenance-margin rate is {_pct(p['mmr'])}. The mark price is "
             f"now {_price(mark, p['tick'])} USDT. What is the **margin ratio** (maintenance margin "
             "at the mark over equity, as a fraction: liquidation at 1)?",
        params=params, unit="ratio",
        answer=ll.margin_ratio(p["side"], p["entry_price"], mark, q, p["margin"], p["mmr"]))


def _liquidation(basis: str) -> Builder:
    def build(d: _Draws) -> dict[str, Any]:
        import liqlearn as ll

        p = _position(d)
        fee = d.choice((0.0, *FEES)) if basis == "mark" else 0.0
        q = p["margin"] * p["leverage"] / p["entry_price"]
        params = {"side": p["side"], "entry_price": p["entry_price"], "margin": p["margin"],
                  "leverage": p["leverage"], "mmr": p["mmr"], "fee_rate": fee, "mm_basis": basis}
        where = ("at the liquidation price itself (mark basis, as Binance does)" if basis == "mark"
                 else "at the entry price (entry basis, as Bybit does)")
        fee_text = (f" The venue also reserves a close fee of {_pct(fee)} of the notional, added "
                    "to the maintenance rate." if fee else "")
        return dict(
            chapter="liquidation_price", check="liquidation_price",
            title=f"Liquidation price, {basis} basis",
            text=f"{_describe(p)} The maintenance-margin rate is {_pct(p['mmr'])}, with the "
                 f"maintenance margin taken {where}.{fee_text} At what mark price is the position "
                 "**liquidated**? (Give the price in USDT; rounded to the cent is fine.)",
            params=params, unit="USDT",
            answer=ll.liquidation_price(p["side"], p["entry_price"], q, p["margin"], p["mmr"],
                                        fee_rate=fee, mm_basis=basis))
    return build


def _bankruptcy(d: _Draws) -> dict[str, Any]:
    import liqlearn as ll

    p = _position(d)
    fee = d.choice(FEES)
    q = p["margin"] * p["leverage"] / p["entry_price"]
    params = {"side": p["side"], "entry_price": p["entry_price"], "margin": p["margin"],
              "leverage": p["leverage"], "fee_rate": fee, "mmr": p["mmr"]}
    return dict(
        chapter="bankruptcy_price", title="Bankruptcy price with a close fee", check="bankruptcy_price",
        text=f"{_describe(p)} The venue reserves the fee to close the position, {_pct(fee)} of the "
             "notional *at the bankruptcy price*. At what price is the position **bankrupt** "
             "(equity, after that fee, is zero)?",
        params=params, unit="USDT",
        answer=ll.bankruptcy_price(p["side"], p["entry_price"], q, p["margin"], fee_rate=fee))


def _tiers(d: _Draws) -> dict[str, Any]:
    import liqlearn as ll

    side = d.choice(("long", "short"))
    entry = d.rounded(20_000, 100_000, 10)
    lev = float(d.integer(3, 20))
    margin = d.rounded(3_000, 45_000, 100)
    rows = [list(r) for r in TIER_ROWS]
    tiers = ll.MaintenanceTiers(TIER_ROWS)
    q = margin * lev / entry
    table = "\n".join(f"| up to {c:,.0f} | {_pct(r)} |" for c, r in TIER_ROWS)
    params = {"side": side, "entry_price": entry, "margin": margin, "leverage": lev,
              "mmr": {"MaintenanceTiers": rows}, "mm_basis": "mark"}
    return dict(
        chapter="tiers_partial", title="Liquidation price with tiered maintenance", check="liquidation_price",
        text=f"You open a **{side}** on BTCUSDT at {entry:,.0f} USDT with {_money(margin)} of "
             f"isolated margin at {lev:g}x. The venue's maintenance rate depends on the notional "
             "(each bracket's maintenance amount makes the margin continuous):\n\n"
             "| notional (USDT) | maintenance rate |\n|---|---|\n"
             f"{table}\n\nWith the maintenance margin taken at the liquidation price (mark basis), "
             "at what price is the position **liquidated**?",
        params=params, unit="USDT",
        answer=ll.liquidation_price(side, entry, q, margin, tiers, mm_basis="mark"))


def _cross(d: _Draws) -> dict[str, Any]:
    import liqlearn as ll

    wallet = d.rounded(2_000, 20_000, 100)
    btc_side, eth_side = d.choice(("long", "short")), d.choice(("long", "short"))
    btc_entry = d.rounded(20_000, 100_000, 10)
    eth_entry = d.rounded(1_500, 5_000, 1)
    btc = {"side": btc_side, "quantity": d.rounded(0.05, 1.0, 0.01), "entry_price": btc_entry,
           "mark_price": _round(btc_entry * d.uniform(0.97, 1.03), 10), "mmr": 0.005}
    eth = {"side": eth_side, "quantity": d.rounded(0.5, 10, 0.1), "entry_price": eth_entry,
           "mark_price": _round(eth_entry * d.uniform(0.9, 1.1), 1), "mmr": 0.01}
    positions = [btc, eth]
    ans = ll.cross_liquidation_price(wallet, positions, 0)
    lines = "\n".join(
        f"| {n} | {p['side']} | {p['quantity']:g} | {p['entry_price']:,.0f} | "
        f"{p['mark_price']:,.0f} | {_pct(p['mmr'])} |" for n, p in (("BTCUSDT", btc), ("ETHUSDT", eth)))
    return dict(
        chapter="cross_isolated", title="Cross-margin liquidation price", check="cross_liquidation_price",
        text=f"A cross-margin account holds {_money(wallet)} of wallet balance and two positions:\n\n"
             "| symbol | side | size | entry | mark | maintenance rate |\n|---|---|---|---|---|---|\n"
             f"{lines}\n\nHolding the ETH mark where it is, at what BTC mark price is the account "
             "**liquidated** (Binance's cross-margin rule, maintenance at the trigger)?",
        params={"wallet_balance": wallet, "positions": positions, "which": 0}, unit="USDT",
        answer=ans)


def _inverse(d: _Draws) -> dict[str, Any]:
    import liqlearn as ll

    side = d.choice(("long", "short"))
    entry = d.rounded(20_000, 100_000, 0.5)
    contracts = float(d.integer(10, 5_000))
    lev = d.integer(2, 25)
    margin = _round(contracts * 100 / (entry * lev), 1e-6)
    mmr = d.choice(MMRS)
    params = {"side": side, "entry_price": entry, "contracts": contracts, "contract_size": 100.0,
              "margin": margin, "mmr": mmr, "mm_basis": "mark"}
    return dict(
        chapter="inverse_contracts", title="Inverse contract liquidation price",
        check="inverse_liquidation_price",
        text=f"On the inverse (coin-margined) BTCUSD perpetual, each contract is worth 100 USD. "
             f"You open a **{side}** of {contracts:,.0f} contracts at {entry:,.1f} USD with "
             f"{margin:.6f} BTC of isolated margin. The maintenance-margin rate is {_pct(mmr)}, "
             "taken on the position's value in BTC at the trigger price (mark basis). At what "
             "price is the position **liquidated**?",
        params=params, unit="USD",
        answer=ll.inverse_liquidation_price(side, entry, contracts, 100.0, margin, mmr,
                                            mm_basis="mark"))


def _funding(d: _Draws) -> dict[str, Any]:
    import liqlearn as ll

    premium = d.rounded(-0.003, 0.003, 1e-6)
    params = {"premium_index": premium, "interest_rate": 0.0001, "clamp": 0.0005}
    return dict(
        chapter="funding", title="Funding rate", check="funding_rate",
        text=f"The premium index over the last funding interval averaged {premium:.6f} "
             f"({premium * 100:.4f} %). The interest rate is 0.0001 (0.01 % per 8 hours) and the "
             "clamp is ± 0.0005. What is the **funding rate** for the interval, as a fraction?",
        params=params, unit="rate", answer=ll.funding_rate(premium, 0.0001, 0.0005))


def _touch(d: _Draws) -> dict[str, Any]:
    import liqlearn as ll

    p = _position(d)
    p["leverage"] = float(d.integer(2, 12))
    q = p["margin"] * p["leverage"] / p["entry_price"]
    barrier = round(ll.liquidation_price(p["side"], p["entry_price"], q, p["margin"], p["mmr"]), 2)
    vol = d.rounded(0.3, 1.2, 0.05)
    days = d.choice((1, 2, 3, 7, 14))
    params = {"spot": p["entry_price"], "barrier": barrier, "volatility": vol,
              "horizon": days / 365}
    return dict(
        chapter="liquidation_probability", title="Probability of touching the liquidation price",
        check="liquidation_probability",
        text=f"{_describe(p)} Its liquidation price is {barrier:,.2f} USDT. Model the mark price "
             f"as geometric Brownian motion without drift and with volatility {_pct(vol)} per year, "
             f"starting at the entry price. What is the **probability that the position is "
             f"liquidated** within {days} day{'s' if days > 1 else ''} (the price touches the "
             "liquidation price at any time; horizon in years = days / 365)?",
        params=params, unit="probability",
        answer=ll.liquidation_probability(p["entry_price"], barrier, vol, days / 365))


PROBLEMS: tuple[tuple[str, Builder], ...] = (
    ("effective_leverage", _effective_leverage),
    ("margin_ratio", _margin_ratio),
    ("liquidation_mark", _liquidation("mark")),
    ("liquidation_entry", _liquidation("entry")),
    ("bankruptcy", _bankruptcy),
    ("tiers", _tiers),
    ("cross", _cross),
    ("inverse", _inverse),
    ("funding", _funding),
    ("touch_probability", _touch),
)


def build_problem(seed: int, number: int, key: str, builder: Builder) -> Problem:
    """The ``number``-th problem of kind ``key`` for a seed: the first valid draw."""
    last: Exception | None = None
    for attempt in range(100):
        try:
            fields = builder(_Draws(seed, key, attempt))
        except ValueError as exc:  # a draw liqlearn rejects: take the next one
            last = exc
            continue
        answer = float(fields.pop("answer"))
        if answer != answer or answer in (float("inf"), 0.0):
            continue  # keep to problems with a finite, non-trivial answer
        return Problem(number=number, key=key, answer=answer, **fields)
    raise RuntimeError(f"no valid draw for problem {key!r} (last error: {last})")
