"""``ingest_file``: the whole ingest of one file into one source, batch by batch.

Each batch is validated, de-duplicated against earlier lines, resolved and upserted in one transaction together with
the run's counters, so a process killed mid-file leaves whole batches only, and the run row says how far it got.
Re-running the file completes it without duplicates: rows already written are found unchanged.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from sqlalchemy import Engine, update

from palermo.db.engine import transaction
from palermo.db.reference import IngestRun
from palermo.errors import InvalidInput
from palermo.ingest import readers
from palermo.ingest.kinds import KINDS, KindSpec
from palermo.ingest.rejects import RejectsWriter
from palermo.ingest.seen import SeenKeys
from palermo.ingest.sources import SourceDefaults, get_source
from palermo.ingest.upsert import Item, Rejection, provenance, resolve_references, write_batch
from palermo.logs import get_logger

log = get_logger(__name__)
Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class IngestOptions:
    kind: str
    source: str
    file_format: str | None = None
    encoding: str = "auto"
    ignore_unknown_columns: bool = False
    batch_size: int = 2000
    max_field_length: int = 10_000
    rejects_path: Path | None = None


@dataclass
class IngestSummary:
    run_id: int
    path: Path
    source: str
    kind: str
    read: int = 0
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0
    rejects_path: Path | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "run_id": self.run_id,
            "path": str(self.path),
            "source": self.source,
            "kind": self.kind,
            "read": self.read,
            "inserted": self.inserted,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "rejected": self.rejected,
            "rejects_path": None if self.rejects_path is None else str(self.rejects_path),
        }


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _raw_rows(
    path: Path, options: IngestOptions, spec: KindSpec, state: readers.ReadState
) -> Iterator[readers.RawRow | readers.BadLine]:
    file_format = readers.detect_format(path, options.file_format)
    fields = spec.model.model_fields
    known = set(fields)
    required = {name for name, info in fields.items() if info.is_required()}
    if file_format == "jsonl":
        return readers.read_jsonl(path, readers.detect_encoding(path, options.encoding), state)
    if file_format == "csv":
        header, rows = next(readers.read_csv(path, readers.detect_encoding(path, options.encoding), state))
    else:
        header, rows = next(readers.read_parquet(path, state, options.batch_size))
    readers.check_columns(path, header, known | {"names"}, required, options.ignore_unknown_columns)
    if options.ignore_unknown_columns:
        return (_only_known(r, known) for r in rows)
    return rows


def _only_known(row: readers.RawRow | readers.BadLine, known: set[str]) -> readers.RawRow | readers.BadLine:
    if isinstance(row, readers.RawRow):
        return readers.RawRow(row.line, {k: v for k, v in row.fields.items() if k in known})
    return row


def _clean(fields: dict[str, Any]) -> dict[str, Any]:
    """Empty strings are absent values (CSV has no null)."""
    return {k: v for k, v in fields.items() if not (isinstance(v, str) and not v.strip())}


def _validate(raw: readers.RawRow, spec: KindSpec, context: dict[str, Any], max_length: int) -> Item | Rejection:
    for name, value in raw.fields.items():
        if isinstance(value, str) and len(value) > max_length:
            return Rejection(
                raw.line, name, f"value is {len(value)} characters long, the limit is {max_length}", raw.fields
            )
    try:
        row = spec.model.model_validate(_clean(raw.fields), context=context)
        built = spec.build(row)
    except ValidationError as exc:
        first = exc.errors()[0]
        field = ".".join(str(p) for p in first["loc"]) or None
        reason = first["msg"].removeprefix("Value error, ")
        more = len(exc.errors()) - 1
        return Rejection(raw.line, field, reason + (f" (and {more} more problem(s))" if more else ""), raw.fields)
    return Item(raw.line, row, raw.fields, built)


def _provenance_or_reject(item: Item, source: SourceDefaults) -> Item | Rejection:
    try:
        item.built.values.update(provenance(item.row, source))
    except ValueError as exc:
        return Rejection(item.line, "handling", str(exc), item.raw)
    return item


class _Run:
    """One ingest run: the batch loop and its bookkeeping."""

    def __init__(
        self,
        engine: Engine,
        spec: KindSpec,
        source: SourceDefaults,
        options: IngestOptions,
        summary: IngestSummary,
        rejects: RejectsWriter,
        seen: SeenKeys,
    ) -> None:
        self.engine, self.spec, self.source, self.options = engine, spec, source, options
        self.summary, self.rejects, self.seen = summary, rejects, seen
        self.context = {"phone_region": source.phone_region}

    def batch(self, raws: list[readers.RawRow | readers.BadLine]) -> None:
        items: list[Item] = []
        rejected: list[Rejection] = []
        for raw in raws:
            if isinstance(raw, readers.BadLine):
                rejected.append(Rejection(raw.line, raw.field, raw.reason, raw.raw))
                continue
            checked = _validate(raw, self.spec, self.context, self.options.max_field_length)
            if isinstance(checked, Item):
                checked = _provenance_or_reject(checked, self.source)
            (items if isinstance(checked, Item) else rejected).append(checked)  # type: ignore[arg-type]
        items = self._drop_duplicates(items, rejected)
        with self.engine.begin() as conn:
            items, unresolved = resolve_references(conn, items, self.source)
            rejected.extend(unresolved)
            result, refused = write_batch(conn, self.spec, items, self.source, self.summary.run_id)
            rejected.extend(refused)
            s = self.summary
            s.read += len(raws)
            s.inserted += result.inserted
            s.updated += result.updated
            s.unchanged += result.unchanged
            s.rejected += len(rejected)
            conn.execute(
                update(IngestRun)
                .where(IngestRun.id == s.run_id)
                .values(
                    rows_read=s.read, inserted=s.inserted, updated=s.updated, unchanged=s.unchanged, rejected=s.rejected
                )
            )
        for rejection in sorted(rejected, key=lambda r: r.line):
            self.rejects.write(rejection.line, rejection.reason, rejection.raw, rejection.field)
        self.rejects.flush()

    def _drop_duplicates(self, items: list[Item], rejected: list[Rejection]) -> list[Item]:
        earlier = self.seen.first_lines([item.row.source_key for item in items])
        kept: list[Item] = []
        for item in items:
            key = item.row.source_key
            first = earlier.get(key)
            if first is not None:
                rejected.append(
                    Rejection(
                        item.line, "source_key", f"duplicate source_key {key!r}: first seen on line {first}", item.raw
                    )
                )
                continue
            earlier[key] = item.line
            kept.append(item)
        self.seen.add([(item.row.source_key, item.line) for item in kept])
        return kept


def ingest_file(
    engine: Engine, path: Path, options: IngestOptions, *, actor: str, progress: Progress | None = None
) -> IngestSummary:
    """Ingest ``path`` as records of ``options.kind`` into source ``options.source``."""
    spec = KINDS.get(options.kind)
    if spec is None:
        raise InvalidInput(f"unknown kind {options.kind!r}; expected one of: {', '.join(sorted(KINDS))}")
    if not path.is_file():
        raise InvalidInput(f"{path} is not a file")
    with transaction(engine) as session:
        source = get_source(session, options.source)
    state = readers.ReadState(total_bytes=path.stat().st_size)
    rows = _raw_rows(path, options, spec, state)  # file-level problems raise here, before anything is written
    with transaction(engine) as session:
        run = IngestRun(
            source_id=source.id, kind=options.kind, path=str(path.resolve()), actor=actor, file_sha256=_sha256(path)
        )
        session.add(run)
        session.flush()
        run_id = run.id
    rejects_path = options.rejects_path or path.with_name(path.name + ".rejects.jsonl")
    summary = IngestSummary(run_id=run_id, path=path, source=source.name, kind=options.kind)
    log.info("ingest_started", run_id=run_id, path=str(path), source=source.name, kind=options.kind)
    try:
        with RejectsWriter(rejects_path) as rejects, SeenKeys() as seen:
            run_loop = _Run(engine, spec, source, options, summary, rejects, seen)
            pending: list[readers.RawRow | readers.BadLine] = []
            for raw in rows:
                pending.append(raw)
                if len(pending) >= options.batch_size:
                    run_loop.batch(pending)
                    pending = []
                    if progress is not None:
                        progress(state.position, state.total_bytes)
            if pending:
                run_loop.batch(pending)
            summary.rejects_path = rejects_path if rejects.count else None
    except BaseException as exc:
        _finish(engine, run_id, "failed", f"{type(exc).__name__}: {exc}")
        raise
    if progress is not None:
        progress(state.total_bytes, state.total_bytes)
    _finish(engine, run_id, "completed", None)
    log.info("ingest_finished", **summary.as_dict())
    return summary


def _finish(engine: Engine, run_id: int, status: str, message: str | None) -> None:
    with engine.begin() as conn:
        conn.execute(
            update(IngestRun)
            .where(IngestRun.id == run_id)
            .values(status=status, finished_at=dt.datetime.now(dt.UTC), message=message)
        )
