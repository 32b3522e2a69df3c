"""Requests that write nothing but their audit entries commit them in batches: every entry lands, once, verifiably."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import delete, func, insert, select, update
from tests.factories import justified_operator

from palermo.audit import group_commit, verify_log
from palermo.audit.keys import node_signing_key
from palermo.db.audit import AuditEntry, AuditLogState
from palermo.db.engine import session_factory, writes_nothing
from palermo.db.reference import Agency
from palermo.errors import StoreError
from palermo.node import Node
from palermo.persons.lookup import search_persons

THREADS = 8
SEARCHES = 6


def _consultations(node: Node) -> list[AuditEntry]:
    with session_factory(node.engine)() as session:
        return list(session.scalars(select(AuditEntry).where(AuditEntry.action == "consultation")))


def _search_and_commit(node: Node, query: str) -> None:
    with session_factory(node.engine)() as session:
        search_persons(session, justified_operator(node), query)
        group_commit.commit(session)


def test_concurrent_consultations_are_each_logged_once_in_a_verifiable_log(node: Node) -> None:
    failures: list[BaseException] = []

    def booth(n: int) -> None:
        try:
            for k in range(SEARCHES):
                _search_and_commit(node, f"booth{n}-search{k}")
        except BaseException as exc:
            failures.append(exc)

    threads = [threading.Thread(target=booth, args=(n,)) for n in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert failures == []
    entries = _consultations(node)
    subjects = sorted(e.objects[0]["id"] for e in entries)
    assert subjects == sorted(f"name~booth{n}-search{k}" for n in range(THREADS) for k in range(SEARCHES))
    with session_factory(node.engine)() as session:
        seqs = list(session.scalars(select(AuditEntry.seq).order_by(AuditEntry.seq)))
        assert seqs == list(range(len(seqs)))
        assert verify_log(session, node_signing_key(node.home).public_key).ok


def test_an_entry_is_committed_when_its_request_commit_returns(node: Node) -> None:
    _search_and_commit(node, "surname")
    assert [e.objects[0]["id"] for e in _consultations(node)] == ["name~surname"]


def test_a_failed_batch_fails_its_requests_and_the_next_batch_is_written(node: Node) -> None:
    with session_factory(node.engine)() as session, session.begin():
        next_seq = session.scalar(select(AuditLogState.next_seq))
        session.execute(delete(AuditLogState))
    with pytest.raises(StoreError, match="counter row is missing"):
        _search_and_commit(node, "lost")
    with session_factory(node.engine)() as session, session.begin():
        session.execute(insert(AuditLogState).values(id=1, next_seq=next_seq))
    _search_and_commit(node, "kept")
    assert [e.objects[0]["id"] for e in _consultations(node)] == ["name~kept"]


def test_only_a_transaction_that_wrote_nothing_joins_a_batch(node: Node) -> None:
    with session_factory(node.engine)() as session:
        assert writes_nothing(session)
        session.scalar(select(func.count()).select_from(AuditEntry))
        assert writes_nothing(session), "a read is not a write"
        session.execute(update(AuditLogState).values(next_seq=AuditLogState.next_seq))
        assert not writes_nothing(session)
        session.rollback()
        assert writes_nothing(session), "a new transaction has written nothing yet"
        session.add(Agency(code="tmp-agency", name="Temporary"))
        assert not writes_nothing(session), "a change waiting to be flushed is a write"
        session.rollback()
