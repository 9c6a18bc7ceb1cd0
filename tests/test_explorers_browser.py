"""The five explorers on the built site, offline, in Debian chromium (playwright).

Every request not to the local server is blocked.  On each explorer page every enabled
control is moved to at least three positions by keyboard (Home, End, arrows) and by
pointer (clicks along a slider's track; a choice is picked with ``select_option``);
after each move the numbers on the page are read and compared with the package for
the same inputs (the values the page reports in ``data-values``), to the displayed
rounding.  An input with no valid answer must show the package's own message.  Also:
zero console errors, the live region and the figures' text alternatives follow, the
page fits 390 px without horizontal scroll, dark mode keeps text readable, the page
weighs at most 2.5 MB (decoded bytes of every response in a fresh context), and one
explorer page works from ``file://``.
"""

from __future__ import annotations

import json
import re

import pytest

from _book import HTML, offline_page, require_site

pytestmark = [pytest.mark.browser, pytest.mark.book, pytest.mark.timeout(600)]

ex = pytest.importorskip("liqlearn.explorers")

# explorer -> the chapter that shows it
PAGES = {"leverage": "book/liquidation_price", "mark_price": "book/mark_price",
         "slippage": "book/order_books", "insurance_fund": "book/insurance_fund",
         "risk": "book/liquidation_probability"}
MAX_PAGE_BYTES = 2_500_000
WEIGHT = ("() => performance.getEntriesByType('navigation')"
          ".concat(performance.getEntriesByType('resource'))"
          ".reduce((sum, e) => sum + e.decodedBodySize, 0)")
NUMBER = re.compile(r"[-−+]?\d[\d,]*(?:\.\d+)?")


# ------------------------------------------------------------- the package side
def expected(name: str, values: dict) -> dict[str, list[float]]:
    """The numbers each row of the explorer shows, from the package, in display order."""
    r = _explorer(name).compute(**dict(values))
    return EXPECTED[name](r, values)


_CACHE: dict = {}


def _explorer(name: str):
    if name not in _CACHE:
        _CACHE[name] = getattr(ex, f"{name}_explorer")()
    return _CACHE[name]


def _leverage(r, values) -> dict:
    out = {"position": [r.quantity, r.notional],
           "mmr": [100 * r.mmr] + ([r.notional, r.maintenance_amount] if r.tiered else []),
           "bankruptcy_price": [r.bankruptcy_price],
           "rough_move": [100 * r.rough_move], "move": [100 * r.move], "gap": [1e4 * r.gap]}
    if r.can_liquidate:
        out["liquidation_price"] = [r.liquidation_price]
        out["distance"] = [r.distance, 100 * r.move]
    return out


def _mark_price(r, values) -> dict:
    out = {"position": [r.leverage, r.entry_price],
           "lowest_last": [r.lowest_last, 100 * (r.lowest_last / r.entry_price - 1)],
           "lowest_mark": [r.lowest_mark, 100 * (r.lowest_mark / r.entry_price - 1)]}
    if r.liquidation_price > 0:
        out["liquidation_bankruptcy"] = [r.liquidation_price, r.bankruptcy_price]
    for key, idx, series in (("last_trigger", r.last_trigger, r.last),
                             ("mark_trigger", r.mark_trigger, r.mark)):
        out[key] = [] if idx is None else [r.minutes[idx], series[idx]]
    return out


def _slippage(r, values) -> dict:
    f = r.fill
    out = {"position": [r.size, r.leverage, r.margin], "liquidation_price": [r.liquidation_price],
           "bankruptcy_price": [r.bankruptcy_price], "mid": [r.mid], "vwap": [f.vwap],
           "levels": [f.levels_touched, f.last_price], "slippage": [100 * f.slippage]}
    if not f.complete:
        out["unfilled"] = [f.unfilled]
    if r.balance_after >= 0:
        out["balance"] = [r.balance_after]
    else:
        out["negative_balance"] = [-r.balance_after]
    return out


def _insurance_fund(r, values) -> dict:
    out = {"liquidations": [r.liquidations, ex.insurance_fund.ACCOUNTS],
           "surplus": [r.surplus], "shortfall": [r.shortfall],
           "fund": [r.fund_initial, r.fund.min(), r.fund[-1]]}
    first = r.first_adl_step
    out["adl"] = [] if first is None else [r.adl_events, first, len(r.adl),
                                           len({row[1] for row in r.adl})]
    return out


def _risk(r, values) -> dict:
    out = {"position": [r.quantity, r.entry_price, r.margin],
           "probability": [100 * r.probability],
           "probability_discrete": [100 * r.probability_discrete],
           "probability_mc": [100 * r.probability_mc, 100 * r.stderr_mc]}
    if r.can_liquidate:
        out["liquidation_price"] = [r.liquidation_price]
    if r.put_premium is not None:
        out["put_premium"] = [r.put_premium, 100 * r.put_premium / r.margin]
        out["loss_cap"] = [r.loss_cap, r.quantity * r.entry_price]
    return out


EXPECTED = {"leverage": _leverage, "mark_price": _mark_price, "slippage": _slippage,
            "insurance_fund": _insurance_fund, "risk": _risk}


def _numbers(text: str) -> list[tuple[float, int]]:
    """Every number in a displayed text, with its count of decimals."""
    out = []
    for m in NUMBER.finditer(text):
        token = m.group(0).replace("−", "-").replace(",", "")
        decimals = len(token.split(".")[1]) if "." in token else 0
        out.append((float(token), decimals))
    return out


def check_numbers(name: str, shown: dict, values: dict, error: str | None) -> int:
    """Compare the page's rows with the package; return how many numbers were compared."""
    try:
        want = expected(name, values)
    except ValueError as exc:
        assert error is not None, f"{name} {values}: the package refuses ({exc}) but the page shows numbers"
        assert str(exc) in error, f"{name} {values}: page says {error!r}, package {exc}"
        return 0
    assert error is None, f"{name} {values}: the page shows an error {error!r}, the package answers"
    compared = 0
    for key, numbers in want.items():
        if name == "risk" and key == "probability_mc" and "±" not in shown.get(key, "±"):
            continue  # the static site carries the Monte Carlo at the starting values only
        assert key in shown, f"{name} {values}: row {key!r} missing; rows {sorted(shown)}"
        got = _numbers(shown[key])[:len(numbers)] if numbers else []
        assert len(got) == len(numbers), f"{name} {key}: shown {shown[key]!r}, expected {numbers}"
        for (value, decimals), exp in zip(got, numbers):
            tol = 0.5 * 10.0 ** -decimals * (1 + 1e-9) + 1e-9 * abs(exp)
            assert abs(value - exp) <= tol, (
                f"{name} {values}: {key} shows {shown[key]!r}; the package gives {exp!r}")
            compared += 1
    return compared


# ------------------------------------------------------------------ the browser
READ = """root => ({values: JSON.parse(root.dataset.values), state: root.dataset.state,
  rows: Object.fromEntries([...root.querySelectorAll('tr[data-key]')].map(
    tr => [tr.dataset.key, tr.querySelector('td').textContent])),
  error: root.dataset.state === 'error' ? root.querySelector('.lqx-msg').textContent : null,
  live: root.querySelector('[aria-live]').textContent,
  desc: [...root.querySelectorAll('svg desc')].map(d => d.textContent),
  marks: root.querySelectorAll('svg path[d]:not([d=""])').length})"""


class Page:
    def __init__(self, browser, url_base: str, *, viewport=(1280, 900), offline_base=None):
        self.context, self.page, self.problems = offline_page(
            browser, offline_base or url_base, width=viewport[0], height=viewport[1])

    def weight(self) -> int:
        """Decoded bytes of the page and every resource it loaded (Resource Timing)."""
        return self.page.evaluate(WEIGHT)

    def open(self, url: str, name: str):
        self.page.goto(url, wait_until="load", timeout=60_000)
        root = self.page.locator(f".lqx[data-explorer='{name}']")
        root.wait_for(state="attached", timeout=30_000)
        self.page.wait_for_load_state("networkidle", timeout=120_000)  # a shared, loaded machine
        self.root = root
        return root

    def read(self) -> dict:
        return self.root.evaluate(READ)

    def close(self) -> None:
        self.context.close()


def _moves(page: Page, control) -> list:
    """Keyboard and pointer moves for one control (each a callable)."""
    locator = page.root.locator(f"[data-control='{control.name}'] select, "
                                f"[data-control='{control.name}'] input")
    if control.options:
        n = len(control.options)
        keys = [lambda: (locator.focus(), page.page.keyboard.press("End")),
                lambda: (locator.focus(), page.page.keyboard.press("Home")),
                lambda: (locator.focus(), page.page.keyboard.press("ArrowDown"))]
        picks = [lambda i=i: locator.select_option(index=i) for i in sorted({n - 1, n // 2, 0})]
        return keys + picks

    def click(fraction: float):
        box = locator.bounding_box()
        page.page.mouse.click(box["x"] + fraction * box["width"], box["y"] + box["height"] / 2)

    keys = [lambda: (locator.focus(), page.page.keyboard.press("End")),
            lambda: (locator.focus(), page.page.keyboard.press("Home")),
            lambda: (locator.focus(), [page.page.keyboard.press("ArrowRight") for _ in range(3)]),
            lambda: (locator.focus(), page.page.keyboard.press("PageUp"))]
    clicks = [lambda f=f: click(f) for f in (0.15, 0.5, 0.85)]
    return keys + clicks


@pytest.fixture(scope="module")
def site():
    require_site()


@pytest.mark.parametrize("name", list(PAGES))
def test_explorer_responds_and_agrees_with_the_package(name, site, browser, server):
    page = Page(browser, server)
    try:
        page.open(f"{server}/{PAGES[name]}.html", name)
        assert page.page.locator("script[src*='embed-amd']").count() == 0
        weight = page.weight()
        assert 100_000 < weight <= MAX_PAGE_BYTES, f"{name}: the page loads {weight:,} bytes"
        first = page.read()
        compared = check_numbers(name, first["rows"], first["values"], first["error"])
        assert compared > 0 and first["live"] and all(first["desc"]) and first["marks"] > 3
        x = _explorer(name)
        start = dict(first["values"])
        for key, control in x.controls.items():
            if page.root.locator(f"[data-control='{key}'] :is(input, select)").is_disabled():
                assert control.spec.static_fixed or control.spec.disabled_unless, key
                continue
            seen = set()
            for move in _moves(page, control):
                move()
                now = page.read()
                seen.add(json.dumps(now["values"][key]))
                compared += check_numbers(name, now["rows"], now["values"], now["error"])
                assert now["live"], f"{name}: the live region is empty after moving {key}"
                if now["error"] is None:
                    assert all(now["desc"]), f"{name}: a figure lost its text alternative"
            assert len(seen) >= min(3, len(control.options) or 3), (
                f"{name}: moving {key} reached only {sorted(seen)}")
            # back to the starting value (so the next control starts from a valid state)
            if control.options:
                page.root.locator(f"[data-control='{key}'] select").select_option(
                    index=control.options.index(start[key]))
            else:
                page.root.locator(f"[data-control='{key}'] input").evaluate(
                    "(el, v) => { el.value = v; el.dispatchEvent(new Event('input')); }",
                    str(start[key]))
        assert compared > 50
        assert not page.problems, "\n".join(page.problems)
    finally:
        page.close()


@pytest.mark.parametrize("name", ["leverage", "insurance_fund"])
def test_explorer_at_390px_and_in_dark_mode(name, site, browser, server):
    page = Page(browser, server, viewport=(390, 844))
    try:
        page.open(f"{server}/{PAGES[name]}.html", name)
        width = page.page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, f"{name}: the page scrolls horizontally at 390 px ({width} px)"
        overlaps = page.root.evaluate("""root => [...root.querySelectorAll('.lqx-control')].filter(c => {
            const a = c.querySelector('label').getBoundingClientRect();
            const b = c.querySelector('output').getBoundingClientRect();
            return a.right > b.left + 0.5 && a.bottom > b.top + 0.5 && b.bottom > a.top + 0.5;
          }).length""")
        assert overlaps == 0, f"{name}: {overlaps} labels overlap their values at 390 px"
        slider = page.root.locator("input[type=range]").first.bounding_box()
        assert slider["width"] > 200, "sliders must stay usable at 390 px"
        page.page.evaluate("document.documentElement.dataset.theme = 'dark'")
        fg, bg = page.root.evaluate("""root => [getComputedStyle(root).color,
            getComputedStyle(document.body).backgroundColor]""")

        def luminance(css: str) -> float:
            r, g, b = (int(v) for v in re.findall(r"\d+", css)[:3])
            return (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255

        assert luminance(fg) - luminance(bg) > 0.5, f"dark mode: text {fg} on {bg}"
        assert not page.problems, "\n".join(page.problems)
    finally:
        page.close()


def test_explorer_from_file_url(site, browser):
    page = Page(browser, "file://", offline_base="file://")
    try:
        path = HTML / f"{PAGES['leverage']}.html"
        page.open(path.as_uri(), "leverage")
        before = page.read()
        page.root.locator("[data-control='leverage'] input").focus()
        page.page.keyboard.press("End")
        after = page.read()
        assert after["values"]["leverage"] == 125.0 and after["rows"] != before["rows"]
        check_numbers("leverage", after["rows"], after["values"], after["error"])
        assert not page.problems, "\n".join(page.problems)
    finally:
        page.close()
