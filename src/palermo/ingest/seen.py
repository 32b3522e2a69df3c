"""Keys already seen in the file being ingested, kept in a temporary SQLite file so memory stays flat.

A 5M-row file would need hundreds of MB for a Python set of its keys; an on-disk B-tree needs a few MB of cache.
"""

from __future__ import annotations

import sqlite3
import tempfile
from pathlib import Path
from types import TracebackType


class SeenKeys:
    def __init__(self) -> None:
        self._dir = tempfile.TemporaryDirectory(prefix="palermo-ingest-")
        self._db = sqlite3.connect(Path(self._dir.name) / "seen.db")
        self._db.execute("PRAGMA journal_mode=OFF")
        self._db.execute("PRAGMA synchronous=OFF")
        self._db.execute("CREATE TABLE seen (key TEXT PRIMARY KEY, line INTEGER NOT NULL) WITHOUT ROWID")

    def first_lines(self, keys: list[str]) -> dict[str, int]:
        """For keys seen in earlier batches: the line where each was first seen."""
        found: dict[str, int] = {}
        for start in range(0, len(keys), 500):
            chunk = keys[start : start + 500]
            marks = ",".join("?" * len(chunk))
            found.update(self._db.execute(f"SELECT key, line FROM seen WHERE key IN ({marks})", chunk).fetchall())
        return found

    def add(self, items: list[tuple[str, int]]) -> None:
        self._db.executemany("INSERT OR IGNORE INTO seen (key, line) VALUES (?, ?)", items)

    def __enter__(self) -> SeenKeys:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self._db.close()
        self._dir.cleanup()
