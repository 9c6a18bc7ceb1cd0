"""Every chapter executes top to bottom in a fresh kernel.

The book build already ran each chapter in a fresh kernel and kept the result in
jupyter-cache (``_build/.jupyter_cache``; only successful runs are stored), so a chapter
whose *current* source matches a cache record made with the *current* package passes
without running twice.  Otherwise (no build, a changed chapter, a changed ``liqlearn``)
the chapter is executed here with jupytext + nbclient (``tools/run_chapter.py``).
"""

from __future__ import annotations

import importlib.util
import sys

import pytest

from _book import BUILD, ROOT, chapters, is_explorer_page, read_notebook

# `book`: a chapter's run is the book build's (its execution cache), after `make book`
pytestmark = [pytest.mark.book, pytest.mark.timeout(600)]

WIDGET_STATE = "application/vnd.jupyter.widget-state+json"
CACHE = BUILD / ".jupyter_cache"


def _load(name: str, path):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault(name, module)
    spec.loader.exec_module(module)
    return module


prepare = _load("liq_prepare", ROOT / "tools" / "prepare.py")
run_chapter = _load("liq_run_chapter", ROOT / "tools" / "run_chapter.py")


def _cache_is_current() -> bool:
    """The cache was made with the package as it is now (prepare.py keys it)."""
    stamp = BUILD / ".liqlearn.sha256"
    return (CACHE.exists() and stamp.exists()
            and stamp.read_text().strip() == prepare.package_hash())


def _cached_run(docname: str):
    """The executed notebook from jupyter-cache for the current source, or None."""
    if not _cache_is_current():
        return None
    from jupyter_cache import get_cache

    cache = get_cache(str(CACHE))
    try:
        record = cache.match_cache_notebook(read_notebook(docname))
    except KeyError:
        return None
    return cache.get_cache_bundle(record.pk).nb


def _errors(nb) -> list[str]:
    found = []
    for i, cell in enumerate(nb.cells):
        for out in cell.get("outputs", []):
            if out.get("output_type") == "error":
                found.append(f"cell {i}: {out.get('ename')}: {out.get('evalue')}")
    return found


@pytest.mark.parametrize("docname", chapters())
def test_chapter_executes(docname):
    nb = _cached_run(docname)
    how = "jupyter-cache record of the book build"
    if nb is None:
        how = "fresh kernel (nbclient)"
        nb = run_chapter.run(ROOT / f"{docname}.md")  # raises CellExecutionError on failure
    assert not _errors(nb), f"{docname} ({how}): " + "; ".join(_errors(nb))
    code_cells = [c for c in nb.cells if c.cell_type == "code"]
    assert all(c.get("execution_count") for c in code_cells if c.source.strip()), (
        f"{docname} ({how}): some code cells did not run")
    if is_explorer_page(docname):
        state = nb.metadata.get("widgets", {}).get(WIDGET_STATE, {}).get("state", {})
        assert state, f"{docname} ({how}): an explorer chapter recorded no widget state"
