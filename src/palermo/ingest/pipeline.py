"""``ingest_file``: the whole ingest of one file into one source, batch by batch.

Each batch is validated, de-duplicated against earlier lines, resolved and upserted in one transaction together with
the run's counters, so a process killed mid-file leaves whole batches only, and the run row says how far it got.
Re-running the file completes it without duplicates: rows already written are found unchanged.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import multiprocessing
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, update
from sqlalchemy.orm import Session

from palermo.audit import AuditEvent, ObjectRef, append
from palermo.auth.access import guard
from palermo.auth.actor import Actor
from palermo.db.engine import transaction
from palermo.db.reference import IngestRun
from palermo.errors import InvalidInput
from palermo.ingest import readers
from palermo.ingest.kinds import KINDS, KindSpec
from palermo.ingest.prepare import Item, PrepareContext, Rejection, Wire, from_wire, prepare_batch, prepare_wire
from palermo.ingest.rejects import RejectsWriter
from palermo.ingest.runs import mark_interrupted_runs, this_process
from palermo.ingest.seen import SeenKeys
from palermo.ingest.sources import SourceDefaults, get_source
from palermo.ingest.upsert import resolve_references, write_batch
from palermo.logs import get_logger

log = get_logger(__name__)
Progress = Callable[[int, int], None]
PARALLEL_MIN_BYTES = 4 << 20  # below this, starting a worker costs more than it saves


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
    workers: int = 1
    parallel_min_bytes: int = PARALLEL_MIN_BYTES


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
    interrupted: list[str] = field(default_factory=list)  # earlier runs found dead and marked, as messages

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
            "interrupted": self.interrupted,
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
    readers.check_columns(path, header, known, required, options.ignore_unknown_columns)
    if options.ignore_unknown_columns:
        return (_only_known(r, known) for r in rows)
    return rows


def _only_known(row: readers.RawRow | readers.BadLine, known: set[str]) -> readers.RawRow | readers.BadLine:
    if isinstance(row, readers.RawRow):
        return readers.RawRow(row.line, {k: v for k, v in row.fields.items() if k in known})
    return row


class _Run:
    """One ingest run: de-duplicate, resolve and write prepared batches, and keep the books."""

    def __init__(
        self,
        engine: Engine,
        spec: KindSpec,
        source: SourceDefaults,
        summary: IngestSummary,
        rejects: RejectsWriter,
        seen: SeenKeys,
        actor: str,
        agency: str,
    ) -> None:
        self.engine, self.spec, self.source = engine, spec, source
        self.summary, self.rejects, self.seen = summary, rejects, seen
        self.actor, self.agency = actor, agency

    def write(self, read: int, items: list[Item], rejected: list[Rejection]) -> None:
        items = self._drop_duplicates(items, rejected)
        with self.engine.begin() as conn:
            items, unresolved = resolve_references(conn, items, self.source)
            rejected.extend(unresolved)
            result, refused = write_batch(conn, self.spec, items, self.source, self.summary.run_id)
            rejected.extend(refused)
            s = self.summary
            s.read += read
            s.inserted += result.inserted
            s.updated += result.updated
            s.unchanged += result.unchanged
            s.rejected += len(rejected)
            self._audit(conn, result.inserted + result.updated)
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

    def _audit(self, conn: Connection, written: int) -> None:
        """A ``collection`` entry for the records this batch wrote, in the batch's own transaction."""
        if written == 0:
            return
        with Session(bind=conn, join_transaction_mode="create_savepoint") as session:
            append(
                session,
                AuditEvent(
                    actor=self.actor,
                    agency=self.agency,
                    action="collection",
                    objects=(
                        ObjectRef(type="ingest_runs", id=str(self.summary.run_id)),
                        ObjectRef(type="sources", id=self.source.name),
                    ),
                    result_count=written,
                    details={"kind": self.spec.table.name, "path": str(self.summary.path)},
                ),
            )
            session.commit()  # releases the savepoint only; the batch's transaction commits everything together

    def _drop_duplicates(self, items: list[Item], rejected: list[Rejection]) -> list[Item]:
        earlier = self.seen.first_lines([item.key for item in items])
        kept: list[Item] = []
        for item in items:
            first = earlier.get(item.key)
            if first is not None:
                reason = f"duplicate source_key {item.key!r}: first seen on line {first}"
                rejected.append(Rejection(item.line, "source_key", reason, item.raw))
                continue
            earlier[item.key] = item.line
            kept.append(item)
        self.seen.add([(item.key, item.line) for item in kept])
        return kept


Batch = list[readers.RawRow | readers.BadLine]


def _batches(rows: Iterator[readers.RawRow | readers.BadLine], size: int) -> Iterator[Batch]:
    pending: Batch = []
    for raw in rows:
        pending.append(raw)
        if len(pending) >= size:
            yield pending
            pending = []
    if pending:
        yield pending


def _prepared(
    batches: Iterator[Batch], context: PrepareContext, workers: int
) -> Iterator[tuple[int, list[Item], list[Rejection]]]:
    """Prepared batches in file order: in-process, or in a worker while the caller writes the previous batch.

    At most ``workers + 1`` batches are in flight, so memory stays flat whatever the file size.
    """
    if workers <= 0:
        for batch in batches:
            yield len(batch), *prepare_batch(batch, context)
        return
    with ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn")) as pool:
        in_flight: deque[tuple[Batch, Future[tuple[list[Wire], list[Wire]]]]] = deque()

        def unpack(
            batch: Batch, future: Future[tuple[list[Wire], list[Wire]]]
        ) -> tuple[int, list[Item], list[Rejection]]:
            items, rejected = future.result()
            return len(batch), [from_wire(w, batch) for w in items], [Rejection(*w) for w in rejected]

        try:
            for batch in batches:
                wire = [
                    (r.line, r.fields) if isinstance(r, readers.RawRow) else (r.line, r.field, r.reason, r.raw)
                    for r in batch
                ]
                in_flight.append((batch, pool.submit(prepare_wire, wire, context)))
                if len(in_flight) > workers:
                    yield unpack(*in_flight.popleft())
            while in_flight:
                yield unpack(*in_flight.popleft())
        finally:
            for _, future in in_flight:
                future.cancel()


def ingest_file(
    engine: Engine,
    path: Path,
    options: IngestOptions,
    *,
    actor: str,
    agency: str | None = None,
    progress: Progress | None = None,
) -> IngestSummary:
    """Ingest ``path`` as records of ``options.kind`` into source ``options.source``.

    Each batch that writes records appends a ``collection`` entry to the audit log in its own transaction,
    attributed to ``actor`` of ``agency`` (default: the source's agency). Permission checks happen in
    :func:`ingest_as`, the entry point for a known :class:`~palermo.auth.actor.Actor`.
    """
    spec = KINDS.get(options.kind)
    if spec is None:
        raise InvalidInput(f"unknown kind {options.kind!r}; expected one of: {', '.join(sorted(KINDS))}")
    if not path.is_file():
        raise InvalidInput(f"{path} is not a file")
    with transaction(engine) as session:
        source = get_source(session, options.source)
    state = readers.ReadState(total_bytes=path.stat().st_size)
    rows = _raw_rows(path, options, spec, state)  # file-level problems raise here, before anything is written
    interrupted = [run.message() for run in mark_interrupted_runs(engine)]
    host, pid = this_process()
    with transaction(engine) as session:
        run = IngestRun(
            source_id=source.id,
            kind=options.kind,
            path=str(path.resolve()),
            actor=actor,
            file_sha256=_sha256(path),
            host=host,
            pid=pid,
        )
        session.add(run)
        session.flush()
        run_id = run.id
    rejects_path = options.rejects_path or path.with_name(path.name + ".rejects.jsonl")
    summary = IngestSummary(run_id=run_id, path=path, source=source.name, kind=options.kind, interrupted=interrupted)
    log.info("ingest_started", run_id=run_id, path=str(path), source=source.name, kind=options.kind)
    context = PrepareContext(kind=options.kind, source=source, max_field_length=options.max_field_length)
    workers = options.workers if state.total_bytes >= options.parallel_min_bytes else 0
    try:
        with RejectsWriter(rejects_path) as rejects, SeenKeys() as seen:
            run_loop = _Run(engine, spec, source, summary, rejects, seen, actor, agency or source.agency_code)
            for read, items, rejected in _prepared(_batches(rows, options.batch_size), context, workers):
                run_loop.write(read, items, rejected)
                if progress is not None:
                    progress(state.position, state.total_bytes)
            summary.rejects_path = rejects_path if rejects.count else None
    except BaseException as exc:
        _finish(engine, run_id, "failed", f"{type(exc).__name__}: {exc}")
        raise
    if progress is not None:
        progress(state.total_bytes, state.total_bytes)
    _finish(engine, run_id, "completed", None)
    log.info("ingest_finished", **summary.as_dict())
    return summary


def ingest_as(
    engine: Engine, path: Path, options: IngestOptions, actor: Actor, progress: Progress | None = None
) -> IngestSummary:
    """:func:`ingest_file` for an actor who must hold ``ingest.write`` (checked and logged first)."""
    with transaction(engine) as session:
        guard(session, actor, "ingest.write", subject=f"sources:{options.source}")
    return ingest_file(engine, path, options, actor=actor.name, agency=actor.agency_code, progress=progress)


def _finish(engine: Engine, run_id: int, status: str, message: str | None) -> None:
    with engine.begin() as conn:
        conn.execute(
            update(IngestRun)
            .where(IngestRun.id == run_id)
            .values(status=status, finished_at=dt.datetime.now(dt.UTC), message=message)
        )
