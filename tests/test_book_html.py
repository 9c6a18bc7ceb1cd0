"""Checks on the built site (``_build/html``): structure, outputs, widgets, exercises,
figures and links.  Run after ``make book`` (``make test`` builds it first)."""

from __future__ import annotations

import json
import re
from functools import lru_cache

import pytest
from bs4 import BeautifulSoup

from _book import (HTML, ROOT, api_docnames, chapters, config, html_path, is_explorer_page, is_notebook,
                   repository, require_site, source_text, toc_docnames)

pytestmark = pytest.mark.book

WIDGET_STATE = "application/vnd.jupyter.widget-state+json"
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
EXERCISE_SRC = re.compile(r"^\s*(?:`{3,}|:{3,})\s*\{exercise(?:-start)?\}", re.M)
SOLUTION_SRC = re.compile(r"^\s*(?:`{3,}|:{3,})\s*\{solution(?:-start)?\}", re.M)
IMAGE_NAME = re.compile(r"(^|/)[\w.-]+\.(png|jpe?g|svg|gif|webp)$", re.I)


@pytest.fixture(scope="module", autouse=True)
def site():
    require_site()


@lru_cache(maxsize=None)
def soup(docname: str) -> BeautifulSoup:
    return BeautifulSoup(html_path(docname).read_text(encoding="utf-8"), "html.parser")


def article(docname: str):
    return soup(docname).find("article") or soup(docname)


def test_every_toc_entry_has_a_page():
    missing = [d for d in toc_docnames() if not html_path(d).exists()]
    assert not missing, f"TOC entries without a built page: {missing}"
    assert (HTML / "index.html").exists()


@pytest.mark.parametrize("docname", toc_docnames())
def test_no_error_output(docname):
    page = article(docname)
    bad = page.select(".output.traceback, .output.error, .output.stderr")
    messages = [el.get_text(" ")[:200] for el in bad]
    for out in page.select(".cell_output"):  # outputs only: docstrings may show tracebacks
        if "Traceback (most recent call last)" in out.get_text(" "):
            messages.append("a Python traceback is printed in a cell output")
    assert not messages, f"{docname}: error/stderr output on the page: {messages}"


@pytest.mark.parametrize("docname", [d for d in toc_docnames() if is_explorer_page(d)] or
                         [pytest.param(None, marks=pytest.mark.skip("no explorer chapter yet"))])
def test_explorer_pages_carry_widget_state(docname):
    tag = soup(docname).find("script", attrs={"type": WIDGET_STATE})
    assert tag is not None, f"{docname} calls an explorer but embeds no widget state"
    state = json.loads(tag.string)["state"]
    assert state, f"{docname}: the embedded widget state is empty"
    views = [json.loads(t.string)["model_id"]
             for t in soup(docname).find_all("script", attrs={"type": WIDGET_VIEW})]
    assert views, f"{docname}: widget state but no widget view on the page"
    missing = [m for m in views if m not in state]
    assert not missing, f"{docname}: views refer to models missing from the state: {missing}"


@pytest.mark.parametrize("docname", toc_docnames())
def test_exercise_and_solution_counts_match_sources(docname):
    src = source_text(docname)
    page = article(docname)
    exercises = page.select("div.exercise.admonition")
    solutions = page.select("div.solution.admonition")
    assert len(exercises) == len(EXERCISE_SRC.findall(src)), (
        f"{docname}: {len(exercises)} exercises on the page, "
        f"{len(EXERCISE_SRC.findall(src))} in the source")
    assert len(solutions) == len(SOLUTION_SRC.findall(src)), (
        f"{docname}: {len(solutions)} solutions on the page, "
        f"{len(SOLUTION_SRC.findall(src))} in the source")


@pytest.mark.parametrize("docname", toc_docnames())
def test_figures_have_alt_text(docname):
    bad = []
    for img in article(docname).find_all("img"):
        alt = (img.get("alt") or "").strip()
        src = img.get("src", "")
        if not alt or alt == src or IMAGE_NAME.search(alt):
            bad.append(src.rsplit("/", 1)[-1])
    assert not bad, (f"{docname}: images without alt text (set it with the cell's "
                     f"`mystnb: image: alt:` / `figure` metadata): {bad}")


def test_site_is_self_contained():
    """With vendored assets, no page loads a script or stylesheet from another host."""
    assert (HTML / "_static" / "liqvendor" / "VERSIONS.json").exists(), "no vendored assets"
    external = {}
    for docname in toc_docnames():
        s = soup(docname)
        urls = [t.get("src") for t in s.find_all("script") if t.get("src")]
        urls += [t.get("href") for t in s.find_all("link", rel="stylesheet")]
        ext = [u for u in urls if re.match(r"^(https?:)?//", u)]
        if ext:
            external[docname] = ext
    assert not external, f"pages load assets from other hosts: {external}"


def _expected_launch(docname: str) -> str:
    org, repo, branch = repository()
    hub = config()["launch_buttons"]["binderhub_url"].rstrip("/")
    suffix = ".md" if (ROOT / f"{docname}.md").exists() else ".ipynb"
    return f"{hub}/v2/gh/{org}/{repo}/{branch}?urlpath=lab/tree/{docname}{suffix}"


@pytest.mark.parametrize("docname", chapters() or
                         [pytest.param(None, marks=pytest.mark.skip("no chapter yet"))])
def test_launch_and_download_links(docname):
    s = soup(docname)
    hrefs = [a.get("href", "") for a in s.select(".article-header-buttons a")]
    binder = [h for h in hrefs if "/v2/gh/" in h]
    assert binder == [_expected_launch(docname)], (
        f"{docname}: Binder link(s) {binder}, expected {_expected_launch(docname)}")
    target = binder[0].split("urlpath=lab/tree/", 1)[1]
    assert (ROOT / target).exists(), f"{docname}: the launch link opens {target}, not in the repo"
    url = config()["repository"]["url"].rstrip("/")
    assert any(h.rstrip("/") == url for h in hrefs), f"{docname}: no repository button to {url}"
    ipynb = [h for h in hrefs if h.endswith(".ipynb") and "_sources/" in h]
    assert ipynb, f"{docname}: no .ipynb download"
    file = html_path(docname).parent / ipynb[0]
    assert file.resolve().exists(), f"{docname}: the .ipynb download {ipynb[0]} is missing"
    nb = json.loads(file.read_text(encoding="utf-8"))
    assert nb.get("nbformat") == 4 and nb["cells"], f"{docname}: {ipynb[0]} is not a notebook"


def test_only_notebooks_get_launch_buttons():
    for docname in toc_docnames():
        if not is_notebook(docname):
            hrefs = [a.get("href", "") for a in soup(docname).select(".article-header-buttons a")]
            assert not [h for h in hrefs if "/v2/gh/" in h], f"{docname} is not a notebook"


def api_page(module: str) -> str:
    return api_docnames()[module]


def test_api_reference_has_a_page_per_public_module():
    """Each public module has its own page, with its module anchor, linked from the overview."""
    modules = list(api_docnames())
    missing = [m for m in modules if not html_path(api_page(m)).exists()]
    assert not missing, f"modules without an API page: {missing}"
    no_anchor = [m for m in modules
                 if f'id="module-{m}"' not in html_path(api_page(m)).read_text(encoding="utf-8")]
    assert not no_anchor, f"API pages without their module anchor: {no_anchor}"
    pages = {p.stem for p in (HTML / "book" / "api").glob("*.html")}
    assert pages == set(modules), f"API pages of no public module: {sorted(pages - set(modules))}"
    overview = {a.get("href", "").split("#")[0] for a in article("book/api_reference").find_all("a")}
    unlinked = [m for m in modules if f"api/{m}.html" not in overview]
    assert not unlinked, f"the API overview does not link to: {unlinked}"


def test_api_reference_overview_lists_liqlearn_all():
    import liqlearn

    table = [t for t in article("book/api_reference").find_all("table")
             if "What it gives" in t.get_text()]
    assert len(table) == 1, "the overview has one table of liqlearn.__all__"
    names = [tr.find("td").get_text(strip=True) for tr in table[0].find("tbody").find_all("tr")]
    assert names == list(liqlearn.__all__)
    # the functions link to their documentation
    links = {a.get_text(strip=True): a["href"] for a in table[0].find_all("a")}
    assert links["liquidation_price"].endswith(
        "api/liqlearn.formulas.liquidation.html#liqlearn.formulas.liquidation.liquidation_price")


def test_api_reference_sidebar_nests_module_pages():
    nav = soup(api_page("liqlearn.formulas.margin")).select_one("nav.bd-docs-nav")
    assert nav is not None
    current = nav.select("li.current > a")
    assert [a.get_text(strip=True) for a in current] == ["API reference", "liqlearn.formulas.margin"]


def test_api_signatures_show_the_package_types():
    """Signatures carry the hints: the package's aliases by name, linked to their definitions."""
    sig = article(api_page("liqlearn.formulas.liquidation")).find(
        "dt", id="liqlearn.formulas.liquidation.liquidation_price")
    text = " ".join(sig.get_text(" ", strip=True).split())
    for shown in ("side : str", "entry_price : ArrayLike", "MaintenanceTiers", "FloatOrArray"):
        assert shown in text, f"{shown!r} not in the signature {text!r}"
    links = {a.get_text(strip=True): a["href"] for a in sig.find_all("a")}
    assert links["ArrayLike"].endswith("#liqlearn.formulas.validation.ArrayLike")
    assert links["FloatOrArray"].endswith("#liqlearn.formulas.validation.FloatOrArray")
    assert links["MaintenanceTiers"].endswith("#liqlearn.formulas.tiers.MaintenanceTiers")


def _documented_object(module: str, dotted: str):
    import importlib

    obj = importlib.import_module(module)
    for part in dotted.removeprefix(module + ".").split("."):
        obj = getattr(obj, part)
    return obj


def _hint_texts(obj) -> dict[str, str]:
    """Parameter name -> its annotation as written in the source (a string: future annotations)."""
    import inspect

    target = obj.__init__ if inspect.isclass(obj) else obj
    target = inspect.unwrap(getattr(target, "fget", target))
    hints = dict(getattr(target, "__annotations__", {}))
    if inspect.isclass(obj):
        for klass in obj.__mro__:
            hints.update(getattr(klass, "__annotations__", {}))
    return {name: str(hint) for name, hint in hints.items()}


def test_no_api_page_shows_any_for_a_typed_parameter():
    """"(Any)" nowhere; a parameter shown as Any is one the source annotates with Any."""
    pages = {m: article(api_page(m)) for m in api_docnames()}
    bad = {m: page.get_text(" ").count("(Any)") for m, page in pages.items()
           if "(Any)" in page.get_text(" ")}
    assert not bad, f"'(Any)' shown on: {bad}"
    wrong = []
    for module, page in pages.items():
        for dt in page.select("dt.sig[id]"):
            params = [" ".join(p.get_text(" ", strip=True).split())
                      for p in dt.select("em.sig-param")]
            anys = [p for p in params if p.partition(" : ")[2].partition(" = ")[0] == "Any"]
            if not anys:
                continue
            hints = _hint_texts(_documented_object(module, dt["id"]))
            for param in anys:
                name = param.partition(" : ")[0].lstrip("* ")
                if "Any" not in hints.get(name, ""):
                    wrong.append(f"{dt['id']}({param}): source says {hints.get(name)!r}")
    assert not wrong, f"parameters shown as Any though the source gives a type: {wrong}"


def test_every_signature_is_parsed_not_printed_as_text():
    """Sphinx prints a signature it cannot parse as plain text: ``~`` prefixes of type names
    and dataclasses' ``<factory>`` defaults then show (and ``tuple[float, ...]`` breaks)."""
    shown = {}
    for module in api_docnames():
        for dt in article(api_page(module)).select("dt.sig[id]"):
            text = dt.get_text(" ", strip=True)
            if "<factory>" in text or re.search(r"~[A-Za-z_]+\.", text):
                shown.setdefault(module, []).append(dt["id"])
    assert not shown, f"signatures printed as text: {shown}"


def _data_entry(module: str, name: str):
    entry = article(api_page(module)).find("dt", id=f"{module}.{name}")
    assert entry is not None, f"{module}.{name} is not documented on its page"
    return entry, entry.find_next_sibling("dd")


def test_long_data_is_a_table_or_a_summary():
    from liqlearn.course.mistakes import MISTAKES
    from liqlearn.venues import VENUES

    dt, dd = _data_entry("liqlearn.venues", "VENUES")
    assert " = " not in dt.get_text(), "VENUES prints its value in the signature"
    rows = dd.select("table tbody tr")
    assert len(rows) == len(VENUES), "the VENUES entry tabulates one row per venue"
    assert len(dd.get_text(" ", strip=True)) < 3000, "the VENUES entry is a wall of text"
    assert dd.find("a", href=re.compile(r"venues\.html#venues$|venues\.html$")), \
        "the VENUES entry links to the venues chapter"

    dt, dd = _data_entry("liqlearn.course.mistakes", "MISTAKES")
    assert " = " not in dt.get_text()
    table = dd.find("table")
    assert table is not None, "MISTAKES is rendered as a table"
    rows = [[td.get_text(" ", strip=True) for td in tr.find_all("td")]
            for tr in table.select("tbody tr")]
    plain = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"'})
    assert {r[0]: r[1].translate(plain) for r in rows} == dict(MISTAKES)

    # no data entry anywhere prints a long value in its signature
    long = []
    for module in list(api_docnames()):
        for dt in article(api_page(module)).select("dl.py.data > dt"):
            if len(dt.get_text(" ", strip=True)) > 200:
                long.append(dt.get("id"))
    assert not long, f"data entries that dump their value: {long}"


def test_formula_sheet_lists_every_formula():
    import liqlearn

    page = soup("book/formula_sheet")
    assert page.find("h1").get_text().strip().startswith("Formula sheet")
    shown = {c.get_text() for c in article("book/formula_sheet").select("code")}
    missing = sorted(set(liqlearn.FORMULAS) - shown)
    assert not missing, f"formulas missing from the formula sheet: {missing}"
    assert len(article("book/formula_sheet").select("mjx-container, .math")) >= len(liqlearn.FORMULAS)


def test_favicon_and_redirect():
    assert (HTML / "favicon.ico").exists(), "browsers ask for /favicon.ico"
    index = (HTML / "index.html").read_text(encoding="utf-8")
    root = toc_docnames()[0]
    assert f"{root}.html" in index, "index.html must redirect to the root page"
