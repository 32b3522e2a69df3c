"""The non-punishment flag: a person victim support presumes a victim is flagged on every record of their identity and
on the identity itself, for every reader of those pages; only readers with victims.read learn the case. Both stores."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy import select

from palermo.api import create_app
from palermo.db.engine import transaction
from palermo.db.identities import Identity, IdentityMember, ResolutionRun
from palermo.db.persons import PersonRecord
from palermo.node import Node
from palermo.persons.dossier import person_dossier
from palermo.resolution.profile import identity_profile
from palermo.victims.assessments import AssessmentIn, RevisionIn, record_assessment, revise_assessment
from palermo.victims.cases import CaseIn, open_case
from tests.factories import add_persons, bearer, make_token
from tests.victims.helpers import person

INTERVIEW = dt.datetime(2026, 11, 3, 10, 0, tzinfo=dt.UTC)
PRESUMED = ["dr.job_nature", "dr.wages", "ec.excessive_hours", "ec.low_pay", "cd.documents", "cd.debt"]
NOT_PRESUMED = ["dr.job_nature", "dr.wages", "ec.excessive_hours", "ec.low_pay"]  # no means: not presumed


def _assessment(observed: list[str]) -> dict[str, object]:
    return {"exploitation": "labour", "interviewed_at": INTERVIEW, "observations": [{"indicator": i} for i in observed]}


def _one_identity(node: Node, tmp_path: Path) -> tuple[int, int, int]:
    """Two records of one person (a border record and a police record) resolved into one identity, and a stranger."""
    rows = [["b1", "Moldovan", "Elena"], ["p1", "Moldovan", "Elena"], ["x1", "Hoxha", "Arben"]]
    add_persons(node, tmp_path, rows)
    with transaction(node.engine) as session:
        ids = dict(session.execute(select(PersonRecord.source_key, PersonRecord.id)).all())
        run = ResolutionRun(kind="batch", engine="test", model_version=1, actor="test")
        session.add(run)
        session.flush()
        identity = Identity(created_run_id=run.id, updated_run_id=run.id, size=2)
        session.add(identity)
        session.flush()
        session.add_all(IdentityMember(person_id=ids[k], identity_id=identity.id, run_id=run.id) for k in ("b1", "p1"))
        return ids["b1"], ids["p1"], identity.id


def test_a_presumed_victim_is_flagged_on_every_record_of_the_identity(node: Node, tmp_path: Path) -> None:
    border, police, identity_id = _one_identity(node, tmp_path)
    with transaction(node.engine) as session:
        stranger = session.scalars(select(PersonRecord.id).where(PersonRecord.source_key == "x1")).one()
    officer = person(node, "officer1", "border_officer")
    worker = person(node, "caseworker", "victim_support")
    analyst = person(node, "ana", "analyst", basis="criminal_investigation")
    supervisor = person(node, "sup", "supervisor")  # reads persons and victims
    with transaction(node.engine) as session:
        case_id = open_case(session, officer, CaseIn(person_id=border)).id
        assert person_dossier(session, analyst, police).non_punishment is None  # a case alone is no presumption
        first = record_assessment(session, worker, case_id, AssessmentIn.model_validate(_assessment(PRESUMED)))
    assert first.presumed_victim
    with transaction(node.engine) as session:
        seen_by_analyst = person_dossier(session, analyst, police).non_punishment
        seen_by_supervisor = person_dossier(session, supervisor, police).non_punishment
        on_the_identity = identity_profile(session, analyst, identity_id).non_punishment
        on_the_stranger = person_dossier(session, analyst, stranger).non_punishment
    assert seen_by_analyst is not None
    assert on_the_identity is not None
    # the police record, not the one the case was opened for, carries it: the same identity
    assert seen_by_analyst.case_ids is None  # special category: the analyst learns the flag, not the case
    assert "consider non-punishment" in seen_by_analyst.detail
    assert "Article 8" in seen_by_analyst.detail
    assert "victim case" not in seen_by_analyst.detail
    assert seen_by_supervisor is not None
    assert seen_by_supervisor.case_ids == [case_id]
    assert f"victim case {case_id}" in seen_by_supervisor.detail
    assert on_the_stranger is None


def test_the_flag_follows_the_latest_assessment(node: Node, tmp_path: Path) -> None:
    border, police, _ = _one_identity(node, tmp_path)
    officer = person(node, "officer1", "border_officer")
    worker = person(node, "caseworker", "victim_support")
    supervisor = person(node, "sup", "supervisor")
    with transaction(node.engine) as session:
        case_id = open_case(session, officer, CaseIn(person_id=police)).id
        first = record_assessment(session, worker, case_id, AssessmentIn.model_validate(_assessment(NOT_PRESUMED)))
        assert person_dossier(session, supervisor, border).non_punishment is None
        revision = {**_assessment(PRESUMED), "reason": "second interview: the debt and the passport kept"}
        revise_assessment(session, worker, first.id, RevisionIn.model_validate(revision))
        flag = person_dossier(session, supervisor, border).non_punishment
    assert flag is not None
    assert flag.case_ids == [case_id]


def test_the_flag_reaches_the_api_and_the_pages(node: Node, tmp_path: Path) -> None:
    border, police, identity_id = _one_identity(node, tmp_path)
    officer = person(node, "officer1", "border_officer")
    worker = person(node, "caseworker", "victim_support")
    with transaction(node.engine) as session:
        case_id = open_case(session, officer, CaseIn(person_id=border)).id
        record_assessment(session, worker, case_id, AssessmentIn.model_validate(_assessment(PRESUMED)))
    person(node, "ana", "analyst", basis="criminal_investigation")
    headers = bearer(make_token(node, "ana"), "criminal_investigation")
    with TestClient(create_app(node, warm_up=False), base_url="https://testserver") as client:
        record = client.get(f"/api/v1/persons/{police}", headers=headers)
        assert record.status_code == 200, record.text
        flag = record.json()["non_punishment"]
        assert flag["case_ids"] is None
        assert "consider non-punishment" in flag["detail"]
        identity = client.get(f"/api/v1/identities/{identity_id}", headers=headers)
        assert identity.status_code == 200, identity.text
        assert identity.json()["non_punishment"]["case_ids"] is None
