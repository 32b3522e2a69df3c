"""A process killed mid-file leaves only whole batches, and re-running the file completes it without duplicates.

The ingest runs at a lower CPU priority (``nice``) than this test, which watches the store, so that on a busy
machine the watcher is not starved by the process it watches: the kill lands a few batches in, thousands of rows
before the end of the file. No timing is asserted; the deadline only bounds a hung ingest.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select

from palermo.db.engine import transaction
from palermo.db.tables import IngestRun, PersonName, PersonRecord
from palermo.ingest.runs import mark_interrupted_runs, this_process
from palermo.ingest.sources import get_source
from palermo.node import Node
from tests.factories import PERSON_HEADER, ensure_source, person_rows, run, write_csv

ROWS = 6_000
BATCH = 200
KILL_AFTER = 2 * BATCH  # persons committed before the kill


def _counts(node: Node) -> tuple[int, int, int]:
    with transaction(node.engine) as session:
        persons = session.scalar(select(func.count()).select_from(PersonRecord)) or 0
        names = session.scalar(select(func.count()).select_from(PersonName)) or 0
        run_row = session.scalars(select(IngestRun).order_by(IngestRun.id.desc())).first()
        return persons, names, 0 if run_row is None else run_row.inserted


@pytest.mark.slow
def test_killed_ingest_leaves_whole_batches_and_a_rerun_completes(node: Node, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "persons.csv", PERSON_HEADER, person_rows(ROWS))
    ensure_source(node, "src")
    env = {
        **os.environ,
        "PALERMO_HOME": str(node.settings.home),
        "PALERMO_DATABASE_URL": node.settings.effective_database_url,
        "PALERMO_INGEST_BATCH_SIZE": str(BATCH),
    }
    command = [
        "nice",
        "-n",
        "5",
        sys.executable,
        "-m",
        "palermo.cli",
        "ingest",
        str(path),
        "--source",
        "src",
        "--kind",
        "persons",
        "--json",
    ]
    process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 300  # a bound for a busy machine, not a measurement
    while _counts(node)[0] < KILL_AFTER:
        assert process.poll() is None, process.communicate()
        assert time.monotonic() < deadline, "ingest made no progress"
        time.sleep(0.02)
    process.send_signal(signal.SIGKILL)
    process.wait()

    persons, names, counted = _counts(node)
    assert 0 < persons < ROWS, "the kill must land mid-file"
    assert persons % BATCH == 0, "only whole batches are committed"
    assert names == persons, "a person is never committed without its names"
    assert counted == persons, "the run's counters are committed with the batch they count"

    summary = run(node, path, "persons", batch_size=BATCH)
    assert (summary.inserted, summary.unchanged, summary.rejected) == (ROWS - persons, persons, 0)
    assert _counts(node)[:2] == (ROWS, ROWS)
    [note] = summary.interrupted  # issue 17: the killed run stayed `running` forever
    assert "was interrupted" in note
    with transaction(node.engine) as session:
        statuses = session.scalars(select(IngestRun.status).order_by(IngestRun.id)).all()
    assert statuses == ["interrupted", "completed"]


def test_only_runs_whose_process_is_gone_are_marked_interrupted(node: Node) -> None:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()  # reaped: its pid names no process any more
    host, alive_pid = this_process()
    ensure_source(node, "src")
    with transaction(node.engine) as session:
        source_id = get_source(session, "src").id
        for pid, where in ((child.pid, host), (alive_pid, host), (child.pid, "another-host")):
            path = f"/x/{where}-{pid}.csv"
            session.add(IngestRun(source_id=source_id, kind="persons", path=path, actor="t", host=where, pid=pid))
    marked = mark_interrupted_runs(node.engine)
    assert [m.path for m in marked] == [f"/x/{host}-{child.pid}.csv"]
    with transaction(node.engine) as session:
        statuses = session.scalars(select(IngestRun.status).order_by(IngestRun.id)).all()
    assert statuses == ["interrupted", "running", "running"]
