"""Streaming CSV writers: one file per (source, kind), truth table, watchlist; rows counted for the manifest."""

from __future__ import annotations

import csv
from collections.abc import Mapping
from pathlib import Path
from typing import IO, Any

from palermo.ingest.formats import FORMATS

_BUFFER = 1 << 20


def ingest_columns(kind: str) -> tuple[str, ...]:
    """Columns of an ingest CSV of ``kind``: the format's fields, without the JSON-only ``names``."""
    return tuple(name for name in FORMATS[kind].model_fields if name != "names")


def cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return ";".join(str(v) for v in value)
    if isinstance(value, bool):
        return "1" if value else "0"
    return str(value)


class Table:
    """One CSV file with a fixed header; rows are dicts (missing columns are empty)."""

    def __init__(self, path: Path, columns: tuple[str, ...]) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self.columns = columns
        self.rows = 0
        self._file: IO[str] = path.open("w", encoding="utf-8", newline="", buffering=_BUFFER)
        self._writer = csv.writer(self._file, lineterminator="\n")
        self._writer.writerow(columns)

    def write(self, row: Mapping[str, Any]) -> None:
        self._writer.writerow([cell(row.get(c)) for c in self.columns])
        self.rows += 1

    def close(self) -> None:
        self._file.close()


class Sink:
    """Every output file of a world, opened on first write, under ``root``."""

    def __init__(self, root: Path, truth_columns: dict[str, tuple[str, ...]]) -> None:
        self.root = root
        self._truth_columns = truth_columns
        self.tables: dict[str, Table] = {}

    def _table(self, relative: str, columns: tuple[str, ...]) -> Table:
        table = self.tables.get(relative)
        if table is None:
            table = self.tables[relative] = Table(self.root / relative, columns)
        return table

    def record(self, source: str, kind: str, row: dict[str, Any]) -> None:
        """An ingest row of ``kind`` in ``sources/<source>/<kind>.csv``."""
        self._table(f"sources/{source}/{kind}.csv", ingest_columns(kind)).write(row)

    def truth(self, name: str, row: dict[str, Any]) -> None:
        self._table(f"truth/{name}.csv", self._truth_columns[name]).write(row)

    def other(self, relative: str, columns: tuple[str, ...], row: Mapping[str, Any]) -> None:
        self._table(relative, columns).write(row)

    def close(self) -> None:
        for table in self.tables.values():
            table.close()
