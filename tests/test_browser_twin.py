"""The three-way proof: SymPy = NumPy (test_registry) and now JavaScript = NumPy, in Node.

``liqlearn.browser.write`` puts the generated ``formulas.mjs`` and the hand-written
``algorithms.mjs`` in a temporary folder; ONE Node process per test session
(``tests/_twin_server.mjs``) evaluates batches of calls sent as JSON lines.

* Every registry entry: the generated JavaScript function on hypothesis-drawn inputs
  from the entry's ``domain`` equals the NumPy twin to 1e-9 relative, with an absolute
  floor of 1e-12 * (largest input)^2 where a result passes through zero (the rounding of
  a difference of products of the inputs).
* Every hand-written algorithm: at least 1,000 drawn inputs -- valid and invalid -- give
  the Python function's number (1e-9 relative) or exactly its error message.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import math
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any, Callable

import numpy as np
import pytest
from hypothesis import HealthCheck, Phase, assume, given, settings
from hypothesis import strategies as st

import liqlearn as ll
from liqlearn import venues
from liqlearn.formulas.tiers import MaintenanceTiers

ROOT = Path(__file__).resolve().parents[1]
SERVER = ROOT / "tests" / "_twin_server.mjs"
FORMULAS = ll.FORMULAS
NAMES = sorted(FORMULAS)
MIN_CASES = 1_000
BATCH = 50
# a batch of BATCH cases per example; no shrinking (the failing case is in the message)
ALGO = settings(max_examples=MIN_CASES // BATCH + 2, deadline=None,
                phases=[Phase.explicit, Phase.reuse, Phase.generate],
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


# ------------------------------------------------------------------ the Node session


def _encode(x: Any) -> Any:
    if isinstance(x, float) and not math.isfinite(x):
        return {"$num": "nan" if math.isnan(x) else ("inf" if x > 0 else "-inf")}
    if isinstance(x, dict):
        return {k: _encode(v) for k, v in x.items()}
    if isinstance(x, (list, tuple)):
        return [_encode(v) for v in x]
    if isinstance(x, np.floating):
        return _encode(float(x))
    return x


def _decode(x: Any) -> Any:
    if isinstance(x, dict):
        if set(x) == {"$num"}:
            return float(x["$num"])
        return {k: _decode(v) for k, v in x.items()}
    if isinstance(x, list):
        return [_decode(v) for v in x]
    return x


class Node:
    """One Node process answering batches of calls (see tests/_twin_server.mjs)."""

    def __init__(self, folder: Path):
        self.proc = subprocess.Popen([_node(), str(SERVER), str(folder)], stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, text=True, bufsize=1)
        self.meta = json.loads(self.proc.stdout.readline())

    def calls(self, calls: list[tuple[str, str, Any]]) -> list[dict]:
        self.proc.stdin.write(json.dumps(_encode([list(c) for c in calls])) + "\n")
        self.proc.stdin.flush()
        line = self.proc.stdout.readline()
        if not line:
            raise RuntimeError("the Node twin server exited")
        out = _decode(json.loads(line))
        for call, res in zip(calls, out):
            assert "crash" not in res, (call, res["crash"])
        return out

    def close(self) -> None:
        self.proc.stdin.close()
        self.proc.wait(timeout=30)


def _node() -> str:
    node = shutil.which("node") or shutil.which("nodejs")
    if node is None:
        msg = "node is missing (`make test` installs Debian's nodejs)"
        if os.environ.get("LIQLEARN_REQUIRE_BUILD"):
            pytest.fail(msg)
        pytest.skip(msg)
    return node


@pytest.fixture(scope="session")
def node(tmp_path_factory):
    from liqlearn.browser import write

    folder = tmp_path_factory.mktemp("browser")
    write(folder)
    server = Node(folder)
    try:
        yield server
    finally:
        server.close()


# ------------------------------------------------------------------ comparing


def close(a: float, b: float, rel: float = 1e-9, abs_: float = 0.0) -> bool:
    if math.isnan(a) or math.isnan(b):
        return math.isnan(a) and math.isnan(b)
    if math.isinf(a) or math.isinf(b):
        return a == b
    return math.isclose(a, b, rel_tol=rel, abs_tol=abs_)


def python_outcome(fn: Callable[[], Any]) -> dict:
    try:
        return {"value": fn()}
    except ValueError as exc:
        return {"error": str(exc)}


def same(py: dict, js: dict, where: Any, rel: float = 1e-9, abs_: float = 1e-9) -> None:
    if "error" in py or "error" in js:
        assert py == js, (where, py, js)
        return
    if not _values_close(py["value"], js["value"], rel, abs_):
        keys = [k for k in py["value"] if not _values_close(py["value"][k], js["value"].get(k), rel,
                                                            abs_)] if isinstance(py["value"], dict) else []
        raise AssertionError((where, keys, py["value"], js["value"]))


def _values_close(a: Any, b: Any, rel: float, abs_: float) -> bool:
    if isinstance(a, dict):
        return all(_values_close(a[k], b[k], rel, abs_) for k in a)
    if isinstance(a, (list, tuple, np.ndarray)):
        return len(a) == len(b) and all(_values_close(x, y, rel, abs_) for x, y in zip(a, b))
    if a in ("inf", "-inf", "nan") and isinstance(b, float):  # the CLI's JSON spells them
        a = float(a)
    if isinstance(a, str) or isinstance(b, str) or isinstance(a, bool):
        return a == b
    return close(float(a), float(b), rel, abs_)


def run_batch(node: Node, cases: list[tuple[str, list, Callable[[], Any]]], counter: list[int],
              **tol: float) -> None:
    """Each case: (algorithm name, JS argument list, the Python call it mirrors)."""
    answers = node.calls([("call", name, args) for name, args, _ in cases])
    for (name, args, py), js in zip(cases, answers):
        same(python_outcome(py), js, (name, args), **tol)
    counter[0] += len(cases)


def prove(node: Node, cases: st.SearchStrategy, calls: Callable[[Any], list], size: int = BATCH,
          **tol: float) -> int:
    """Draw batches of ``cases``; each case gives (algorithm, JS args, Python call) triples.

    Returns how many calls were compared.
    """
    counter = [0]

    @ALGO
    @given(st.lists(cases, min_size=size, max_size=size))
    def check(drawn):
        run_batch(node, [c for case in drawn for c in calls(case)], counter, **tol)

    check()
    return counter[0]


# ------------------------------------------------------------------ the registry


def test_every_entry_is_generated(node):
    assert node.meta["formulas"] == list(FORMULAS)  # all 79, in registry order
    assert len(node.meta["formulas"]) == len(FORMULAS) >= 79


def test_the_module_is_the_printers_output():
    """No registry formula is typed by hand: formulas.mjs is the printer's output, entry by entry."""
    from liqlearn.browser.build import formulas_module
    from liqlearn.browser.printer import function_source

    text = formulas_module()
    for name, entry in FORMULAS.items():
        assert f"{json.dumps(name)}: {function_source(entry)}," in text, name


@pytest.mark.parametrize("name", NAMES)
def test_js_twin_matches_numpy(node, name):
    entry = FORMULAS[name]
    keys = list(entry.symbols)
    fixed = {k: val for k, val in entry.example.items() if k not in entry.symbols}
    boxes = {}
    for k in keys:
        lo, hi = entry.domain.get(k, (entry.example[k], entry.example[k]))
        boxes[k] = st.floats(min_value=lo, max_value=hi, allow_nan=False, allow_infinity=False)

    @settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(st.lists(st.fixed_dictionaries(boxes), min_size=1, max_size=8))
    def check(draws):
        kept = []
        for draw in draws:
            try:
                kept.append((draw, float(entry.numeric(**{**fixed, **draw}))))
            except ValueError:
                continue
        assume(kept)
        answers = node.calls([("formula", name, draw) for draw, _ in kept])
        for (draw, numeric), js in zip(kept, answers):
            scale = max([1.0, *(abs(x) for x in draw.values())])
            assert close(js["value"], numeric, 1e-9, 1e-12 * scale**2), (name, draw, js, numeric)

    check()


def test_phi_is_accurate(node):
    """Phi (Cody erfc) against SciPy's ndtr, far into both tails."""
    from scipy.special import ndtr

    xs = [float(x) for x in np.concatenate([np.linspace(-38.0, 9.0, 4_001), [0.0, -0.46875 * 2**0.5,
                                                                           -4 * 2**0.5]])]
    answers = node.calls([("call", "Phi", [x]) for x in xs])
    for x, js in zip(xs, answers):
        want = float(ndtr(x))
        # a relative error of ~ x^2 ulps comes from rounding x / sqrt(2), as in any erfc-based Phi
        assert close(js["value"], want, 1e-15 * max(4.0, x * x), 1e-300), (x, js, want)


# ------------------------------------------------------------------ strategies

SIDES = st.sampled_from(["long", "short"])
BASES = st.sampled_from(["mark", "entry"])
BAD = st.sampled_from([-1.0, 0.0, math.nan, math.inf, -math.inf])


def maybe_bad(valid: st.SearchStrategy, p_bad: int = 25) -> st.SearchStrategy:
    """Mostly valid draws, about one in p_bad a value the package rejects."""
    return st.one_of(*([valid] * (p_bad - 1)), BAD)


def venue_rows(key: str) -> list[list[float]]:
    t = venues.get(key).tiers
    return [[float(c), float(r)] for c, r in zip(t.caps, t.rates)]


@st.composite
def tier_rows(draw, lo: float, hi: float) -> list[list[float]]:
    """A valid tier table: increasing caps in [lo, hi], non-decreasing rates < 0.3."""
    n = draw(st.integers(1, 6))
    caps = sorted(set(draw(st.lists(st.floats(lo, hi), min_size=n, max_size=n))))
    rates = sorted(draw(st.lists(st.floats(0.0, 0.3), min_size=len(caps), max_size=len(caps))))
    rows = [[c, r] for c, r in zip(caps, rates)]
    if draw(st.booleans()):
        rows[-1][0] = math.inf
    return rows


LINEAR_TIERS = st.one_of(st.sampled_from([venue_rows(k) for k in ("binance", "bybit", "dydx",
                                                                  "hyperliquid")]),
                         tier_rows(1e3, 1e8))


@st.composite
def linear_case(draw) -> dict:
    e = draw(st.floats(1e3, 1e5))
    q = draw(st.floats(1e-3, 2e3))
    lev = draw(st.floats(0.5, 150.0))
    case = {"side": draw(SIDES), "entry_price": draw(maybe_bad(st.just(e))),
            "quantity": draw(maybe_bad(st.just(q))), "margin": draw(maybe_bad(st.just(q * e / lev))),
            "mm_basis": draw(BASES), "fee_rate": draw(st.one_of(st.just(0.0), st.floats(0, 0.002)))}
    if draw(st.integers(0, 2)) == 0:
        case["tiers"] = draw(LINEAR_TIERS)
        case["maintenance_amount"] = 0.0
    else:
        case["mmr"] = draw(maybe_bad(st.floats(0.0, 0.05)))
        case["maintenance_amount"] = draw(st.one_of(st.just(0.0), st.floats(0.0, 200.0)))
    return case


def _mmr(case: dict) -> tuple[Any, Any]:
    """(Python mmr, JS mmr): a rate, or MaintenanceTiers / {"$tiers": rows}."""
    if "tiers" in case:
        return MaintenanceTiers(case["tiers"]), {"$tiers": case["tiers"]}
    return case["mmr"], case["mmr"]


# ------------------------------------------------------------------ the algorithms


def test_liquidation_price(node):
    def calls(c):
        py_mmr, js_mmr = _mmr(c)
        args = {k: c[k] for k in ("side", "entry_price", "quantity", "margin", "maintenance_amount",
                                  "fee_rate", "mm_basis")}
        bkr = {k: c[k] for k in ("side", "entry_price", "quantity", "margin", "fee_rate")}
        return [("liquidationPrice", [{**args, "mmr": js_mmr}],
                 lambda: ll.liquidation_price(c["side"], c["entry_price"], c["quantity"],
                                              c["margin"], py_mmr, c["maintenance_amount"],
                                              fee_rate=c["fee_rate"], mm_basis=c["mm_basis"])),
                ("bankruptcyPrice", [bkr], lambda: ll.bankruptcy_price(**{
                    "entry_price": c["entry_price"], "quantity": c["quantity"],
                    "margin": c["margin"], "fee_rate": c["fee_rate"], "side": c["side"]}))]

    assert prove(node, linear_case(), calls) >= 2 * MIN_CASES


@st.composite
def inverse_case(draw) -> dict:
    e = draw(st.floats(1e3, 1e5))
    contracts = draw(st.floats(1.0, 1e6))
    size = draw(st.sampled_from([1.0, 10.0, 100.0]))
    lev = draw(st.floats(0.5, 120.0))
    case = {"side": draw(SIDES), "entry_price": draw(maybe_bad(st.just(e))),
            "contracts": draw(maybe_bad(st.just(contracts))), "contract_size": size,
            "margin": draw(maybe_bad(st.just(contracts * size / e / lev))),
            "mm_basis": draw(BASES), "fee_rate": draw(st.one_of(st.just(0.0), st.floats(0, 0.002)))}
    if draw(st.integers(0, 2)) == 0:
        case["tiers"] = draw(st.one_of(st.just(venue_rows("bitmex")), tier_rows(0.01, 2e3)))
        case["maintenance_amount"] = 0.0
    else:
        case["mmr"] = draw(maybe_bad(st.floats(0.0, 0.05)))
        case["maintenance_amount"] = draw(st.one_of(st.just(0.0), st.floats(0.0, 0.01)))
    return case


def test_inverse_prices(node):
    def calls(c):
        py_mmr, js_mmr = _mmr(c)
        args = {k: c[k] for k in ("side", "entry_price", "contracts", "contract_size", "margin",
                                  "maintenance_amount", "fee_rate", "mm_basis")}
        bkr = {k: c[k] for k in ("side", "entry_price", "contracts", "contract_size", "margin")}
        return [("inverseLiquidationPrice", [{**args, "mmr": js_mmr}],
                 lambda: ll.inverse_liquidation_price(
                     c["side"], c["entry_price"], c["contracts"], c["contract_size"], c["margin"],
                     py_mmr, c["maintenance_amount"], fee_rate=c["fee_rate"],
                     mm_basis=c["mm_basis"])),
                ("inverseBankruptcyPrice", [bkr], lambda: ll.inverse_bankruptcy_price(**bkr))]

    assert prove(node, inverse_case(), calls) >= 2 * MIN_CASES


@st.composite
def position(draw, tiers_ok: bool = True) -> dict:
    e = draw(st.floats(100.0, 1e5))
    pos = {"side": draw(SIDES), "quantity": draw(maybe_bad(st.floats(1e-3, 50.0), 40)),
           "entry_price": e, "mark_price": draw(maybe_bad(st.floats(0.8 * e, 1.2 * e), 40))}
    if tiers_ok and draw(st.integers(0, 3)) == 0:
        pos["tiers"] = draw(LINEAR_TIERS)
        pos["maintenance_amount"] = 0.0
    else:
        pos["mmr"] = draw(maybe_bad(st.floats(0.0, 0.05), 40))
        pos["maintenance_amount"] = draw(st.one_of(st.just(0.0), st.floats(0.0, 20.0)))
    return pos


def _split(pos: dict) -> tuple[dict, dict]:
    py_mmr, js_mmr = _mmr(pos)
    base = {k: pos[k] for k in ("side", "quantity", "entry_price", "mark_price",
                                "maintenance_amount")}
    return {**base, "mmr": py_mmr}, {**base, "mmr": js_mmr}


def test_cross_liquidation_price_and_margin_ratio(node):
    def calls(case):
        wallet, positions = case
        py_pos, js_pos = (list(x) for x in zip(*(_split(p) for p in positions)))
        me_py, me_js, margin = py_pos[0], js_pos[0], wallet / 10
        return [("crossLiquidationPrice",
                 [{"wallet_balance": wallet, "positions": js_pos, "which": 0}],
                 lambda: ll.cross_liquidation_price(wallet, py_pos, 0)),
                ("marginRatio", [{**me_js, "margin": margin}],
                 lambda: ll.margin_ratio(me_py["side"], me_py["entry_price"], me_py["mark_price"],
                                         me_py["quantity"], margin, me_py["mmr"],
                                         me_py["maintenance_amount"]))]

    cases = st.tuples(st.floats(0.0, 2e5), st.lists(position(), min_size=1, max_size=4))
    assert prove(node, cases, calls, size=BATCH // 2) >= MIN_CASES


def test_round_to_tick(node):
    ticks = st.one_of(st.sampled_from([0.001, 0.01, 0.1, 0.25, 0.5, 1.0, 5.0, 10.0]),
                      st.floats(1e-4, 100.0), BAD)

    @st.composite
    def case(draw):
        tick = draw(ticks)
        on_grid = st.integers(0, 10**6).map(lambda k: k * tick if math.isfinite(tick) else 1.0)
        price = draw(st.one_of(st.floats(0.0, 1e6), st.just(math.inf), st.just(0.0), BAD, on_grid))
        return price, tick, draw(SIDES)

    def calls(c):
        return [("roundToTick", list(c), lambda: ll.round_to_tick(*c))]

    assert prove(node, case(), calls, rel=1e-15, abs_=0.0) >= MIN_CASES


def test_tier_tables(node):
    """maintenanceTiers (amounts by the registry's recursion) and maintenanceMargin."""
    def calls(case):
        rows, notional = case

        def table():
            t = MaintenanceTiers(rows)
            return {"caps": t.caps.tolist(), "rates": t.rates.tolist(),
                    "floors": t.floors.tolist(), "amounts": t.amounts.tolist()}
        return [("maintenanceTiers", [rows], table),
                ("maintenanceMargin", [notional, {"$tiers": rows}],
                 lambda: ll.maintenance_margin(notional, MaintenanceTiers(rows)))]

    cases = st.tuples(tier_rows(1.0, 1e9), st.floats(1.0, 2e9))
    assert prove(node, cases, calls, size=BATCH // 2, abs_=1e-6) >= MIN_CASES


def test_walk_levels(node):
    from liqlearn.simulation.orderbook import walk_levels

    @st.composite
    def case(draw):
        qs = draw(st.lists(st.floats(0.0, 10.0), min_size=0, max_size=40))
        limit = draw(st.one_of(st.none(), st.integers(0, 45)))
        return [100.0 - i for i in range(len(qs))], qs, draw(st.floats(0.0, 150.0)), limit

    def calls(c):
        def py():
            taken, touched = walk_levels(np.asarray(c[0]), np.asarray(c[1]), c[2], c[3])
            return {"taken": taken.tolist(), "touched": touched}
        return [("walkLevels", list(c), py)]

    assert prove(node, case(), calls, abs_=1e-12) >= MIN_CASES


def test_venue_presets(node):
    @st.composite
    def case(draw):
        key = draw(st.sampled_from(venues.names()))
        e = draw(st.floats(1e3, 1e5))
        inverse = venues.get(key).contract == "inverse"
        q = draw(st.floats(1.0, 5e5) if inverse else st.floats(1e-3, 1e3))
        lev = draw(st.floats(0.5, 120.0))
        margin = (q / e / lev) if inverse else q * e / lev
        kw = {}
        if draw(st.booleans()):
            kw["mmr"] = draw(st.floats(0.0, 0.03))
        if draw(st.booleans()):
            kw["taker_fee"] = draw(st.floats(0.0, 0.001))
        return key, draw(SIDES), e, q, margin, kw

    def calls(c):
        key, side, e, q, m, kw = c

        def py():
            vn = venues.get(key)
            return {"liquidation": vn.liquidation_price(side, e, q, m, **kw),
                    "bankruptcy": vn.bankruptcy_price(side, e, q, m)}
        js_kw = {"side": side, "entry_price": e, "quantity": q, "margin": m, **kw}
        return [("venuePrices", [key, js_kw], py)]

    assert prove(node, case(), calls) >= MIN_CASES


# ------------------------------------------------------------------ the price command


def cli_outcome(argv: list[str]) -> dict:
    """``python -m liqlearn price ARGV --json`` in process: the JSON object or the error message."""
    from liqlearn.cli import price as _cli_price
    from liqlearn.cli import build_parser

    err = io.StringIO()
    try:
        with contextlib.redirect_stderr(err):
            args = build_parser().parse_args(["price", *argv, "--json"])
    except SystemExit:
        return {"error": err.getvalue().strip().splitlines()[-1].split(" error: ", 1)[1]}
    try:
        return {"value": json.loads(json.dumps({k: _cli_price._json_safe(v) for k, v in
                                               _cli_price.compute(args).items()}))}
    except ValueError as exc:
        return {"error": str(exc)}


def argv_of(options: dict) -> list[str]:
    """CLI arguments for calculator options (the query string's names and order)."""
    argv = []
    for key, value in options.items():
        if key == "inverse":
            argv += ["--inverse"] if value else []
        elif key == "other":
            for o in value:
                argv.append(f"--other={o}")
        else:
            argv.append(f"--{key}={value}")  # "=": a value may start with "-"
    return argv


def number_text(draw, valid: st.SearchStrategy) -> str:
    x = draw(st.one_of(*([valid] * 30), BAD, st.just("abc"), st.just(" 1_000 "), st.just("1e3")))
    return x if isinstance(x, str) else repr(x)


@st.composite
def price_options(draw) -> dict:
    e = draw(st.floats(1e3, 1e5))
    inverse = draw(st.integers(0, 3)) == 0
    cross = not inverse and draw(st.integers(0, 2)) == 0
    lev = draw(st.floats(0.5, 120.0))
    opts: dict[str, Any] = {"side": draw(st.one_of(*([SIDES] * 30), st.just("flat")))}
    opts["entry"] = number_text(draw, st.just(e))
    if inverse:
        size = draw(st.sampled_from([1.0, 100.0]))
        opts["margin"] = number_text(draw, st.floats(1e-4, 10.0))
        opts["inverse"] = True
        opts["contract-size"] = repr(size)
    else:
        opts["margin"] = number_text(draw, st.floats(1.0, 1e5))
    size_key = draw(st.sampled_from(["leverage", "quantity"]))
    opts[size_key] = number_text(draw, st.just(lev) if size_key == "leverage" else
                                 st.floats(1.0, 1e5) if inverse else st.floats(1e-3, 50.0))
    opts["mmr"] = number_text(draw, st.floats(0.0, 0.05))
    if not cross and draw(st.booleans()):
        opts["basis"] = draw(st.sampled_from(["mark", "entry"]))
    if not cross and draw(st.booleans()):
        opts["fee-rate"] = number_text(draw, st.floats(0.0, 0.002))
    if draw(st.integers(0, 3)) == 0:
        opts["maintenance-amount"] = number_text(draw, st.floats(0.0, 0.01 if inverse else 50.0))
    if not inverse and draw(st.booleans()):
        opts["mark"] = number_text(draw, st.floats(0.7 * e, 1.3 * e))
    if draw(st.booleans()):
        opts["tick"] = number_text(draw, st.sampled_from([0.1, 0.5, 1.0, 0.01]))
    if cross:
        others = []
        for _ in range(draw(st.integers(1, 3))):
            pe = draw(st.floats(100.0, 1e5))
            fields = [draw(SIDES), repr(draw(st.floats(1e-3, 20.0))), repr(pe),
                      repr(draw(st.floats(0.8 * pe, 1.2 * pe))), repr(draw(st.floats(0.0, 0.05)))]
            if draw(st.booleans()):
                fields.append(repr(draw(st.floats(0.0, 5.0))))
            if draw(st.integers(0, 30)) == 0:
                fields = fields[:3]
            others.append(":".join(fields))
        opts["other"] = others
    return opts


def test_price_command_matches_the_cli(node):
    counter = [0]

    @ALGO
    @given(st.lists(price_options(), min_size=BATCH, max_size=BATCH))
    def check(cases):
        answers = node.calls([("call", "priceCommand", [opts]) for opts in cases])
        for opts, js in zip(cases, answers):
            same(cli_outcome(argv_of(opts)), js, opts)
        counter[0] += len(cases)

    check()
    assert counter[0] >= MIN_CASES


def test_python_number_formats(node):
    """pyRepr, pyFormatG, pyNum, pyFloat: the messages print numbers as Python does."""
    from liqlearn.formulas.liquidation import _num

    counter = [0]
    numbers = st.one_of(st.floats(allow_nan=True, allow_infinity=True),
                        st.floats(-1e6, 1e6), st.integers(-10**6, 10**6).map(float))

    @ALGO
    @given(st.lists(numbers, min_size=12, max_size=12))
    def check(xs):
        batch = []
        for x in xs:
            batch += [("pyRepr", [x], lambda x=x: repr(x)),
                      ("pyFormatG", [x], lambda x=x: format(x, "g")),
                      ("pyNum", [x], lambda x=x: _num(x)),
                      ("pyFloat", [repr(x)], lambda x=x: x)]
        run_batch(node, batch, counter, rel=0.0)

    check()
    assert counter[0] >= MIN_CASES
