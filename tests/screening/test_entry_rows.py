"""The row ranges looked up for many entries at once are the rows looked up one entry at a time."""

from __future__ import annotations

import numpy as np

from palermo.screening.candidate_index.entry_rows import EntryRows


def test_many_entries_looked_up_at_once_have_the_rows_of_one_by_one() -> None:
    row_entry = np.array([7, 7, 3, 9, 9, 9, 4], dtype=np.int64)
    row_alive = np.array([True, True, True, True, True, True, False])
    ranges = EntryRows.of(row_entry, row_alive)
    assert ranges is not None
    ranges.added(12, 7, 9)  # added since loading
    ranges.removed(3)
    ranges.added(8, 9, 9)  # no rows
    entries = [9, 3, 12, 7, 4, 8, 100, 0]
    assert [list(r) for r in ranges.row_ranges(entries)] == [ranges.rows(e).tolist() for e in entries]
    assert [list(r) for r in ranges.row_ranges(entries)][:4] == [[3, 4, 5], [], [7, 8], [0, 1]]
    assert EntryRows().row_ranges([1, 2]) == [range(0), range(0)]
