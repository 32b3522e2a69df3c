"""Victim cases: opened for a person (a record, an identity, or the person as met), read only with ``victims.read``.

A case is opened by hand (``victims.open``: a border officer, a caseworker) or by a border ``protect`` decision
(``palermo.victims.protection``). Opening is allowed to the border officer; reading is not (docs/victims.md, "Who
reads a case"): the officer hands the person over to victim support, whose caseworkers and supervisors read it.
"""

from __future__ import annotations

import re
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator
from sqlalchemy import select
from sqlalchemy.orm import Session

from palermo.auth.access import guard
from palermo.auth.actor import Actor
from palermo.db.identities import Identity
from palermo.db.persons import PersonRecord
from palermo.db.victims import CASE_STATUSES, VictimAssessment, VictimCase
from palermo.errors import InvalidInput, NotFound
from palermo.victims.htcds_spec import record_problems
from palermo.victims.sealing import opened, seal_fields

MAX_LIST = 500
PARTIAL_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


class CaseSubject(BaseModel):
    """The person as known when the case is opened."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    names: list[str] = Field(default_factory=list, max_length=20)
    birth_date: str | None = Field(
        None, pattern=r"^\d{4}(-\d{2}(-\d{2})?)?$", description="YYYY, YYYY-MM or YYYY-MM-DD"
    )
    nationality: str | None = Field(None, max_length=3)
    sex: str | None = Field(None, pattern="^[MFX]$")
    document_numbers: list[str] = Field(default_factory=list, max_length=10)
    htcds: dict[str, Any] | None = Field(
        None, description="The IOM HTCDS 2.0 record the case was imported from, as received (docs/victims.md)"
    )

    @field_validator("htcds")
    @classmethod
    def _htcds_record(cls, record: dict[str, Any] | None) -> dict[str, Any] | None:
        problems = record_problems(record) if record is not None else []
        if problems:
            raise ValueError("; ".join(problems))
        return record


class CaseIn(BaseModel):
    """A case opened by hand: for a person record, an identity, or a person not in the store (by names)."""

    model_config = ConfigDict(extra="forbid")

    person_id: int | None = Field(None, ge=1)
    identity_id: int | None = Field(None, ge=1)
    subject: CaseSubject = Field(default_factory=CaseSubject)
    note: str | None = Field(None, max_length=4000)


class CaseSummary(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: int
    opened_at: str
    opened_by: str
    origin: str
    status: str
    person_id: int | None
    identity_id: int | None
    alert_id: int | None
    presumed_victim: bool | None = Field(description="The latest assessment's result; none before any assessment")


class CaseView(CaseSummary):
    """A case as a caseworker reads it: the person as known, the note, and the assessment chain's latest version."""

    subject: dict[str, Any]
    note: str | None
    latest_assessment_id: int | None
    assessment_versions: int


def _case(session: Session, case_id: int) -> VictimCase:
    case = session.get(VictimCase, case_id)
    if case is None:
        raise NotFound(f"no victim case {case_id}")
    return case


def _latest(session: Session, case_id: int) -> VictimAssessment | None:
    query = select(VictimAssessment).where(VictimAssessment.case_id == case_id)
    return session.scalars(query.order_by(VictimAssessment.version.desc()).limit(1)).first()


def _summary(session: Session, case: VictimCase) -> CaseSummary:
    latest = _latest(session, case.id)
    return CaseSummary(
        id=case.id,
        opened_at=str(case.opened_at),
        opened_by=case.opened_by,
        origin=case.origin,
        status=case.status,
        person_id=case.person_id,
        identity_id=case.identity_id,
        alert_id=case.alert_id,
        presumed_victim=latest.presumed_victim if latest else None,
    )


def case_view(session: Session, case: VictimCase) -> CaseView:
    latest = _latest(session, case.id)
    return CaseView(
        **_summary(session, case).model_dump(),
        subject=opened(session, case, "subject"),
        note=opened(session, case, "note"),
        latest_assessment_id=latest.id if latest else None,
        assessment_versions=latest.version if latest else 0,
    )


def _subject_of_record(record: PersonRecord, given: CaseSubject) -> CaseSubject:
    names = given.names or [n.full_name for n in record.names]
    return given.model_copy(
        update={"names": names, "birth_date": given.birth_date or record.birth_date, "sex": given.sex or record.sex}
    )


def new_case(
    session: Session,
    opened_by: str,
    *,
    origin: str,
    subject: CaseSubject,
    person_id: int | None = None,
    identity_id: int | None = None,
    alert_id: int | None = None,
    note: str | None = None,
) -> VictimCase:
    """Persist a case (the caller has guarded the action that opens it)."""
    case = VictimCase(
        opened_by=opened_by,
        origin=origin,
        status="open",
        person_id=person_id,
        identity_id=identity_id,
        alert_id=alert_id,
        handling="H0",
        sensitivity="special",
    )
    seal_fields(session, case, subject=subject.model_dump(mode="json"), note=note)
    return case


def open_case(session: Session, actor: Actor, request: CaseIn) -> CaseView:
    """Open a case by hand for a person record, an identity or a person named in ``subject``."""
    about = f"person:{request.person_id}" if request.person_id else f"identity:{request.identity_id}"
    guard(session, actor, "victims.open", subject=about if request.person_id or request.identity_id else "victims")
    subject = request.subject
    if request.person_id is not None:
        record = session.get(PersonRecord, request.person_id)
        if record is None:
            raise NotFound(f"no person record {request.person_id}")
        subject = _subject_of_record(record, subject)
    if request.identity_id is not None and session.get(Identity, request.identity_id) is None:
        raise NotFound(f"no identity {request.identity_id}")
    if request.person_id is None and request.identity_id is None and not subject.names:
        raise InvalidInput("a victim case is opened for a person record, an identity, or a person named in subject")
    case = new_case(
        session,
        actor.name,
        origin="manual",
        subject=subject,
        person_id=request.person_id,
        identity_id=request.identity_id,
        note=request.note,
    )
    return case_view(session, case)


def list_cases(session: Session, actor: Actor, *, status: str | None = None, limit: int = 100) -> list[CaseSummary]:
    """Cases, newest first, optionally of one status (``victims.read``, justified)."""
    guard(session, actor, "victims.read", subject="victim_cases")
    if status is not None and status not in CASE_STATUSES:
        raise InvalidInput(f"status {status!r} is not one of {', '.join(CASE_STATUSES)}", field="status")
    if not 1 <= limit <= MAX_LIST:
        raise InvalidInput(f"a list holds 1 to {MAX_LIST} cases", field="limit")
    query = select(VictimCase).order_by(VictimCase.id.desc()).limit(limit)
    query = query.where(VictimCase.status == status) if status else query
    return [_summary(session, c) for c in session.scalars(query)]


def find_case(session: Session, case_id: int) -> VictimCase:
    """The case, which must exist (:class:`NotFound`)."""
    return _case(session, case_id)
