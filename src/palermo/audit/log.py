"""Appending to the audit log inside the caller's transaction, and reading it back in sequence order.

:func:`append` takes the next sequence number with ``UPDATE audit_log_state SET next_seq = next_seq + 1 ...
RETURNING``: on PostgreSQL the update locks the counter row until the caller's transaction ends, so appends
serialise and sequence numbers are dense and committed in order; on SQLite the update starts the write transaction,
which serialises writers the same way. A rolled-back transaction gives its number back. Appending never touches the
tree: roots are computed when a tree head is signed. :func:`append_many` appends several entries with one counter
update and one insert (:mod:`palermo.audit.group_commit` commits many requests' entries that way).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any, cast

from sqlalchemy import Integer, Table, bindparam, insert, select, update
from sqlalchemy.orm import Session

from palermo.audit.entries import AuditEvent, build_record, event_record, record_leaf_hash
from palermo.db.audit import AuditEntry, AuditLogState
from palermo.errors import StoreError

STREAM_BATCH = 5000
_state = cast(Table, AuditLogState.__table__)
_entries = cast(Table, AuditEntry.__table__)
# Built once: building a statement and its cache key cost every append more than running it.
_TAKE_SEQS = (
    update(_state)
    .where(_state.c.id == 1)
    .values(next_seq=_state.c.next_seq + bindparam("count", type_=Integer))
    .returning(_state.c.next_seq)
)
_INSERT_ENTRIES = insert(_entries)


def _take_seqs(session: Session, count: int) -> int:
    """Take ``count`` consecutive sequence numbers; returns the first."""
    taken = session.execute(_TAKE_SEQS, {"count": count}).scalar_one_or_none()
    if taken is None:
        raise StoreError("the audit log counter row is missing; the store was not migrated with `palermo db upgrade`")
    return int(taken) - count


def _values(event: AuditEvent, seq: int, logged_at: dt.datetime) -> dict[str, Any]:
    record = event_record(event, seq, logged_at)
    return {
        "seq": seq,
        "logged_at": logged_at,
        "actor": event.actor,
        "agency": event.agency,
        "action": event.action,
        "objects": record["objects"],
        "justification": event.justification,
        "result_count": event.result_count,
        "client_address": event.client_address,
        "details": event.details,
        "leaf_hash": record_leaf_hash(record),
    }


def append(session: Session, event: AuditEvent, *, at: dt.datetime | None = None) -> AuditEntry:
    """Log ``event`` in the caller's transaction (it commits or rolls back with the change it describes).

    Returns the entry as written (not attached to the session).
    """
    seq = _take_seqs(session, 1)
    logged_at = at.astimezone(dt.UTC) if at is not None else dt.datetime.now(dt.UTC)
    values = _values(event, seq, logged_at)
    session.execute(_INSERT_ENTRIES, values)  # one statement, not the unit of work: every request appends
    return AuditEntry(**values)


def append_many(session: Session, events: list[AuditEvent]) -> None:
    """Log ``events`` in the caller's transaction, in this order, with one counter update and one insert."""
    if not events:
        return
    first = _take_seqs(session, len(events))
    logged_at = dt.datetime.now(dt.UTC)
    rows = [_values(event, first + n, logged_at) for n, event in enumerate(events)]
    session.execute(_INSERT_ENTRIES, rows)


def log_size(session: Session) -> int:
    """Entries appended and committed so far (the counter)."""
    size = session.execute(select(_state.c.next_seq).where(_state.c.id == 1)).scalar_one_or_none()
    if size is None:
        raise StoreError("the audit log counter row is missing; the store was not migrated with `palermo db upgrade`")
    return int(size)


RECORD_COLUMNS = (
    _entries.c.seq,
    _entries.c.logged_at,
    _entries.c.actor,
    _entries.c.agency,
    _entries.c.action,
    _entries.c.objects,
    _entries.c.justification,
    _entries.c.result_count,
    _entries.c.client_address,
    _entries.c.details,
    _entries.c.leaf_hash,
)


def stream_rows(session: Session, start: int = 0, end: int | None = None) -> Iterator[Any]:
    """Entry rows with ``start <= seq < end`` in sequence order, fetched in batches (bounded memory)."""
    statement = select(*RECORD_COLUMNS).where(_entries.c.seq >= start).order_by(_entries.c.seq)
    if end is not None:
        statement = statement.where(_entries.c.seq < end)
    result = session.execute(statement.execution_options(yield_per=STREAM_BATCH))
    yield from result


def row_record(row: Any) -> dict[str, Any]:
    """The record of a stored row (everything but the stored leaf hash)."""
    seq, logged_at, actor, agency, action, objects, justification, result_count, client_address, details, _ = row
    return build_record(
        seq, logged_at, actor, agency, action, objects, justification, result_count, client_address, details
    )


def stored_leaf_hashes(session: Session, start: int, end: int) -> Iterator[bytes]:
    """Stored leaf hashes of ``[start, end)``; a :class:`StoreError` at the first missing entry."""
    statement = (
        select(_entries.c.seq, _entries.c.leaf_hash)
        .where(_entries.c.seq >= start, _entries.c.seq < end)
        .order_by(_entries.c.seq)
        .execution_options(yield_per=STREAM_BATCH)
    )
    expected = start
    for seq, leaf in session.execute(statement):
        if seq != expected:
            break
        yield bytes(leaf)
        expected += 1
    if expected != end:
        raise StoreError(f"audit entry {expected} is missing or duplicated; run `palermo audit verify`")


def recomputed_leaf_hashes(session: Session, start: int, end: int) -> Iterator[bytes]:
    """Leaf hashes recomputed from the stored fields of ``[start, end)``; refuses when one differs from storage."""
    expected = start
    for row in stream_rows(session, start, end):
        if row.seq != expected:
            break
        leaf = record_leaf_hash(row_record(row))
        if leaf != bytes(row.leaf_hash):
            raise StoreError(f"audit entry {expected} does not match its leaf hash; run `palermo audit verify`")
        yield leaf
        expected += 1
    if expected != end:
        raise StoreError(f"audit entry {expected} is missing or duplicated; run `palermo audit verify`")
