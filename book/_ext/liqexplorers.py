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
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sphinx.application import Sphinx
from sphinx.config import Config

SCRIPTS = ("liqlearn/liqlearn.js", "liqlearn/explorers.js", "liqlearn/explorers-shim.js")


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


def setup(app: Sphinx) -> dict[str, Any]:
    # after liqbook, which sets nb_ipywidgets_js for the widgets manager it no longer needs
    app.connect("config-inited", configure, priority=950)
    app.connect("build-finished", write_scripts)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
