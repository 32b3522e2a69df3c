"""Tampering with the stored log directly in SQL: verification fails and names the right entry."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import Engine, delete, insert, select, update

from palermo.audit import verify_log
from palermo.audit.entries import record_leaf_hash
from palermo.audit.keys import SigningKey, create_signing_key
from palermo.audit.log import row_record, stream_rows
from palermo.audit.verify import VerificationReport
from palermo.db.audit import AuditEntry, AuditLogState, TreeHead
from palermo.db.engine import transaction

entries = AuditEntry.__table__
CONTENT = ("logged_at", "actor", "agency", "action", "objects", "justification", "result_count", "client_address")


def signed_log(engine: Engine, key: SigningKey, fill: Callable[..., None], count: int = 12, every: int = 4) -> None:
    fill(engine, key, count, every)


def verify(engine: Engine, key: SigningKey) -> VerificationReport:
    with transaction(engine) as session:
        return verify_log(session, key.public_key)


def first(engine: Engine, key: SigningKey) -> tuple[str, int | None]:
    report = verify(engine, key)
    assert not report.ok
    assert report.first is not None
    return report.first.kind, report.first.seq


def row(engine: Engine, seq: int) -> dict[str, Any]:
    with transaction(engine) as session:
        return dict(session.execute(select(entries).where(entries.c.seq == seq)).one()._mapping)


def test_edited_field_is_named(engine: Engine, key: SigningKey, fill: Callable[..., None]) -> None:
    signed_log(engine, key, fill)
    with transaction(engine) as session:
        session.execute(update(entries).where(entries.c.seq == 6).values(justification="CASE-COVER-UP"))
    assert first(engine, key) == ("modification", 6)


def test_edited_field_after_the_last_head_is_named(engine: Engine, key: SigningKey, fill: Callable[..., None]) -> None:
    signed_log(engine, key, fill, count=10, every=4)
    with transaction(engine) as session:
        session.execute(update(entries).where(entries.c.seq == 9).values(actor="someone-else"))
    assert first(engine, key) == ("modification", 9)


def test_edited_field_with_recomputed_hash_is_caught_by_the_signed_head(
    engine: Engine, key: SigningKey, fill: Callable[..., None]
) -> None:
    signed_log(engine, key, fill)
    with transaction(engine) as session:
        forged = row_record(next(stream_rows(session, 6, 7)))
        forged["actor"] = "someone-else"
        session.execute(
            update(entries).where(entries.c.seq == 6).values(actor="someone-else", leaf_hash=record_leaf_hash(forged))
        )
    report = verify(engine, key)
    assert report.first is not None
    assert (report.first.kind, report.first.seq) == ("modification", 4)
    assert "4..7" in report.first.detail


def test_deleted_row_is_named(engine: Engine, key: SigningKey, fill: Callable[..., None]) -> None:
    signed_log(engine, key, fill)
    with transaction(engine) as session:
        session.execute(delete(entries).where(entries.c.seq == 3))
    assert first(engine, key) == ("deletion", 3)


def test_deleted_last_rows_are_named(engine: Engine, key: SigningKey, fill: Callable[..., None]) -> None:
    signed_log(engine, key, fill)
    with transaction(engine) as session:
        session.execute(delete(entries).where(entries.c.seq >= 10))
        session.execute(update(AuditLogState).values(next_seq=10))
    assert first(engine, key) == ("deletion", 10)


def test_deleted_row_with_renumbering_is_named(engine: Engine, key: SigningKey, fill: Callable[..., None]) -> None:
    signed_log(engine, key, fill)
    with transaction(engine) as session:
        session.execute(delete(entries).where(entries.c.seq == 5))
        session.execute(update(entries).where(entries.c.seq > 5).values(seq=-entries.c.seq))
        session.execute(update(entries).where(entries.c.seq < 0).values(seq=-entries.c.seq - 1))
        session.execute(update(AuditLogState).values(next_seq=11))
    assert first(engine, key) == ("deletion", 5)


def test_inserted_row_is_named(engine: Engine, key: SigningKey, fill: Callable[..., None]) -> None:
    signed_log(engine, key, fill)
    forged = row(engine, 4) | {"actor": "ghost", "justification": "CASE-NONE"}
    with transaction(engine) as session:
        session.execute(update(entries).where(entries.c.seq >= 4).values(seq=-entries.c.seq))
        session.execute(update(entries).where(entries.c.seq < 0).values(seq=-entries.c.seq + 1))
        record = row_record(tuple(forged[c.name] for c in entries.c))
        session.execute(insert(entries).values(forged | {"leaf_hash": record_leaf_hash(record)}))
        session.execute(update(AuditLogState).values(next_seq=13))
    assert first(engine, key) == ("insertion", 4)


def test_row_appended_beyond_the_counter_is_named(engine: Engine, key: SigningKey, fill: Callable[..., None]) -> None:
    signed_log(engine, key, fill)
    with transaction(engine) as session:
        session.execute(insert(entries).values(row(engine, 11) | {"seq": 12}))
    report = verify(engine, key)
    assert {(f.kind, f.seq) for f in report.findings} >= {("insertion", 12)}


def swap(engine: Engine, a: int, b: int, columns: tuple[str, ...]) -> None:
    row_a, row_b = row(engine, a), row(engine, b)
    with transaction(engine) as session:
        session.execute(update(entries).where(entries.c.seq == a).values({c: row_b[c] for c in columns}))
        session.execute(update(entries).where(entries.c.seq == b).values({c: row_a[c] for c in columns}))


def test_swapped_contents_are_named(engine: Engine, key: SigningKey, fill: Callable[..., None]) -> None:
    signed_log(engine, key, fill)
    swap(engine, 2, 7, (*CONTENT, "details"))
    assert first(engine, key) == ("modification", 2)


def test_swapped_rows_with_their_hashes_are_named(engine: Engine, key: SigningKey, fill: Callable[..., None]) -> None:
    signed_log(engine, key, fill)
    swap(engine, 2, 7, (*CONTENT, "details", "leaf_hash"))
    assert first(engine, key) == ("modification", 2)


def test_swapped_neighbours_are_a_reordering(engine: Engine, key: SigningKey, fill: Callable[..., None]) -> None:
    signed_log(engine, key, fill)
    swap(engine, 5, 6, (*CONTENT, "details", "leaf_hash"))
    assert first(engine, key) == ("reordering", 5)


def test_altered_head_signature_is_detected(engine: Engine, key: SigningKey, fill: Callable[..., None]) -> None:
    signed_log(engine, key, fill)
    with transaction(engine) as session:
        head = session.scalars(select(TreeHead).where(TreeHead.tree_size == 8)).one()
        signature = bytearray(head.signature)
        signature[10] ^= 0x01
        head.signature = bytes(signature)
    report = verify(engine, key)
    assert [(f.kind, f.head_id) for f in report.findings] == [("head", head.id)]
    assert "signature invalid for tree size 8" in report.findings[0].detail


def test_forged_head_over_a_rewritten_log_is_detected(
    engine: Engine, key: SigningKey, fill: Callable[..., None]
) -> None:
    signed_log(engine, key, fill)
    with transaction(engine) as session:
        head = session.scalars(select(TreeHead).where(TreeHead.tree_size == 12)).one()
        head.root_hash = bytes(32)
    report = verify(engine, key)
    assert [(f.kind, f.head_id) for f in report.findings] == [("head", head.id)]


def test_head_signed_by_another_key_is_detected(
    engine: Engine, key: SigningKey, fill: Callable[..., None], tmp_path: Any
) -> None:
    signed_log(engine, key, fill)
    intruder = create_signing_key(tmp_path / "intruder")
    fill(engine, intruder, 4, 4)
    report = verify(engine, key)
    assert [f.kind for f in report.findings] == ["head"]
    assert intruder.key_id in report.findings[0].detail


def test_rolled_back_head_size_is_detected(engine: Engine, key: SigningKey, fill: Callable[..., None]) -> None:
    signed_log(engine, key, fill)
    with transaction(engine) as session:
        latest = session.scalars(select(TreeHead).order_by(TreeHead.id.desc())).first()
        assert latest is not None
        latest.tree_size = 3
    report = verify(engine, key)
    assert any("smaller than the earlier" in f.detail or "signature invalid" in f.detail for f in report.findings)
