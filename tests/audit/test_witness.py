"""Rollback, truncation and deleted heads: caught by the heads witnessed outside the store (journal, exports)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import Engine, delete, update

from palermo.audit import export_since, verify_node_log
from palermo.audit.entries import record_leaf_hash
from palermo.audit.keys import SigningKey, create_signing_key, journal_path
from palermo.audit.log import row_record, stream_rows
from palermo.audit.verify import VerificationReport
from palermo.audit.witness import read_heads_file, read_journal
from palermo.db.audit import AuditEntry, AuditLogState, TreeHead
from palermo.db.engine import transaction
from palermo.errors import InvalidInput

entries = AuditEntry.__table__


@pytest.fixture
def home(tmp_path: Path) -> Path:
    return tmp_path / "node-home"


@pytest.fixture
def node_key(home: Path) -> SigningKey:
    return create_signing_key(home)


def verify(engine: Engine, key: SigningKey, home: Path, *others: Path) -> VerificationReport:
    heads = [h for path in others for h in read_heads_file(path)]
    with transaction(engine) as session:
        return verify_node_log(session, key.public_key, home, heads)


def kinds(report: VerificationReport) -> list[tuple[str, int | None]]:
    return sorted((f.kind, f.seq) for f in report.findings)


def test_every_committed_head_is_journaled_and_a_rolled_back_one_is_not(
    engine: Engine, node_key: SigningKey, home: Path, fill: Callable[..., None]
) -> None:
    fill(engine, node_key, 12, 4)
    journal = read_journal(journal_path(home))
    assert [h.tree_size for h in journal.heads] == [4, 8, 12]
    assert journal.problems == []
    from palermo.audit import sign_tree_head

    def sign_then_fail() -> None:
        with transaction(engine) as session:
            sign_tree_head(session, node_key)
            raise RuntimeError("the operation failed: its transaction rolls back")

    with pytest.raises(RuntimeError):
        sign_then_fail()
    assert [h.tree_size for h in read_journal(journal_path(home)).heads] == [4, 8, 12]
    assert verify(engine, node_key, home).ok


def test_deleted_heads_and_a_rewritten_entry_with_its_hash_are_found(
    engine: Engine, node_key: SigningKey, home: Path, fill: Callable[..., None]
) -> None:
    fill(engine, node_key, 12, 4)
    with transaction(engine) as session:
        session.execute(delete(TreeHead))
        forged = row_record(next(stream_rows(session, 6, 7)))
        forged["actor"] = "someone-else"
        session.execute(
            update(entries).where(entries.c.seq == 6).values(actor="someone-else", leaf_hash=record_leaf_hash(forged))
        )
    report = verify(engine, node_key, home)
    assert not report.ok
    assert kinds(report)[:3] == [("head", None), ("head", None), ("head", None)]  # the three deleted heads
    assert report.first is not None
    assert (report.first.kind, report.first.seq) == ("modification", 4)
    assert "4..7" in report.first.detail
    assert "witnessed outside the store" in report.first.detail


def test_truncation_with_the_counter_rewound_is_found_and_located(
    engine: Engine, node_key: SigningKey, home: Path, fill: Callable[..., None]
) -> None:
    fill(engine, node_key, 12, 4)
    with transaction(engine) as session:
        session.execute(delete(entries).where(entries.c.seq >= 4))
        session.execute(delete(TreeHead).where(TreeHead.tree_size > 4))
        session.execute(update(AuditLogState).values(next_seq=4))
    report = verify(engine, node_key, home)
    assert report.first is not None
    assert (report.first.kind, report.first.seq) == ("deletion", 4)
    assert "counter was rewound" in report.first.detail


def test_rollback_and_new_entries_written_over_it_are_found(
    engine: Engine, node_key: SigningKey, home: Path, fill: Callable[..., None], event: Callable[[int], object]
) -> None:
    from palermo.audit import append

    fill(engine, node_key, 12, 4)
    with transaction(engine) as session:
        session.execute(delete(entries).where(entries.c.seq >= 5))
        session.execute(delete(TreeHead).where(TreeHead.tree_size > 4))
        session.execute(update(AuditLogState).values(next_seq=5))
    for n in range(100, 107):  # a different history is written in place of the erased one
        with transaction(engine) as session:
            append(session, event(n))  # type: ignore[arg-type]
    report = verify(engine, node_key, home)
    assert report.first is not None
    assert (report.first.kind, report.first.seq) == ("modification", 4)


def test_everything_deleted_is_not_ok(
    engine: Engine, node_key: SigningKey, home: Path, fill: Callable[..., None]
) -> None:
    fill(engine, node_key, 8, 4)
    with transaction(engine) as session:
        session.execute(delete(entries))
        session.execute(delete(TreeHead))
        session.execute(update(AuditLogState).values(next_seq=0))
    report = verify(engine, node_key, home)
    assert not report.ok
    assert report.first is not None
    assert (report.first.kind, report.first.seq) == ("deletion", 0)


def test_an_edited_journal_is_named_at_its_line(
    engine: Engine, node_key: SigningKey, home: Path, fill: Callable[..., None]
) -> None:
    fill(engine, node_key, 12, 4)
    path = journal_path(home)
    lines = path.read_text(encoding="utf-8").splitlines()
    path.write_text("\n".join([lines[0], lines[2]]) + "\n", encoding="utf-8")  # the middle head removed
    report = verify(engine, node_key, home)
    assert [f.kind for f in report.findings] == ["journal"]
    assert "line 2" in report.findings[0].detail


def test_an_oversight_export_witnesses_heads_when_the_journal_is_gone(
    engine: Engine, node_key: SigningKey, home: Path, fill: Callable[..., None], tmp_path: Path
) -> None:
    import datetime as dt

    fill(engine, node_key, 12, 4)
    with transaction(engine) as session:
        export = export_since(session, dt.datetime(2000, 1, 1, tzinfo=dt.UTC), node_key.public_key)
    held = tmp_path / "oversight-export.json"
    held.write_text(json.dumps(export), encoding="utf-8")
    journal_path(home).unlink()
    with transaction(engine) as session:
        session.execute(delete(entries).where(entries.c.seq >= 8))
        session.execute(delete(TreeHead).where(TreeHead.tree_size > 4))
        session.execute(update(AuditLogState).values(next_seq=8))
    assert verify(engine, node_key, home).ok  # nothing left in the store or the node's home says otherwise
    report = verify(engine, node_key, home, held)
    assert report.first is not None
    assert (report.first.kind, report.first.seq) == ("deletion", 8)


def test_a_file_without_heads_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("nothing here\n", encoding="utf-8")
    with pytest.raises(InvalidInput, match="no tree heads"):
        read_heads_file(path)
