"""How fast does each explorer respond in the browser, on the built static site?

Serves ``_build/html`` on 127.0.0.1, opens each explorer's chapter in Debian chromium
(playwright, offline: every other request is blocked) and moves its controls through a
fixed cycle of settings.  Each *change* is timed in the page from setting the control
and dispatching its ``input`` event -- the explorer recomputes its numbers and redraws
its SVG figure synchronously in the handler -- to the next animation frame (the
``requestAnimationFrame`` callback of the frame that paints the update).  A reader's
input arrives at any point of the frame interval, so each change starts after a random
0-16 ms pause.  ``handler`` is the synchronous update alone, ``+layout`` adds the style
and layout of the updated page (forced before the frame).

Targets (issue 9): per explorer, the median change at most 16 ms (one frame at 60 Hz)
and the 95th percentile at most 33 ms.  Also prints each page's weight: the decoded
bytes of every response when the page loads in a fresh context (target <= 2.5 MB).

    make book && .venv/bin/python benchmarks/explorers.py [--rounds 6] [--json out.json]
"""

from __future__ import annotations

import argparse
import functools
import http.server
import json
import os
import statistics
import sys
import threading
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
HTML = ROOT / "_build" / "html"
CHROMIUM = "/usr/bin/chromium"
MEDIAN_MS, P95_MS, PAGE_BYTES = 16.0, 33.0, 2_500_000

PAGES = {"leverage": "book/liquidation_price", "mark_price": "book/mark_price",
         "slippage": "book/order_books", "insurance_fund": "book/insurance_fund",
         "risk": "book/liquidation_probability"}

# explorer -> a cycle of (control, value): a slider's value, or a choice's option index
CYCLES: dict[str, list[tuple[str, Any]]] = {
    "leverage": [("leverage", 20), ("leverage", 10), ("margin", 5_000), ("margin", 1_000),
                 ("side", 1), ("side", 0), ("basis", 1), ("basis", 0), ("mmr", 0.01),
                 ("mmr", 0.005), ("tiers", 1), ("tiers", 0), ("entry_price", 30_000),
                 ("entry_price", 60_000)],
    "mark_price": [("wick_depth", 0.12), ("wick_depth", 0.08), ("wick_seconds", 300),
                   ("wick_seconds", 30), ("window_minutes", 0.5), ("window_minutes", 2.5),
                   ("funding_rate", 0.002), ("funding_rate", 0.0001), ("leverage", 50),
                   ("leverage", 20)],
    "slippage": [("size", 30), ("size", 5), ("depth", 0.5), ("depth", 1), ("decay", 0.06),
                 ("decay", 0.03), ("spread", 50), ("spread", 10), ("speed", 0.004),
                 ("speed", 0.001), ("leverage", 50), ("leverage", 20)],
    "insurance_fund": [("fund", 3_000), ("fund", 1_000), ("crash", 0.25), ("crash", 0.15),
                       ("fund", 0), ("crash", 0.4), ("fund", 1_000), ("crash", 0.15)],
    "risk": [("leverage", 20), ("leverage", 10), ("volatility", 1.2), ("volatility", 0.8),
             ("horizon_days", 30), ("horizon_days", 7), ("drift", 0.5), ("drift", 0)],
}

MEASURE = """async ([name, cycle, rounds]) => {
  const root = document.querySelector(`.lqx[data-explorer='${name}']`);
  const frame = () => new Promise(res => requestAnimationFrame(() => res()));
  const pause = () => new Promise(res => setTimeout(res, Math.random() * 16));
  const change = [], handler = [], layout = [];
  await frame();
  for (let r = 0; r < rounds; r++) {
    for (const [key, value] of cycle) {
      const el = root.querySelector(`[data-control='${key}'] input, [data-control='${key}'] select`);
      const before = root.querySelector('table.lqx-numbers').textContent + root.dataset.values;
      await pause();
      const t0 = performance.now();
      if (el.tagName === 'SELECT') el.selectedIndex = value; else el.value = String(value);
      el.dispatchEvent(new Event('input', { bubbles: true }));
      const t1 = performance.now();
      root.getBoundingClientRect();  // style and layout of the update
      const t1b = performance.now();
      await frame();
      const t2 = performance.now();
      const after = root.querySelector('table.lqx-numbers').textContent + root.dataset.values;
      if (after === before || root.dataset.state !== 'ok') {
        throw new Error(`${name}: ${key}=${value} did not update the numbers`);
      }
      handler.push(t1 - t0);
      layout.push(t1b - t0);
      change.push(t2 - t0);
    }
  }
  return { change, handler, layout };
}"""


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def _pct(values: list[float], q: float) -> float:
    s = sorted(values)
    k = (len(s) - 1) * q / 100
    lo = int(k)
    return s[lo] + (s[min(lo + 1, len(s) - 1)] - s[lo]) * (k - lo)


def bench(browser, base: str, name: str, rounds: int) -> dict[str, Any]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})

    def route(r):
        if r.request.url.startswith(base):
            r.continue_()
        else:
            r.abort()

    context.route("**/*", route)
    page = context.new_page()
    page.goto(f"{base}/{PAGES[name]}.html", wait_until="load")
    page.wait_for_selector(f".lqx[data-explorer='{name}']")
    page.wait_for_load_state("networkidle", timeout=120_000)
    # decoded bytes of the page and every resource it loaded (Resource Timing)
    weight = page.evaluate("() => performance.getEntriesByType('navigation')"
                           ".concat(performance.getEntriesByType('resource'))"
                           ".reduce((sum, e) => sum + e.decodedBodySize, 0)")
    out = page.evaluate(MEASURE, [name, CYCLES[name], rounds])
    context.close()
    change, handler, layout = out["change"], out["handler"], out["layout"]
    med, p95 = statistics.median(change), _pct(change, 95)
    return {"explorer": name, "changes": len(change), "median_ms": round(med, 2),
            "p95_ms": round(p95, 2), "handler_median_ms": round(statistics.median(handler), 2),
            "handler_p95_ms": round(_pct(handler, 95), 2),
            "layout_median_ms": round(statistics.median(layout), 2), "page_bytes": weight,
            "ok": med <= MEDIAN_MS and p95 <= P95_MS and weight <= PAGE_BYTES}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--rounds", type=int, default=6, help="passes through each cycle")
    ap.add_argument("--only", nargs="*", choices=list(CYCLES), help="explorers to run")
    ap.add_argument("--json", type=Path, help="also write the rows to this file")
    args = ap.parse_args(argv)
    if not (HTML / "index.html").exists():
        print("_build/html is missing: run `make book` first", file=sys.stderr)
        return 2
    from playwright.sync_api import sync_playwright

    handler = functools.partial(_Quiet, directory=str(HTML))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{httpd.server_address[1]}"
    load0 = os.getloadavg()
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=[
                "--no-sandbox", "--disable-gpu", "--disable-background-networking"])
            rows = [bench(browser, base, name, args.rounds) for name in (args.only or CYCLES)]
            browser.close()
    finally:
        httpd.shutdown()
    load1 = os.getloadavg()
    print(f"explorers in chromium ({CHROMIUM}), static site, {os.cpu_count()} cores, "
          f"load average {load0[0]:.2f} at start, {load1[0]:.2f} at end (shared machine)")
    print(f"change = input event to the next animation frame after the update (numbers + SVG); "
          f"handler = the synchronous update alone, +layout = with style and layout; targets: median <= {MEDIAN_MS:g} ms, "
          f"p95 <= {P95_MS:g} ms, page <= {PAGE_BYTES / 1e6:g} MB")
    head = (f"{'explorer':<15}{'n':>4}{'median':>9}{'p95':>8}{'handler med':>13}{'p95':>8}"
            f"{'+layout med':>13}{'page MB':>9}  result")
    print(head)
    print("-" * len(head))
    for r in rows:
        print(f"{r['explorer']:<15}{r['changes']:>4}{r['median_ms']:>9.2f}{r['p95_ms']:>8.2f}"
              f"{r['handler_median_ms']:>13.2f}{r['handler_p95_ms']:>8.2f}"
              f"{r['layout_median_ms']:>13.2f}"
              f"{r['page_bytes'] / 1e6:>9.3f}  {'ok' if r['ok'] else 'MISSED'}")
    if args.json:
        args.json.write_text(json.dumps({"load_average": [load0, load1], "rows": rows}, indent=2))
    return 0 if all(r["ok"] for r in rows) else 1


if __name__ == "__main__":
    raise SystemExit(main())
