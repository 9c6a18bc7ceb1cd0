"""What a built page loads (issue 12): one header, the icons it shows, MathJax only with maths,
the symbol font for "USDⓈ-M".  Static checks of ``_build/html``; the browser test measures
the bytes and the layout."""

from __future__ import annotations

import re
import sys

import pytest

from _book import HTML, ROOT, html_path, require_site, toc_docnames

sys.path.insert(0, str(ROOT / "book" / "_ext"))
import liqbook  # noqa: E402
import liqicons  # noqa: E402

pytestmark = pytest.mark.book


def test_icon_classes_are_read_with_their_style():
    page = ('<span class="fa-solid fa-bars"></span><i class="fab fa-github fa-lg"></i>'
            '<i class="theme-switch fa-solid fa-moon   fa-lg"></i><b class="fas fa-pencil-alt">')
    assert liqicons.icons_in(page) == {("solid", "bars"), ("brands", "github"),
                                       ("solid", "moon"), ("solid", "pencil-alt")}


def test_icon_css_inlines_each_svg_and_resolves_aliases():
    fa = liqicons.fontawesome_dir(ROOT)
    css, missing = liqicons.icon_css({("solid", "bars"), ("solid", "pencil-alt"),
                                      ("brands", "github"), ("solid", "no-such-icon")}, fa)
    assert missing == ["solid/no-such-icon"]
    for name in ("bars", "pencil-alt", "github"):
        rule = re.search(rf"\.fa-{name}\{{--liq-fa:url\(\"data:image/svg\+xml,([^\"]+)\"\);", css)
        assert rule and "%3Cpath d='M" in rule.group(1), name
    assert '"' not in re.sub(r'url\("[^"]*"\)', "", css.split("*/", 1)[1]), "stray quote"


def test_unused_scripts_are_dropped_from_a_theme_block():
    block = ('<link href="a.css" rel="stylesheet" />\n  <script defer src="../_static/scripts/'
             'fontawesome.js?digest=55c"></script>\n  <link rel="preload" as="script" href="b.js" />'
             '<script src="../searchindex.js"></script><script src="../_static/searchtools.js">'
             '</script><script src="../_static/mysearchindex.js"></script>')
    out = str(liqbook.drop_scripts(block, "_static/scripts/fontawesome.js", "searchindex.js",
                                   "_static/searchtools.js"))
    assert "fontawesome.js" not in out and "a.css" in out and "b.js" in out
    assert "../searchindex.js" not in out and "searchtools" not in out
    assert "mysearchindex.js" in out


@pytest.mark.parametrize("body, math", [
    ('<span class="math notranslate nohighlight">\\(x\\)</span>', True),
    ('<div class="math notranslate nohighlight">\\[x\\]</div>', True),
    ("<p>The mathematics of margin, in words.</p>", False),
    ('<p class="mathematics">no maths here</p>', False),
])
def test_mathjax_is_kept_only_with_maths(body, math):
    assert bool(liqbook.MATH_IN_BODY.search(body)) is math


def _pages():
    require_site()
    return {doc: html_path(doc).read_text(encoding="utf-8") for doc in toc_docnames()}


def test_pages_load_icon_subset_not_icon_library():
    css = (HTML / "_static" / liqicons.CSS_NAME).read_text(encoding="utf-8")
    for doc, page in _pages().items():
        assert "fontawesome.js" not in page, f"{doc} loads the whole icon library"
        assert liqicons.CSS_NAME in page, f"{doc} does not link the icon subset"
        for style, name in liqicons.icons_in(page):
            assert f".fa-{name}{{" in css, f"{doc}: icon {style}/{name} missing from icons.css"


def test_one_header_per_page():
    for doc, page in _pages().items():
        assert "bd-header__inner" not in page, f"{doc} has pydata's extra header bar"
        assert page.count("primary-toggle") == 1, f"{doc}: {page.count('primary-toggle')} menu buttons"


def test_mathjax_only_on_pages_with_maths():
    for doc, page in _pages().items():
        body = page.split("<body", 1)[1]
        has = bool(liqbook.MATH_IN_BODY.search(body))
        loaded = "liqvendor/mathjax/" in page
        assert loaded == has, f"{doc}: MathJax loaded={loaded}, maths={has}"


def test_symbol_font_is_served_for_the_circled_s():
    from fontTools.ttLib import TTFont

    css = (HTML / "_static" / "liqbook" / "fonts.css").read_text(encoding="utf-8")
    fonts = re.findall(r'url\("\.\./(liqvendor/fonts/[^"]+\.woff2?)"\)', css)
    assert len(fonts) == 4 and all((HTML / "_static" / f).exists() for f in fonts)
    for font in (f for f in fonts if f.endswith(".woff")):  # (reading woff2 needs brotli)
        path = HTML / "_static" / font
        assert 0x24C8 in TTFont(path).getBestCmap(), f"{font} lacks U+24C8"
    users = [doc for doc, page in _pages().items() if "\u24c8" in page]
    assert users, "no page prints the circled S any more: drop the symbol font"
    assert all("liqbook/fonts.css" in _pages()[doc] for doc in users)
