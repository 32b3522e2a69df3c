"""Writers of several processes on one SQLite file take turns through the file's writer lock, and none fails.

``palermo serve --workers 2`` runs two processes on one file, and the CLI (an ingest, a watchlist load) may write
beside them. A writer of one process waits for the other's commit on ``FILE-writer.lock`` (``flock``), not in
SQLite's busy handler; a process that dies holding the lock frees it.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, insert, select, text

from palermo.db.engine import make_engine, transaction
from palermo.db.reference import Agency

WRITES = 60


def _sqlite_file(engine: Engine) -> str:
    database = engine.url.database
    if engine.dialect.name != "sqlite" or not database:
        pytest.skip("the writer lock is SQLite's: PostgreSQL serialises its own writers")
    return database


def _write_agencies(database: str, prefix: str, ready: multiprocessing.synchronize.Event) -> None:
    engine = make_engine(f"sqlite:///{database}")
    ready.wait(30)
    for n in range(WRITES):
        with transaction(engine) as session:
            session.execute(insert(Agency).values(code=f"{prefix}-{n}", name=f"Agency {prefix} {n}"))
    engine.dispose()


def _hold_the_lock(database: str, holding: multiprocessing.synchronize.Event) -> None:
    engine = make_engine(f"sqlite:///{database}")
    with transaction(engine) as session:
        session.execute(insert(Agency).values(code="held", name="Held then killed"))
        holding.set()
        signal.pause()  # killed here, its transaction open


def _agencies(engine: Engine, like: str) -> int:
    with engine.connect() as conn:
        return int(conn.scalar(select(func.count()).select_from(Agency).where(Agency.code.like(like))) or 0)


def test_writers_of_three_processes_all_commit(engine: Engine) -> None:
    database = _sqlite_file(engine)
    context = multiprocessing.get_context("spawn")
    ready = context.Event()
    workers = [context.Process(target=_write_agencies, args=(database, f"p{i}", ready)) for i in range(3)]
    for worker in workers:
        worker.start()
    ready.set()
    for worker in workers:
        worker.join(120)
    assert [w.exitcode for w in workers] == [0, 0, 0]
    assert _agencies(engine, "p_-%") == 3 * WRITES
    assert Path(f"{database}-writer.lock").exists()


def test_a_writer_killed_in_its_transaction_does_not_stop_the_others(engine: Engine) -> None:
    database = _sqlite_file(engine)
    context = multiprocessing.get_context("spawn")
    holding = context.Event()
    holder = context.Process(target=_hold_the_lock, args=(database, holding))
    holder.start()
    assert holding.wait(60), "the holder never began writing"
    assert holder.pid is not None
    os.kill(holder.pid, signal.SIGKILL)
    holder.join(30)
    with transaction(engine) as session:
        session.execute(insert(Agency).values(code="after-kill", name="Written after the holder died"))
    assert _agencies(engine, "after-kill") == 1
    assert _agencies(engine, "held") == 0, "the killed writer's transaction never committed"
    with engine.connect() as conn:
        assert conn.execute(text("PRAGMA integrity_check")).scalar() == "ok"
