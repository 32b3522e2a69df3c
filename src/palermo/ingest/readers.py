"""Streaming readers for CSV, JSON Lines and Parquet: one raw row at a time, in flat memory.

A reader yields :class:`RawRow` objects (line number, field dict) or :class:`BadLine` objects for input it could
not turn into fields at all (bad JSON, a truncated last line, bytes that are not valid in the file's encoding).
Problems with the file as a whole (empty, wrong encoding, missing or unknown columns) raise :class:`InvalidInput`
before any row is written.
"""

from __future__ import annotations

import codecs
import csv
import difflib
import io
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO, Literal

import orjson

from palermo.errors import InvalidInput

FileFormat = Literal["csv", "jsonl", "parquet"]
SNIFF_BYTES = 1 << 20
CSV_FIELD_LIMIT = 64 << 20  # the csv module's own limit is 128 KiB; long fields are rejected per row instead


@dataclass(frozen=True)
class RawRow:
    line: int
    fields: dict[str, Any]


@dataclass(frozen=True)
class BadLine:
    line: int
    reason: str
    raw: Any
    field: str | None = None


@dataclass
class ReadState:
    """Progress of a reader: bytes consumed of the file's total size."""

    total_bytes: int
    position: int = 0
    notes: list[str] = field(default_factory=list)


def detect_format(path: Path, declared: str | None) -> FileFormat:
    name = (declared or path.suffix.lstrip(".")).lower()
    aliases: dict[str, FileFormat] = {"csv": "csv", "jsonl": "jsonl", "ndjson": "jsonl", "parquet": "parquet"}
    if name not in aliases:
        raise InvalidInput(f"{path}: cannot tell the file format from {name!r}; use --format csv, jsonl or parquet")
    return aliases[name]


def detect_encoding(path: Path, declared: str) -> str:
    """The text encoding to read ``path`` with. ``auto``: BOM if any, else UTF-8 if the start decodes as UTF-8."""
    with path.open("rb") as handle:
        head = handle.read(SNIFF_BYTES)
    if not head:
        raise InvalidInput(f"{path} is empty: expected a header line and at least one row")
    if declared != "auto":
        try:
            codecs.lookup(declared)
        except LookupError:
            raise InvalidInput(f"unknown encoding {declared!r}") from None
        return declared
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start < len(head) - 4:  # not just a character cut at the sniff boundary
            line = head[: exc.start].count(b"\n") + 1
            raise InvalidInput(
                f"{path} is not UTF-8: byte 0x{head[exc.start]:02X} on line {line} is invalid. If the file is "
                "Latin-1 / Windows-1252, re-run with --encoding cp1252; nothing was ingested",
                line=line,
            ) from None
    return "utf-8"


def _label(encoding: str) -> str:
    return {"utf-8": "UTF-8", "utf-8-sig": "UTF-8", "utf-16": "UTF-16"}.get(encoding, encoding)


_SURROGATE = re.compile("[\udc80-\udcff]")


def _surrogate_problem(values: dict[str, Any]) -> str | None:
    """Bytes that were invalid in the file's encoding are carried as surrogates; name the field that has them."""
    for name, value in values.items():
        if isinstance(value, str) and not value.isascii() and _SURROGATE.search(value):
            return name
    return None


def printable(value: Any) -> Any:
    """A raw value made safe to write to JSON: undecodable bytes shown as \\xNN escapes."""
    if isinstance(value, str):
        return value.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    if isinstance(value, dict):
        return {k: printable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [printable(v) for v in value]
    return value


class _CountingReader(io.RawIOBase):
    """Wraps a binary file and records how many bytes were read, for the progress bar."""

    def __init__(self, raw: BinaryIO, state: ReadState) -> None:
        self._raw = raw
        self._state = state

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        data = self._raw.read(len(buffer))
        buffer[: len(data)] = data
        self._state.position += len(data)
        return len(data)


def _text_stream(path: Path, encoding: str, state: ReadState) -> io.TextIOWrapper:
    binary = io.BufferedReader(_CountingReader(path.open("rb"), state), buffer_size=1 << 16)
    return io.TextIOWrapper(binary, encoding=encoding, errors="surrogateescape", newline="")


def check_columns(path: Path, columns: list[str], known: set[str], required: set[str], ignore_unknown: bool) -> None:
    """Refuse a file whose header lacks required columns or has columns the format does not know."""
    duplicates = sorted({c for c in columns if columns.count(c) > 1})
    if duplicates:
        raise InvalidInput(f"{path}: column(s) {', '.join(duplicates)} appear more than once in the header")
    missing = sorted(required - set(columns))
    if missing:
        raise InvalidInput(f"{path}: missing required column(s): {', '.join(missing)}; nothing was ingested")
    unknown = [c for c in columns if c not in known]
    if unknown and not ignore_unknown:
        hints = []
        for column in unknown:
            close = difflib.get_close_matches(column, sorted(known), n=1)
            hints.append(f"{column!r}" + (f" (did you mean {close[0]!r}?)" if close else ""))
        raise InvalidInput(
            f"{path}: unknown column(s) {', '.join(hints)}; see docs/formats.md, or pass --ignore-unknown-columns "
            "to skip them; nothing was ingested"
        )


def read_csv(path: Path, encoding: str, state: ReadState) -> Iterator[tuple[list[str], Iterator[RawRow | BadLine]]]:
    """Yield the header once, then the rows (a generator of generators keeps the header check before any row)."""
    csv.field_size_limit(CSV_FIELD_LIMIT)
    stream = _text_stream(path, encoding, state)
    reader = csv.reader(stream, strict=True)
    try:
        header = next(reader)
    except StopIteration:
        stream.close()
        raise InvalidInput(f"{path} is empty: expected a header line and at least one row") from None
    header = [h.strip() for h in header]
    if header and header[0].startswith("\ufeff"):
        header[0] = header[0].removeprefix("\ufeff")

    def rows() -> Iterator[RawRow | BadLine]:
        with stream:
            line = reader.line_num
            while True:
                start = line + 1
                try:
                    values = next(reader)
                except StopIteration:
                    return
                except csv.Error as exc:
                    yield BadLine(start, f"unreadable CSV from line {start} to the end of the file: {exc}", "")
                    return
                line = reader.line_num
                if not values or values == [""]:
                    continue
                if len(values) != len(header):
                    yield BadLine(
                        start,
                        f"row has {len(values)} fields, the header has {len(header)}"
                        + (" (truncated line?)" if len(values) < len(header) else ""),
                        printable(",".join(values)),
                    )
                    continue
                fields = dict(zip(header, values, strict=True))
                bad = _surrogate_problem(fields)
                if bad is not None:
                    yield BadLine(start, f"field has bytes that are not valid {_label(encoding)} text", fields, bad)
                    continue
                yield RawRow(start, fields)

    yield header, rows()


def _json_line(text: str) -> Any:
    """A JSON line's value: orjson (several times faster), the standard library for what orjson refuses and the
    standard library accepts (``NaN``, integers beyond 64 bits, lone surrogate escapes) and for its error message."""
    try:
        return orjson.loads(text)
    except orjson.JSONDecodeError:
        return json.loads(text)


def read_jsonl(path: Path, encoding: str, state: ReadState) -> Iterator[RawRow | BadLine]:
    with _text_stream(path, encoding, state) as stream:
        for number, text in enumerate(stream, start=1):
            stripped = text.strip()
            if not stripped:
                continue
            if not stripped.isascii() and _SURROGATE.search(stripped):
                yield BadLine(number, f"line has bytes that are not valid {_label(encoding)} text", stripped)
                continue
            try:
                value = _json_line(stripped)
            except json.JSONDecodeError as exc:
                hint = " (truncated last line?)" if not text.endswith("\n") else ""
                yield BadLine(number, f"not valid JSON: {exc.msg} at column {exc.colno}{hint}", stripped)
                continue
            if not isinstance(value, dict):
                yield BadLine(number, f"expected a JSON object, got {type(value).__name__}", stripped)
                continue
            yield RawRow(number, value)


def read_parquet(path: Path, state: ReadState, batch_rows: int) -> Iterator[tuple[list[str], Iterator[RawRow]]]:
    import pyarrow.parquet as pq  # heavy; only when a Parquet file is read

    try:
        parquet = pq.ParquetFile(path)
    except Exception as exc:  # pyarrow raises several unrelated types for damaged files
        raise InvalidInput(f"{path} is not a readable Parquet file: {exc}") from None
    columns = list(parquet.schema_arrow.names)

    def rows() -> Iterator[RawRow]:
        line = 0
        for group in range(parquet.num_row_groups):
            table = parquet.read_row_group(group)
            state.position = int(state.total_bytes * (group + 1) / max(parquet.num_row_groups, 1))
            for batch in table.to_batches(max_chunksize=batch_rows):
                for record in batch.to_pylist():
                    line += 1
                    yield RawRow(line, {k: v for k, v in record.items() if v is not None})

    yield columns, rows()
