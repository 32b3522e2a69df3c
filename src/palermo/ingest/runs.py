"""Ingest runs whose process died: found on the next ingest or server start, marked ``interrupted``, reported.

A run records the host and process id that runs it. A ``running`` run whose process no longer exists on this host
was killed (power cut, ``kill -9``, out of memory) and will never finish; it becomes ``interrupted`` with a message
saying how to complete it (re-run the file: whole batches were committed, and a re-run finds them unchanged). A
run of another host is left alone: this process cannot see that host's processes. Runs recorded before the host
and pid were kept (no pid) cannot be running any more and are marked too.
"""

from __future__ import annotations

import datetime as dt
import os
import socket
from dataclasses import dataclass

from sqlalchemy import Engine, select, update

from palermo.db.engine import transaction
from palermo.db.reference import IngestRun
from palermo.logs import get_logger

log = get_logger(__name__)
HOST_LENGTH = 255


def this_host() -> str:
    return socket.gethostname()[:HOST_LENGTH]


def this_process() -> tuple[str, int]:
    """(host, pid) to record on a run this process starts."""
    return this_host(), os.getpid()


@dataclass(frozen=True)
class InterruptedRun:
    run_id: int
    path: str
    rows_read: int

    def message(self) -> str:
        return (
            f"ingest run {self.run_id} of {self.path} was interrupted after {self.rows_read} rows (its process is "
            "gone); re-run the same file to complete it"
        )


def _process_exists(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # exists, owned by someone else
        return True
    return True


def mark_interrupted_runs(engine: Engine) -> list[InterruptedRun]:
    """Mark this host's dead ``running`` runs ``interrupted``; the runs marked, each logged as a warning."""
    host = this_host()
    with transaction(engine) as session:
        running = session.execute(
            select(IngestRun.id, IngestRun.path, IngestRun.rows_read, IngestRun.host, IngestRun.pid).where(
                IngestRun.status == "running"
            )
        ).all()
    dead = [
        InterruptedRun(run_id, path, rows)
        for run_id, path, rows, run_host, pid in running
        if pid is None or (run_host == host and not _process_exists(pid))
    ]
    now = dt.datetime.now(dt.UTC)
    for run in dead:
        with transaction(engine) as session:
            session.execute(
                update(IngestRun)
                .where(IngestRun.id == run.run_id, IngestRun.status == "running")
                .values(status="interrupted", finished_at=now, message=run.message())
            )
        log.warning("ingest_run_interrupted", run_id=run.run_id, path=run.path, rows_read=run.rows_read)
    return dead
