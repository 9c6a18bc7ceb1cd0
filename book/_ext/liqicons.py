"""liqicons: the icons a page shows, as a small CSS file instead of the whole icon library.

pydata-sphinx-theme loads ``fontawesome.js`` (1.49 MB: every Font Awesome icon plus the
code that swaps ``<i class="fa-solid fa-bars">`` for an inline SVG) on every page.  This
extension

* has liqbook's layout override render the theme's ``css`` block without that script, and
* after the build, collects every ``fa-*`` icon the built pages name (style and icon, with
  Font Awesome's aliases resolved), and writes ``_static/liqbook/icons.css``: one CSS mask
  per icon, its SVG path inlined as a data URL, drawn in ``currentColor`` so it follows the
  light and dark themes; the theme stylesheet's web-font glyphs for the same icons are
  switched off (and their 86 kB of rules cut from the theme's stylesheet), so Font
  Awesome's fonts are not fetched for them.

The SVG sources are the Font Awesome Free release the theme bundles (npm
``@fortawesome/fontawesome-free``, taken by ``tools/vendor.py`` into a folder that is not
served).  Without them (no npm), the theme's script stays on the pages.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any
from urllib.parse import quote

from sphinx.application import Sphinx

CSS_NAME = "liqbook/icons.css"
CLASS_ATTR = re.compile(r'class="([^"]*\bfa-[^"]*)"')
STYLE_CLASSES = {"fa-solid": "solid", "fas": "solid", "fa-regular": "regular", "far": "regular",
                 "fa-brands": "brands", "fab": "brands"}
# classes that change an icon's size or placement, not which icon it is
MODIFIERS = re.compile(r"fa-(\d+x|[0-9]?x[sl]|sm|lg|fw|spin|pulse|border|inverse|flip.*|"
                       r"rotate.*|pull-.*|stack.*|li|ul|beat.*|bounce|fade|shake)$")
PATH = re.compile(r'viewBox="0 0 (\d+) (\d+)".*?<path d="([^"]+)"', re.S)
# the theme stylesheet's glyph rules for every Font Awesome icon (".fa-bars:before{content:...}"),
# unused once icons.css draws the icons (86 kB of the theme's 0.40 MB stylesheet)
GLYPH_RULES = re.compile(r'(?:\.fa-[\w-]+:(?:before|after),?)+\{content:"[^"]*"\}')
THEME_CSS = "styles/pydata-sphinx-theme.css"


def fontawesome_dir(confdir: str | Path) -> Path:
    """The vendored Font Awesome sources (``make vendor``; the build stops without them)."""
    from liqbook import vendored_dir

    return vendored_dir(confdir) / "liqvendor" / ".fontawesome"


def icons_in(html: str) -> set[tuple[str, str]]:
    """(style, name) of every Font Awesome icon a page names in a class attribute."""
    found = set()
    for attr in CLASS_ATTR.findall(html):
        classes = attr.split()
        style = next((STYLE_CLASSES[c] for c in classes if c in STYLE_CLASSES), "solid")
        for c in classes:
            if c.startswith("fa-") and c not in STYLE_CLASSES and not MODIFIERS.match(c):
                found.add((style, c[3:]))
    return found


def aliases(fa: Path) -> dict[str, str]:
    """Alias -> canonical icon name, from Font Awesome's ``metadata/icons.yml``."""
    import yaml

    meta = yaml.safe_load((fa / "metadata" / "icons.yml").read_text(encoding="utf-8"))
    return {alias: name for name, entry in meta.items()
            for alias in ((entry.get("aliases") or {}).get("names") or [])}


def icon_css(icons: set[tuple[str, str]], fa: Path) -> tuple[str, list[str]]:
    """The stylesheet for ``icons`` and the names no SVG was found for."""
    canonical = aliases(fa)
    rules = [
        "/* Font Awesome Free icons used by these pages (CC BY 4.0, fontawesome.com/license/free),",
        "   built by book/_ext/liqicons.py from @fortawesome/fontawesome-free. */",
        ".fa-solid,.fas,.fa-regular,.far,.fa-brands,.fab{display:inline-block;height:1em;"
        "width:1em;vertical-align:-.125em;background-color:currentColor;"
        "-webkit-mask:var(--liq-fa) no-repeat center/contain;mask:var(--liq-fa) no-repeat center/contain}",
        ".fa-lg{font-size:1.25em;line-height:.05em;vertical-align:-.075em}.fa-fw{width:1.25em}",
        # the theme's stylesheet also draws each icon as a glyph of Font Awesome's web fonts
        # (0.27 MB): no glyph, so the browser never fetches those fonts
        ".fa-solid::before,.fas::before,.fa-regular::before,.far::before,.fa-brands::before,"
        ".fab::before{content:none!important}",
    ]
    missing = []
    selectors = {"solid": (".fa-solid", ".fas"), "regular": (".fa-regular", ".far"),
                 "brands": (".fa-brands", ".fab")}
    for style, name in sorted(icons):
        svg = fa / "svgs" / style / f"{canonical.get(name, name)}.svg"
        match = PATH.search(svg.read_text(encoding="utf-8")) if svg.exists() else None
        if match is None:
            missing.append(f"{style}/{name}")
            continue
        width, height, d = match.groups()
        data = quote(f"<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 {width} {height}'>"
                     f"<path d='{d}'/></svg>", safe=" /=:',.")
        sel = ",".join(f"{s}.fa-{name}" for s in selectors[style])
        rules.append(f'{sel}{{--liq-fa:url("data:image/svg+xml,{data}");'
                     f"width:{int(width) / int(height):.4g}em}}")
    return "\n".join(rules) + "\n", missing


def configure(app: Sphinx, config: Any) -> None:
    app.add_css_file(CSS_NAME)  # (liqbook stops the build when the sources are not vendored)


def page_context(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any],
                 doctree: Any) -> None:
    # liqbook's layout override drops the icon script only when this is set
    context["liq_icons_subset"] = True


def write_css(app: Sphinx, exception: Exception | None) -> None:
    if exception is not None or app.builder.format != "html":
        return
    fa = fontawesome_dir(app.confdir)
    out = Path(app.outdir)
    icons: set[tuple[str, str]] = set()
    for page in out.rglob("*.html"):
        icons |= icons_in(page.read_text(encoding="utf-8", errors="replace"))
    css, missing = icon_css(icons, fa)
    target = out / "_static" / CSS_NAME
    target.parent.mkdir(parents=True, exist_ok=True)
    if not target.exists() or target.read_text(encoding="utf-8") != css:
        target.write_text(css, encoding="utf-8")
    theme_css = out / "_static" / THEME_CSS
    if theme_css.exists():
        text = theme_css.read_text(encoding="utf-8")
        trimmed = GLYPH_RULES.sub("", text)
        if trimmed != text:
            theme_css.write_text(trimmed, encoding="utf-8")
    if missing:
        # a notice, not a warning: an unknown icon name is the theme's, not the book's
        print(f"[liqicons] NOTICE: no Font Awesome SVG for {', '.join(missing)}")


def setup(app: Sphinx) -> dict[str, Any]:
    app.connect("config-inited", configure)
    app.connect("html-page-context", page_context)
    app.connect("build-finished", write_css)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
