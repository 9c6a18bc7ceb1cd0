"""The built site in a real browser, offline: Debian chromium driven by playwright.

``_build/html`` is served by ``http.server`` on 127.0.0.1 (conftest's ``server``); every
request elsewhere is blocked and counted as a failure, so a page that still needs a CDN
fails.  Every page of the book -- the table of contents, the index, search and each API
module page -- is loaded once in a fresh context (empty cache) at a phone's width, 390 px,
and then laid out again at a desk's, 1,366 px (issue 12).  Per page:

* offline and clean: no console errors, page errors, failed requests or HTTP errors;
* maths typeset (``mjx-container``) where the source has maths; explorers drawn where the
  page carries their state (every explorer page must);
* the page's weight within its limit (``tools/pageweight.py``: decoded bytes of every
  response, the network idle); nothing a page loads depends on the width: laid out again at
  1,366 px it requests nothing more, so a fresh load there weighs the same;
* at both widths: nothing widens the page, no display maths clipped, one search box, the
  menu button opens (phone) or folds away and back (desk) the navigation, the contents
  button opens the page's contents (phone).  The context asks for reduced motion, which
  the book's stylesheet honours (the sidebars open without sliding).

A few pages are shot at both widths (and in dark mode on the phone) for the closing note:
``_build/screenshots/<page>-<width>.png``.
"""

from __future__ import annotations

import re
import sys

import pytest

from _book import (BUILD, HTML, ROOT, api_docnames, has_math, html_path, is_explorer_page,
                   offline_page, toc_docnames)

sys.path.insert(0, str(ROOT / "tools"))
import pageweight  # noqa: E402  the weighing and the limits (also `python tools/pageweight.py`)

pytestmark = [pytest.mark.browser, pytest.mark.timeout(300)]

SHOTS = BUILD / "screenshots"
WIDGET_SELECTOR = ".lqx, .jupyter-widgets"  # the explorers' own front end (liqlearn.explorers)
EXTRA_PAGES = ("index", "genindex", "search")
REFRESH = re.compile(r'http-equiv="refresh"\s+content="\d+;\s*url=([^"]+)"', re.I)
PHONE, DESK = (390, 844), (1366, 900)
# shot at both widths (and in dark mode on the phone) for the record
SHOT_PAGES = ("book/liquidation_price", "book/insurance_fund", "book/formula_sheet",
              "book/api/liqlearn.venues")
SHOT_HEIGHT = 6000  # px: the first screens of a page (figures and tables included)


def _pages() -> list[str]:
    return [*toc_docnames(), *EXTRA_PAGES, *api_docnames().values()]


LAYOUT_JS = """() => {
    const vw = document.documentElement.clientWidth;
    const out = {scrollWidth: document.documentElement.scrollWidth, viewport: window.innerWidth,
                 clipped: [], wide: []};
    const clips = (el) => {  // an ancestor that hides what sticks out of it
        for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) {
            const s = getComputedStyle(a);
            if (['hidden', 'clip'].includes(s.overflowX)) return a;
            if (['auto', 'scroll'].includes(s.overflowX)) return null;  // scrolls: not clipped
        }
        return null;
    };
    document.querySelectorAll('mjx-container[display="true"]').forEach((m, i) => {
        const r = m.getBoundingClientRect();
        if (r.width === 0) return;  // in a closed dropdown
        const s = getComputedStyle(m);
        const scrolls = ['auto', 'scroll'].includes(s.overflowX);
        const cut = m.scrollWidth > m.clientWidth + 1 && !scrolls;
        const a = clips(m);
        const hidden = a && r.right > a.getBoundingClientRect().right + 1;
        if (cut || hidden || r.right > vw + 1) {
            out.clipped.push((m.textContent || '').slice(0, 60) + ` (#${i}, ${Math.round(r.width)} px)`);
        }
    });
    // elements poking out of the page (first few, for the message)
    const boxed = (e) => {  // inside a box that scrolls or clips: cannot widen the page
        for (let a = e.parentElement; a; a = a.parentElement) {
            if (getComputedStyle(a).overflowX !== 'visible') return true;
        }
        return false;
    };
    document.querySelectorAll('.bd-article *').forEach((e) => {
        if (out.wide.length < 5 && e.getBoundingClientRect().right > vw + 1 && !boxed(e)) {
            out.wide.push(e.tagName.toLowerCase() + '.' + (e.className || '').toString().slice(0, 40));
        }
    });
    return out;
}"""

NAV_VISIBLE_JS = """() => {
    const vw = document.documentElement.clientWidth, vh = window.innerHeight;
    return [...document.querySelectorAll('nav.bd-docs-nav a, .bd-sidebar-primary a.reference')]
        .some((a) => { const r = a.getBoundingClientRect(); const s = getComputedStyle(a);
            return r.width > 0 && r.height > 0 && r.left >= 0 && r.left < vw && r.top < vh
                && s.visibility !== 'hidden'; });
}"""

TOC_VISIBLE_JS = """() => {
    const vw = document.documentElement.clientWidth, vh = window.innerHeight;
    return [...document.querySelectorAll('.bd-sidebar-secondary a, #pst-secondary-sidebar-modal a')]
        .some((a) => { const r = a.getBoundingClientRect();
            return r.width > 0 && r.height > 0 && r.left >= 0 && r.left < vw && r.top < vh
                && getComputedStyle(a).visibility !== 'hidden'; });
}"""


def _in_toc(docname: str) -> bool:
    """A page of the table of contents (a chapter or an appendix), not a generated one."""
    return docname.startswith("book/") and not docname.startswith("book/api/")


def _kind(docname: str) -> str:
    if not _in_toc(docname):
        return "page"  # index, search, the API pages: no maths, no explorer
    return "explorer" if is_explorer_page(docname) else "chapter" if has_math(docname) else "page"


def _visible_button(page, selector: str):
    for i in range(page.locator(selector).count()):
        button = page.locator(selector).nth(i)
        if button.is_visible():
            return button
    return None


def _until(page, js: str, want: bool, timeout: float = 10_000) -> bool:
    """Wait (each animation frame) until ``js`` evaluates to ``want``; whether it did."""
    try:
        page.wait_for_function(f"() => ({js})() === {str(want).lower()}", polling="raf",
                               timeout=timeout)
        return True
    except Exception:  # noqa: BLE001 - playwright's TimeoutError: report as an assertion
        return False


def _open(browser, server: str, target: str, size: tuple[int, int]):
    """``target`` in a new context (empty cache) at ``size``, MathJax and fonts done and
    the network idle: (context, page, problems, responses).  On a loaded machine a page
    now and then is still loading after a minute: it is loaded once more."""
    for attempt in (1, 2):
        # a reader who asks for less motion: the sidebars open without sliding (liqbook.css),
        # so the navigation checks need not wait out the theme's transitions
        context, page, problems = offline_page(browser, server + "/", width=size[0],
                                               height=size[1], reduced_motion="reduce")
        network = pageweight.Network(page)
        try:
            page.goto(f"{server}/{target}", wait_until="load", timeout=60_000)
            pageweight.settle(page, network)
            return context, page, problems, network.responses
        except Exception:
            context.close()
            if attempt == 2:
                raise
    raise AssertionError("unreachable")


def _check_layout(page, docname: str, px: int) -> None:
    layout = page.evaluate(LAYOUT_JS)
    assert layout["scrollWidth"] <= layout["viewport"], (
        f"{docname} at {px} px is {layout['scrollWidth']} px wide: {layout['wide']}")
    assert not layout["clipped"], f"{docname} at {px} px: display maths clipped {layout['clipped']}"
    # search fields in the page's frame (the search page's own form is its content)
    shown = page.evaluate("""() => [...document.querySelectorAll(
            'input[type=search], .search-button-field, form.bd-search')]
        .filter((e) => !e.closest('.bd-article, .bd-search-container, #pst-search-dialog')
            && !e.parentElement.closest('form.bd-search'))
        .filter((e) => { const r = e.getBoundingClientRect();
            return r.width > 0 && r.height > 0 && getComputedStyle(e).visibility !== 'hidden'; })
        .length""")
    assert shown <= 1, f"{docname} at {px} px: {shown} search boxes"


def _check_navigation(page, docname: str, px: int) -> None:
    menu = _visible_button(page, ".primary-toggle")
    assert menu is not None, f"{docname} at {px} px: no visible menu button"
    if px < 992:  # sphinx-book-theme: a drawer below 992 px, a fold-away column above
        assert page.evaluate(NAV_VISIBLE_JS) is False, f"{docname} at {px} px: navigation shown"
        menu.click()
        assert _until(page, NAV_VISIBLE_JS, True), f"{docname} at {px} px: the menu does not open"
        page.keyboard.press("Escape")
        assert _until(page, NAV_VISIBLE_JS, False), f"{docname} at {px} px: the menu does not close"
    else:  # the desk shows the navigation; the menu button folds it away and back
        assert _until(page, NAV_VISIBLE_JS, True), f"{docname} at {px} px: no navigation"
        menu.click()
        assert _until(page, NAV_VISIBLE_JS, False), f"{docname} at {px} px: the menu does not close"
        menu.click()
        assert _until(page, NAV_VISIBLE_JS, True), f"{docname} at {px} px: the menu does not reopen"
    contents = _visible_button(page, ".secondary-toggle")
    if contents is not None and px < 1200:
        contents.click()
        assert _until(page, TOC_VISIBLE_JS, True), f"{docname} at {px} px: contents do not open"
        page.keyboard.press("Escape")
        assert _until(page, TOC_VISIBLE_JS, False), f"{docname} at {px} px: contents do not close"


def _shoot(page, docname: str, px: int, dark: bool = False) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    height = min(page.evaluate("document.documentElement.scrollHeight"), SHOT_HEIGHT)
    name = re.sub(r"\W", "_", docname) + f"-{px}" + ("-dark" if dark else "")
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True,
                    clip={"x": 0, "y": 0, "width": px, "height": height})


def _within_limit(docname: str, weight: dict, kind: str) -> None:
    limit = pageweight.LIMITS[kind]
    heavy = sorted(weight["files"].items(), key=lambda kv: -kv[1])[:4]
    assert weight["total"] <= limit, (
        f"{docname} weighs {weight['total'] / 1e6:.2f} MB > {limit / 1e6:g} MB ({kind}): "
        + ", ".join(f"{u.rsplit('/', 1)[-1]} {n / 1e6:.2f} MB" for u, n in heavy))


@pytest.mark.parametrize("docname", _pages())
def test_page_offline_at_both_widths(docname, browser, server):
    path = html_path(docname)
    assert path.exists(), f"{path.relative_to(HTML.parent.parent)} was not built"
    redirect = REFRESH.search(path.read_text(encoding="utf-8"))
    target = redirect.group(1) if redirect else f"{docname}.html"  # index -> the root page
    kind = _kind(docname)
    context, page, problems, responses = _open(browser, server, target, PHONE)
    try:
        weight = pageweight.weigh(responses)
        print(f"\n[weight] {docname}: {weight['total'] / 1e6:.2f} MB ({kind})")
        math_shown = page.locator("mjx-container").count()
        if page.locator(".math").count() or (_in_toc(docname) and has_math(docname)):
            assert math_shown > 0, f"{docname}: the source has maths but nothing was typeset"
        state = page.locator("script[type='application/vnd.jupyter.widget-state+json']").count()
        if _in_toc(docname) and is_explorer_page(docname):
            assert state, f"{docname}: explorer page without embedded widget state"
        if state:
            page.wait_for_selector(WIDGET_SELECTOR, state="attached", timeout=30_000)
        if docname in SHOT_PAGES:
            _shoot(page, docname, PHONE[0])
        _check_layout(page, docname, PHONE[0])
        if docname not in EXTRA_PAGES:
            _check_navigation(page, docname, PHONE[0])
        if docname in SHOT_PAGES:  # the theme's dark mode on the phone
            page.evaluate("document.documentElement.dataset.theme = 'dark'")
            page.wait_for_timeout(100)
            _shoot(page, docname, PHONE[0], dark=True)
            page.evaluate("document.documentElement.dataset.theme = 'light'")

        loaded = len(responses)
        page.set_viewport_size({"width": DESK[0], "height": DESK[1]})
        page.evaluate("() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))")
        page.evaluate("() => document.fonts.ready.then(() => true)")
        _check_layout(page, docname, DESK[0])
        if docname in SHOT_PAGES:
            _shoot(page, docname, DESK[0])
        if docname not in EXTRA_PAGES:
            _check_navigation(page, docname, DESK[0])
        # nothing the page loads depends on the width: laid out at the desk's width it asks
        # for nothing more (no media-dependent image, font or script), so a fresh load at
        # 1,366 px weighs what the phone's did
        more = [r.url for r in responses[loaded:]]
        assert not more, f"{docname}: at {DESK[0]} px the page loads more: {more[:5]}"
        assert not problems, f"{docname}.html:\n  " + "\n  ".join(problems)
        _within_limit(docname, weight, kind)
    finally:
        context.close()
