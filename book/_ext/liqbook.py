"""liqbook: the small local Sphinx extension behind a self-contained liqlearn site.

* Chooses, at build time, where MathJax 3 comes from: the copy ``tools/vendor.py`` put
  in ``static_vendor/liqvendor/`` (served through ``html_static_path`` as
  ``_static/liqvendor/``), or the public CDN at the same pinned version when that
  folder is missing (with a printed notice, not a Sphinx warning).  Sets Sphinx
  ``mathjax_path``.  (The explorers' scripts are ``liqexplorers``'s: the Jupyter
  widgets HTML manager and RequireJS are no longer used.)
* Drops duplicate ``<script>`` entries from each page (Sphinx 7.4 emits inline scripts
  added after the builder started twice: "Identifier ... has already been declared").
* Makes sure the favicon is also served at the site root (browsers ask for /favicon.ico).
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path
from typing import Any

from sphinx.application import Sphinx
from sphinx.config import Config

HERE = Path(__file__).resolve().parent
# The pinned versions (tools/vendor.py takes these with npm pack; CDN fallback uses them too).
MATHJAX = "3.2.2"
# "layout" changes when tools/vendor.py keeps other files (then it vendors again)
VERSIONS = {"mathjax": MATHJAX, "layout": "2"}
# MathJax components the vendored startup.js loads: TeX input (its extensions autoload on
# demand), CommonHTML output and hidden MathML for screen readers -- 0.76 MB instead of the
# 1.17 MB tex-mml-chtml.js (whose right-click menu alone is 0.43 MB).
MATHJAX_LOAD = ["input/tex", "output/chtml", "a11y/assistive-mml"]

CDN = {
    "mathjax": f"https://cdn.jsdelivr.net/npm/mathjax@{MATHJAX}/es5/tex-mml-chtml.js",
}


def vendored_dir(confdir: str | Path) -> Path | None:
    """The vendored ``static_vendor/`` folder when it holds the pinned versions, else None."""
    if os.environ.get("LIQLEARN_CDN"):
        return None
    root = Path(confdir) / "static_vendor"
    try:
        found = json.loads((root / "liqvendor" / "VERSIONS.json").read_text())
    except (OSError, ValueError):
        return None
    return root if found == VERSIONS else None


def asset_urls(vendored: bool) -> dict[str, str]:
    """Where each script is loaded from (paths relative to ``_static/`` when vendored)."""
    if vendored:
        return {"mathjax": "liqvendor/mathjax/es5/startup.js"}
    return dict(CDN)


def configure_assets(app: Sphinx, config: Config) -> None:
    vendored = vendored_dir(app.confdir)
    urls = asset_urls(vendored is not None)
    static = list(config.html_static_path)
    for extra in ([str(vendored)] if vendored else []):
        if extra not in static:
            static.append(extra)
    config.html_static_path = static
    config.mathjax_path = urls["mathjax"]
    if vendored is not None:
        mj = dict(config.mathjax3_config or {})
        mj["loader"] = {**mj.get("loader", {}), "load": list(MATHJAX_LOAD)}
        config.mathjax3_config = mj
    if vendored is None:
        # A notice, not a warning: -W must not fail the build for a missing npm.
        why = ("LIQLEARN_CDN is set" if os.environ.get("LIQLEARN_CDN") else
               "static_vendor/liqvendor is missing or outdated (`python tools/vendor.py` "
               "fills it when npm is available)")
        print(f"[liqbook] NOTICE: {why}: pages load MathJax from its public CDN.")


def drop_duplicate_scripts(app: Sphinx, pagename: str, templatename: str,
                           context: dict[str, Any], doctree: Any) -> None:
    scripts = context.get("script_files")
    if not scripts:
        return
    seen: set[tuple] = set()
    unique = []
    for js in scripts:
        key = (str(getattr(js, "filename", js) or ""),
               tuple(sorted((k, str(v)) for k, v in (getattr(js, "attributes", {}) or {}).items())))
        if key in seen:
            continue
        seen.add(key)
        unique.append(js)
    if len(unique) != len(scripts):
        scripts[:] = unique


def resolve_liqlearn_refs(app: Sphinx, env: Any, node: Any, contnode: Any) -> Any:
    """Resolve Python cross-references the default lookup misses, when unambiguous.

    * ``liqlearn.NAME`` for the lazily exported top-level names (``liqlearn.liquidation_price``)
      points to where NAME is defined and documented (``liqlearn.formulas.liquidation.liquidation_price``).
    * A short name used in a docstring (``:func:`population```, ``OrderBook.from_profile``)
      points to the one documented ``liqlearn`` object with that name, preferring the
      current module.
    Anything still ambiguous or undocumented stays a nitpicky warning (-n).
    """
    if node.get("refdomain") != "py":
        return None
    from sphinx.util.nodes import make_refnode

    objects = env.get_domain("py").objects
    target = node.get("reftarget", "").lstrip(".~")
    candidates: list[str] = []
    head, _, name = target.rpartition(".")
    if head == "liqlearn":
        try:
            from liqlearn import _EXPORTS  # type: ignore[attr-defined]
        except ImportError:
            _EXPORTS = {}
        full = f"liqlearn.{_EXPORTS.get(name, '')}.{name}"
        if full in objects:
            candidates = [full]
    if not candidates:
        suffix = "." + target
        candidates = [n for n in objects if n.startswith("liqlearn.") and n.endswith(suffix)]
        module = node.get("py:module") or ""
        if len(candidates) > 1 and module:
            near = [n for n in candidates if n.startswith(module + ".")]
            candidates = near or candidates
    if len(candidates) != 1:
        return None
    entry = objects[candidates[0]]
    return make_refnode(app.builder, node["refdoc"], entry.docname, entry.node_id, contnode,
                        candidates[0])


def _sync_tree(source: Path, target: Path) -> int:
    """Copy files whose content differs (or that are missing) from source into target."""
    import filecmp

    copied = 0
    for path in source.rglob("*"):
        if not path.is_file() or path.name.startswith("."):
            continue
        dest = target / path.relative_to(source)
        if dest.exists() and filecmp.cmp(path, dest, shallow=False):
            continue
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(path, dest)
        copied += 1
    return copied


def sync_assets(app: Sphinx, exception: Exception | None) -> None:
    """Keep _static/liqvendor and /favicon.ico current.

    Sphinx copies static files only when some page is out of date, so an updated
    asset with no page change would otherwise not reach the site.
    """
    if exception is not None or app.builder.format != "html":
        return
    out = Path(app.outdir)
    vendored = vendored_dir(app.confdir)
    if vendored is not None:
        _sync_tree(vendored, out / "_static")
    # Browsers ask for /favicon.ico (e.g. on the redirecting index.html).
    icon = app.config.html_favicon
    if icon and "://" not in icon and icon.endswith(".ico"):
        source = Path(app.confdir) / icon
        target = out / "favicon.ico"
        if source.exists() and not (target.exists() and target.read_bytes() == source.read_bytes()):
            shutil.copyfile(source, target)


def setup(app: Sphinx) -> dict[str, Any]:
    app.connect("config-inited", configure_assets, priority=900)
    app.connect("html-page-context", drop_duplicate_scripts, priority=999)
    app.connect("build-finished", sync_assets)
    app.connect("missing-reference", resolve_liqlearn_refs)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
