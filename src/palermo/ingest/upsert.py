"""Write one batch of validated rows: resolve references, then insert new keys, update changed ones, skip the rest.

A row's ``row_hash`` covers everything it writes, so a re-run of the same file finds every row unchanged and writes
nothing. A batch is one transaction; if the database refuses it (a constraint no validator foresaw), the batch is
retried row by row inside savepoints so that only the offending rows are rejected, with the database's reason.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Table, bindparam, delete, insert, select, update
from sqlalchemy.exc import IntegrityError

from palermo.db.tables import Base
from palermo.ingest.kinds import Built, KindSpec, Ref
from palermo.ingest.prepare import Item, Rejection
from palermo.ingest.sources import SourceDefaults

LOOKUP_CHUNK = 900
_NOUNS = {
    "person_records": "person",
    "organisations": "organisation",
    "identity_documents": "document",
    "border_points": "border point",
}


@dataclass
class BatchResult:
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0


def _retention_defaults(values: dict[str, Any], source: SourceDefaults, today: dt.date) -> None:
    """Review and deletion dates from the source's retention policy, counted from first ingest."""
    if values["review_at"] is None and source.review_after_days:
        values["review_at"] = today + dt.timedelta(days=source.review_after_days)
    if values["delete_at"] is None and source.delete_after_days:
        values["delete_at"] = today + dt.timedelta(days=source.delete_after_days)


def _lookup(conn: Connection, table: Table, by: str, keys: set[str], source_id: int | None) -> dict[str, int]:
    found: dict[str, int] = {}
    ordered = sorted(keys)
    for start in range(0, len(ordered), LOOKUP_CHUNK):
        query = select(table.c[by], table.c.id).where(table.c[by].in_(ordered[start : start + LOOKUP_CHUNK]))
        if source_id is not None:
            query = query.where(table.c.source_id == source_id)
        found.update({str(key): int(ident) for key, ident in conn.execute(query)})
    return found


def resolve_references(
    conn: Connection, items: list[Item], source: SourceDefaults
) -> tuple[list[Item], list[Rejection]]:
    """Fill each reference column with the referenced row's id; reject rows whose reference points at nothing."""
    wanted: dict[tuple[str, str, bool], set[str]] = defaultdict(set)
    for item in items:
        for ref in item.built.refs:
            wanted[(ref.table, ref.by, ref.same_source)].add(ref.key)
    resolved = {
        spec: _lookup(conn, Base.metadata.tables[spec[0]], spec[1], keys, source.id if spec[2] else None)
        for spec, keys in wanted.items()
    }
    kept: list[Item] = []
    rejected: list[Rejection] = []
    for item in items:
        missing = _apply_refs(item.built, item.built.refs, resolved)
        if missing is None:
            kept.append(item)
        else:
            where = f"in source {source.name!r}" if missing.same_source else "in this node"
            rejected.append(
                Rejection(
                    item.line,
                    missing.field,
                    f"{missing.field} {missing.key!r} matches no {_NOUNS.get(missing.table, missing.table)} "
                    f"{where} (by {missing.by}); ingest those records first",
                    item.raw,
                )
            )
    return kept, rejected


def _apply_refs(built: Built, refs: list[Ref], resolved: dict[tuple[str, str, bool], dict[str, int]]) -> Ref | None:
    for ref in refs:
        ident = resolved[(ref.table, ref.by, ref.same_source)].get(ref.key)
        if ident is None:
            return ref
        built.values[ref.column] = ident
    return None


def write_batch(
    conn: Connection, spec: KindSpec, items: list[Item], source: SourceDefaults, run_id: int
) -> tuple[BatchResult, list[Rejection]]:
    """Upsert ``items`` (references already resolved). Returns counts and rows the database refused."""
    try:
        with conn.begin_nested():
            return _write(conn, spec, items, source, run_id), []
    except IntegrityError:
        pass
    result = BatchResult()
    rejected: list[Rejection] = []
    for item in items:
        try:
            with conn.begin_nested():
                one = _write(conn, spec, [item], source, run_id)
        except IntegrityError as exc:
            reason = str(exc.orig).splitlines()[0] if exc.orig is not None else str(exc)
            rejected.append(Rejection(item.line, None, f"refused by the database: {reason}", item.raw))
            continue
        result.inserted += one.inserted
        result.updated += one.updated
        result.unchanged += one.unchanged
    return result, rejected


def _write(conn: Connection, spec: KindSpec, items: list[Item], source: SourceDefaults, run_id: int) -> BatchResult:
    table = spec.table
    existing = {
        key: (ident, digest)
        for key, ident, digest in conn.execute(
            select(table.c.source_key, table.c.id, table.c.row_hash).where(
                table.c.source_id == source.id, table.c.source_key.in_([i.key for i in items])
            )
        )
    }
    today = dt.date.today()
    inserts: list[tuple[dict[str, Any], Built]] = []
    updates: list[tuple[int, dict[str, Any], Built]] = []
    result = BatchResult()
    for item in items:
        values = item.built.values
        digest = _final_digest(item, spec)
        found = existing.get(item.key)
        if found is not None and found[1] == digest:
            result.unchanged += 1
            continue
        values = {**values, "row_hash": digest, "ingest_run_id": run_id}
        if found is None:
            _retention_defaults(values, source, today)
            inserts.append((values, item.built))
        else:
            if values.get("review_at") is None:
                values.pop("review_at", None)
            if values.get("delete_at") is None:
                values.pop("delete_at", None)
            updates.append((found[0], values, item.built))
    _insert(conn, spec, inserts)
    _update(conn, spec, updates)
    result.inserted = len(inserts)
    result.updated = len(updates)
    return result


def _final_digest(item: Item, spec: KindSpec) -> str:
    """The stored row hash: the prepared content digest plus the ids its references resolved to."""
    resolved = tuple(item.built.values.get(column) for column in spec.ref_columns)
    refs = tuple(item.built.values.get(ref.column) for ref in item.built.refs)
    return hashlib.blake2b(item.digest + repr((resolved, refs)).encode(), digest_size=16).hexdigest()


def _insert(conn: Connection, spec: KindSpec, rows: list[tuple[dict[str, Any], Built]]) -> None:
    if not rows:
        return
    if not spec.children:
        conn.execute(insert(spec.table), [values for values, _ in rows])
        return
    statement = insert(spec.table).returning(spec.table.c.id, sort_by_parameter_order=True)
    ids = conn.execute(statement, [values for values, _ in rows]).scalars().all()
    _insert_children(conn, spec, list(zip(ids, (built for _, built in rows), strict=True)))


def _update(conn: Connection, spec: KindSpec, rows: list[tuple[int, dict[str, Any], Built]]) -> None:
    if not rows:
        return
    by_columns: dict[tuple[str, ...], list[dict[str, Any]]] = defaultdict(list)
    for ident, values, _ in rows:
        by_columns[tuple(sorted(values))].append({**values, "b_id": ident})
    for params in by_columns.values():  # one executemany per column set; SET comes from the parameters' keys
        conn.execute(update(spec.table).where(spec.table.c.id == bindparam("b_id")), params)
    if spec.children:
        ids = [ident for ident, _, _ in rows]
        for child in spec.children:
            conn.execute(delete(child).where(child.c.person_id.in_(ids)))
        _insert_children(conn, spec, [(ident, built) for ident, _, built in rows])


def _insert_children(conn: Connection, spec: KindSpec, parents: list[tuple[int, Built]]) -> None:
    for child in spec.children:
        rows = [{**values, "person_id": ident} for ident, built in parents for values in built.children[child.name]]
        if rows:
            conn.execute(insert(child), rows)
