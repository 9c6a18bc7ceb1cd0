"""What a run records: liquidation events, ADL fills, tables of them and the finished run.

:class:`LiquidationEvent` and :class:`ADLFill` are frozen dataclasses the
engine appends as it liquidates; :class:`SimulationResult` holds a finished
run (events, per-step history, closing ledger) and summarises it for the CLI;
:func:`records_table` shows any of them as a table (HTML in a notebook).
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field, fields
from typing import Any, Iterable, Sequence

import numpy as np

__all__ = ["ADLFill", "LiquidationEvent", "RecordTable", "records_table", "SimulationResult"]


@dataclass(frozen=True)
class ADLFill:
    """One opposite position closed by auto-deleveraging, at the bankruptcy price."""

    account: int
    side: str
    quantity: float
    price: float
    realized_pnl: float
    score: float
    socialized_loss: float = 0.0


@dataclass(frozen=True)
class LiquidationEvent:
    """What happened to one liquidated account (quote amounts in USDT).

    ``fund_change = surplus (fee included) - shortfall``; ``fee`` is the
    clearance fee inside it.  ``fill_price`` is the VWAP of the liquidation
    order in the book (``None`` if the limit left it unfilled);
    ``takeover_price`` the VWAP at which the fund unwound the rest.
    """

    step: int
    round: int
    account: int
    role: str
    mode: str
    side: str
    partial: bool
    quantity: float
    trigger_mark: float
    equity: float
    maintenance_margin: float
    bankruptcy_price: float
    fill_quantity: float
    fill_price: float | None
    takeover_quantity: float
    takeover_price: float | None
    adl_quantity: float
    fee: float
    surplus: float
    shortfall: float
    fund_change: float
    fund_after: float
    last_price: float
    adl: tuple[ADLFill, ...] = ()

    @property
    def adl_counterparties(self) -> list[int]:
        """Accounts deleveraged to close this one."""
        return [a.account for a in self.adl]

    def to_dict(self) -> dict[str, Any]:
        """A flat dict for a table (``adl`` becomes the list of counterparties)."""
        d = {f.name: getattr(self, f.name) for f in fields(self) if f.name != "adl"}
        d["adl_counterparties"] = self.adl_counterparties
        return d


class RecordTable:
    """Rows of dicts shown as a table: HTML in a notebook, aligned text in ``print``.

    >>> t = records_table([{"account": 3, "fill_price": 54_197.5, "adl": []}])
    >>> print(t)
    account  fill_price  adl
          3   54,197.50    -
    """

    def __init__(self, rows: list[dict[str, Any]], columns: Sequence[str]):
        self.rows = rows
        self.columns = list(columns)

    def __len__(self) -> int:
        return len(self.rows)

    @staticmethod
    def _cell(key: str, val: Any) -> str:
        if val is None:
            return "-"
        if isinstance(val, (list, tuple)):
            return ", ".join(str(x) for x in val) if val else "-"
        if isinstance(val, (bool, np.bool_)):
            return "yes" if val else "no"
        if isinstance(val, (float, np.floating)):
            if not math.isfinite(val):
                return str(val)
            digits = 4 if ("quantity" in key or key in ("score", "qty")) else 2
            return f"{val:,.{digits}f}"
        return str(val)

    def _cells(self) -> list[list[str]]:
        return [[self._cell(c, r.get(c)) for c in self.columns] for r in self.rows]

    def __str__(self) -> str:
        cells = self._cells()
        widths = [max(len(c), *(len(row[k]) for row in cells)) if cells else len(c)
                  for k, c in enumerate(self.columns)]
        lines = ["  ".join(c.rjust(w) for c, w in zip(self.columns, widths))]
        lines += ["  ".join(x.rjust(w) for x, w in zip(row, widths)) for row in cells]
        return "\n".join(lines)

    __repr__ = __str__

    def _repr_html_(self) -> str:
        import html

        head = "".join(f"<th>{html.escape(c.replace('_', ' '))}</th>" for c in self.columns)
        body = "".join("<tr>" + "".join(f"<td style='text-align:right'>{html.escape(x)}</td>"
                                        for x in row) + "</tr>" for row in self._cells())
        return (f"<table class='liqlearn-records'><thead><tr>{head}</tr></thead>"
                f"<tbody>{body}</tbody></table>")


def records_table(records: Iterable[Any], columns: Sequence[str] | None = None, *,
                  limit: int | None = None) -> RecordTable:
    """A :class:`RecordTable` of dicts, events (:class:`LiquidationEvent`, :class:`ADLFill`)
    or any dataclasses; ``columns`` picks and orders the keys (default: all of the first)."""
    rows = []
    for r in records:
        if isinstance(r, LiquidationEvent):
            r = r.to_dict()
        elif hasattr(r, "__dataclass_fields__"):
            r = asdict(r)
        rows.append(dict(r))
        if limit is not None and len(rows) >= limit:
            break
    cols = list(columns) if columns is not None else (list(rows[0]) if rows else [])
    return RecordTable(rows, cols)


@dataclass
class SimulationResult:
    """A finished run: events, per-step history and the closing ledger."""

    events: list[LiquidationEvent]
    history: dict[str, np.ndarray]
    ledger: dict[str, float]
    accounts: int
    params: dict[str, Any] = field(default_factory=dict)

    def to_records(self) -> list[dict[str, Any]]:
        """One dict per liquidation event (for ``pandas.DataFrame`` or a table)."""
        return [e.to_dict() for e in self.events]

    @property
    def adl_fills(self) -> list[tuple[int, ADLFill]]:
        """``(liquidated account, ADL fill)`` for every deleveraged position."""
        return [(e.account, a) for e in self.events for a in e.adl]

    def table(self, columns: Sequence[str] | None = None, *, limit: int | None = 20,
              ) -> RecordTable:
        """The events as a table (the first ``limit``; ``None`` for all)."""
        cols = columns or ("step", "round", "account", "side", "mode", "partial", "quantity",
                           "trigger_mark", "bankruptcy_price", "fill_price", "fee",
                           "fund_change", "fund_after", "adl_counterparties")
        return records_table(self.events, cols, limit=limit)

    def summary(self) -> dict[str, Any]:
        """The numbers the CLI prints (``--json``)."""
        h = self.history
        full = adl_events = 0
        adl_q = bad_debt = surplus = fees = social = notional = 0.0
        for e in self.events:  # one pass: a big run has hundreds of thousands
            full += not e.partial
            adl_q += e.adl_quantity
            bad_debt += e.shortfall
            surplus += e.surplus
            fees += e.fee
            notional += e.quantity * e.trigger_mark
            if e.adl:
                adl_events += len(e.adl)
                social += sum(a.socialized_loss for a in e.adl)
        return {
            "accounts": self.accounts,
            "steps": int(len(h["mark"])),
            "liquidations": len(self.events),
            "full_liquidations": full,
            "partial_liquidations": len(self.events) - full,
            "liquidation_rounds": int(np.sum(h["rounds"])),
            "max_rounds_in_a_step": int(np.max(h["rounds"], initial=0)),
            "adl_events": adl_events,
            "adl_quantity": adl_q,
            "bad_debt": bad_debt,
            "surplus_to_fund": surplus,
            "clearance_fees": fees,
            "socialized_loss": social,
            "liquidated_notional": notional,
            "min_mark": float(np.min(h["mark"])), "min_last": float(np.min(h["last"])),
            "max_mark": float(np.max(h["mark"])), "max_last": float(np.max(h["last"])),
            "ledger": dict(self.ledger),
            "params": dict(self.params),
        }
