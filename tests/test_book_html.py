"""Checks on the built site (``_build/html``): structure, outputs, widgets, exercises,
figures and links.  Run after ``make book`` (``make test`` builds it first)."""

from __future__ import annotations

import json
import re
from functools import lru_cache

import pytest
from bs4 import BeautifulSoup

from _book import (HTML, ROOT, chapters, config, html_path, is_explorer_page, is_notebook,
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
    if not (HTML / "_static" / "liqvendor" / "VERSIONS.json").exists():
        pytest.skip("built with the CDN fallback (npm was unavailable)")
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


def test_api_reference_documents_every_public_module():
    """Each public module of liqlearn (no leading underscore) has its section."""
    page = html_path("book/api_reference").read_text(encoding="utf-8")
    package = ROOT / "liqlearn"
    modules = []
    for path in package.rglob("*.py"):
        parts = path.relative_to(package).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        if parts and not any(part.startswith("_") for part in parts):
            modules.append(".".join(parts))
    missing = sorted(m for m in modules if f'id="module-liqlearn.{m}"' not in page)
    assert not missing, f"book/api_reference.md has no automodule for: {missing}"


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
