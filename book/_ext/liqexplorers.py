"""liqexplorers: the explorers on the static site, without the Jupyter widgets manager.

myst-nb adds the scripts of ``nb_ipywidgets_js`` to the pages that carry widget state
(the explorer pages).  This extension sets them to three classic scripts in
``_static/liqlearn/`` (which Chromium also runs from ``file://``):

* ``liqlearn.js`` -- the browser twin (:mod:`liqlearn.browser`, written by ``liqbrowser``);
* ``explorers.js`` -- the explorers' one front end (:func:`liqlearn.explorers.scripts`),
  the same code anywidget runs in a kernel;
* ``explorers-shim.js`` -- reads the saved widget state and mounts each explorer
  (:func:`liqlearn.explorers.shim`).

so explorer pages no longer load RequireJS and the 3.6 MB ``embed-amd.js``.  The two
explorer files are written on ``build-finished`` (only when their content changed).

Page weight (an explorer page loads at most 2.5 MB): on ``build-finished`` each page's
saved widget state loses the explorers' ``_esm`` (the ES module anywidget runs in a
kernel, ~125 KB: the static page runs the same code from ``explorers.js``), and the
theme's 1.5 MB ``fontawesome.js`` goes (it only turns the icon fonts, which the theme's
stylesheet already loads, into inline SVG).
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from sphinx.application import Sphinx
from sphinx.config import Config

SCRIPTS = ("liqlearn/liqlearn.js", "liqlearn/explorers.js", "liqlearn/explorers-shim.js")
FONTAWESOME_JS = re.compile(r'\s*<script defer src="[^"]*_static/scripts/fontawesome\.js[^"]*"></script>')
STATE = re.compile(r'(<script type="application/vnd\.jupyter\.widget-state\+json">)(.*?)(</script>)',
                   re.S)


def configure(app: Sphinx, config: Config) -> None:
    config.nb_ipywidgets_js = {name: {} for name in SCRIPTS}


def write_scripts(app: Sphinx, exception: Exception | None) -> None:
    if exception is not None or app.builder.format != "html":
        return
    from liqlearn.explorers import scripts, shim

    out = Path(app.outdir) / "_static" / "liqlearn"
    out.mkdir(parents=True, exist_ok=True)
    for name, text in (("explorers.js", scripts()), ("explorers-shim.js", shim())):
        path = out / name
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")


def _without_esm(match: re.Match) -> str:
    state = json.loads(match.group(2))
    for model in state.get("state", {}).values():
        inner = model.get("state", {})
        if model.get("model_name") == "AnyModel" and inner.get("explorer"):
            inner["_esm"] = ""
    return match.group(1) + json.dumps(state, separators=(",", ":")) + match.group(3)


def lighten_pages(app: Sphinx, exception: Exception | None) -> None:
    if exception is not None or app.builder.format != "html":
        return
    for path in Path(app.outdir).rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        new = FONTAWESOME_JS.sub("", text)
        if "widget-state+json" in new:
            new = STATE.sub(_without_esm, new)
        if new != text:
            path.write_text(new, encoding="utf-8")


def setup(app: Sphinx) -> dict[str, Any]:
    # after liqbook, which sets nb_ipywidgets_js for the widgets manager it no longer needs
    app.connect("config-inited", configure, priority=950)
    app.connect("build-finished", write_scripts)
    app.connect("build-finished", lighten_pages)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
