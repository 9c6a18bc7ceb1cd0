"""Per-student problem sets: ``python -m liqlearn problems --seed STUDENT_ID --out DIR``.

Each student gets the same ten kinds of problem -- one per idea of the book --
with parameters drawn from their id: margin and effective leverage, the margin
ratio, the liquidation price on both maintenance bases, the bankruptcy price
with a fee, a tiered liquidation price, a cross-margin liquidation price, an
inverse contract, a funding rate and a touch probability.  Every draw is a
valid position (a draw a liqlearn function rejects is replaced by the next one).

The same id always gives byte-identical files; another id gives other numbers.
The id is hashed with SHA-256 (not Python's salted ``hash()``), and every
parameter comes from its own SHA-256 stream, so the numbers do not depend on the
Python or NumPy version either.

>>> ps = generate("alice")
>>> ps == generate("alice"), ps.seed == generate("bob").seed
(True, False)
>>> [p.key for p in ps.problems][:3]
['effective_leverage', 'margin_ratio', 'liquidation_mark']
>>> bool(ps.problems[2].run_check(ps.problems[2].answer, strict=True))
True

Written files (``ProblemSet.write``): for the student ``problems-<id>.ipynb``
(and the same as a MyST ``problems-<id>.md``), each problem followed by an
answer cell that calls the matching ``liqlearn.course.check``; for the instructor
``answer_keys/key-<id>.json`` and ``answer_keys/key-<id>.md``.

``grade(notebook)`` (``python -m liqlearn problems --grade FILE``) grades a returned
notebook: it regenerates the set from the id, reads each ``answer = <number>`` without
running the student's code, and reports right, wrong (with the diagnosed mistake) or blank.
"""

from __future__ import annotations

import argparse
import ast
import hashlib
import json
import operator
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterator, Mapping, Sequence

__all__ = ["Problem", "ProblemSet", "generate", "grade", "seed_from", "configure", "run"]

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
        return {k: _materialise(v) for k, v in self.params.items()}

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


def _materialise(value: Any) -> Any:
    if isinstance(value, Mapping) and set(value) == {"MaintenanceTiers"}:
        from ..formulas.tiers import MaintenanceTiers

        return MaintenanceTiers([tuple(r) for r in value["MaintenanceTiers"]])
    if isinstance(value, list):
        return [_materialise(v) for v in value]
    if isinstance(value, Mapping):
        return {k: _materialise(v) for k, v in value.items()}
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


def _build(seed: int, number: int, key: str, builder: Builder) -> Problem:
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


# ---------------------------------------------------------------------------
# The set and its files
# ---------------------------------------------------------------------------

INTRO = (
    "Work each problem by hand or with liqlearn, put your number in place of `...` in the cell "
    "below it and run the cell: the check says **✓ Correct.** or **✗ Not yet** with a hint "
    "about the likely mistake. It never shows the answer. The numbers are yours alone: "
    "your neighbour's set has other parameters."
)
SETUP = "from liqlearn import check, MaintenanceTiers"


@dataclass(frozen=True)
class ProblemSet:
    student_id: str
    seed: int
    problems: tuple[Problem, ...] = field(default_factory=tuple)

    @property
    def slug(self) -> str:
        """The id made safe for a file name (with a hash suffix if anything was changed)."""
        clean = re.sub(r"[^A-Za-z0-9_-]+", "-", self.student_id).strip("-")[:40]
        if clean != self.student_id or not clean:
            clean = f"{clean or 'student'}-{self.seed:016x}"[:57]
        return clean

    def title(self) -> str:
        return f"liqlearn problem set for {self.student_id}"

    def _cells(self) -> Iterator[tuple[str, str, str]]:
        """(kind, id, source) for each notebook cell."""
        yield "markdown", "intro", f"# {self.title()}\n\n{INTRO}"
        yield "code", "setup", SETUP
        for p in self.problems:
            yield ("markdown", f"p{p.number}-text",
                   f"## Problem {p.number}: {p.title}\n\n{p.text}\n\n*Chapter: {p.chapter}.*")
            yield "code", f"p{p.number}-answer", p.code()

    def notebook(self) -> Any:
        """The student's notebook (nbformat 4.5, deterministic cell ids)."""
        import nbformat

        v4 = nbformat.v4
        cells = [(v4.new_markdown_cell if kind == "markdown" else v4.new_code_cell)(src, id=cid)
                 for kind, cid, src in self._cells()]
        nb = v4.new_notebook(cells=cells, metadata={
            "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
            "language_info": {"name": "python"},
            "liqlearn": {"problem_set": self.student_id},
        })
        nbformat.validate(nb)
        return nb

    def myst(self) -> str:
        """The same notebook as MyST Markdown (opens in JupyterLab with jupytext)."""
        head = ("---\njupytext:\n  text_representation:\n    extension: .md\n    format_name: myst\n"
                "kernelspec:\n  display_name: Python 3\n  language: python\n  name: python3\n---\n")
        parts = [head]
        for kind, _, src in self._cells():
            parts.append(src if kind == "markdown" else f"```{{code-cell}} ipython3\n{src}\n```")
        return "\n\n".join(parts) + "\n"

    def answer_key(self) -> dict[str, Any]:
        """The instructor's key: every problem's check, parameters and answer."""
        from .. import __version__

        return {
            "student_id": self.student_id, "seed": self.seed, "liqlearn_version": __version__,
            "problems": [{"number": p.number, "key": p.key, "chapter": p.chapter,
                          "title": p.title, "check": p.check, "params": p.params,
                          "answer": p.answer, "unit": p.unit} for p in self.problems],
        }

    def answer_key_markdown(self) -> str:
        rows = "\n".join(f"| {p.number} | {p.title} | {p.chapter} | `check.{p.check}` | "
                         f"{p.formatted_answer()} |" for p in self.problems)
        return (f"# Answer key: {self.student_id}\n\nSeed {self.seed} (SHA-256 of the id). "
                "Regrade a student's number with the check shown and the parameters in the JSON "
                "key; the default tolerance is relative 1e-4.\n\n"
                f"| # | problem | chapter | check | answer |\n|---|---|---|---|---|\n{rows}\n")

    def write(self, out: str | Path, key_dir: str | Path | None = None, *,
              markdown: bool = True) -> list[Path]:
        """Write the student's files to ``out`` and the key to ``key_dir``
        (default ``out/answer_keys``); return the paths written."""
        import nbformat

        out = Path(out)
        keys = Path(key_dir) if key_dir is not None else out / "answer_keys"
        out.mkdir(parents=True, exist_ok=True)
        keys.mkdir(parents=True, exist_ok=True)
        files = {out / f"problems-{self.slug}.ipynb": nbformat.writes(self.notebook()) + "\n",
                 keys / f"key-{self.slug}.json":
                     json.dumps(self.answer_key(), indent=2, ensure_ascii=False) + "\n",
                 keys / f"key-{self.slug}.md": self.answer_key_markdown()}
        if markdown:
            files[out / f"problems-{self.slug}.md"] = self.myst()
        for path, text in files.items():
            path.write_text(text, encoding="utf-8", newline="\n")
        return list(files)


def generate(seed: Any) -> ProblemSet:
    """The problem set of a student id (any string; an int is used as its decimal string)."""
    student_id = str(seed)
    if not student_id.strip():
        raise ValueError("seed (the student id) must be a non-empty string")
    s = seed_from(student_id)
    problems = tuple(_build(s, i, key, builder) for i, (key, builder) in enumerate(PROBLEMS, 1))
    return ProblemSet(student_id=student_id, seed=s, problems=problems)


# ---------------------------------------------------------------------------
# Grading a returned notebook
# ---------------------------------------------------------------------------

_OPS = {ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul,
        ast.Div: operator.truediv, ast.Pow: operator.pow, ast.USub: operator.neg,
        ast.UAdd: operator.pos}


def _arithmetic(node: ast.AST) -> float:
    """Evaluate a plain arithmetic expression (numbers, + - * / **, parentheses) safely."""
    if isinstance(node, ast.Constant) and isinstance(node.value, (int, float)) \
            and not isinstance(node.value, bool):
        return float(node.value)
    if isinstance(node, ast.BinOp) and type(node.op) in _OPS:
        return _OPS[type(node.op)](_arithmetic(node.left), _arithmetic(node.right))
    if isinstance(node, ast.UnaryOp) and type(node.op) in _OPS:
        return _OPS[type(node.op)](_arithmetic(node.operand))
    raise ValueError("not a plain number or arithmetic expression")


def _submitted(source: str) -> float | None:
    """The number assigned to ``answer`` in an answer cell (None: left blank or not plain)."""
    for node in ast.parse(source).body:
        if isinstance(node, ast.Assign) and [getattr(t, "id", None) for t in node.targets] \
                == ["answer"]:
            if isinstance(node.value, ast.Constant) and node.value.value is Ellipsis:
                return None
            try:
                return _arithmetic(node.value)
            except (ValueError, ArithmeticError, RecursionError):
                return None
    return None


def grade(notebook: str | Path, student_id: str | None = None) -> list[dict[str, Any]]:
    """Grade a returned problem-set notebook without running the student's code.

    The set is regenerated from the student id (given, or read from the notebook's
    metadata), so no key file is needed.  Each answer cell's ``answer = ...`` must be a
    number or plain arithmetic; anything else is reported for grading by hand.  Returns one
    row per problem: number, title, submitted value, correct (True/False/None) and the
    diagnosed mistake code.

    >>> import tempfile, nbformat
    >>> ps = generate("alice")
    >>> nb = ps.notebook()
    >>> nb.cells[3].source = nb.cells[3].source.replace("...", repr(ps.problems[0].answer), 1)
    >>> path = Path(tempfile.mkdtemp()) / "returned.ipynb"
    >>> nbformat.write(nb, path)
    >>> rows = grade(path)
    >>> rows[0]["correct"], rows[1]["correct"], rows[1]["mistake"]
    (True, None, 'blank')
    """
    import nbformat

    nb = nbformat.read(str(notebook), as_version=4)
    sid = student_id or nb.metadata.get("liqlearn", {}).get("problem_set")
    if not sid:
        raise ValueError(f"{notebook}: no student id given and none in the notebook's metadata")
    ps = generate(sid)
    cells = {c.get("id"): c.source for c in nb.cells if c.cell_type == "code"}
    rows = []
    for p in ps.problems:
        source = cells.get(f"p{p.number}-answer")
        value = _submitted(source) if source is not None else None
        row: dict[str, Any] = {"number": p.number, "title": p.title, "submitted": value,
                               "correct": None, "mistake": None}
        if source is None:
            row["mistake"] = "cell missing"
        elif value is None:
            blank = re.search(r"^\s*answer\s*=\s*\.\.\.", source, re.M)
            row["mistake"] = "blank" if blank else "not a plain number: grade by hand"
        else:
            verdict = p.run_check(value, strict=False)
            row["correct"], row["mistake"] = verdict.correct, verdict.mistake
        rows.append(row)
    return rows


# ---------------------------------------------------------------------------
# CLI: python -m liqlearn problems --seed ID [--seed ID ...] --out DIR
#      python -m liqlearn problems --grade NOTEBOOK [--seed ID] [--json]
# ---------------------------------------------------------------------------


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--seed", action="append", metavar="STUDENT_ID",
                        help="student id (any string); repeat for several students")
    parser.add_argument("--out", default="problem_sets", metavar="DIR",
                        help="folder for the students' notebooks (default: problem_sets)")
    parser.add_argument("--key-dir", default=None, metavar="DIR",
                        help="folder for the answer keys (default: OUT/answer_keys)")
    parser.add_argument("--no-markdown", action="store_true",
                        help="write only the .ipynb, not the MyST .md copy")
    parser.add_argument("--grade", metavar="NOTEBOOK",
                        help="grade a returned notebook (its id from --seed or its metadata)")
    parser.add_argument("--json", action="store_true", help="with --grade: print JSON")


def run(args: argparse.Namespace) -> int:
    if args.grade:
        if args.seed and len(args.seed) > 1:
            raise ValueError("--grade takes at most one --seed (the student's id)")
        rows = grade(args.grade, args.seed[0] if args.seed else None)
        if args.json:
            print(json.dumps(rows, indent=2, ensure_ascii=False))
        else:
            for r in rows:
                mark = {True: "✓", False: "✗", None: "?"}[r["correct"]]
                given = "-" if r["submitted"] is None else f"{r['submitted']:,.6g}"
                note = f"  ({r['mistake']})" if r["mistake"] else ""
                print(f"{r['number']:>2} {mark} {r['title']:<48} {given}{note}")
            score = sum(r["correct"] is True for r in rows)
            print(f"score: {score} / {len(rows)}")
        return 0
    if not args.seed:
        raise ValueError("give --seed STUDENT_ID (to write a set) or --grade NOTEBOOK")
    for student in args.seed:
        ps = generate(student)
        for path in ps.write(args.out, args.key_dir, markdown=not args.no_markdown):
            print(path)
    return 0
