"""Illustrative, dated parameter sets of real venues (BTC perpetuals).

**Illustrative and dated.**  Venues change their tier tables, fees and rules
often.  Every fact of a preset (tier table, fees, clearance fee, maintenance
basis, fee in the trigger, partial liquidation, insurance fund, auto-
deleveraging) carries its own source and the date it was read
(:meth:`Venue.fact`, a :class:`Fact`; the data live in
:mod:`liqlearn.venues.data`).  Use them to see how conventions differ, never as
current trading parameters: check the venue before trading.  Facts that could
not be confirmed are ``None`` or say so in their ``status`` and ``note``.

>>> v = get("binance")
>>> v.tiers.bracket(500_000)            # the FAQ's example: 1 % and 1,300 USDT
(0.01, 1300.0)
>>> v.fact("mm_basis").value, v.fact("mm_basis").date_read
('mark', '2026-12-01')
>>> sorted(VENUES) == sorted(names())
True
"""

from __future__ import annotations

from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, Mapping

import numpy as np

from ..formulas import validation as v
from ..formulas.tiers import MaintenanceTiers
from .data import FACT_NAMES, PRESETS, Fact
from .text import fact_text, venue_list
from .text import pct as _pct, provenance as _provenance, tier_summary as _tier_summary

__all__ = ["Venue", "Fact", "VENUES", "DISCLAIMER", "FACT_NAMES", "DATE_READ", "get", "names",
           "summary_rows", "summary_markdown", "facts_markdown", "fact_text", "cite", "having",
           "liquidation_prices"]

DISCLAIMER = ("Illustrative, dated parameters: each fact is what the cited venue page said on "
              "the date it was read. Venues change tiers and fees often; check the venue "
              "before trading.")


@dataclass(frozen=True)
class Venue:
    """One venue's BTC perpetual, as documented on a given date.

    ``tier_rule`` is ``"marginal"`` when the venue subtracts a maintenance
    amount so maintenance margin is continuous (Binance, Bybit, OKX,
    Hyperliquid), and ``"whole_position"`` when the whole position pays its
    step's rate (BitMEX risk limits).  ``fee_in_trigger`` means the close fee
    is reserved in the liquidation trigger (OKX).  ``facts`` holds every fact
    with its source and date read (:meth:`fact`); the plain fields repeat
    their values for convenience, and ``date_read`` is the latest reading.
    """

    name: str
    product: str
    contract: str  # "linear" or "inverse"
    settlement: str  # currency of margin and of the tier table's notional
    tiers: MaintenanceTiers | None
    tier_rule: str
    max_leverage: tuple[float, ...] | None
    maker_fee: float | None
    taker_fee: float | None
    liquidation_fee: float | None
    mm_basis: str
    fee_in_trigger: bool
    insurance_fund: str
    adl: str
    source: str
    as_of: str
    date_read: str
    sources: Mapping[str, str] = field(default_factory=dict)
    notes: str = ""
    contract_size: float | None = None  # inverse contracts: quote value of one contract
    partial_liquidation: str = ""
    facts: Mapping[str, Fact] = field(default_factory=dict)

    def fact(self, name: str) -> Fact:
        """The fact ``name`` with its value, source (title, URL), date read and status.

        >>> f = get("dydx").fact("liquidation_fee")
        >>> f.value, f.date_read, f.status
        (0.015, '2026-12-01', 'read')
        """
        return self.facts[v.choice("fact", name, tuple(self.facts))]

    def fact_markdown(self, name: str) -> str:
        """One fact as Markdown: its value, then its source linked and the date read.

        >>> print(get("hyperliquid").fact_markdown("adl").split(" — ")[1])
        [Hyperliquid: Auto-deleveraging (Hyperliquid Docs)](https://hyperliquid.gitbook.io/hyperliquid-docs/trading/auto-deleveraging), read 2026-12-01
        """
        f = self.fact(name)
        return f"{fact_text(self, name)} — {_provenance(self.name, f)}"

    def maintenance(self, notional: Any) -> tuple[Any, Any]:
        """``(mmr, maintenance_amount)`` for a notional, following the venue's tier rule.

        >>> get("bitmex").maintenance(230.0)   # 1 step above the 200 XBT base limit
        (0.01, 0.0)
        """
        if self.tiers is None:
            raise ValueError(f"no tier table is recorded for {self.name} (see its notes)")
        rate, amount = self.tiers.bracket(notional)
        if self.tier_rule == "whole_position":
            return rate, amount * 0.0
        return rate, amount

    def liquidation_kwargs(self, taker_fee: float | None = None) -> dict[str, Any]:
        """Keyword arguments for :func:`liqlearn.liquidation_price` in this venue's convention.

        ``taker_fee`` overrides the recorded rate (your own fee tier); a venue
        that reserves the close fee needs one of the two.  ``mmr`` is left out
        when no tier table is recorded, or when the venue charges the whole
        position its step's rate (pass ``maintenance(notional)[0]`` as a flat
        mmr, or your own).

        >>> kw = get("okx").liquidation_kwargs(taker_fee=0.0005)
        >>> kw["mm_basis"], kw["fee_rate"]
        ('mark', 0.0005)
        >>> get("binance").liquidation_kwargs()["fee_rate"]
        0.0
        """
        if self.contract != "linear":
            raise ValueError(f"{self.name}'s product is {self.contract}: use "
                             "liqlearn.formulas.inverse.inverse_liquidation_price")
        out: dict[str, Any] = {"mm_basis": self.mm_basis, "fee_rate": self.close_fee_rate(taker_fee)}
        if self.tiers is not None and self.tier_rule == "marginal":
            out["mmr"] = self.tiers
        return out

    def mmr_for(self, value_at_entry: Any, mmr: Any = None) -> Any:
        """The rate (or tier table) this venue applies, or a ValueError saying what to pass."""
        if mmr is not None:
            return mmr
        if self.tiers is None:
            raise ValueError(f"no tier table is recorded for {self.name} (see its notes): "
                             "pass mmr= (a rate or a MaintenanceTiers)")
        if self.tier_rule == "marginal":
            return self.tiers
        if self.mm_basis == "entry":  # whole-position steps, fixed at entry (BitMEX)
            return self.maintenance(value_at_entry)[0]
        raise ValueError(f"{self.name} charges the whole position its step's rate on basis "
                         "'mark', where the step depends on the answer: pass mmr=")

    def close_fee_rate(self, taker_fee: float | None = None) -> float:
        """The fee rate reserved in the trigger: the taker fee where the venue reserves it, else 0."""
        if not self.fee_in_trigger:
            return 0.0
        fee = taker_fee if taker_fee is not None else self.taker_fee
        if fee is None:
            raise ValueError(f"{self.name} reserves the close fee: pass taker_fee "
                             "(no rate is recorded)")
        return float(v.rate("taker_fee", fee))

    def entry_value(self, entry_price: Any, quantity: Any, contract_size: Any = None) -> Any:
        """The position's value at entry in the margin currency: what the tier table is read at.

        Linear: ``quantity * entry_price`` (USDT).  Inverse: ``contracts * contract_size /
        entry_price`` (coin), ``contract_size`` defaulting to the preset's.

        >>> get("binance").entry_value(60_000, 1/6)
        10000.0
        >>> round(get("bitmex").entry_value(60_000, 10_000), 6)   # 10,000 USD contracts
        0.166667
        """
        q = np.asarray(v.positive("quantity", quantity), dtype=float)
        e = np.asarray(v.positive("entry_price", entry_price), dtype=float)
        if self.contract != "inverse":
            return q * e if q.ndim or e.ndim else float(q * e)
        size = self.contract_size if contract_size is None else contract_size
        if size is None:
            raise ValueError(f"{self.name} is inverse but no contract_size is recorded")
        value = q * np.asarray(v.positive("contract_size", size), dtype=float) / e
        return value if value.ndim else float(value)

    def liquidation_price(self, side: str, entry_price: Any, quantity: Any, margin: Any, *,
                          mmr: Any = None, taker_fee: float | None = None) -> Any:
        """Liquidation price of an isolated position under this venue's convention.

        Uses the venue's ``mm_basis``, its tier table (marginal tiers: the
        bracket of the notional at the trigger, or at entry on basis "entry";
        whole-position steps on basis "entry": the step of the entry value)
        and, where the venue reserves the close fee (OKX), its taker fee
        (``taker_fee`` overrides the recorded rate).  ``mmr`` overrides the
        recorded table, and is required where none is recorded (OKX).

        Units follow the venue's contract.  Linear: ``quantity`` in base units
        (BTC), prices and ``margin`` in the settlement currency (USDT, USDC).
        Inverse (BitMEX XBTUSD): ``quantity`` is the number of contracts of
        ``contract_size`` USD each and ``margin`` is in coin (XBT); the answer
        comes from :func:`liqlearn.formulas.inverse.inverse_liquidation_price`.  To price
        the *same* dollar position everywhere use :func:`liquidation_prices`.

        >>> round(get("binance").liquidation_price("long", 60_000, 1/6, 1_000), 2)
        54216.88
        >>> round(get("bybit").liquidation_price("long", 60_000, 1/6, 1_000), 2)   # 0.5 %, mark
        54271.36
        >>> round(get("okx").liquidation_price("long", 60_000, 1/6, 1_000, mmr=0.004,
        ...                                    taker_fee=0.0005), 2)               # 0.45 %
        54244.1
        >>> round(get("bitmex").liquidation_price("long", 60_000, 10_000, 1/60), 2)  # XBT margin
        54794.52
        """
        v.side_sign(side)
        if self.contract == "inverse":
            from ..formulas.inverse import inverse_liquidation_price

            rate = self.mmr_for(self.entry_value(entry_price, quantity), mmr)
            return inverse_liquidation_price(side, entry_price, quantity, self.contract_size,
                                             margin, rate, fee_rate=self.close_fee_rate(taker_fee),
                                             mm_basis=self.mm_basis)
        from ..formulas.liquidation import liquidation_price

        rate = self.mmr_for(self.entry_value(entry_price, quantity), mmr)
        return liquidation_price(side, entry_price, quantity, margin, rate,
                                 fee_rate=self.close_fee_rate(taker_fee), mm_basis=self.mm_basis)

    def bankruptcy_price(self, side: str, entry_price: Any, quantity: Any, margin: Any) -> Any:
        """Price at which the position's equity is zero, in the venue's contract units.

        Every venue's bankruptcy page defines it without fees (Bybit:
        ``E * (1 - 1/L)`` for a long, its fee to close held in the position margin
        on top of ``margin``), so no fee is reserved here; call
        :func:`liqlearn.formulas.liquidation.bankruptcy_price` with ``fee_rate`` for that variant.
        Units as in :meth:`liquidation_price` (inverse: contracts and coin margin).

        >>> get("bybit").bankruptcy_price("long", 60_000, 1/6, 1_000)
        54000.0
        >>> round(get("bitmex").bankruptcy_price("long", 60_000, 10_000, 1/60), 2)
        54545.45
        """
        if self.contract == "inverse":
            from ..formulas.inverse import inverse_bankruptcy_price

            return inverse_bankruptcy_price(side, entry_price, quantity, self.contract_size,
                                            margin)
        from ..formulas.liquidation import bankruptcy_price

        return bankruptcy_price(side, entry_price, quantity, margin)

    def _repr_html_(self) -> str:
        fees = ("–" if self.taker_fee is None else
                f"maker {100 * (self.maker_fee or 0):.4g} %, taker {100 * self.taker_fee:.4g} %")
        tiers = self.tiers._repr_html_() if self.tiers is not None else "<p>(no table)</p>"
        read = "; ".join(f"{k} {f.date_read}" for k, f in self.facts.items())
        return (f"<h4>{self.name}: {self.product}</h4><p><em>{DISCLAIMER}</em></p>"
                f"<p>Maintenance margin basis: {self.mm_basis}; fees: {fees}; "
                f"<a href='{self.source}'>source</a>; facts read: {read}</p>{tiers}")


def _build(preset: Mapping[str, Any]) -> Venue:
    """A :class:`Venue` from one of :data:`liqlearn.venues.data.PRESETS`."""
    facts = MappingProxyType(dict(preset["facts"]))
    missing = [n for n in FACT_NAMES if n not in facts]
    if missing:
        raise ValueError(f"{preset['name']}: facts {missing} are missing")
    rows = facts["tiers"].value
    maker, taker = facts["fees"].value
    fixed = {k: preset[k] for k in ("name", "product", "contract", "settlement", "tier_rule",
                                    "max_leverage", "source", "as_of", "notes")}
    return Venue(
        **fixed, contract_size=preset.get("contract_size"),
        tiers=None if rows is None else MaintenanceTiers(list(rows)),
        maker_fee=maker, taker_fee=taker, liquidation_fee=facts["liquidation_fee"].value,
        mm_basis=facts["mm_basis"].value, fee_in_trigger=facts["fee_in_trigger"].value,
        insurance_fund=facts["insurance_fund"].value, adl=facts["adl"].value,
        partial_liquidation=facts["partial_liquidation"].value,
        date_read=max(f.date_read for f in facts.values()),
        sources=MappingProxyType({k: f.url for k, f in facts.items()}), facts=facts)


_VENUES = tuple(_build(p) for p in PRESETS)

#: the latest date on which any venue fact was read
DATE_READ = max(vn.date_read for vn in _VENUES)

#: name (lower case) -> :class:`Venue`, in the order of the dropdown.
VENUES: Mapping[str, Venue] = MappingProxyType({vn.name.lower(): vn for vn in _VENUES})


def names() -> list[str]:
    """Venue keys in display order (lower case)."""
    return list(VENUES)


def get(name: str) -> Venue:
    """The :class:`Venue` called ``name`` (case-insensitive); unknown: ValueError listing them.

    >>> get("Hyperliquid").max_leverage
    (40, 20)
    """
    key = name.lower() if isinstance(name, str) else name
    return VENUES[v.choice("venue", key, tuple(VENUES))]


def cite(venue: str, name: str) -> str:
    """Inline Markdown for one fact: its value, then its source and date in parentheses.

    >>> print(cite("okx", "fee_in_trigger"))
    yes ([OKX: Tiered maintenance margin ratio rules (OKX Help Center, updated 2025-05-16)](https://www.okx.com/help/v-tiered-maintenance-margin-ratio-rules), read 2026-12-01)
    """
    vn = get(venue)
    return f"{fact_text(vn, name)} ({_provenance(vn.name, vn.fact(name))})"


def having(name: str, value: Any) -> str:
    """Markdown list of the venues whose fact ``name`` is ``value``, each with its source and date.

    >>> having("mm_basis", "entry").startswith("BitMEX ([read 2026-12-01]")
    True
    """
    return venue_list(VENUES.values(), name, value)


def facts_markdown(venue: str, names: tuple[str, ...] | None = None) -> str:
    """One venue's facts as a Markdown table: value, source, date read, status and note."""
    vn = get(venue)
    names = tuple(vn.facts) if names is None else names
    lines = ["| fact | value | source | read | status | note |", "|---|---|---|---|---|---|"]
    for n in names:
        f = vn.fact(n)
        cells = (n.replace("_", " "), fact_text(vn, n), f"[{f.title}]({f.url})", f.date_read,
                 f.status, f.note)
        lines.append("| " + " | ".join(str(c).replace("|", "\\|") for c in cells) + " |")
    return "\n".join(lines)


def summary_rows() -> list[dict[str, Any]]:
    """One dict per venue (display order): the conventions side by side.

    Keys: ``venue``, ``product``, ``contract``, ``mm_basis``, ``fee_in_trigger``,
    ``tiers`` (a one-line summary of the tier table), ``first_mmr`` (the
    smallest positions' rate, ``None`` without a table), ``maker_fee``,
    ``taker_fee``, ``clearance_fee`` (the recorded liquidation fee, ``None``
    where no venue page confirmed it), ``partial_liquidation``,
    ``insurance_fund``, ``adl``, ``source``, ``as_of``, ``date_read`` (the
    latest reading) and ``facts`` (fact name -> :class:`Fact`, each with its
    own source and date).  Rates are fractions.  Dated and illustrative: see
    ``DISCLAIMER``.

    >>> row = summary_rows()[0]
    >>> row["venue"], row["mm_basis"], row["first_mmr"], row["taker_fee"]
    ('Binance', 'mark', 0.004, 0.0005)
    >>> row["tiers"]
    '10 tiers (marginal): 0.4 % up to 50k … 50 % up to 500M USDT'
    >>> summary_rows()[4]["tiers"], summary_rows()[4]["clearance_fee"]
    ('flat 1.2 % (any size)', 0.015)
    """
    return [{
        "venue": vn.name,
        "product": vn.product,
        "contract": vn.contract,
        "mm_basis": vn.mm_basis,
        "fee_in_trigger": vn.fee_in_trigger,
        "tiers": _tier_summary(vn),
        "first_mmr": None if vn.tiers is None else float(vn.tiers.rates[0]),
        "maker_fee": vn.maker_fee,
        "taker_fee": vn.taker_fee,
        "clearance_fee": vn.liquidation_fee,
        "partial_liquidation": vn.partial_liquidation,
        "insurance_fund": vn.insurance_fund,
        "adl": vn.adl,
        "source": vn.source,
        "as_of": vn.as_of,
        "date_read": vn.date_read,
        "facts": vn.facts,
    } for vn in VENUES.values()]


_HEADINGS = {
    "venue": "venue", "product": "product", "contract": "contract", "mm_basis": "MM basis",
    "fee_in_trigger": "fee in trigger", "tiers": "tier table", "first_mmr": "smallest MMR",
    "maker_fee": "maker fee", "taker_fee": "taker fee", "clearance_fee": "clearance fee",
    "partial_liquidation": "partial liquidation", "insurance_fund": "insurance fund",
    "adl": "auto-deleveraging", "source": "source", "as_of": "as of", "date_read": "read",
}
_RATES = ("first_mmr", "maker_fee", "taker_fee", "clearance_fee")
#: the fact behind each column that shows one
_COLUMN_FACT = {"mm_basis": "mm_basis", "fee_in_trigger": "fee_in_trigger", "tiers": "tiers",
                "first_mmr": "tiers", "maker_fee": "fees", "taker_fee": "fees",
                "clearance_fee": "liquidation_fee", "partial_liquidation": "partial_liquidation",
                "insurance_fund": "insurance_fund", "adl": "adl"}


def summary_markdown(columns: tuple[str, ...] = ("venue", "mm_basis", "fee_in_trigger", "tiers",
                                                  "maker_fee", "taker_fee", "clearance_fee"),
                     dated: bool = True) -> str:
    """:func:`summary_rows` as a Markdown (GFM) table; the venue name links to its source.

    Rates print as percentages, ``None`` as "–", booleans as yes/no.  With
    ``dated`` (default) each fact's cell ends with the date it was read, linked
    to its source, and its status when it is not a plain reading (``not
    re-verified``, ``secondary``, ``assumption``).  Unknown column: ValueError
    listing the allowed ones.

    >>> print(summary_markdown(("venue", "taker_fee"), dated=False).splitlines()[2])
    | [Binance](https://www.binance.com/en/support/announcement/86cf9aa472574b8cb2e05bb751c2a9a6) | 0.05 % |
    >>> row = summary_markdown(("venue", "taker_fee")).splitlines()[2]
    >>> print(row.split(" | ")[1].rstrip(" |"))
    0.05 % ([read 2026-11-25](https://www.binance.com/en/support/faq/360033544231), not re-verified)
    """
    if isinstance(columns, str):
        columns = (columns,)
    for col in columns:
        v.choice("column", col, tuple(_HEADINGS))

    def cell(row: dict[str, Any], col: str) -> str:
        val = row[col]
        if col == "venue":
            return f"[{val}]({row['source']})"
        if col in _RATES:
            text = _pct(val)
        elif col in ("mm_basis", "fee_in_trigger") and row["facts"][col].display:
            text = row["facts"][col].display
        elif isinstance(val, bool):
            text = "yes" if val else "no"
        else:
            text = str(val)
        if dated and col in _COLUMN_FACT:
            f = row["facts"][_COLUMN_FACT[col]]
            status = "" if f.status == "read" else f", {f.status}"
            text += f" ([read {f.date_read}]({f.url}){status})"
        return text.replace("|", "\\|")

    lines = ["| " + " | ".join(_HEADINGS[c] for c in columns) + " |",
             "|" + "---|" * len(columns)]
    lines += ["| " + " | ".join(cell(r, c) for c in columns) + " |" for r in summary_rows()]
    return "\n".join(lines)


def liquidation_prices(side: str, entry_price: float, quantity: float, margin: float, *,
                       assumptions: Mapping[str, Mapping[str, Any]] | None = None
                       ) -> dict[str, float]:
    """The *same* dollar position's liquidation price at every venue: name -> price.

    The position is given in linear terms: ``quantity`` in base units and
    ``margin`` in quote currency.  An inverse venue (BitMEX XBTUSD) holds the
    same notional as ``quantity * entry_price / contract_size`` contracts with
    ``margin / entry_price`` coin of margin (the same dollar margin at entry).
    ``assumptions`` maps a venue key to keyword arguments of
    :meth:`Venue.liquidation_price` (``mmr``, ``taker_fee``) -- required for a
    venue whose table or fee is not recorded (OKX); the error says which.

    >>> prices = liquidation_prices("long", 60_000, 1/6, 1_000,
    ...                             assumptions={"okx": {"mmr": 0.004, "taker_fee": 0.0005}})
    >>> {k: round(p) for k, p in prices.items()}
    {'Binance': 54217, 'Bybit': 54271, 'OKX': 54244, 'BitMEX': 54795, 'dYdX': 54656, 'Hyperliquid': 54684}
    """
    assumptions = dict(assumptions or {})
    for key in assumptions:
        get(key)
    e = float(v.positive("entry_price", entry_price))
    q = float(v.positive("quantity", quantity))
    m = float(v.nonnegative("margin", margin))
    out: dict[str, float] = {}
    for key, vn in VENUES.items():
        kw = dict(assumptions.get(key, {}))
        try:
            if vn.contract == "inverse":
                out[vn.name] = vn.liquidation_price(side, e, q * e / vn.contract_size, m / e, **kw)
            else:
                out[vn.name] = vn.liquidation_price(side, e, q, m, **kw)
        except ValueError as exc:
            if "pass" in str(exc) and key not in assumptions:
                raise ValueError(f"{exc} (give it as assumptions={{{key!r}: {{...}}}})") from None
            raise
    return out
