"""Indicator assessments: which ILO/EC indicators were observed, by whom and when, and the rule's explained result.

Append-only. The first assessment of a case is version 1; a revision is a new row, the next version, naming the row
it revises and saying why; nothing is updated or deleted, so the history shows every result and what it rested on.
Only the latest version can be revised (two caseworkers revising the same version: the second is refused).
Recording and revising need ``victims.assess``, reading ``victims.read``; both consult special-category data and
need a justification; each is logged.
"""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, ConfigDict, Field, field_validator
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from palermo.auth.access import guard
from palermo.auth.actor import Actor
from palermo.db.victims import VictimAssessment, VictimCase, VictimObservation
from palermo.errors import Conflict, NotFound
from palermo.victims.cases import find_case
from palermo.victims.catalogue import list_for
from palermo.victims.population import Population, population_of
from palermo.victims.rule import RuleOutcome, apply_rule, rule_parameters
from palermo.victims.sealing import opened, seal_fields

MAX_OBSERVATIONS = 100


class ObservationIn(BaseModel):
    """One indicator observed: its id on the list, who observed it and when (default: the interview's)."""

    model_config = ConfigDict(extra="forbid")

    indicator: str = Field(min_length=1, max_length=64)
    observed_by: str | None = Field(None, min_length=1, max_length=200)
    observed_at: dt.datetime | None = None
    note: str | None = Field(None, max_length=2000)


class AssessmentIn(BaseModel):
    """A structured interview: the form of exploitation, adult or child, and the indicators observed."""

    model_config = ConfigDict(extra="forbid")

    exploitation: str = Field(pattern="^(labour|sexual)$", description="labour or sexual")
    population: Population | None = Field(
        None, description="adult or child; omitted: read from the case's date of birth (presumption of minority)"
    )
    interviewed_at: dt.datetime | None = Field(None, description="When the interview took place (default: now)")
    interviewer: str | None = Field(None, min_length=1, max_length=200, description="Default: who records it")
    observations: list[ObservationIn] = Field(default_factory=list, max_length=MAX_OBSERVATIONS)
    note: str | None = Field(None, max_length=4000)

    @field_validator("observations")
    @classmethod
    def _once_each(cls, observations: list[ObservationIn]) -> list[ObservationIn]:
        ids = [o.indicator for o in observations]
        twice = sorted({i for i in ids if ids.count(i) > 1})
        if twice:
            raise ValueError(f"each indicator is recorded once; repeated: {', '.join(twice)}")
        return observations


class RevisionIn(AssessmentIn):
    reason: str = Field(min_length=1, max_length=2000, description="Why the assessment is revised")


class ObservationView(BaseModel):
    model_config = ConfigDict(frozen=True)

    indicator: str
    observed_by: str
    observed_at: str
    note: str | None


class AssessmentView(BaseModel):
    """One version of a case's assessment, with the rule's explained result and what it rested on."""

    model_config = ConfigDict(frozen=True)

    id: int
    case_id: int
    version: int
    revises_id: int | None
    revised_by_id: int | None = Field(description="The version that replaced this one, if any")
    revision_reason: str | None
    recorded_at: str
    recorded_by: str
    interviewed_at: str
    interviewer: str
    indicator_list: str
    population_basis: str
    population_detail: str
    presumed_victim: bool
    outcome: RuleOutcome
    observations: list[ObservationView]
    note: str | None


def _aware(at: dt.datetime | None) -> dt.datetime:
    at = at or dt.datetime.now(dt.UTC)
    return at if at.tzinfo else at.replace(tzinfo=dt.UTC)


def _view(session: Session, row: VictimAssessment) -> AssessmentView:
    observations = session.scalars(
        select(VictimObservation).where(VictimObservation.assessment_id == row.id).order_by(VictimObservation.id)
    )
    outcome = opened(session, row, "outcome")
    revised_by = session.scalar(select(VictimAssessment.id).where(VictimAssessment.revises_id == row.id))
    return AssessmentView(
        id=row.id,
        case_id=row.case_id,
        version=row.version,
        revises_id=row.revises_id,
        revised_by_id=revised_by,
        revision_reason=opened(session, row, "revision_reason"),
        recorded_at=str(row.recorded_at),
        recorded_by=row.recorded_by,
        interviewed_at=str(row.interviewed_at),
        interviewer=row.interviewer,
        indicator_list=row.indicator_list,
        population_basis=row.population_basis,
        population_detail=outcome["population_detail"],
        presumed_victim=row.presumed_victim,
        outcome=RuleOutcome.model_validate(outcome["rule"]),
        observations=[
            ObservationView(
                indicator=opened(session, o, "indicator_id"),
                observed_by=o.observed_by,
                observed_at=str(o.observed_at),
                note=opened(session, o, "note"),
            )
            for o in observations
        ],
        note=opened(session, row, "note"),
    )


def _store(
    session: Session, actor: Actor, case: VictimCase, request: AssessmentIn, previous: VictimAssessment | None
) -> VictimAssessment:
    interviewed_at = _aware(request.interviewed_at)
    population, basis, detail = population_of(
        request.population,
        opened(session, case, "subject").get("birth_date"),
        interviewed_at.date(),
        rule_parameters().adult_age,
    )
    listed = list_for(population, request.exploitation)
    outcome = apply_rule(listed, [o.indicator for o in request.observations])
    interviewer = request.interviewer or actor.name
    row = VictimAssessment(
        case_id=case.id,
        version=previous.version + 1 if previous else 1,
        revises_id=previous.id if previous else None,
        recorded_by=actor.name,
        interviewed_at=interviewed_at,
        interviewer=interviewer,
        indicator_list=listed.id,
        population_basis=basis,
        presumed_victim=outcome.presumed_victim,
        rule_version=outcome.rule_version,
    )
    try:
        seal_fields(
            session,
            row,
            outcome={"population_detail": detail, "rule": outcome.model_dump(mode="json")},
            note=request.note,
            revision_reason=request.reason if isinstance(request, RevisionIn) else None,
        )
        session.flush()
    except IntegrityError:
        raise Conflict(
            f"victim case {case.id} was assessed again meanwhile; read its history and revise the latest"
        ) from None
    for o in request.observations:
        observation = VictimObservation(
            assessment_id=row.id,
            observed_by=o.observed_by or interviewer,
            observed_at=_aware(o.observed_at or interviewed_at),
        )
        seal_fields(session, observation, indicator_id=o.indicator, note=o.note)
    session.flush()
    return row


def _latest(session: Session, case_id: int) -> VictimAssessment | None:
    query = select(VictimAssessment).where(VictimAssessment.case_id == case_id)
    return session.scalars(query.order_by(VictimAssessment.version.desc()).limit(1)).first()


def record_assessment(session: Session, actor: Actor, case_id: int, request: AssessmentIn) -> AssessmentView:
    """The first assessment of a case (version 1); a case already assessed is revised instead."""
    guard(session, actor, "victims.assess", subject=f"victim_case:{case_id}")
    case = find_case(session, case_id)
    latest = _latest(session, case_id)
    if latest is not None:
        raise Conflict(
            f"victim case {case_id} already has an assessment (version {latest.version}, id {latest.id}); "
            "revise it instead of recording a new one"
        )
    return _view(session, _store(session, actor, case, request, None))


def revise_assessment(session: Session, actor: Actor, assessment_id: int, request: RevisionIn) -> AssessmentView:
    """A new version of the latest assessment of a case, naming it and saying why; the old version stays."""
    guard(session, actor, "victims.assess", subject=f"victim_assessment:{assessment_id}")
    previous = session.get(VictimAssessment, assessment_id)
    if previous is None:
        raise NotFound(f"no victim assessment {assessment_id}")
    latest = _latest(session, previous.case_id)
    if latest is not None and latest.id != previous.id:
        raise Conflict(
            f"assessment {assessment_id} (version {previous.version}) was already revised; "
            f"the latest is version {latest.version} (id {latest.id})"
        )
    return _view(session, _store(session, actor, find_case(session, previous.case_id), request, previous))


def get_assessment(session: Session, actor: Actor, assessment_id: int) -> AssessmentView:
    guard(session, actor, "victims.read", subject=f"victim_assessment:{assessment_id}")
    row = session.get(VictimAssessment, assessment_id)
    if row is None:
        raise NotFound(f"no victim assessment {assessment_id}")
    return _view(session, row)


def assessment_history(session: Session, actor: Actor, case_id: int) -> list[AssessmentView]:
    """Every version of a case's assessment, oldest first."""
    guard(session, actor, "victims.read", subject=f"victim_case:{case_id}")
    find_case(session, case_id)
    rows = session.scalars(
        select(VictimAssessment).where(VictimAssessment.case_id == case_id).order_by(VictimAssessment.version)
    )
    return [_view(session, r) for r in rows]
