"""liqbrowser: the browser twin on the built site (no kernel needed).

After an HTML build, writes ``liqlearn.browser``'s files -- ``formulas.mjs`` (the
contract: ``_build/html/_static/liqlearn/formulas.mjs``), ``data.mjs``,
``algorithms.mjs`` and the classic bundle ``liqlearn.js`` -- into
``_static/liqlearn/``, with the calculator page's script and style from
``liqbrowser_assets/``.  Written on ``build-finished`` (only files whose content
changed), so they are current even when no page was rebuilt.  Pages that declare
``liqbrowser: true`` in their front matter load the bundle and the calculator script
as classic scripts, which Chromium also runs from ``file://``.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from sphinx.application import Sphinx

HERE = Path(__file__).resolve().parent
ASSETS = HERE / "liqbrowser_assets"
STATIC = "liqlearn"  # served as _static/liqlearn/
PAGE_SCRIPTS = ("liqlearn/liqlearn.js", "liqlearn/calculator.js")
PAGE_STYLES = ("liqlearn/calculator.css",)


def add_page_assets(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any],
                    doctree: Any) -> None:
    meta = context.get("meta") or {}
    if str(meta.get("liqbrowser", "")).lower() not in ("true", "1", "yes"):
        return
    for js in PAGE_SCRIPTS:
        app.add_js_file(js)
    for css in PAGE_STYLES:
        app.add_css_file(css)


def write_twin(app: Sphinx, exception: Exception | None) -> None:
    if exception is not None or app.builder.format != "html":
        return
    from liqlearn.browser import write

    out = Path(app.outdir) / "_static" / STATIC
    write(out)
    for path in ASSETS.iterdir():
        if path.is_file() and not path.name.startswith("."):
            dest = out / path.name
            if not dest.exists() or dest.read_bytes() != path.read_bytes():
                shutil.copyfile(path, dest)


def setup(app: Sphinx) -> dict[str, Any]:
    app.connect("html-page-context", add_page_assets)
    app.connect("build-finished", write_twin)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
