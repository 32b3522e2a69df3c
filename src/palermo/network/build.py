"""Build the link graph's edges: a full rebuild, or an incremental build over the records written since the last.

A full build replaces every edge. An incremental build re-reads only the records of the edge tables written since
the previous build began (less :data:`CLOCK_MARGIN`, for transactions that were in flight then), removes their old
edges and writes their new ones; re-reading a record twice changes nothing. A record deleted since the last build
keeps its edges until the next full build, and so does a person record that became special category after its
crossings were read (the crossings are not rewritten): run a full build after deletions and re-gradings.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Iterable
from typing import Literal, cast

from pydantic import BaseModel, ConfigDict
from sqlalchemy import Table, delete, func, select
from sqlalchemy.orm import Session

from palermo.audit.access_log import note_results
from palermo.auth.access import guard
from palermo.auth.actor import Actor
from palermo.db.network import NetworkBuild, NetworkEdge
from palermo.logs import get_logger
from palermo.network.edges import EdgeRow, changed_records, record_edges

log = get_logger(__name__)

CLOCK_MARGIN = dt.timedelta(minutes=1)
WRITE_BATCH = 10_000
DELETE_BATCH = 500
_edges = cast(Table, NetworkEdge.__table__)

BuildKind = Literal["full", "incremental"]


class BuildSummary(BaseModel):
    """What one build did: records read, edges written and removed, and how long it took."""

    model_config = ConfigDict(frozen=True)

    build_id: int
    kind: BuildKind
    since: dt.datetime | None
    records_read: int
    edges_written: int
    edges_removed: int
    edges_total: int
    seconds: float


_COLUMNS = (*EdgeRow._fields, "build_id")


def _insert(session: Session, rows: list[tuple[object, ...]]) -> None:
    """Insert edge tuples (in :data:`_COLUMNS` order) the fastest way the store offers: PostgreSQL's COPY, else the
    driver's executemany (SQLAlchemy's per-row parameter handling cost more than SQLite's own insert)."""
    connection = session.connection()
    if connection.dialect.name == "postgresql":
        raw = connection.connection.driver_connection
        with raw.cursor() as cursor, cursor.copy(f"COPY network_edges ({', '.join(_COLUMNS)}) FROM STDIN") as copy:  # type: ignore[union-attr]
            for row in rows:
                copy.write_row(row)
        return
    marks = ", ".join("?" for _ in _COLUMNS)
    connection.exec_driver_sql(f"INSERT INTO network_edges ({', '.join(_COLUMNS)}) VALUES ({marks})", rows)


def _write(session: Session, edges: Iterable[EdgeRow], build_id: int) -> tuple[int, int]:
    """Insert ``edges`` in batches; the number of edges and of distinct records they came from."""
    written, records = 0, set()
    batch: list[tuple[object, ...]] = []
    for edge in edges:
        batch.append((*edge, build_id))
        records.add((edge.record_table, edge.record_id))
        if len(batch) >= WRITE_BATCH:
            _insert(session, batch)
            written, batch = written + len(batch), []
    if batch:
        _insert(session, batch)
        written += len(batch)
    return written, len(records)


def _remove(session: Session, changed: dict[str, list[int]]) -> int:
    removed = 0
    for table, ids in changed.items():
        for start in range(0, len(ids), DELETE_BATCH):
            chunk = ids[start : start + DELETE_BATCH]
            result = session.execute(
                delete(_edges).where(_edges.c.record_table == table, _edges.c.record_id.in_(chunk))
            )
            removed += result.rowcount or 0  # type: ignore[attr-defined]
    return removed


def last_build(session: Session) -> NetworkBuild | None:
    """The newest finished build, or ``None``."""
    return session.scalars(
        select(NetworkBuild).where(NetworkBuild.finished_at.is_not(None)).order_by(NetworkBuild.id.desc()).limit(1)
    ).first()


def build_network(session: Session, actor: Actor, *, full: bool = False) -> BuildSummary:
    """Build the graph's edges (``network.build``): incrementally when a build was done before, unless ``full``."""
    access = guard(session, actor, "network.build", subject="network_edges")
    started = time.perf_counter()
    previous = None if full else last_build(session)
    kind: BuildKind = "full" if previous is None else "incremental"
    build = NetworkBuild(kind=kind, actor=actor.name, records_read=0, edges_written=0, edges_removed=0)
    session.add(build)
    session.flush()
    since = None
    if previous is None:
        removed = session.execute(delete(_edges)).rowcount or 0  # type: ignore[attr-defined]
    else:
        since = previous.started_at.replace(tzinfo=previous.started_at.tzinfo or dt.UTC) - CLOCK_MARGIN
        removed = _remove(session, changed_records(session, since))
    written, records = _write(session, record_edges(session, since), build.id)
    build.records_read, build.edges_written, build.edges_removed = records, written, removed
    build.seconds = round(time.perf_counter() - started, 3)
    build.finished_at = dt.datetime.now(dt.UTC)
    session.flush()
    total = edge_count(session)
    note_results(session, access, written)
    log.info("network_build", kind=kind, records=records, written=written, removed=removed, seconds=build.seconds)
    return BuildSummary(
        build_id=build.id,
        kind=kind,
        since=since,
        records_read=records,
        edges_written=written,
        edges_removed=removed,
        edges_total=total,
        seconds=build.seconds,
    )


def edge_count(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(_edges)) or 0
