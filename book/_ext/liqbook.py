"""liqbook: the small local Sphinx extension behind a self-contained liqlearn site.

* Serves MathJax 3, the icon sources and the symbol font from the copy ``tools/vendor.py``
  put in ``static_vendor/liqvendor/`` (``npm pack`` of the pinned versions; served through
  ``html_static_path`` as ``_static/liqvendor/``) and sets Sphinx ``mathjax_path``.  There
  is no CDN fallback: without that folder (``make vendor``) the build stops and says so.
  (The explorers' scripts are ``liqexplorers``'s: the Jupyter
  widgets HTML manager and RequireJS are no longer used.)
* Drops duplicate ``<script>`` entries from each page (Sphinx 7.4 emits inline scripts
  added after the builder started twice: "Identifier ... has already been declared").
* Makes sure the favicon is also served at the site root (browsers ask for /favicon.ico).
* Keeps the theme to one header (one search box, a menu button that works) and adds the
  book's stylesheet (``assets/liqbook/liqbook.css``: layout at phone and desk widths, dark
  mode) and the self-hosted symbol font; ``liqicons`` replaces the icon library by the
  icons the pages show.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from typing import Any

from sphinx.application import Sphinx
from sphinx.config import Config

HERE = Path(__file__).resolve().parent
ASSETS = HERE / "assets"            # served as _static/liqbook/...
# The pinned versions (tools/vendor.py takes these with npm pack).
MATHJAX = "3.2.2"
# The icons (SVG sources of the subset the pages show: liqicons.py) -- the Font Awesome
# release pydata-sphinx-theme 0.17 bundles -- and the symbol font that has U+24C8 (the
# circled S of Binance's "USD\u24c8-M"), which Debian Chromium's default fonts lack.
FONTAWESOME = "6.5.2"
SYMBOL_FONT = "5.3.0"
# "layout" changes when tools/vendor.py keeps other files (then it vendors again)
VERSIONS = {"mathjax": MATHJAX, "@fortawesome/fontawesome-free": FONTAWESOME,
            "@fontsource/noto-sans-symbols": SYMBOL_FONT, "layout": "4"}

def vendored_dir(confdir: str | Path) -> Path:
    """The vendored ``static_vendor/`` folder holding the pinned versions; a clear error
    (the build stops) when it is missing or outdated: the site never loads from a CDN."""
    root = Path(confdir) / "static_vendor"
    try:
        found = json.loads((root / "liqvendor" / "VERSIONS.json").read_text())
    except (OSError, ValueError):
        found = None
    if found != VERSIONS:
        from sphinx.errors import ExtensionError

        state = "is missing" if found is None else f"holds {found}, not {VERSIONS}"
        raise ExtensionError(f"{root / 'liqvendor'} {state}: run `make vendor` (python "
                             "tools/vendor.py, which takes the pinned packages with npm pack)")
    return root


# What the book's maths needs: TeX input (with ams, newcommand, autoload of any other
# extension a formula uses), CommonHTML output, and the hidden MathML screen readers read.
# Not the right-click menu (0.43 MB) nor MathML input (no page carries MathML).
MATHJAX_COMPONENTS = ["input/tex", "output/chtml", "a11y/assistive-mml"]


# MathJax's loader (relative to ``_static/``), which then loads only MATHJAX_COMPONENTS (+ TeX
# extensions on demand): 0.66 MB against 1.17 MB for the combined tex-mml-chtml.js
MATHJAX_PATH = "liqvendor/mathjax/es5/startup.js"


def configure_theme(app: Sphinx, config: Config) -> None:
    """One header per page, and the book's stylesheet.

    pydata-sphinx-theme 0.17 fills ``navbar_persistent`` with a search field whenever the
    user's options do not name it (sphinx-book-theme's empty ``theme.conf`` value does not
    count), which brings back its whole header bar: a second search box across every page
    and a hidden copy of the menu button, the first ``.primary-toggle`` on the page, to
    which the theme's script binds -- so the visible menu buttons did nothing.  Naming
    it empty here keeps sphinx-book-theme's single article header.
    """
    options = config.html_theme_options
    options.setdefault("navbar_persistent", [])
    templates = str(HERE / "templates")   # layout.html: the theme's, minus unused scripts
    if templates not in config.templates_path:
        config.templates_path.insert(0, templates)
    app.add_css_file("liqbook/liqbook.css")
    app.add_css_file("liqbook/fonts.css")   # the self-hosted symbol font (liqvendor/fonts)


def drop_scripts(html: str, *names: str) -> Any:
    """``html`` (a rendered template block) without the ``<script src=...>`` tags whose
    address ends in one of ``names`` (before any ``?query``)."""
    from markupsafe import Markup

    alternatives = "|".join(re.escape(n) for n in names)
    pattern = re.compile(rf'\s*<script\b[^>]*\bsrc="(?:[^"]*/)?(?:{alternatives})(?:\?[^"]*)?"'
                         r"[^>]*>\s*</script>")
    return Markup(pattern.sub("", str(html)))


def add_template_filters(app: Sphinx) -> None:
    templates = getattr(app.builder, "templates", None)
    if templates is not None and hasattr(templates, "environment"):
        templates.environment.filters["liq_drop_scripts"] = drop_scripts


def share_html_handlers(app: Sphinx) -> None:
    """Give the single-page builder (the print edition) every node handler added for "html".

    Sphinx falls back to a builder's format ("html") only when no extension registered a
    handler under the builder's own name; once one did for "singlehtml", nodes that other
    extensions registered for "html" only (myst-nb's hidden-cell node) have none.
    """
    if app.builder.format != "html" or app.builder.name == "html":
        return
    handlers = app.registry.translation_handlers
    own = handlers.get(app.builder.name)
    if own is not None:
        for name, pair in handlers.get("html", {}).items():
            own.setdefault(name, pair)


def single_page_resources(app: Sphinx, pagename: str, templatename: str,
                          context: dict[str, Any], doctree: Any) -> None:
    """On the single page (the print edition) load what every chapter's page loads.

    myst-nb adds a notebook's scripts -- its widget state and the widget manager, so the
    explorers are drawn in their initial state -- only to that notebook's own page; the
    single page is the root document's.  Repeated entries are dropped by
    :func:`drop_duplicate_scripts`.
    """
    if app.builder.name != "singlehtml" or pagename != app.config.root_doc:
        return
    try:
        from myst_nb.sphinx_ import NbMetadataCollector
    except ImportError:
        return
    for doc in sorted(app.env.all_docs):
        if doc != pagename:
            for path, kwargs in NbMetadataCollector.get_js_files(app.env, doc).values():
                app.add_js_file(path, **kwargs)


def search_context(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any],
                   doctree: Any) -> None:
    """pydata-sphinx-theme loads the search index (0.14 MB and growing) on every page for
    search-as-you-type; with that off (the theme's default) only the search page uses it."""
    inline = str(context.get("theme_search_as_you_type", "")).lower() in ("true", "1")
    context["liq_search_inline"] = inline or pagename == "search"


def configure_assets(app: Sphinx, config: Config) -> None:
    vendored = vendored_dir(app.confdir)
    static = list(config.html_static_path)
    for extra in (str(ASSETS), str(vendored)):
        if extra not in static:
            static.append(extra)
    config.html_static_path = static
    config.mathjax_path = MATHJAX_PATH
    mathjax3 = config.mathjax3_config = dict(config.mathjax3_config or {})
    mathjax3.setdefault("loader", {})["load"] = list(MATHJAX_COMPONENTS)


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


MATH_IN_BODY = re.compile(r'class="[^"]*\bmath\b|\\\(|\\\[|\$\$|<math\b')


def drop_unused_mathjax(app: Sphinx, pagename: str, templatename: str,
                        context: dict[str, Any], doctree: Any) -> None:
    """MathJax (1.2 MB with its fonts) only on pages that print maths.

    Sphinx loads it wherever its math domain noted an equation, which for a notebook page
    can be a page whose built body holds no maths at all (the book's landing page).  The
    body as rendered decides: no math node, no TeX delimiters, no MathML -> no MathJax.
    """
    scripts = context.get("script_files")
    body = context.get("body") or ""
    if not scripts or MATH_IN_BODY.search(body):
        return
    mathjax = str(app.config.mathjax_path or "")

    def is_mathjax(js: Any) -> bool:
        name = str(getattr(js, "filename", js) or "")
        inline = str((getattr(js, "attributes", {}) or {}).get("body", ""))
        return bool(mathjax) and name.endswith(mathjax) or "window.MathJax" in inline

    kept = [js for js in scripts if not is_mathjax(js)]
    if len(kept) != len(scripts):
        scripts[:] = kept


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
        # dot-files and dot-folders (sources such as liqvendor/.fontawesome) are not served
        if not path.is_file() or any(p.startswith(".") for p in path.relative_to(source).parts):
            continue
        dest = target / path.relative_to(source)
        if dest.exists() and filecmp.cmp(path, dest, shallow=False):
            continue
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(path, dest)
        copied += 1
    return copied


def sync_assets(app: Sphinx, exception: Exception | None) -> None:
    """Keep _static/liqbook, _static/liqvendor and /favicon.ico current.

    Sphinx copies static files only when some page is out of date, so an updated
    asset with no page change would otherwise not reach the site.
    """
    if exception is not None or app.builder.format != "html":
        return
    out = Path(app.outdir)
    _sync_tree(ASSETS, out / "_static")
    _sync_tree(vendored_dir(app.confdir), out / "_static")
    # Browsers ask for /favicon.ico (e.g. on the redirecting index.html).
    icon = app.config.html_favicon
    if icon and "://" not in icon and icon.endswith(".ico"):
        source = Path(app.confdir) / icon
        target = out / "favicon.ico"
        if source.exists() and not (target.exists() and target.read_bytes() == source.read_bytes()):
            shutil.copyfile(source, target)


def setup(app: Sphinx) -> dict[str, Any]:
    app.setup_extension("liqicons")
    app.connect("config-inited", configure_assets, priority=900)
    app.connect("config-inited", configure_theme, priority=900)
    app.connect("html-page-context", drop_duplicate_scripts, priority=999)
    app.connect("html-page-context", drop_unused_mathjax, priority=999)
    app.connect("html-page-context", search_context)
    app.connect("html-page-context", single_page_resources)
    app.connect("builder-inited", add_template_filters)
    app.connect("builder-inited", share_html_handlers)
    app.connect("build-finished", sync_assets)
    app.connect("missing-reference", resolve_liqlearn_refs)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
