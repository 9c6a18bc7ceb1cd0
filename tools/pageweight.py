"""Page weight: the decoded bytes of every response a page loads in a fresh browser context.

    python tools/pageweight.py [--site _build/html] [--width 1366] [--json FILE]

serves the built site on 127.0.0.1 (every other address refused), opens each page of
``_toc.yml`` (plus ``genindex`` and ``search``) in a new Chromium context (empty cache),
waits for MathJax and for the network to go idle, and prints the page's total and its
heaviest files.  The browser test (tests/test_browser.py) asserts the limits with the same
:func:`weigh`; the limits themselves live here.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import json
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run"]
MB = 1_000_000
# issue 12: a page without maths, a chapter, an explorer chapter
LIMITS = {"page": 1 * MB, "chapter": 2 * MB, "explorer": 2.5 * MB}


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def serve(folder: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    """A local server for ``folder`` in a daemon thread: (server, base URL)."""
    handler = functools.partial(_Quiet, directory=str(folder))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return httpd, f"http://127.0.0.1:{httpd.server_address[1]}"


class Network:
    """The requests of one page: every response, and when the network last went quiet.

    Playwright's own "networkidle" state now and then never arrives on a loaded machine
    (a long page, nothing pending); this counts the requests itself."""

    def __init__(self, page) -> None:
        self.pending: set = set()
        self.responses: list = []
        self.last = time.monotonic()
        page.on("request", self._start)
        page.on("requestfinished", self._end)
        page.on("requestfailed", self._end)
        page.on("response", lambda r: self.responses.append(r))

    def _start(self, request) -> None:
        self.pending.add(request)
        self.last = time.monotonic()

    def _end(self, request) -> None:
        self.pending.discard(request)
        self.last = time.monotonic()

    def wait_idle(self, page, quiet: float = 0.5, timeout: float = 60.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if not self.pending and time.monotonic() - self.last >= quiet:
                return
            page.wait_for_timeout(50)  # lets playwright deliver the events
        raise TimeoutError(f"network still busy after {timeout:g} s: "
                           + ", ".join(r.url for r in list(self.pending)[:5]))


def settle(page, network: Network, timeout: float = 60.0) -> None:
    """Wait for MathJax's typesetting, for the fonts the page uses and for the network to
    go quiet (nothing pending for 0.15 s: by then the load event has fired, MathJax and the
    fonts are done, and nothing is left that would ask for more)."""
    page.evaluate("""async () => {
        const M = window.MathJax;
        if (M && M.startup && M.startup.promise) { await M.startup.promise; }
        if (M && M.typesetPromise) { await M.typesetPromise(); }
        await document.fonts.ready;
    }""")
    network.wait_idle(page, quiet=0.15, timeout=timeout)


def weigh(responses: list) -> dict:
    """Decoded body bytes of the responses a page received: total and per file."""
    files: dict[str, int] = {}
    for response in responses:
        try:
            body = response.body()
        except Exception:  # noqa: BLE001 - redirects and aborted requests have no body
            continue
        url = response.url.split("?", 1)[0]
        files[url] = files.get(url, 0) + len(body)
    return {"total": sum(files.values()), "files": files}


def measure(browser, base: str, path: str, width: int, height: int = 900) -> dict:
    """Load ``base/path`` in a fresh context at ``width`` px and weigh it."""
    context = browser.new_context(viewport={"width": width, "height": height})
    try:
        context.route("**/*", lambda r: r.continue_() if r.request.url.startswith(
            (base + "/", "data:", "blob:")) else r.abort())
        page = context.new_page()
        network = Network(page)
        page.goto(f"{base}/{path}", wait_until="load", timeout=60_000)
        idle = True
        try:
            settle(page, network)
        except TimeoutError:  # weigh what came
            idle = False
        return {**weigh(network.responses), "idle": idle}
    finally:
        context.close()


def main(argv: list[str] | None = None) -> int:
    sys.path.insert(0, str(ROOT / "tests"))
    from _book import has_math, is_explorer_page, toc_docnames
    from playwright.sync_api import sync_playwright

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", type=Path, default=ROOT / "_build" / "html")
    parser.add_argument("--width", type=int, default=1366)
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args(argv)
    httpd, base = serve(args.site)
    rows = {}
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=FLAGS)
            for doc in [*toc_docnames(), "genindex", "search"]:
                kind = ("explorer" if doc.startswith("book/") and is_explorer_page(doc) else
                        "chapter" if doc.startswith("book/") and has_math(doc) else "page")
                res = measure(browser, base, f"{doc}.html", args.width)
                heavy = sorted(res["files"].items(), key=lambda kv: -kv[1])[:3]
                rows[doc] = {"kind": kind, "total": res["total"],
                             "heaviest": {Path(u).name: n for u, n in heavy}}
                flag = "" if res["total"] <= LIMITS[kind] else f"  > {LIMITS[kind] / MB:g} MB"
                flag += "" if res["idle"] else "  (network still busy)"
                print(f"{doc:32s} {kind:8s} {res['total'] / MB:6.2f} MB{flag}   "
                      + ", ".join(f"{Path(u).name} {n / MB:.2f}" for u, n in heavy), flush=True)
            browser.close()
    finally:
        httpd.shutdown()
    if args.json:
        args.json.write_text(json.dumps(rows, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
