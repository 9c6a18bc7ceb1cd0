"""The calculator page in Chromium, offline, against ``python -m liqlearn price``.

Each case is a query string in the CLI's long option names; the page's
``data-result="liquidation-price"`` / ``"bankruptcy-price"`` (exact numbers, thousands
separated) must equal the CLI's ``--json`` answer for the same arguments, and a refused input
must show the CLI's message in ``data-result="error"``.  Venue presets (not a CLI option)
are compared with the CLI's ``--venue`` (which prices as ``liqlearn.venues``).
The page is served from ``_build/html`` on 127.0.0.1 (every other request blocked) and also
opened from ``file://``; no console errors anywhere.
"""

from __future__ import annotations

import contextlib
import io
import json
import math
from urllib.parse import urlencode

import pytest

import liqlearn as ll
from liqlearn import venues
from _book import HTML, offline_page

pytestmark = [pytest.mark.browser, pytest.mark.timeout(600)]

PAGE = "book/calculator.html"

P = {"side": "long", "entry": "60000", "margin": "1000", "leverage": "10", "mmr": "0.005"}
INV = {"side": "long", "entry": "50000", "margin": "0.1", "leverage": "2", "mmr": "0.005",
       "inverse": "1", "contract-size": "100"}
CROSS = {"side": "long", "entry": "60000", "margin": "10000", "quantity": "1", "mmr": "0.004",
         "other": ["short:10:3000:2900:0.005"]}

VENUE = {"side": "long", "entry": "60000", "margin": "1000", "leverage": "10"}
CASES = [
    # linear, isolated
    P,
    {**P, "side": "short"},
    {**P, "basis": "entry"},
    {**P, "side": "short", "basis": "entry", "fee-rate": "0.0005"},
    {"side": "long", "entry": "60000", "margin": "1000", "quantity": "0.2", "mmr": "0.005",
     "fee-rate": "0.0006", "maintenance-amount": "5"},
    {**P, "leverage": "1"},
    {**P, "side": "short", "leverage": "1"},
    {**P, "mark": "58000", "tick": "0.5"},
    {**P, "side": "short", "mark": "61000", "tick": "0.1"},
    {"side": "short", "entry": "30000", "margin": "5000", "quantity": "2", "mmr": "0.01",
     "maintenance-amount": "100", "tick": "1"},
    # inverse, both bases
    INV,
    {**INV, "side": "short"},
    {**INV, "side": "short", "leverage": "1"},
    {**INV, "basis": "entry"},
    {**INV, "side": "short", "basis": "entry", "fee-rate": "0.0005", "tick": "0.5"},
    {"side": "long", "entry": "45000", "margin": "101", "quantity": "100000", "mmr": "0.125",
     "maintenance-amount": "11.605", "inverse": "1", "contract-size": "100"},
    # cross margin
    CROSS,
    {**CROSS, "side": "short", "other": ["long:5:3000:3100:0.005", "short:0.5:60000:59000:0.004:1"]},
    {**CROSS, "mark": "58000", "tick": "0.1"},
    {**CROSS, "other": ["short:10:3000:2900:0.005:2.5", "long:100:20:21:0.01"]},
    # venue presets: tier tables whose bracket changes between entry and the answer
    {"side": "long", "entry": "60000", "margin": "60000", "quantity": "18", "venue": "binance"},
    {"side": "short", "entry": "60000", "margin": "40000", "quantity": "15", "venue": "binance",
     "tick": "0.1"},
    {"side": "long", "entry": "60000", "margin": "6000", "quantity": "1", "venue": "binance",
     "mark": "57000"},
    {"side": "long", "entry": "60000", "margin": "150000", "quantity": "40", "venue": "bybit"},
    {"side": "short", "entry": "60000", "margin": "1000", "leverage": "10", "venue": "okx",
     "mmr": "0.004", "fee-rate": "0.0005"},
    {"side": "long", "entry": "60000", "margin": "0.05", "leverage": "20", "venue": "bitmex"},
    {"side": "short", "entry": "60000", "margin": "0.5", "quantity": "250000", "venue": "bitmex"},
    {"side": "long", "entry": "60000", "margin": "100000", "quantity": "2600", "venue": "hyperliquid"},
    {"side": "short", "entry": "60000", "margin": "1000", "leverage": "20", "venue": "dydx"},
    # refusals
    {**P, "entry": "-1"},
    {**P, "mmr": "1.5"},
    {**P, "margin": "100", "leverage": "100", "mmr": "0.02"},
    {**P, "quantity": "1"},
    {k: v for k, v in INV.items() if k != "contract-size"},
    {**CROSS, "other": ["short:10:3000"]},
    {**P, "side": "flat"},
    {**CROSS, "basis": "entry"},
    {**P, "entry": "abc"},
    {"side": "long", "entry": "60000", "margin": "1000", "leverage": "10", "venue": "okx"},
    {"side": "long", "entry": "60000", "margin": "1e6", "quantity": "10000", "venue": "binance"},
    {**CROSS, "other": ["short:10:3000:2900:0.005"], "margin": "100"},
    # what a venue preset fixes (its basis, contract and reserved fee) cannot be overridden
    {**VENUE, "venue": "binance", "basis": "entry"},
    {**VENUE, "venue": "binance", "fee-rate": "0.0005"},
    {**VENUE, "venue": "binance", "inverse": "1", "contract-size": "100"},
    {**VENUE, "venue": "bitmex", "margin": "0.05", "contract-size": "100"},
    {**VENUE, "venue": "bybit", "maintenance-amount": "5"},
]


def query(opts: dict) -> str:
    pairs = []
    for k, v in opts.items():
        pairs += [(k, x) for x in v] if isinstance(v, list) else [(k, v)]
    return urlencode(pairs)


def cli(opts: dict) -> dict:
    """``python -m liqlearn price ... --json`` (the real entry point, in this process)."""
    from liqlearn.__main__ import main

    argv = ["price"]
    for k, val in opts.items():
        if k == "inverse":
            argv.append("--inverse")
        else:
            argv += [f"--{k}={x}" for x in (val if isinstance(val, list) else [val])]
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main([*argv, "--json"])
        except SystemExit as exc:
            code = exc.code
    if code != 0:
        return {"error": err.getvalue().strip().splitlines()[-1].split("error: ", 1)[1]}
    return json.loads(out.getvalue())


def expected(opts: dict) -> dict:
    """What ``python -m liqlearn price`` answers for the same options (venue presets too)."""
    return cli(opts)


def number(text: str) -> float:
    text = text.strip().replace(",", "")
    if text == "∞":
        return math.inf
    return float(text.removesuffix("%").strip())


def test_the_table_is_large_enough():
    refusals = [c for c in CASES if "error" in expected(c)]
    assert len(CASES) >= 30 and len(refusals) >= 8


# ------------------------------------------------------------------ browser fixtures


@pytest.fixture(scope="module")
def tab(server, browser):
    # `server` and `browser`: the session's (conftest.py); playwright's sync API allows one
    # chromium per process
    context, page, problems = offline_page(browser, server + "/", allow=("file://",))
    try:
        yield page, server, problems
    finally:
        context.close()


READY = """() => {
  const liq = document.querySelector('[data-result="liquidation-price"]');
  const err = document.querySelector('[data-result="error"]');
  return (liq && liq.textContent.trim() !== '') || (err && !err.hidden && err.textContent.trim() !== '');
}"""


def read(page) -> dict:
    page.wait_for_function(READY, timeout=30_000)
    err = page.locator('[data-result="error"]')
    if err.is_visible():
        return {"error": err.inner_text().strip()}
    out = {}
    for key, field in (("liquidation-price", "liquidation_price"),
                       ("bankruptcy-price", "bankruptcy_price"),
                       ("liquidation-price-rounded", "liquidation_price_rounded"),
                       ("bankruptcy-price-rounded", "bankruptcy_price_rounded"),
                       ("margin-ratio", "margin_ratio")):
        el = page.locator(f'[data-result="{key}"]')
        if el.count() and el.is_visible():
            out[field] = el.inner_text()
    return out


def compare(shown: dict, want: dict, case: dict) -> None:
    if "error" in want or "error" in shown:
        assert shown == {"error": want.get("error")}, (case, shown, want)
        return
    for field, text in shown.items():
        value = want[field]
        value = math.inf if value == "inf" else float(value)
        got = number(text)
        # exact numbers to 1e-9 (Python and JavaScript round differently in the last digits);
        # the margin ratio is shown with 4 significant digits
        rel = 5e-4 if field == "margin_ratio" else 1e-9
        got = got / 100 if field == "margin_ratio" else got
        assert got == value or math.isclose(got, value, rel_tol=rel), (case, field, text, value)
    for field in ("liquidation_price", "bankruptcy_price"):
        assert field in shown, (case, field, "not shown")


@pytest.mark.parametrize("case", CASES, ids=[query(c)[:80] for c in CASES])
def test_calculator_matches_the_cli(tab, case):
    page, server, problems = tab
    problems.clear()
    # the page computes on DOMContentLoaded; `read` waits for the result (or the refusal)
    page.goto(f"{server}/{PAGE}?{query(case)}", wait_until="domcontentloaded")
    compare(read(page), expected(case), case)
    assert not problems, problems


def test_keyboard_copy_link_and_live_region(tab):
    page, server, problems = tab
    problems.clear()
    page.goto(f"{server}/{PAGE}?{query(P)}", wait_until="load")
    read(page)
    entry = page.locator('input[name="entry"]')
    entry.focus()
    page.keyboard.press("Control+A")
    page.keyboard.type("50000")
    page.locator('select[name="side"]').focus()
    page.keyboard.press("ArrowDown")  # long -> short
    want = cli({**P, "entry": "50000", "side": "short"})
    page.wait_for_function("() => document.querySelector('[data-result=\"liquidation-price\"]')"
                           f".textContent.replace(/,/g, '') === '{want['liquidation_price']!r}'")
    assert f"side=short" in page.url and "entry=50000" in page.url
    summary = page.locator('[data-result="summary"]').inner_text()
    assert f"{want['liquidation_price']:,}"[:6] in summary
    page.locator('[data-action="copy-link"]').click()
    link = page.locator('[data-result="link"]').input_value()
    assert "side=short" in link and "leverage=10" in link
    assert not problems, problems


def test_narrow_and_dark(tab):
    """At 390 px nothing scrolls sideways; in dark mode the results keep their contrast."""
    page, server, problems = tab
    problems.clear()
    page.set_viewport_size({"width": 390, "height": 844})
    try:
        page.goto(f"{server}/{PAGE}?{query({**CROSS, 'mark': '58000', 'tick': '0.1'})}",
                  wait_until="load")
        read(page)
        width = page.evaluate("() => [document.documentElement.scrollWidth, "
                              "document.querySelector('#liq-calculator').scrollWidth]")
        assert max(width) <= 390, width
        page.evaluate("() => document.documentElement.dataset.theme = 'dark'")
        ratio = page.evaluate(CONTRAST, '[data-result="liquidation-price"]')
        assert ratio >= 4.5, ratio
    finally:
        page.set_viewport_size({"width": 1280, "height": 900})
    assert not problems, problems


CONTRAST = """(sel) => {
  const lum = (c) => {
    const [r, g, b] = c.match(/[\\d.]+/g).slice(0, 3).map((v) => {
      v = v / 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  let el = document.querySelector(sel);
  const fg = getComputedStyle(el).color;
  let bg = 'rgba(0, 0, 0, 0)';
  while (el && /rgba\\(0, 0, 0, 0\\)|transparent/.test(bg)) {
    bg = getComputedStyle(el).backgroundColor; el = el.parentElement;
  }
  if (/rgba\\(0, 0, 0, 0\\)|transparent/.test(bg)) bg = 'rgb(255, 255, 255)';
  const [a, b] = [lum(fg), lum(bg)].sort((x, y) => y - x);
  return (a + 0.05) / (b + 0.05);
}"""


def test_opens_from_file(tab):
    """Chromium runs no ES modules from file://: the page's classic scripts must do it all."""
    page, server, problems = tab
    problems.clear()
    case = {**CROSS, "tick": "0.1"}
    page.goto(f"{(HTML / PAGE).as_uri()}?{query(case)}", wait_until="load")
    compare(read(page), cli(case), case)
    assert not problems, problems
