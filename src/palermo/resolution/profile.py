"""The identity profile an analyst reads: an identity's records with provenance (source and ingest run) and handling,
their documents, the travel timeline, their alerts, every link with each comparison's match weight in words, and
the judgements already given on its records.

Built on :func:`palermo.resolution.identities.get_identity` (the guarded read of ``identities.read``, which leaves
special-category records out for an actor without ``victims.read`` and counts them): documents, crossings, alerts and
judgements are only ever those of the records shown, and a document or crossing that is itself special-category is
left out (and counted) the same way. Alerts come only for an actor who holds ``alerts.read`` (recorded as such).
"""

from __future__ import annotations

import datetime as dt
from pathlib import PurePath

from pydantic import BaseModel, ConfigDict
from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from palermo.auth.access import guard
from palermo.auth.actor import Actor
from palermo.auth.permissions import effective_permissions
from palermo.db.alerts import Alert
from palermo.db.identities import MatchJudgement
from palermo.db.persons import IdentityDocument, PersonRecord
from palermo.db.reference import IngestRun
from palermo.db.travel import BorderPoint, TravelEvent
from palermo.explanation import Feature
from palermo.persons.lookup import may_see_special
from palermo.resolution.identities import IdentityView, LinkView, get_identity
from palermo.resolution.link_features import PRIOR, comparison_label
from palermo.victims.non_punishment import NonPunishmentFlag, non_punishment_flag


class IngestLine(BaseModel):
    """The ingest run a record came in with."""

    model_config = ConfigDict(frozen=True)

    id: int
    kind: str
    file: str
    actor: str
    started_at: dt.datetime


class DocumentLine(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: int
    person_id: int
    document_type: str
    number: str
    issuing_state: str
    issue_date: dt.date | None
    expiry_date: dt.date | None
    handling: str


class CrossingLine(BaseModel):
    """One crossing of the travel timeline."""

    model_config = ConfigDict(frozen=True)

    id: int
    person_id: int
    occurred_at: dt.datetime
    border_point: str
    border_point_name: str
    direction: str
    mode: str
    carrier: str | None
    service_number: str | None
    origin_country: str | None
    destination_country: str | None
    handling: str


class AlertLine(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: int
    person_id: int
    created_at: dt.datetime
    kind: str
    decision: str | None
    status: str
    disposition: str | None
    score: float


class Evidence(BaseModel):
    """One comparison of a link: what was compared, the level reached, its match weight and that weight in words."""

    model_config = ConfigDict(frozen=True)

    comparison: str
    label: str
    detail: str
    weight: float
    words: str


class ExplainedLink(BaseModel):
    model_config = ConfigDict(frozen=True)

    link: LinkView
    words: str
    evidence: tuple[Evidence, ...]
    verdict: str | None  # the latest judgement on the pair, if any


class JudgementLine(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: int
    scope: str
    verdict: str
    left_person_id: int
    right_person_id: int
    left_identity_id: int | None  # a merge judgement's identities (recorded on a record of each)
    right_identity_id: int | None
    actor: str
    reason: str | None
    created_at: dt.datetime


class IdentityProfile(BaseModel):
    """Everything the identity page shows; ``alerts`` is None for an actor without ``alerts.read``."""

    model_config = ConfigDict(frozen=True)

    identity: IdentityView
    ingests: dict[int, IngestLine]
    links: tuple[ExplainedLink, ...]
    documents: tuple[DocumentLine, ...]
    crossings: tuple[CrossingLine, ...]
    alerts: tuple[AlertLine, ...] | None
    judgements: tuple[JudgementLine, ...]
    hidden_items: int  # special-category documents and crossings of the records shown, left out
    non_punishment: NonPunishmentFlag | None = None  # a presumed victim of trafficking (palermo.victims.non_punishment)


def _times(factor: float) -> str:
    return f"{factor:,.0f}" if factor >= 10 else f"{factor:.1f}"


def weight_in_words(feature: Feature) -> str:
    """A match weight (log2 of a Bayes factor) as a sentence: how much more likely the evidence makes one answer."""
    if feature.id == PRIOR:
        return f"two records taken at random: 1 chance in {_times(2**-feature.weight + 1)} of one person"
    factor = 2 ** abs(feature.weight)
    if feature.value < 0:
        return "not compared: missing on one of the records"
    if _times(factor) == "1.0":
        return "no evidence either way"
    side = "the same person" if feature.weight > 0 else "two different people"
    return f"{_times(factor)} times more likely if they are {side}"


def link_in_words(link: LinkView) -> str:
    """The link's total weight as odds, and its probability."""
    odds = 2 ** abs(link.match_weight)
    side = "for" if link.match_weight >= 0 else "against"
    return (
        f"odds of {_times(odds)} to 1 {side} one person after every comparison "
        f"(match weight {link.match_weight:+.1f}, probability {link.match_probability:.1%})"
    )


def _explained(link: LinkView, verdicts: dict[tuple[int, int], str]) -> ExplainedLink:
    evidence = tuple(
        Evidence(
            comparison=f.id,
            label=comparison_label(f.id),
            detail=f.detail,
            weight=f.weight,
            words=weight_in_words(f),
        )
        for f in link.features
    )
    pair = (min(link.left_person_id, link.right_person_id), max(link.left_person_id, link.right_person_id))
    return ExplainedLink(link=link, words=link_in_words(link), evidence=evidence, verdict=verdicts.get(pair))


def _ingests(session: Session, ids: set[int]) -> dict[int, IngestLine]:
    query = (
        select(PersonRecord.id, IngestRun)
        .join(IngestRun, IngestRun.id == PersonRecord.ingest_run_id)
        .where(PersonRecord.id.in_(ids))
    )
    return {
        person: IngestLine(
            id=run.id, kind=run.kind, file=PurePath(run.path).name, actor=run.actor, started_at=run.started_at
        )
        for person, run in session.execute(query)
    }


def _documents(session: Session, ids: set[int], special: bool) -> tuple[list[DocumentLine], int]:
    query = select(IdentityDocument).where(IdentityDocument.person_id.in_(ids)).order_by(IdentityDocument.id)
    found = list(session.scalars(query))
    shown = [d for d in found if special or d.sensitivity == "ordinary"]
    lines = [
        DocumentLine(
            id=d.id,
            person_id=d.person_id or 0,
            document_type=d.document_type,
            number=d.number,
            issuing_state=d.issuing_state,
            issue_date=d.issue_date,
            expiry_date=d.expiry_date,
            handling=d.handling,
        )
        for d in shown
    ]
    return lines, len(found) - len(shown)


def _crossings(session: Session, ids: set[int], special: bool) -> tuple[list[CrossingLine], int]:
    query = (
        select(TravelEvent, BorderPoint.code, BorderPoint.name)
        .join(BorderPoint, BorderPoint.id == TravelEvent.border_point_id)
        .where(TravelEvent.person_id.in_(ids))
        .order_by(TravelEvent.occurred_at, TravelEvent.id)
    )
    found = list(session.execute(query))
    shown = [(e, code, name) for e, code, name in found if special or e.sensitivity == "ordinary"]
    lines = [
        CrossingLine(
            id=e.id,
            person_id=e.person_id,
            occurred_at=e.occurred_at,
            border_point=code,
            border_point_name=name,
            direction=e.direction,
            mode=e.mode,
            carrier=e.carrier,
            service_number=e.service_number,
            origin_country=e.origin_country,
            destination_country=e.destination_country,
            handling=e.handling,
        )
        for e, code, name in shown
    ]
    return lines, len(found) - len(shown)


def _alerts(session: Session, actor: Actor, identity_id: int, ids: set[int]) -> tuple[AlertLine, ...] | None:
    if "alerts.read" not in effective_permissions(actor):
        return None
    guard(session, actor, "alerts.read", subject=f"identities:{identity_id}")
    query = select(Alert).where(Alert.person_id.in_(ids)).order_by(Alert.created_at.desc(), Alert.id.desc())
    return tuple(
        AlertLine(
            id=a.id,
            person_id=a.person_id or 0,
            created_at=a.created_at,
            kind=a.kind,
            decision=a.decision,
            status=a.status,
            disposition=a.disposition,
            score=a.score,
        )
        for a in session.scalars(query)
    )


def _judgements(session: Session, ids: set[int], special: bool) -> list[JudgementLine]:
    """Judgements on a pair with a record shown, whose other record the actor may see too (oldest first)."""
    query = select(MatchJudgement).where(
        or_(MatchJudgement.left_person_id.in_(ids), MatchJudgement.right_person_id.in_(ids))
    )
    rows = list(session.scalars(query.order_by(MatchJudgement.id)))
    others = {r.left_person_id for r in rows} | {r.right_person_id for r in rows}
    query_sensitivity = select(PersonRecord.id, PersonRecord.sensitivity).where(PersonRecord.id.in_(others))
    sensitivity = dict(session.execute(query_sensitivity).all())
    return [
        JudgementLine(
            id=r.id,
            scope=r.scope,
            verdict=r.verdict,
            left_person_id=r.left_person_id,
            right_person_id=r.right_person_id,
            left_identity_id=r.left_identity_id,
            right_identity_id=r.right_identity_id,
            actor=r.actor,
            reason=r.reason,
            created_at=r.created_at,
        )
        for r in rows
        if special or all(sensitivity.get(p) == "ordinary" for p in (r.left_person_id, r.right_person_id))
    ]


def identity_profile(session: Session, actor: Actor, identity_id: int) -> IdentityProfile:
    """The identity page's content for ``actor`` (see the module docstring); needs ``identities.read``."""
    identity = get_identity(session, actor, identity_id)
    special = may_see_special(actor)
    ids = {r.id for r in identity.records}
    documents, hidden_documents = _documents(session, ids, special)
    crossings, hidden_crossings = _crossings(session, ids, special)
    judgements = _judgements(session, ids, special)
    verdicts = {(j.left_person_id, j.right_person_id): j.verdict for j in judgements}
    return IdentityProfile(
        identity=identity,
        ingests=_ingests(session, ids),
        links=tuple(_explained(link, verdicts) for link in identity.links),
        documents=tuple(documents),
        crossings=tuple(crossings),
        alerts=_alerts(session, actor, identity_id, ids),
        judgements=tuple(judgements),
        hidden_items=hidden_documents + hidden_crossings,
        non_punishment=non_punishment_flag(session, actor, ids, {identity_id}),
    )
