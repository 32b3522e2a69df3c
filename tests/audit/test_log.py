"""Appending, signing and verifying an untouched log; proofs and exports over a real store."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import Engine, select, update

from palermo.audit import (
    AuditEvent,
    append,
    consistency_proof,
    export_since,
    inclusion_proof,
    log_size,
    merkle,
    sign_tree_head,
    verify_export,
    verify_log,
)
from palermo.audit.entries import canonical_json, record_leaf_hash
from palermo.audit.keys import SigningKey, create_signing_key
from palermo.audit.log import recomputed_leaf_hashes, row_record, stream_rows
from palermo.db.audit import AuditEntry, TreeHead
from palermo.db.engine import transaction
from palermo.errors import InvalidInput, NotFound, PermissionDenied


def test_appends_are_dense_and_hash_their_canonical_record(
    engine: Engine, key: SigningKey, fill: Callable[..., None]
) -> None:
    fill(engine, key, 5)
    with transaction(engine) as session:
        rows = list(stream_rows(session))
        assert [r.seq for r in rows] == [0, 1, 2, 3, 4]
        assert log_size(session) == 5
        assert all(record_leaf_hash(row_record(r)) == bytes(r.leaf_hash) for r in rows)
        assert rows[2].details["ключ"] == "значение"


def test_leaf_data_is_sorted_compact_utf8_json(engine: Engine, event: Callable[[int], AuditEvent]) -> None:
    at = dt.datetime(2026, 3, 1, 8, 30, 0, 123456, tzinfo=dt.UTC)
    with transaction(engine) as session:
        entry = append(session, event(7), at=at)
    with transaction(engine) as session:
        record = row_record(next(stream_rows(session)))
    data = canonical_json(record)
    assert data.startswith(b'{"action":"consultation","actor":"analyst-1","agency":"BPOL"')
    assert b'"logged_at":"2026-03-01T08:30:00.123456Z"' in data
    assert "значение".encode() in data
    assert merkle.leaf_hash(data) == entry.leaf_hash


def test_a_rolled_back_transaction_gives_its_sequence_number_back(
    engine: Engine, event: Callable[[int], AuditEvent]
) -> None:
    def failing_operation() -> None:
        with transaction(engine) as session:
            append(session, event(0))
            raise RuntimeError("the operation being logged failed")

    with pytest.raises(RuntimeError):
        failing_operation()
    with transaction(engine) as session:
        assert append(session, event(1)).seq == 0


def test_concurrent_appends_keep_the_sequence_dense(engine: Engine, event: Callable[[int], AuditEvent]) -> None:
    def worker(offset: int) -> None:
        for n in range(15):
            with transaction(engine) as session:
                append(session, event(offset + n))

    threads = [threading.Thread(target=worker, args=(100 * t,)) for t in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    with transaction(engine) as session:
        assert [r.seq for r in stream_rows(session)] == list(range(60))
        assert log_size(session) == 60


def test_consultation_without_justification_is_refused() -> None:
    with pytest.raises(PermissionDenied, match="justification"):
        AuditEvent(actor="cli:ana", agency="BPOL", action="consultation")
    assert AuditEvent(actor="cli:ana", agency="BPOL", action="collection").justification is None


def test_unknown_action_is_refused() -> None:
    with pytest.raises(InvalidInput, match="audit_actions"):
        AuditEvent(actor="cli:ana", agency="BPOL", action="peek", justification="X")


def test_signed_heads_extend_incrementally_to_the_full_root(
    engine: Engine, key: SigningKey, fill: Callable[..., None]
) -> None:
    fill(engine, key, 11, sign_every=4)
    with transaction(engine) as session:
        head = sign_tree_head(session, key)
        leaves = list(recomputed_leaf_hashes(session, 0, 11))
    assert head.tree_size == 11
    assert bytes(head.root_hash) == merkle.root_of(leaves)


def test_a_damaged_frontier_is_not_trusted(engine: Engine, key: SigningKey, fill: Callable[..., None]) -> None:
    fill(engine, key, 6, sign_every=3)
    with transaction(engine) as session:
        session.execute(update(TreeHead).values(frontier=[merkle.EMPTY_ROOT.hex()] * 2))
    with transaction(engine) as session:
        head = sign_tree_head(session, key)
        assert bytes(head.root_hash) == merkle.root_of(recomputed_leaf_hashes(session, 0, 6))


def test_an_untouched_log_verifies(engine: Engine, key: SigningKey, fill: Callable[..., None]) -> None:
    fill(engine, key, 20, sign_every=6)
    with transaction(engine) as session:
        sign_tree_head(session, key)
        report = verify_log(session, key.public_key)
    assert report.ok, report.to_dict()
    assert (report.entries, report.heads, report.heads_matched) == (20, 4, 4)


def test_an_empty_log_verifies(engine: Engine, key: SigningKey) -> None:
    with transaction(engine) as session:
        head = sign_tree_head(session, key)
        assert bytes(head.root_hash) == merkle.EMPTY_ROOT
        assert verify_log(session, key.public_key).ok


def test_every_inclusion_proof_verifies_against_the_signed_head(
    engine: Engine, key: SigningKey, fill: Callable[..., None]
) -> None:
    fill(engine, key, 13)
    with transaction(engine) as session:
        head = sign_tree_head(session, key)
        for seq in range(13):
            proof = inclusion_proof(session, seq)
            assert proof["tree_head"]["tree_size"] == 13
            assert merkle.verify_inclusion(
                seq,
                13,
                bytes.fromhex(proof["leaf_hash"]),
                [bytes.fromhex(h) for h in proof["proof"]],
                bytes(head.root_hash),
            )


def test_consistency_proof_between_signed_heads(engine: Engine, key: SigningKey, fill: Callable[..., None]) -> None:
    fill(engine, key, 12, sign_every=5)
    with transaction(engine) as session:
        proof = consistency_proof(session, 5, 10)
    old, new = proof["old_tree_head"], proof["new_tree_head"]
    assert merkle.verify_consistency(
        5,
        10,
        bytes.fromhex(old["root_hash"]),
        bytes.fromhex(new["root_hash"]),
        [bytes.fromhex(h) for h in proof["proof"]],
    )


def test_proofs_refuse_sizes_the_log_does_not_have(engine: Engine, key: SigningKey, fill: Callable[..., None]) -> None:
    fill(engine, key, 3)
    with transaction(engine) as session:
        with pytest.raises(InvalidInput, match="tree size 9"):
            inclusion_proof(session, 0, 9)
        with pytest.raises(InvalidInput, match="entry 3"):
            inclusion_proof(session, 3, 3)
        with pytest.raises(InvalidInput, match="need 0 < old <= new"):
            consistency_proof(session, 3, 2)


def test_export_verifies_independently(engine: Engine, key: SigningKey, event: Callable[[int], AuditEvent]) -> None:
    start = dt.datetime(2026, 5, 1, tzinfo=dt.UTC)
    with transaction(engine) as session:
        for n in range(9):
            append(session, event(n), at=start + dt.timedelta(hours=n))
    with transaction(engine) as session:
        sign_tree_head(session, key)
        for n in range(9, 14):
            append(session, event(n), at=start + dt.timedelta(hours=n))
    with transaction(engine) as session:
        sign_tree_head(session, key)
        export = export_since(session, start + dt.timedelta(hours=5), key.public_key)
    assert [e["record"]["seq"] for e in export["entries"]] == list(range(5, 14))
    assert [h["tree_head"]["tree_size"] for h in export["earlier_heads"]] == [9]
    check = verify_export(export, key.public_key)
    assert check.ok, check.problems
    assert (check.entries_verified, check.heads_verified) == (9, 2)


def test_a_changed_export_or_a_foreign_key_fails(
    engine: Engine, key: SigningKey, tmp_path: Path, fill: Callable[..., None]
) -> None:
    fill(engine, key, 6)
    with transaction(engine) as session:
        sign_tree_head(session, key)
        export = export_since(session, dt.datetime(2000, 1, 1, tzinfo=dt.UTC))
    export["entries"][3]["record"]["justification"] = "CASE-FORGED"
    check = verify_export(export, key.public_key)
    assert check.problems == ["entry 3 is not in the signed tree of size 6 as exported"]
    other = create_signing_key(tmp_path / "other")
    assert not verify_export(export, other.public_key).ok


def test_export_needs_a_signed_head(engine: Engine, key: SigningKey, fill: Callable[..., None]) -> None:
    fill(engine, key, 2)
    with transaction(engine) as session, pytest.raises(NotFound, match="signed tree head"):
        export_since(session, dt.datetime(2000, 1, 1, tzinfo=dt.UTC))


def test_entry_rows_store_the_leaf_hash_redundantly(engine: Engine, key: SigningKey, fill: Callable[..., None]) -> None:
    fill(engine, key, 1)
    with transaction(engine) as session:
        entry = session.scalars(select(AuditEntry)).one()
        assert len(entry.leaf_hash) == 32
