"""A released savepoint commits nothing: only the enclosing transaction does; work queued for the commit follows
the transaction, not its savepoints (on SQLite as on PostgreSQL)."""

from __future__ import annotations

from contextlib import suppress

import pytest
from sqlalchemy import Engine, func, insert, select
from sqlalchemy.exc import IntegrityError

from palermo.db.engine import after_commit, on_commit, transaction, writes_nothing
from palermo.db.reference import Agency


def _agencies(engine: Engine) -> int:
    with engine.connect() as conn:
        return int(conn.scalar(select(func.count()).select_from(Agency)) or 0)


def test_a_released_savepoint_is_undone_by_the_enclosing_rollback(engine: Engine) -> None:
    before = _agencies(engine)
    with engine.connect() as conn:
        outer = conn.begin()
        with conn.begin_nested():
            conn.execute(insert(Agency).values(code="tmp-agency", name="Temporary"))
        assert _agencies(engine) == before, "another connection must not see a released savepoint"
        outer.rollback()
    assert _agencies(engine) == before


def test_work_queued_for_the_commit_survives_a_savepoint_rollback_and_not_the_transactions(engine: Engine) -> None:
    """Token stamps and index refreshes queued earlier in a transaction still run when one of its savepoints rolls
    back (an ingest or an import isolating a bad row), and never when the transaction itself rolls back."""
    ran: list[str] = []
    with transaction(engine) as session:
        on_commit(session, lambda _s: ran.append("before"))
        after_commit(session, lambda: ran.append("after"))
        with suppress(IntegrityError), session.begin_nested():
            session.execute(insert(Agency).values(code="dup-agency", name="One"))
            session.execute(insert(Agency).values(code="dup-agency", name="Two"))
    assert ran == ["before", "after"]
    ran.clear()
    with suppress(RuntimeError), transaction(engine) as session:
        on_commit(session, lambda _s: ran.append("before"))
        after_commit(session, lambda: ran.append("after"))
        raise RuntimeError("the transaction fails")
    with transaction(engine) as session:
        session.execute(select(func.count()).select_from(Agency))
    assert ran == []


def test_writes_after_reads_commit_or_roll_back_together(engine: Engine) -> None:
    """A transaction that reads first (PostgreSQL: outside a transaction, ``BEGIN`` at the first write) still
    commits or rolls back its writes as one, and reads its own writes before the commit."""
    before = _agencies(engine)
    with suppress(RuntimeError), transaction(engine) as session:
        assert session.scalar(select(func.count()).select_from(Agency)) == before
        session.execute(insert(Agency).values(code="first-write-a", name="A"))
        session.execute(insert(Agency).values(code="first-write-b", name="B"))
        assert session.scalar(select(func.count()).select_from(Agency)) == before + 2, "its own writes are seen"
        assert _agencies(engine) == before, "nothing is visible elsewhere before the commit"
        raise RuntimeError("the work fails after writing")
    assert _agencies(engine) == before, "both writes rolled back"
    with transaction(engine) as session:
        session.scalar(select(func.count()).select_from(Agency))
        session.execute(insert(Agency).values(code="first-write-c", name="C"))
        session.execute(insert(Agency).values(code="first-write-d", name="D"))
    assert _agencies(engine) == before + 2


def test_postgresql_reads_send_no_begin_and_writes_begin_at_the_first_write(engine: Engine) -> None:
    """Round trips that a read-only request saves on PostgreSQL: no transaction is open after its reads (the
    server reports the connection idle), one is open once it has written, and ``writes_nothing`` tells them apart."""
    if engine.dialect.name != "postgresql":
        pytest.skip("SQLite has no round trips to save; its transactions are tested above")
    idle, in_transaction = 0, 2  # libpq's transaction status: no transaction, one open
    with transaction(engine) as session:
        session.scalar(select(func.count()).select_from(Agency))
        raw = session.connection().connection.dbapi_connection
        assert raw is not None
        assert raw.info.transaction_status == idle
        assert writes_nothing(session)
        session.execute(insert(Agency).values(code="first-write-e", name="E"))
        assert raw.info.transaction_status == in_transaction
        assert not writes_nothing(session)
    with transaction(engine.execution_options(palermo_write=True)) as session:
        session.scalar(select(func.count()).select_from(Agency))
        raw = session.connection().connection.dbapi_connection
        assert raw is not None
        assert raw.info.transaction_status == in_transaction, "write_transaction() begins at once"
