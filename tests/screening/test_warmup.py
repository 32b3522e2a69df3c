"""The server's warm-up: a screening request's whole path runs once before traffic, and nothing of it is kept."""

from __future__ import annotations

import gc
from pathlib import Path

import sqlalchemy
from sqlalchemy import func, select

from palermo.api.warm import settle_heap
from palermo.audit.log import log_size
from palermo.db.alerts import Alert
from palermo.db.audit import AuditEntry
from palermo.db.engine import transaction
from palermo.node import Node
from palermo.screening.warmup import warm_screening
from tests.factories import load, write_list


def _counts(node: Node) -> tuple[int, int, int]:
    with transaction(node.engine) as session:
        entries = session.scalar(select(func.count()).select_from(AuditEntry)) or 0
        return log_size(session), entries, session.scalar(select(func.count()).select_from(Alert)) or 0


def test_the_warm_up_rehearses_a_screening_and_leaves_no_entry_alert_or_number(node: Node, tmp_path: Path) -> None:
    load(node, write_list(tmp_path))
    before = _counts(node)
    report = warm_screening(node)
    assert report.index_entries == 3
    assert _counts(node) == before  # the rehearsed audit entry and alert were rolled back, their numbers given back
    with node.engine.begin() as connection:  # nothing holds a transaction open afterwards: a writer gets through
        connection.execute(sqlalchemy.text("UPDATE audit_log_state SET next_seq = next_seq WHERE id = 1"))


def test_settling_the_heap_freezes_what_start_up_built() -> None:
    try:
        settle_heap()
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()
