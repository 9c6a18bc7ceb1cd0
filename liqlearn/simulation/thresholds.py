"""Accounts sorted by trigger price, so a margin check reads only the accounts the mark crossed.

An untouched position's liquidation price does not move with the mark (it
depends on the entry, the size and the collateral only), so the triggers can be
sorted once: longs from the highest trigger down, shorts from the lowest up.
A check at mark ``P`` is then two binary searches -- the longs with trigger
``>= P`` and the shorts with trigger ``<= P`` are a prefix of each order --
plus the accounts whose trigger changed since the sort (a liquidation, an ADL
fill, a trade, a socialized loss: the engine reports them with :meth:`TriggerIndex.changed`).
The prefix may still hold accounts that changed; the caller compares each
candidate's current trigger with the mark, so they cost a comparison, not a
wrong answer.  When the changed accounts pile up the order is rebuilt.

>>> idx = TriggerIndex()
>>> idx.rebuild(np.array([95.0, -np.inf, 90.0]), np.array([np.inf, 110.0, np.inf]))
>>> idx.candidates(92.0).tolist(), idx.candidates(111.0).tolist()
([0], [1])
>>> idx.changed(np.array([2])); idx.candidates(100.0).tolist()   # 2 is checked afresh
[2]
"""

from __future__ import annotations

import numpy as np

__all__ = ["TriggerIndex", "distinct"]


def distinct(ids: np.ndarray) -> np.ndarray:
    """Sorted distinct ids (``np.unique`` by sorting, which beats its hashing on ids).

    >>> distinct(np.array([5, 2, 5, 0])).tolist()
    [0, 2, 5]
    """
    a = np.sort(ids)
    if a.size < 2:
        return a
    keep = np.empty(a.size, dtype=bool)
    keep[0] = True
    np.not_equal(a[1:], a[:-1], out=keep[1:])
    return a[keep]


class TriggerIndex:
    """Long triggers sorted high to low, short triggers low to high, plus changed accounts."""

    def __init__(self) -> None:
        empty = np.zeros(0)
        self._long_ids = np.zeros(0, dtype=np.intp)
        self._long_keys = empty  # minus the long triggers, ascending
        self._short_ids = np.zeros(0, dtype=np.intp)
        self._short_keys = empty  # short triggers, ascending
        self._changed: list[np.ndarray] = []
        self._n_changed = 0
        self._n = 0

    def rebuild(self, long_trigger: np.ndarray, short_trigger: np.ndarray) -> None:
        """Sort every account (``-inf``/``inf``: no long/short position) and forget changes."""
        self._n = int(long_trigger.size)
        live = np.flatnonzero(long_trigger > -np.inf)
        order = live[np.argsort(-long_trigger[live], kind="stable")]
        self._long_ids, self._long_keys = order, -long_trigger[order]
        live = np.flatnonzero(short_trigger < np.inf)
        order = live[np.argsort(short_trigger[live], kind="stable")]
        self._short_ids, self._short_keys = order, short_trigger[order]
        self._changed = []
        self._n_changed = 0

    def changed(self, ids: np.ndarray) -> None:
        """Accounts whose trigger changed since the sort (or that are new)."""
        if ids.size:
            self._changed.append(ids)
            self._n_changed += int(ids.size)

    def stale(self) -> bool:
        """True when so many triggers changed that a rebuild pays for itself."""
        return self._n_changed > max(2_048, self._n // 4)

    def candidates(self, mark: float) -> np.ndarray:
        """Sorted, distinct ids of every account whose trigger the mark may have crossed."""
        k = int(np.searchsorted(self._long_keys, -mark, side="right"))
        j = int(np.searchsorted(self._short_keys, mark, side="right"))
        parts = [self._long_ids[:k], self._short_ids[:j], *self._changed]
        parts = [p for p in parts if p.size]
        if not parts:
            return np.zeros(0, dtype=np.intp)
        if len(self._changed) > 1:
            self._changed = [distinct(np.concatenate(self._changed))]
            self._n_changed = int(self._changed[0].size)
        total = sum(part.size for part in parts)
        if total * 64 < self._n:  # a few: sort them
            return distinct(np.concatenate(parts))
        seen = np.zeros(max(self._n, 1 + max(int(part.max()) for part in parts)), dtype=bool)
        for part in parts:
            seen[part] = True
        return np.flatnonzero(seen)
