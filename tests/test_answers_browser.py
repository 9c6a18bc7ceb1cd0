"""The answer boxes in a real browser, offline: Debian chromium driven by playwright.

On a few chapters: the right answer (computed here with liqlearn) is accepted, a planted
mistake (the same position with one named mistake, computed here) gets the mistake's hint
exactly as the Python check prints it; by keyboard only (Tab into the field, type, Enter;
Tab to the button, Space) and by pointer; at 390 px the box fits with no horizontal
scroll; in the theme's dark mode its text stays legible.  Every request not to the local
server is blocked; console errors fail.  The student edition shows no box, only the note.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

import liqlearn as ll
from _book import BUILD, HTML, offline_page, require_site, serve
from liqlearn import check
from liqlearn.course.mistakes import MISTAKES

pytestmark = [pytest.mark.browser, pytest.mark.timeout(300)]

STUDENT_HTML = Path(os.environ.get("LIQLEARN_STUDENT_SITE", BUILD / "student" / "html"))
PRIMER = ("short", 60_000, 1 / 6, 1_000, 0.005)

# (page, box id, right answer, planted wrong answer, the mistake it must be named as)
CASES = [
    ("book/liquidation_price", "liqanswer-liquidation_price-ex1-1",
     ll.liquidation_price(*PRIMER),
     ll.liquidation_price(*PRIMER, mm_basis="entry"), "basis_entry"),
    ("book/liquidation_price", "liqanswer-liquidation_price-ex2-2",
     ll.liquidation_price("long", 60_000, 1 / 3, 1_000, 0.005, mm_basis="entry"),
     ll.liquidation_price("short", 60_000, 1 / 3, 1_000, 0.005, mm_basis="entry"),
     "wrong_side"),
    ("book/liquidation_price", "liqanswer-liquidation_price-ex1-1",
     ll.liquidation_price(*PRIMER), -ll.liquidation_price(*PRIMER), "sign"),
]


def _open(browser, directory: Path, page_path: str, width: int = 1280, dark: bool = False):
    """(page, problems, close) with every request not to the local server blocked."""
    httpd, server = serve(directory)
    context, page, problems = offline_page(browser, server + "/", width=width, dark=dark)
    page.goto(f"{server}/{page_path}.html", wait_until="load", timeout=60_000)
    page.wait_for_load_state("networkidle", timeout=30_000)

    def close():
        context.close()
        httpd.shutdown()
        httpd.server_close()

    return page, problems, close


def _result(page, box_id: str) -> str:
    return page.locator(f"#{box_id}-result").inner_text().strip()


@pytest.mark.parametrize("doc,box,right,wrong,code", CASES,
                         ids=[f"{c[1]}-{c[4]}" for c in CASES])
def test_box_accepts_the_answer_and_names_the_mistake(browser, doc, box, right, wrong, code):
    require_site()
    page, problems, close = _open(browser, HTML, doc)
    try:
        field = page.locator(f"#{box}")
        assert field.count() == 1, f"{doc}: no box {box}"
        # keyboard only: focus the field as Tab would reach it, type, Enter submits
        field.focus()
        page.keyboard.type(f"{right:,.2f}")
        page.keyboard.press("Enter")
        assert _result(page, box) == "✓ Correct."
        assert field.get_attribute("aria-invalid") == "false"
        # the planted mistake, by keyboard: Tab to the button, Space presses it
        field.fill("")
        field.focus()
        page.keyboard.type(repr(wrong))
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.tagName") == "BUTTON"
        page.keyboard.press(" ")
        hint = f"✗ Not yet — {MISTAKES[code]}"
        assert _result(page, box) == hint
        # the same words as the Python check's for the same number
        assert page.locator(f"#{box}-result").get_attribute("aria-live") == "polite"
        # by pointer: a number no mistake explains gets the check's fallback message
        field.fill("1")
        page.locator(f"form:has(#{box}) button").click()
        assert _result(page, box).startswith("✗ Not yet — ")
        # never shown: the expected value is nowhere in the page's visible text
        visible = page.evaluate("document.body.innerText")
        assert f"{right!r}" not in visible
        assert not problems, problems
    finally:
        close()


def test_python_check_agrees_with_the_planted_cases():
    """The hints the browser test expects are what liqlearn.check itself prints."""
    short = check.liquidation_price_short(ll.liquidation_price(*PRIMER, mm_basis="entry"),
                                          strict=False)
    assert short.mistake == "basis_entry"
    entry = check.liquidation_price_long(
        ll.liquidation_price("short", 60_000, 1 / 3, 1_000, 0.005, mm_basis="entry"),
        leverage=20, mm_basis="entry", strict=False)
    assert entry.mistake == "wrong_side"


@pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"])
def test_box_is_legible_at_390px(browser, dark):
    require_site()
    page, problems, close = _open(browser, HTML, "book/liquidation_price", width=390, dark=dark)
    try:
        if dark:   # the theme follows the system in "auto" mode; make sure it is dark
            page.evaluate("document.documentElement.dataset.theme = 'dark'")
        form = page.locator("form.liqanswer").first
        form.scroll_into_view_if_needed()
        m = form.evaluate("""f => {
            const r = f.getBoundingClientRect(), i = f.querySelector('input');
            const b = f.querySelector('button'), l = f.querySelector('label');
            const rgb = s => s.match(/[\\d.]+/g).slice(0, 3).map(Number);
            const lum = c => { const v = c.map(x => { x /= 255;
                return x <= 0.03928 ? x / 12.92 : Math.pow((x + 0.055) / 1.055, 2.4); });
                return 0.2126 * v[0] + 0.7152 * v[1] + 0.0722 * v[2]; };
            const contrast = (fg, bg) => { const a = lum(rgb(fg)), c = lum(rgb(bg));
                return (Math.max(a, c) + 0.05) / (Math.min(a, c) + 0.05); };
            let el = f, bg = 'rgba(0, 0, 0, 0)';
            while (el && /rgba\\(0, 0, 0, 0\\)|transparent/.test(bg)) {
                bg = getComputedStyle(el).backgroundColor; el = el.parentElement; }
            if (/rgba\\(0, 0, 0, 0\\)/.test(bg)) bg = 'rgb(255, 255, 255)';
            return {right: r.right, scroll: f.scrollWidth - f.clientWidth,
                    inputRight: i.getBoundingClientRect().right,
                    buttonRight: b.getBoundingClientRect().right,
                    inputWidth: i.getBoundingClientRect().width,
                    label: contrast(getComputedStyle(l).color, bg),
                    field: contrast(getComputedStyle(i).color, getComputedStyle(i).backgroundColor),
                    docScroll: document.documentElement.scrollWidth};
        }""")
        assert m["right"] <= 390 and m["inputRight"] <= 390 and m["buttonRight"] <= 390, m
        assert m["scroll"] <= 0 and m["inputWidth"] >= 100, m
        assert m["label"] >= 4.5 and m["field"] >= 4.5, m
        assert not problems, problems
    finally:
        close()


@pytest.mark.editions
def test_student_edition_has_no_boxes(browser):
    if not (STUDENT_HTML / "index.html").exists():
        if os.environ.get("LIQLEARN_REQUIRE_BUILD"):
            pytest.fail(f"{STUDENT_HTML} is missing: run `make student`")
        pytest.skip(f"{STUDENT_HTML} is missing: run `make student`")
    page, problems, close = _open(browser, STUDENT_HTML, "book/liquidation_price")
    try:
        assert page.locator("form.liqanswer, [data-liqanswer]").count() == 0
        note = page.locator(".liqanswer-student")
        assert note.count() >= 1
        assert "liqlearn.check" in note.first.inner_text()
        assert not problems, problems
    finally:
        close()
