"""liqvenues: a Sphinx role that renders a venue fact from :mod:`liqlearn.venues`.

``{venue}`bybit.mm_basis``` becomes the fact's value in words followed by its source, linked,
and the date it was read, e.g. "at the mark (trigger) price (Bybit, read 2026-12-01,
assumption)".  The text comes from the package at build time, so a chapter never types a
venue's rate or rule and always shows when it was last checked.  An unknown venue or fact is
a Sphinx error (the strict build fails).
"""

from __future__ import annotations

from typing import Any

from docutils import nodes
from sphinx.application import Sphinx

from liqlearn import venues


def venue_role(name: str, rawtext: str, text: str, lineno: int, inliner: Any,
               options: dict | None = None, content: list | None = None):
    """``venue.fact`` -> value (venue, read DATE[, status]) with a link to the fact's source."""
    key, _, fact = text.strip().partition(".")
    try:
        vn = venues.get(key)
        f = vn.fact(fact)
        value = venues.fact_text(vn, fact)
    except ValueError as exc:
        msg = inliner.reporter.error(f"venue role {text!r}: {exc}", line=lineno)
        return [inliner.problematic(rawtext, rawtext, msg)], [msg]
    status = "" if f.status == "read" else f", {f.status}"
    ref = nodes.reference(rawtext, f"{vn.name}, read {f.date_read}{status}", refuri=f.url,
                          reftitle=f.title)
    node = nodes.inline(classes=["liq-venue-fact"])
    node += nodes.Text(f"{value} (")
    node += ref
    node += nodes.Text(")")
    return [node], []


def setup(app: Sphinx) -> dict[str, Any]:
    app.add_role("venue", venue_role)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "version": "1"}
