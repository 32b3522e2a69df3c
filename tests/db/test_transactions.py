"""A released savepoint commits nothing: only the enclosing transaction does (on SQLite as on PostgreSQL)."""

from __future__ import annotations

from sqlalchemy import Engine, func, insert, select

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
