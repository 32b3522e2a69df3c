"""Cases and assessments on both stores: append-only revisions, the child rule from a date of birth, permissions,
and the audit entries of every access."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from pydantic import ValidationError
from sqlalchemy import func, select

from palermo.db.engine import transaction
from palermo.db.persons import PersonRecord
from palermo.db.victims import VictimAssessment, VictimObservation
from palermo.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from palermo.node import Node
from palermo.victims.assessments import (
    AssessmentIn,
    RevisionIn,
    assessment_history,
    get_assessment,
    record_assessment,
    revise_assessment,
)
from palermo.victims.case_file import get_case
from palermo.victims.cases import CaseIn, CaseSubject, list_cases, open_case
from tests.factories import add_persons
from tests.victims.helpers import audit_entries, person, refused

INTERVIEW = dt.datetime(2026, 11, 3, 10, 0, tzinfo=dt.UTC)
ADULT_SIGNS = ["dr.job_nature", "dr.wages", "ec.excessive_hours", "ec.low_pay"]  # action + purpose, no means
MEANS = ["cd.documents", "cd.debt"]


def opened(node: Node, birth_date: str | None = "1990-05-17") -> int:
    officer = person(node, "officer1", "border_officer")
    with transaction(node.engine) as session:
        subject = CaseSubject(names=["Ana Popescu"], birth_date=birth_date, nationality="ROU", sex="F")
        return open_case(session, officer, CaseIn(subject=subject, note="met at second line")).id


def assessment(observed: list[str], **fields: object) -> AssessmentIn:
    return AssessmentIn.model_validate(
        {"exploitation": "labour", "interviewed_at": INTERVIEW, "observations": [{"indicator": i} for i in observed]}
        | fields
    )


def test_an_assessment_records_who_observed_what_and_the_explained_result(node: Node) -> None:
    case_id = opened(node)
    worker = person(node, "caseworker", "victim_support")
    request = assessment(ADULT_SIGNS + MEANS, interviewer="M. Ionescu (interpreter present)")
    request.observations[0].observed_by = "border officer at second line"
    with transaction(node.engine) as session:
        first = record_assessment(session, worker, case_id, request)
    assert (first.version, first.revises_id, first.indicator_list) == (1, None, "adult_labour")
    assert first.presumed_victim
    assert first.outcome.presumed_victim
    assert first.population_basis == "birth_date"
    assert first.population_detail == "assessed as an adult: born 1990-05-17, at least 36 on 2026-11-03"
    assert first.recorded_by == "user:caseworker"
    assert first.interviewer == "M. Ionescu (interpreter present)"
    assert [(o.indicator, o.observed_by) for o in first.observations][:2] == [
        ("dr.job_nature", "border officer at second line"),
        ("dr.wages", "M. Ionescu (interpreter present)"),
    ]
    assert first.observations[0].observed_at.startswith("2026-11-03")
    with transaction(node.engine) as session:
        case = get_case(session, worker, case_id)
    assert (case.presumed_victim, case.latest_assessment_id, case.assessment_versions) == (True, first.id, 1)


def test_a_revision_is_a_new_version_and_the_history_keeps_every_result(node: Node) -> None:
    case_id = opened(node)
    worker = person(node, "caseworker", "victim_support")
    with transaction(node.engine) as session:
        first = record_assessment(session, worker, case_id, assessment(ADULT_SIGNS))
    assert not first.presumed_victim
    revision = RevisionIn.model_validate(
        assessment(ADULT_SIGNS + MEANS).model_dump() | {"reason": "second interview: passport held by the employer"}
    )
    with transaction(node.engine) as session:
        second = revise_assessment(session, worker, first.id, revision)
    assert (second.version, second.revises_id, second.presumed_victim) == (2, first.id, True)
    with transaction(node.engine) as session:
        history = assessment_history(session, worker, case_id)
        old = get_assessment(session, worker, first.id)
        rows = session.scalar(select(func.count()).select_from(VictimAssessment))
        observations = session.scalar(select(func.count()).select_from(VictimObservation))
    assert [(h.version, h.presumed_victim) for h in history] == [(1, False), (2, True)]
    assert (old.presumed_victim, old.revised_by_id, len(old.observations)) == (False, second.id, 4)
    assert history[1].revision_reason == "second interview: passport held by the employer"
    assert (rows, observations) == (2, 4 + 6)
    with (
        pytest.raises(Conflict, match=r"latest is version 2"),
        transaction(node.engine) as session,
    ):
        revise_assessment(session, worker, first.id, revision)
    with refused(node, Conflict, r"already has an assessment .version 2") as session:
        record_assessment(session, worker, case_id, assessment(MEANS))


def test_a_child_by_date_of_birth_is_assessed_under_the_child_rule(node: Node) -> None:
    case_id = opened(node, birth_date="2009")  # could be 16 or 17 on the interview date: a child
    worker = person(node, "caseworker", "victim_support")
    with transaction(node.engine) as session:
        result = record_assessment(session, worker, case_id, assessment(ADULT_SIGNS))
    assert (result.indicator_list, result.presumed_victim) == ("child_labour", True)
    assert result.population_detail == "assessed as a child: born 2009, possibly only 16 on 2026-11-03"


def test_without_a_date_of_birth_the_population_must_be_stated(node: Node) -> None:
    case_id = opened(node, birth_date=None)
    worker = person(node, "caseworker", "victim_support")
    with (
        pytest.raises(InvalidInput, match=r"state whether .* adult or a child"),
        transaction(node.engine) as session,
    ):
        record_assessment(session, worker, case_id, assessment(ADULT_SIGNS))
    with transaction(node.engine) as session:
        stated = record_assessment(session, worker, case_id, assessment(ADULT_SIGNS, population="child"))
    assert (stated.population_basis, stated.indicator_list, stated.presumed_victim) == ("stated", "child_labour", True)


def test_bad_input_is_refused_clearly(node: Node) -> None:
    case_id = opened(node)
    worker = person(node, "caseworker", "victim_support")
    with pytest.raises(ValidationError, match=r"each indicator is recorded once; repeated: cd.debt"):
        assessment(["cd.debt", "cd.debt"])
    with (
        pytest.raises(InvalidInput, match=r"'vd.nothing' is not on the adult_"),
        transaction(node.engine) as session,
    ):
        record_assessment(session, worker, case_id, assessment(["vd.nothing"]))
    with refused(node, NotFound, r"no victim case 999") as session:
        record_assessment(session, worker, 999, assessment([]))


def test_only_victim_support_and_supervisors_read_and_the_opening_officer_does_not(node: Node) -> None:
    case_id = opened(node)
    officer = person(node, "officer2", "border_officer")
    analyst = person(node, "analyst", "analyst")
    supervisor = person(node, "boss", "supervisor")
    for outsider in (officer, analyst):
        with (
            pytest.raises(PermissionDenied, match=r"permission 'victims.read'"),
            transaction(node.engine) as session,
        ):
            get_case(session, outsider, case_id)
        with (
            pytest.raises(PermissionDenied, match=r"permission 'victims.assess'"),
            transaction(node.engine) as session,
        ):
            record_assessment(session, outsider, case_id, assessment([]))
    with transaction(node.engine) as session:
        assert [c.id for c in list_cases(session, supervisor)] == [case_id]
    refusals = audit_entries(node, "refusal")
    assert [(e.actor, e.details["permission"]) for e in refusals] == [
        ("user:officer2", "victims.read"),
        ("user:officer2", "victims.assess"),
        ("user:analyst", "victims.read"),
        ("user:analyst", "victims.assess"),
    ]
    assert refusals[0].objects == [{"type": "victim_case", "id": str(case_id)}]


def test_every_access_is_logged_with_its_justification_and_none_goes_without_one(node: Node) -> None:
    case_id = opened(node)
    worker = person(node, "caseworker", "victim_support")
    with transaction(node.engine) as session:
        record_assessment(session, worker, case_id, assessment(ADULT_SIGNS))
        get_case(session, worker, case_id)
    logged = [(e.action, e.actor, e.details["permission"], e.justification) for e in audit_entries(node)]
    assert ("collection", "user:officer1", "victims.open", "legal_basis:victim_protection") in logged
    assert ("collection", "user:caseworker", "victims.assess", "legal_basis:victim_protection") in logged
    assert ("consultation", "user:caseworker", "victims.read", "legal_basis:victim_protection") in logged
    unjustified = person(node, "hasty", "victim_support", justified=False)
    with (
        pytest.raises(PermissionDenied, match=r"needs a justification"),
        transaction(node.engine) as session,
    ):
        get_case(session, unjustified, case_id)


def test_a_case_for_a_person_record_takes_the_record_as_known(node: Node, tmp_path: Path) -> None:
    add_persons(node, tmp_path, [["v1", "Moldovan", "Elena"]])
    officer = person(node, "officer1", "border_officer")
    with transaction(node.engine) as session:
        record_id = session.scalars(select(PersonRecord.id)).one()
        opened = open_case(session, officer, CaseIn(person_id=record_id))
    assert (opened.person_id, opened.origin, opened.opened_by) == (record_id, "manual", "user:officer1")
    assert opened.subject["names"] == ["Elena Moldovan"]
    assert opened.subject["birth_date"] == "1990-05-17"
    with refused(node, NotFound, "no identity 999") as session:
        open_case(session, officer, CaseIn(identity_id=999))
    with refused(node, InvalidInput, "a victim case is opened for a person record") as session:
        open_case(session, officer, CaseIn())
    [opening] = [e for e in audit_entries(node, "collection") if e.details.get("permission") == "victims.open"]
    assert opening.objects == [{"type": "person", "id": str(record_id)}]
