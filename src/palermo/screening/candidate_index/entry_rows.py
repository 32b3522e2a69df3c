"""Where each watchlist entry's rows are in the candidate index, found without scanning every row.

An entry's names are added together, so its live rows are one range of row numbers. Looking that range up by
comparing every row's entry id cost a scan of all rows: once per entry added (a 1M-entry build was quadratic) and
once per candidate scored (1-2 ms each at a million rows). Here a loaded index keeps the ranges as sorted arrays
(binary search), and entries added or removed since loading sit in a dictionary in front of them.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

_NONE = np.zeros(0, dtype=np.intp)


class EntryRows:
    """The live row range of each entry: sorted arrays from the saved index, a dictionary of changes since."""

    def __init__(self) -> None:
        self._ids = np.zeros(0, dtype=np.int64)
        self._starts = np.zeros(0, dtype=np.int64)
        self._stops = np.zeros(0, dtype=np.int64)
        self._changed: dict[int, tuple[int, int] | None] = {}  # None: removed

    @classmethod
    def of(cls, row_entry: NDArray[np.int64], row_alive: NDArray[np.bool_]) -> EntryRows | None:
        """The ranges of saved rows, or ``None`` when an entry's live rows are not one range (rebuild the index)."""
        ranges = cls()
        alive = np.flatnonzero(row_alive)
        if not len(alive):
            return ranges
        entries = row_entry[alive]
        firsts = np.concatenate(([0], np.flatnonzero(np.diff(entries)) + 1))
        lasts = np.concatenate((firsts[1:], [len(entries)])) - 1
        starts, stops = alive[firsts], alive[lasts] + 1
        ids = entries[firsts]
        if np.any(stops - starts != lasts - firsts + 1) or len(np.unique(ids)) != len(ids):
            return None
        order = np.argsort(ids)
        ranges._ids, ranges._starts, ranges._stops = ids[order], starts[order], stops[order]
        return ranges

    def _range(self, entry_id: int) -> tuple[int, int] | None:
        if entry_id in self._changed:
            return self._changed[entry_id]
        at = int(np.searchsorted(self._ids, entry_id))
        if at < len(self._ids) and self._ids[at] == entry_id:
            return int(self._starts[at]), int(self._stops[at])
        return None

    def rows(self, entry_id: int) -> NDArray[np.intp]:
        found = self._range(entry_id)
        return np.arange(*found, dtype=np.intp) if found is not None else _NONE

    def row_ranges(self, entry_ids: list[int]) -> list[range]:
        """The live rows of each entry as a ``range`` (empty when it has none), in one binary search for all."""
        at = np.searchsorted(self._ids, entry_ids).tolist() if len(self._ids) else [0] * len(entry_ids)
        ids, starts, stops = self._ids, self._starts, self._stops
        found = []
        for entry_id, i in zip(entry_ids, at, strict=True):
            if entry_id in self._changed:
                changed = self._changed[entry_id]
                found.append(range(*changed) if changed is not None else range(0))
            elif i < len(ids) and ids[i] == entry_id:
                found.append(range(int(starts[i]), int(stops[i])))
            else:
                found.append(range(0))
        return found

    def __contains__(self, entry_id: int) -> bool:
        return self._range(entry_id) is not None

    def added(self, entry_id: int, start: int, stop: int) -> None:
        """``entry_id``'s rows are now ``start..stop-1`` (no rows: it is not in the index)."""
        self._changed[entry_id] = (start, stop) if stop > start else None

    def removed(self, entry_id: int) -> None:
        self._changed[entry_id] = None
