"""Helpers shared by the book tests (chapters, built HTML, browser).

The book's structure comes from ``_toc.yml`` and ``_config.yml``; a chapter is a MyST
Markdown notebook (jupytext header) listed there.  Tests that need the built site call
:func:`require_site`: under ``make test`` (which builds the book first and sets
``LIQLEARN_REQUIRE_BUILD=1``) a missing ``_build/html`` is a failure; elsewhere (e.g.
``make test-fast`` or a targeted pytest run) it is a skip with the reason.
"""

from __future__ import annotations

import os
import re
from functools import lru_cache
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
BUILD = ROOT / "_build"
HTML = BUILD / "html"

# Debian's chromium, driven by playwright (never `playwright install`)
CHROMIUM = "/usr/bin/chromium"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run"]

EXPLORER_CALL = re.compile(r"\b\w+_explorer\s*\(")
# math in a chapter's source: dollar math, math directives/roles, or LaTeX displayed
# from the registry (show_derivation/show_formula) or IPython's Math
MATH_SOURCE = re.compile(
    r"\$\$|(?<![\\$])\$[^$\n]+\$|\{math\}|\\begin\{|show_derivation\(|show_formula\(|\bMath\(")


@lru_cache(maxsize=None)
def config() -> dict[str, Any]:
    return yaml.safe_load((ROOT / "_config.yml").read_text())


@lru_cache(maxsize=None)
def toc_docnames() -> tuple[str, ...]:
    """Every document in ``_toc.yml``, root first, in reading order."""
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    names = [toc["root"]]

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if "file" in node:
                names.append(node["file"])
            for key in ("parts", "chapters", "sections"):
                for child in node.get(key, []) or []:
                    walk(child)
        elif isinstance(node, list):
            for child in node:
                walk(child)

    walk({k: v for k, v in toc.items() if k in ("parts", "chapters", "sections")})
    return tuple(n.removesuffix(".md").removesuffix(".ipynb") for n in names)


def source_path(docname: str) -> Path:
    for suffix in (".md", ".ipynb"):
        path = ROOT / f"{docname}{suffix}"
        if path.exists():
            return path
    raise FileNotFoundError(f"no source for TOC entry {docname!r}")


def source_text(docname: str) -> str:
    return source_path(docname).read_text(encoding="utf-8")


def is_notebook(docname: str) -> bool:
    """A MyST Markdown notebook (jupytext/kernelspec front matter) or an .ipynb."""
    from myst_nb.core.read import is_myst_markdown_notebook

    path = source_path(docname)
    return path.suffix == ".ipynb" or is_myst_markdown_notebook(path.read_text(encoding="utf-8"))


def chapters() -> list[str]:
    """TOC entries that are executable notebooks."""
    return [d for d in toc_docnames() if is_notebook(d)]


def md_config():
    from myst_parser.config.main import MdParserConfig

    exts = set(config().get("parse", {}).get("myst_enable_extensions", []))
    return MdParserConfig(enable_extensions=exts)


def read_notebook(docname: str):
    """The notebook exactly as myst-nb reads it for the build (same cells, same metadata)."""
    import nbformat
    from myst_nb.core.read import read_myst_markdown_notebook

    path = source_path(docname)
    if path.suffix == ".ipynb":
        return nbformat.read(path, as_version=4)
    return read_myst_markdown_notebook(path.read_text(encoding="utf-8"), config=md_config(),
                                       add_source_map=True, path=path)


def code_sources(docname: str) -> str:
    if not is_notebook(docname):
        return ""
    return "\n".join(c.source for c in read_notebook(docname).cells if c.cell_type == "code")


def is_explorer_page(docname: str) -> bool:
    """A chapter that calls one of the ``*_explorer()`` functions in a code cell."""
    return bool(EXPLORER_CALL.search(code_sources(docname)))


def has_math(docname: str) -> bool:
    return bool(MATH_SOURCE.search(source_text(docname)))


@lru_cache(maxsize=None)
def api_docnames() -> dict[str, str]:
    """Every public module of liqlearn (no path part with a leading underscore) -> the
    docname of its API reference page (``book/api/<module>``).  Listed from the package's
    files here, independently of ``book/_ext/liqapi.py``, which writes the pages."""
    package = ROOT / "liqlearn"
    modules = []
    for path in package.rglob("*.py"):
        parts = path.relative_to(package).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        if parts and not any(part.startswith("_") for part in parts):
            modules.append("liqlearn." + ".".join(parts))
    return {m: f"book/api/{m}" for m in sorted(modules)}


def html_path(docname: str) -> Path:
    return HTML / f"{docname}.html"


def require_site() -> None:
    """Skip (or, under ``make test``, fail) when the site has not been built."""
    if (HTML / "index.html").exists():
        return
    reason = f"{HTML.relative_to(ROOT)} is missing: run `make book` first (`make test` builds it)"
    if os.environ.get("LIQLEARN_REQUIRE_BUILD"):
        pytest.fail(reason)
    pytest.skip(reason)


def repository() -> tuple[str, str, str]:
    """(org, repo, branch) from ``_config.yml``'s repository url."""
    repo = config()["repository"]
    match = re.fullmatch(r"https://github\.com/([\w.-]+)/([\w.-]+?)(?:\.git)?/?", repo["url"])
    assert match, f"repository.url must be a https://github.com/ORG/REPO address, got {repo['url']!r}"
    return match.group(1), match.group(2), repo.get("branch", "main")


# ------------------------------------------------------- the site in a browser, offline
def serve(folder: Path):
    """``folder`` served on 127.0.0.1 in a daemon thread: (server, base URL).  The same
    quiet server as ``python tools/pageweight.py`` (one home for both)."""
    import sys

    sys.path.insert(0, str(ROOT / "tools"))
    from pageweight import serve as serve_folder

    return serve_folder(folder)


def watch(page, problems: list[str]) -> None:
    """Record on ``page`` what a reader would see go wrong: console errors, page errors,
    failed requests (a navigation's own cancellations aside) and HTTP errors."""
    page.on("console", lambda m: m.type == "error" and problems.append(
        f"console error: {m.text} ({m.location.get('url', '')})"))
    page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
    page.on("requestfailed", lambda r: "ERR_ABORTED" not in (r.failure or "") and problems.append(
        f"request failed: {r.url} ({r.failure})"))
    page.on("response", lambda r: r.status >= 400 and problems.append(f"HTTP {r.status}: {r.url}"))


def offline_page(browser, base: str, *, problems: list[str] | None = None,
                 allow: tuple[str, ...] = (), width: int = 1280, height: int = 900,
                 dark: bool = False, **options):
    """A new browser context and page where every request not to ``base`` (nor ``data:``,
    ``blob:`` or an ``allow`` prefix) is blocked and recorded in ``problems``, as is what
    :func:`watch` sees: (context, page, problems).  ``options``: more of playwright's
    context options (``reduced_motion``, ...)."""
    problems = [] if problems is None else problems
    allowed = (base, "data:", "blob:", *allow)
    context = browser.new_context(viewport={"width": width, "height": height},
                                  color_scheme="dark" if dark else "light", **options)

    def route(r) -> None:
        if r.request.url.startswith(allowed):
            r.continue_()
        else:
            problems.append(f"external request blocked: {r.request.url}")
            r.abort()

    context.route("**/*", route)
    page = context.new_page()
    watch(page, problems)
    return context, page, problems
