"""The oversight report finds each kind of questionable access and names the log entries behind it."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from sqlalchemy import update
from tests.factories import PERSON_HEADER, person_rows, run, write_csv

from palermo.audit import AuditEvent, ObjectRef, append
from palermo.audit.report import oversight_report
from palermo.auth.actor import cli_actor
from palermo.db.engine import transaction
from palermo.db.persons import PersonRecord
from palermo.node import Node

OFFICE = dt.datetime(2026, 11, 18, 10, 0, tzinfo=dt.UTC)  # a Wednesday morning


def _consult(
    node: Node,
    actor: str,
    *,
    at: dt.datetime = OFFICE,
    justification: str = "case:CASE-1",
    role: str = "analyst",
    results: int = 1,
    person: str = "1",
    action: str = "consultation",
) -> int:
    with transaction(node.engine) as session:
        entry = append(
            session,
            AuditEvent(
                actor=actor,
                agency="bp",
                action=action,
                objects=(ObjectRef(type="person_records", id=person),),
                justification=justification,
                result_count=results,
                details={"role": role},
            ),
            at=at,
        )
        return entry.seq


def _findings(node: Node) -> dict[str, list[tuple[str | None, list[int]]]]:
    with transaction(node.engine) as session:
        report = oversight_report(session, cli_actor("cli:dpo", "oversight"), node.settings)
    found: dict[str, list[tuple[str | None, list[int]]]] = {}
    for finding in report.findings:
        found.setdefault(finding.kind, []).append((finding.actor, finding.entries))
    return found


def test_an_orderly_log_has_no_findings(node: Node) -> None:
    for n in range(5):
        _consult(node, f"analyst-{n}")
    assert _findings(node) == {}


def test_each_kind_of_finding_is_reported_with_its_entries(node: Node) -> None:
    for n in range(4):
        _consult(node, f"analyst-{n}")
    no_case = _consult(node, "analyst-0", justification="legal_basis:border_control")
    night = _consult(node, "analyst-1", at=OFFICE.replace(hour=2))
    weekend = _consult(node, "analyst-2", at=OFFICE + dt.timedelta(days=3))
    bulk = _consult(node, "analyst-3", results=5000)
    transfer = _consult(node, "analyst-3", action="transfer")
    heavy = [_consult(node, "analyst-9") for _ in range(30)]
    found = _findings(node)
    assert found["consultation_without_case"] == [("analyst-0", [no_case])]
    assert found["out_of_hours"] == [("analyst-1", [night]), ("analyst-2", [weekend])]
    assert found["bulk"] == [("analyst-3", [bulk, transfer])]
    assert found["volume_outlier"] == [("analyst-9", heavy)]


def test_consultations_of_special_category_records_are_reported(node: Node) -> None:
    import tempfile

    folder = Path(tempfile.mkdtemp())
    run(node, write_csv(folder / "p.csv", PERSON_HEADER, person_rows(2)), "persons")
    with transaction(node.engine) as session:
        session.execute(update(PersonRecord).where(PersonRecord.source_key == "p1").values(sensitivity="special"))
        victim_id = str(session.query(PersonRecord.id).filter(PersonRecord.source_key == "p1").scalar())
        ordinary_id = str(session.query(PersonRecord.id).filter(PersonRecord.source_key == "p0").scalar())
    _consult(node, "analyst-1", person=ordinary_id)
    seen = _consult(node, "analyst-2", person=victim_id)
    assert _findings(node)["special_category"] == [("analyst-2", [seen])]
