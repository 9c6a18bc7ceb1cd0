"""Venue facts in words: rates as percentages, tier tables summarised, sources with dates.

Used by :mod:`liqlearn.venues` (tables, :func:`~liqlearn.venues.cite`) and by the book's
``{venue}`` role.  Works on any object with a :class:`~liqlearn.venues.Venue`'s fields.
"""

from __future__ import annotations

import math
from typing import Any

from .data import Fact

__all__ = ["fact_text", "provenance", "tier_summary", "pct", "amount", "venue_list"]


def pct(x: float | None) -> str:
    """A rate as a percentage with four significant digits; ``None`` as "–"."""
    return "–" if x is None else f"{100 * x:.4g} %"


def amount(x: float) -> str:
    """A notional in k, M or B ("any size" for an open-ended tier)."""
    if math.isinf(x):
        return "any size"
    for div, unit in ((1e9, "B"), (1e6, "M"), (1e3, "k")):
        if x >= div:
            return f"{x / div:g}{unit}"
    return f"{x:g}"


def tier_summary(vn: Any) -> str:
    """A venue's tier table in one line: count, rule, first and last rate and cap."""
    if vn.tiers is None:
        return "none recorded"
    t = vn.tiers
    kind = "marginal" if vn.tier_rule == "marginal" else "whole position"
    if len(t) == 1:
        return f"flat {pct(float(t.rates[0]))} ({amount(float(t.caps[0]))})"
    last = amount(float(t.caps[-1]))
    return (f"{len(t)} tiers ({kind}): {pct(float(t.rates[0]))} up to "
            f"{amount(float(t.caps[0]))} … {pct(float(t.rates[-1]))} up to "
            f"{last}{'' if last == 'any size' else ' ' + vn.settlement}")


_BASIS_TEXT = {"mark": "at the mark (trigger) price", "entry": "at the entry price"}


def fact_text(vn: Any, name: str) -> str:
    """A fact's value in words (rates as percentages, the tier table summarised).

    >>> from liqlearn.venues import get
    >>> fact_text(get("okx"), "mm_basis"), fact_text(get("hyperliquid"), "liquidation_fee")
    ('at the mark (trigger) price', 'none (0 %)')
    """
    f = vn.fact(name)
    if f.display:
        return f.display
    val = f.value
    if name == "tiers":
        return tier_summary(vn)
    if name == "fees":
        return ("not recorded" if val[1] is None else
                f"maker {pct(val[0])}, taker {pct(val[1])}")
    if name == "liquidation_fee":
        return "no rate recorded" if val is None else ("none (0 %)" if val == 0 else pct(val))
    if name == "mm_basis":
        return _BASIS_TEXT[val]
    if isinstance(val, bool):
        return "yes" if val else "no"
    return str(val)


def provenance(venue: str, f: Fact) -> str:
    """Markdown "[venue: title](url), read DATE" and the status when it is not a plain reading."""
    status = "" if f.status == "read" else f" ({f.status})"
    return f"[{venue}: {f.title}]({f.url}), read {f.date_read}{status}"


def venue_list(venue_objects: Any, name: str, value: Any) -> str:
    """The venues whose fact ``name`` has ``value``, each linked to its source with the date.

    >>> from liqlearn.venues import VENUES
    >>> print(venue_list(VENUES.values(), "fee_in_trigger", True))
    OKX ([read 2026-12-01](https://www.okx.com/help/v-tiered-maintenance-margin-ratio-rules))
    """
    out = []
    for vn in venue_objects:
        f = vn.fact(name)
        if f.value == value:
            status = "" if f.status == "read" else f", {f.status}"
            out.append(f"{vn.name} ([read {f.date_read}]({f.url}){status})")
    return ", ".join(out) if out else "none of the presets"
