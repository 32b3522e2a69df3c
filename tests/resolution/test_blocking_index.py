"""The blocking index of incremental linking: candidates by shared key, records kept as written, replaced in place."""

from __future__ import annotations

from pathlib import Path

import pytest

from palermo.errors import NotFound
from palermo.resolution import index
from palermo.resolution.config import default_config
from palermo.resolution.features import FEATURE_COLUMNS, RawName, RawPerson, feature_row


def _row(record_id: int, name: str, born: str, documents: tuple[str, ...] = ()) -> dict[str, object]:
    return feature_row(RawPerson(record_id, "border", [RawName(name)], born, "F", ("UKR",), documents))


def test_candidates_share_a_blocking_key_and_come_back_as_written(tmp_path: Path) -> None:
    config = default_config()
    rows = [
        _row(1, "Olena Shevchenko", "1990-04-02", ("FA123456",)),
        _row(2, "Olena Shevchenko", "1971-11-30"),
        _row(3, "Ivan Petrenko", "1985-01-09", ("FA123456",)),
        _row(4, "Maria Rossi", "1962-07-07"),
    ]
    with pytest.raises(NotFound, match="palermo resolve"):
        index.connect(tmp_path).__enter__()
    index.rebuild(tmp_path, rows, config)

    new = _row(5, "Olena Shevchenko", "1990-04-02", ("FA123456",))
    with index.connect(tmp_path, read_only=True) as con:
        found = index.candidates(con, new, config)
    assert [r["unique_id"] for r in found] == [1, 2, 3]  # same name; same name; same passport
    assert found[0] == {c: rows[0][c] for c in FEATURE_COLUMNS}

    with index.connect(tmp_path) as con:
        index.add(con, new, config)
        index.add(con, _row(4, "Maria Bianchi", "1962-07-07"), config)  # a record written again replaces its keys
    with index.connect(tmp_path, read_only=True) as con:
        assert [r["unique_id"] for r in index.candidates(con, _row(9, "Olena Shevchenko", "2001-01-01"), config)] == [
            1,
            2,
            5,
        ]
        assert index.candidates(con, _row(9, "Maria Rossi", "1940-02-02"), config) == []
        assert [r["unique_id"] for r in index.candidates(con, _row(9, "Maria Bianchi", "1940-02-02"), config)] == [4]
