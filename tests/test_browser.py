"""The built site in a real browser, offline: Debian chromium driven by playwright.

``_build/html`` is served by ``http.server`` on 127.0.0.1 (a thread in this process);
every request elsewhere is blocked and counted as a failure, so a page that still
needs a CDN fails.  Per page: no console errors, no page errors, no failed requests
or HTTP errors (font 404s included); math typeset (``mjx-container``) where the
source has math; explorers drawn where the page carries widget state (every explorer
page must).  Screenshots go to ``_build/screenshots/``.
The ``server`` and ``browser`` fixtures are in ``conftest.py`` (shared by every browser test).
"""

from __future__ import annotations

import re

import pytest

from _book import BUILD, HTML, has_math, html_path, is_explorer_page, toc_docnames

# the `server` (the built site on 127.0.0.1) and `browser` (Debian chromium) fixtures are in
# conftest.py: one of each per session, shared with test_calculator_browser.py

pytestmark = [pytest.mark.browser, pytest.mark.timeout(300)]

SHOTS = BUILD / "screenshots"
WIDGET_SELECTOR = ".lqx, .jupyter-widgets"  # the explorers' own front end (liqlearn.explorers)
EXTRA_PAGES = ("index", "genindex", "search")
REFRESH = re.compile(r'http-equiv="refresh"\s+content="\d+;\s*url=([^"]+)"', re.I)
MAX_SHOT_HEIGHT = 12_000  # px: taller pages (the API reference) get a first-screen shot


class _Tab:
    """One browser tab reused for every page (cheaper than a context per page).

    Listeners append to ``problems``, which each visit resets; each visit waits for
    the network to go idle before the next one, so nothing carries over.
    """

    def __init__(self, browser, server: str):
        self.server = server
        self.problems: list[str] = []
        self.context = browser.new_context(viewport={"width": 1280, "height": 900})
        self.context.route("**/*", self._route)
        self._new_page()

    def _new_page(self) -> None:
        page = self.page = self.context.new_page()
        page.on("console", lambda m: m.type == "error" and self.problems.append(
            f"console error: {m.text} ({m.location.get('url', '')})"))
        page.on("pageerror", lambda e: self.problems.append(f"page error: {e}"))
        page.on("requestfailed", lambda r: self.problems.append(
            f"request failed: {r.url} ({r.failure})"))
        page.on("response", lambda r: r.status >= 400 and self.problems.append(
            f"HTTP {r.status}: {r.url}"))

    def _route(self, r) -> None:
        url = r.request.url
        if url.startswith(self.server + "/") or url.startswith(("data:", "blob:")):
            r.continue_()
        else:
            self.problems.append(f"external request blocked: {url}")
            r.abort()

    def visit(self, page_path: str, shot: str) -> dict:
        """Load one page offline; return what went wrong and what was drawn."""
        self.problems = []
        try:
            return self._visit(page_path, shot)
        except Exception:
            # start the next page from a clean tab (nothing left in flight)
            self.page.close()
            self._new_page()
            raise

    def _visit(self, page_path: str, shot: str) -> dict:
        page = self.page
        url = f"{self.server}/{page_path}"
        redirect = REFRESH.search((HTML / page_path).read_text(encoding="utf-8"))
        if redirect:  # index.html redirects to the root page: follow it, then check that
            with page.expect_navigation(url=f"**/{redirect.group(1)}", wait_until="load",
                                        timeout=60_000):
                page.goto(url, wait_until="commit", timeout=60_000)
        else:
            page.goto(url, wait_until="load", timeout=60_000)
        # MathJax 3 typesets asynchronously: wait for its startup promise, then for the
        # widgets the HTML manager draws on load, then for late requests (fonts).
        page.evaluate("""async () => {
            const M = window.MathJax;
            if (M && M.startup && M.startup.promise) { await M.startup.promise; }
            if (M && M.typesetPromise) { await M.typesetPromise(); }
        }""")
        state = page.locator("script[type='application/vnd.jupyter.widget-state+json']").count()
        if state:
            page.wait_for_selector(WIDGET_SELECTOR, state="attached", timeout=30_000)
        page.wait_for_load_state("networkidle", timeout=30_000)
        SHOTS.mkdir(parents=True, exist_ok=True)
        tall = page.evaluate("document.documentElement.scrollHeight") > MAX_SHOT_HEIGHT
        page.screenshot(path=str(SHOTS / f"{shot}.png"), full_page=not tall)
        return {
            "problems": list(self.problems),
            "mjx": page.locator("mjx-container").count(),
            "math_nodes": page.locator(".math").count(),
            "widget_state": state,
            "widgets": page.locator(WIDGET_SELECTOR).count(),
        }


@pytest.fixture(scope="session")
def tab(browser, server):
    t = _Tab(browser, server)
    try:
        yield t
    finally:
        t.context.close()


def _pages() -> list[str]:
    return [*toc_docnames(), *EXTRA_PAGES]


@pytest.mark.parametrize("docname", _pages())
def test_page_loads_clean_offline(docname, tab):
    path = html_path(docname)
    assert path.exists(), f"{path.relative_to(HTML.parent.parent)} was not built"
    res = tab.visit(f"{docname}.html", re.sub(r"\W", "_", docname))
    assert not res["problems"], f"{docname}.html:\n  " + "\n  ".join(res["problems"])
    if docname in EXTRA_PAGES:
        return
    if has_math(docname) or res["math_nodes"]:
        assert res["mjx"] > 0, f"{docname}: the source has math but nothing was typeset"
    if is_explorer_page(docname):
        assert res["widget_state"], f"{docname}: explorer page without embedded widget state"
    if res["widget_state"]:
        assert res["widgets"] > 0, f"{docname}: widget state embedded but no widget drawn"
