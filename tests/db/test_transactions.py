"""A released savepoint commits nothing: only the enclosing transaction does; work queued for the commit follows
the transaction, not its savepoints (on SQLite as on PostgreSQL)."""

from __future__ import annotations

from contextlib import suppress

from sqlalchemy import Engine, func, insert, select
from sqlalchemy.exc import IntegrityError

from palermo.db.engine import after_commit, on_commit, transaction
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
