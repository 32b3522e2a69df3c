"""The rejects file: one JSON object per rejected row, with line number, field, reason and the raw row."""

from __future__ import annotations

import json
from pathlib import Path
from types import TracebackType
from typing import Any, TextIO

from palermo.ingest.readers import printable


class RejectsWriter:
    """Writes ``PATH.rejects.jsonl`` afresh on each run; removes it at the end when nothing was rejected."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.count = 0
        self._handle: TextIO | None = None

    def __enter__(self) -> RejectsWriter:
        self.path.unlink(missing_ok=True)
        return self

    def write(self, line: int, reason: str, raw: Any, field: str | None = None) -> None:
        if self._handle is None:
            self._handle = self.path.open("w", encoding="utf-8")
        record = {"line": line, "field": field, "reason": reason, "row": printable(raw)}
        self._handle.write(json.dumps(record, ensure_ascii=False, default=str) + "\n")
        self.count += 1

    def flush(self) -> None:
        if self._handle is not None:
            self._handle.flush()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if self._handle is not None:
            self._handle.close()
