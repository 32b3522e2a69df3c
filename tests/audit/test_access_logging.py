"""Every consultation of personal data, every refusal and every ingest batch lands in the audit log, verifiably."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select
from tests.factories import PERSON_HEADER, ensure_source, person_rows, write_csv

from palermo.audit import verify_log
from palermo.audit.keys import node_signing_key
from palermo.auth.actor import cli_actor
from palermo.auth.justification import parse_justification
from palermo.db.audit import AuditEntry
from palermo.db.engine import transaction
from palermo.errors import PermissionDenied
from palermo.ingest.pipeline import IngestOptions, ingest_as
from palermo.node import Node
from palermo.persons.lookup import search_persons


def _entries(node: Node) -> list[AuditEntry]:
    with transaction(node.engine) as session:
        return list(session.scalars(select(AuditEntry).order_by(AuditEntry.seq)))


def _ingest(node: Node, tmp_path: Path, rows: int = 5) -> None:
    ensure_source(node, "src")
    path = write_csv(tmp_path / "p.csv", PERSON_HEADER, person_rows(rows))
    ingest_as(
        node.engine, path, IngestOptions(kind="persons", source="src", batch_size=2), cli_actor("cli:tester", "bp-at")
    )


def test_each_ingest_batch_is_a_collection_entry(node: Node, tmp_path: Path) -> None:
    _ingest(node, tmp_path, rows=5)
    collections = [e for e in _entries(node) if e.action == "collection"]
    assert [e.result_count for e in collections] == [2, 2, 1]
    assert {e.actor for e in collections} == {"cli:tester"}
    with transaction(node.engine) as session:
        assert verify_log(session, node_signing_key(node.home).public_key).ok


def test_a_search_is_a_consultation_with_its_justification_and_result_count(node: Node, tmp_path: Path) -> None:
    _ingest(node, tmp_path, rows=3)
    actor = cli_actor("cli:analyst", "bp-at", parse_justification("CASE-2026-0042", r"^CASE-\d{4}-\d{4}$"))
    with transaction(node.engine) as session:
        found = search_persons(session, actor, "surname1")
    assert len(found) == 1
    [consultation] = [e for e in _entries(node) if e.action == "consultation"]
    assert consultation.justification == "case:CASE-2026-0042"
    assert consultation.result_count == 1
    assert consultation.actor == "cli:analyst"


def test_a_refused_consultation_is_logged_and_survives_the_rollback(node: Node, tmp_path: Path) -> None:
    _ingest(node, tmp_path, rows=1)
    unjustified = cli_actor("cli:curious", "bp-at")
    with pytest.raises(PermissionDenied), transaction(node.engine) as session:
        search_persons(session, unjustified, "surname")
    [refusal] = [e for e in _entries(node) if e.action == "refusal"]
    assert refusal.actor == "cli:curious"
    assert refusal.details["permission"] == "persons.search"
    assert "justification" in refusal.details["reason"]
    assert [e for e in _entries(node) if e.action == "consultation"] == []


def test_a_failed_operation_leaves_no_consultation_entry(node: Node) -> None:
    actor = cli_actor("cli:analyst", "bp-at", parse_justification("CASE-2026-0042", r"^CASE-\d{4}-\d{4}$"))
    with pytest.raises(Exception, match="at least 2 characters"), transaction(node.engine) as session:
        search_persons(session, actor, "x")
    assert _entries(node) == []
