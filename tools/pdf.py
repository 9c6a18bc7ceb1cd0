"""The print edition: the whole book as one PDF, printed by Chromium from a single-page build.

``make pdf`` (``python tools/pdf.py``) writes ``_build/pdf/liqlearn.pdf``;
``make student-pdf`` (``python tools/pdf.py --student``) writes
``_build/pdf/liqlearn-student.pdf``, the student edition (no solutions).

1. ``jupyter-book build --builder singlehtml`` with the very configuration and build folder
   of the site (``make book``: ``_build/singlehtml``; ``make student``, through
   ``tools/student.py``: ``_build/student/singlehtml``), so it reuses that build's Sphinx
   environment and execution cache: after ``make book`` / ``make student`` nothing is read
   or run again, only the one page is written.  The student edition's page must pass
   ``student.scan`` (no solution, no link to the sources).
2. Debian's Chromium (``/usr/bin/chromium`` through playwright, offline: every request
   outside the local server is refused) opens that page, waits for MathJax to typeset and
   for the network to go idle (explorers drawn in their initial state), opens every
   dropdown (solutions), and prints it: A4, page numbers in the footer, a PDF outline
   (bookmarks) from the headings, the book's table of contents on the first pages and
   each chapter starting on a new page.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))
import prepare  # noqa: E402  the same cache keying and failed-build marker as `make book`
import student  # noqa: E402  the student edition's configuration, build and leak scan
from pageweight import CHROMIUM, FLAGS, Network, serve, settle  # noqa: E402  server, waiting

OUT = ROOT / "_build" / "pdf"

# Print layout for the single page (added only when printing; the web pages never see it).
PRINT_CSS = """
@page { size: A4; margin: 16mm 15mm 18mm 15mm; }
html, body { background: #fff !important; }
/* shadows print as one full-resolution raster image each */
* { box-shadow: none !important; text-shadow: none !important; filter: none !important; }
.bd-header-article, .bd-sidebar-primary, .bd-sidebar-secondary, .prev-next-area,
.bd-footer, .bd-footer-content, .bd-footer-article, .headerlink, .copybtn,
.toggle-button, .dropdown .summary-chevron-up, .dropdown .summary-chevron-down,
#pst-back-to-top, .search-button-field, .theme-switch-button { display: none !important; }
.bd-container, .bd-container__inner, .bd-main, .bd-content, .bd-article-container, .bd-article,
.bd-page-width, main {
  max-width: 100% !important; width: 100% !important; min-width: 0 !important;
  padding: 0 !important; margin: 0 !important; }
/* every chapter (a top-level section of the single page) starts on a new page */

.bd-article > section > section:has(> h1),
.bd-article section:has(> h1) { break-before: page; }
h1, h2, h3 { break-after: avoid; }
figure, img, table, mjx-container[display="true"], .cell_output, pre { break-inside: avoid; }
img { max-width: 100% !important; width: auto !important; }
/* solutions and other dropdowns: shown open */
details > *, .toggle-hidden, .toggle-details__container { display: block !important;
  visibility: visible !important; height: auto !important; }
mjx-container[jax="CHTML"][display="true"] { overflow: visible !important; }
div.highlight pre, .cell_output pre { white-space: pre-wrap !important; overflow: visible !important; }
.cell_output .output.text_html { overflow: visible !important; }
"""

# The page is printed at SCALE (16 px body text -> 9.6 pt): a book's type size, half the pages.
SCALE = 0.8
# the layout width that fills an A4 page less 2 x 15 mm at that scale (96 CSS px per inch)
PRINT_WIDTH = round((210 - 30) / 25.4 * 96 / SCALE)

# What is wider than the page (long display formulas, wide tables) is set smaller to fit:
# paper cannot scroll.  Returns how many elements were shrunk.
FIT_JS = """() => {
    let n = 0;
    const fit = (e, container) => {
        const avail = container.getBoundingClientRect().width;
        const wide = Math.max(e.scrollWidth, e.getBoundingClientRect().width);
        if (avail > 0 && wide > avail + 1) {
            e.style.fontSize = Math.max(50, Math.floor(100 * avail / wide)) + '%';
            n += 1;
        }
    };
    document.querySelectorAll('mjx-container[display="true"]').forEach(
        (m) => fit(m, m.parentElement));
    document.querySelectorAll('.bd-article table').forEach(
        (t) => fit(t, t.closest('.output, .pst-scrollable-table-container, section') || t.parentElement));
    document.querySelectorAll('.bd-article pre').forEach((p) => fit(p, p.parentElement));
    return n;
}"""

FOOTER = ('<div style="font-size:8px;width:100%;text-align:center;color:#555;">'
          '<span class="title"></span> &middot; <span class="pageNumber"></span> / '
          '<span class="totalPages"></span></div>')


def single_page(site: Path) -> Path:
    """The single page, moved to ``site/index.html``.

    Sphinx writes it under the root document's name (``book/intro.html``) but links its
    assets as from the site's root (``_static/...``); sphinx-external-toc leaves a redirect
    at ``index.html``.  The page takes the redirect's place, where its links resolve.
    """
    import yaml

    root = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))["root"]
    written = site / f"{Path(root).with_suffix('')}.html"
    index = site / "index.html"
    if written != index and written.exists():
        os.replace(written, index)
    return index


def print_pdf(site: Path, target: Path) -> dict:
    """Print ``site/index.html`` to ``target``; returns what was waited for and found."""
    from playwright.sync_api import sync_playwright

    httpd, base = serve(site)
    blocked: list[str] = []
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=FLAGS)
            try:
                # laid out at the printed width (so FIT_JS measures what the paper holds)
                context = browser.new_context(viewport={"width": PRINT_WIDTH, "height": 1000})

                def route(r):
                    if r.request.url.startswith((base + "/", "data:", "blob:")):
                        r.continue_()
                    else:
                        blocked.append(r.request.url)
                        r.abort()

                context.route("**/*", route)
                page = context.new_page()
                network = Network(page)
                # light theme whatever the reader's system prefers
                page.add_init_script("localStorage.setItem('mode','light');"
                                     "localStorage.setItem('theme','light');")
                page.goto(f"{base}/index.html", wait_until="load", timeout=180_000)
                settle(page, network, timeout=180)
                page.evaluate("""() => {
                    document.querySelectorAll('details').forEach(d => { d.open = true; });
                    document.querySelectorAll('.toggle-hidden').forEach(
                        e => e.classList.remove('toggle-hidden'));
                    document.title = document.title.replace(/ — .*$/, '');
                }""")
                page.add_style_tag(content=PRINT_CSS)
                page.emulate_media(media="print")
                page.wait_for_timeout(300)  # let layout settle after the style change
                shrunk = page.evaluate(FIT_JS)
                found = {
                    "math": page.locator("mjx-container").count(),
                    "raw_tex": page.evaluate(
                        "() => (document.body.innerText.match(/\\$\\$|\\\\frac|\\\\mathrm/g)"
                        " || []).length"),
                    "images": page.locator("img").count(),
                    "shrunk": shrunk,
                }
                target.parent.mkdir(parents=True, exist_ok=True)
                page.pdf(path=str(target), format="A4", scale=SCALE, print_background=True,
                         outline=True,
                         tagged=True, display_header_footer=True,
                         header_template="<span></span>", footer_template=FOOTER,
                         margin={"top": "16mm", "bottom": "18mm", "left": "15mm", "right": "15mm"})
            finally:
                browser.close()
    finally:
        httpd.shutdown()
        httpd.server_close()
    found["blocked"] = blocked
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--student", action="store_true",
                        help="the student edition (no solutions): liqlearn-student.pdf")
    parser.add_argument("--no-strict", action="store_true",
                        help="build without -W -n (warnings do not fail the build)")
    args = parser.parse_args(argv)
    strict = not args.no_strict
    started = time.perf_counter()
    try:
        if args.student:
            site = student.build(student.ROOT / "_build" / "student", strict=strict,
                                 builder="singlehtml")
        else:
            build = ROOT / "_build"
            prepare.before(build)
            student.run_jupyter_book(["--builder", "singlehtml"], strict)
            prepare.succeeded(build)
            site = build / "singlehtml"
    except Exception as exc:  # noqa: BLE001 - report and fail
        print(f"print edition: the single-page build failed: {exc}", file=sys.stderr)
        return 1
    single_page(site)
    if args.student:
        problems = student.scan(site)
        if problems:
            print("student print edition is NOT clean:", *problems, sep="\n  ", file=sys.stderr)
            return 1
    target = OUT / ("liqlearn-student.pdf" if args.student else "liqlearn.pdf")
    found = print_pdf(site, target)
    if found["blocked"]:
        print("print edition: the page asked for outside addresses:",
              *found["blocked"], sep="\n  ", file=sys.stderr)
        return 1
    if found["raw_tex"]:
        print(f"print edition: {found['raw_tex']} untypeset TeX fragments on the page",
              file=sys.stderr)
        return 1
    size = target.stat().st_size
    print(f"\nWrote {target.relative_to(ROOT)}: {size / 1e6:.2f} MB, {found['math']} typeset "
          f"formulas, {found['images']} images, {time.perf_counter() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
