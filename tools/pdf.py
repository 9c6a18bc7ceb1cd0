"""The print edition: the whole book as one PDF, printed by Chromium from a single-page build.

``make pdf`` (``python tools/pdf.py``) writes ``_build/pdf/liqlearn.pdf``;
``make student-pdf`` (``python tools/pdf.py --student``) writes
``_build/pdf/liqlearn-student.pdf``, the student edition (no solutions).

1. ``jupyter-book build --builder singlehtml`` with the book's configuration (or the student
   edition's, ``tools/student.py``), in its own folder under ``_build/pdf/`` and with the
   full book's execution cache: after ``make book`` nothing runs again.  The student
   edition's page must pass ``student.scan`` (no solution, no link to the sources).
2. Debian's Chromium (``/usr/bin/chromium`` through playwright, offline: every request
   outside the local server is refused) opens that page, waits for MathJax to typeset and
   for the network to go idle (explorers drawn in their initial state), opens every
   dropdown (solutions), and prints it: A4, page numbers in the footer, a PDF outline
   (bookmarks) from the headings, the book's table of contents on the first pages and
   each chapter starting on a new page.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))
import student  # noqa: E402  the student edition's configuration, build and leak scan
from pageweight import CHROMIUM, FLAGS, Network, serve, settle  # noqa: E402  server, waiting

OUT = ROOT / "_build" / "pdf"

# Print layout for the single page (added only when printing; the web pages never see it).
PRINT_CSS = """
@page { size: A4; margin: 16mm 15mm 18mm 15mm; }
html, body { background: #fff !important; }
.bd-header-article, .bd-sidebar-primary, .bd-sidebar-secondary, .prev-next-area,
.bd-footer, .bd-footer-content, .bd-footer-article, .headerlink, .copybtn,
.toggle-button, .dropdown .summary-chevron-up, .dropdown .summary-chevron-down,
#pst-back-to-top, .search-button-field, .theme-switch-button { display: none !important; }
.bd-main, .bd-content, .bd-article-container, .bd-article, .bd-page-width {
  max-width: none !important; width: auto !important; padding: 0 !important; margin: 0 !important; }
/* every chapter (a top-level section of the single page) starts on a new page */
#jb-print-docs-body { break-after: page; }
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

FOOTER = ('<div style="font-size:8px;width:100%;text-align:center;color:#555;">'
          '<span class="title"></span> &middot; <span class="pageNumber"></span> / '
          '<span class="totalPages"></span></div>')


def print_pdf(site: Path, target: Path, title: str) -> dict:
    """Print ``site/index.html`` to ``target``; returns what was waited for and found."""
    from playwright.sync_api import sync_playwright

    httpd, base = serve(site)
    blocked: list[str] = []
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=FLAGS)
            try:
                context = browser.new_context(viewport={"width": 1100, "height": 1400})

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
                time.sleep(0.5)  # let layout settle after the style change
                found = {
                    "math": page.locator("mjx-container").count(),
                    "raw_tex": page.evaluate(
                        "() => (document.body.innerText.match(/\\$\\$|\\\\frac|\\\\mathrm/g)"
                        " || []).length"),
                    "images": page.locator("img").count(),
                }
                target.parent.mkdir(parents=True, exist_ok=True)
                page.pdf(path=str(target), format="A4", print_background=True, outline=True,
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
    edition = "student" if args.student else "book"
    work = OUT / edition
    config = student.book_config()
    cfg = student.student_config(config, work) if args.student else student.relocated_config(config)
    started = time.perf_counter()
    try:
        site = student.build(work, strict=not args.no_strict, builder="singlehtml", cfg=cfg,
                             generator="tools/pdf.py")
    except Exception as exc:  # noqa: BLE001 - report and fail
        print(f"print edition: the single-page build failed: {exc}", file=sys.stderr)
        return 1
    if args.student:
        problems = student.scan(site)
        if problems:
            print("student print edition is NOT clean:", *problems, sep="\n  ", file=sys.stderr)
            return 1
    target = OUT / ("liqlearn-student.pdf" if args.student else "liqlearn.pdf")
    found = print_pdf(site, target, cfg.get("title", "liqlearn"))
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
