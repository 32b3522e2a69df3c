"""A person record with what hangs off it: identity documents, border crossings, alerts and the identity.

One guarded read (``persons.read``, through :func:`palermo.persons.lookup.get_person`); the alerts are listed only
for actors who may read alerts (``alerts.read``), others see how many there are. Special-category documents,
crossings and alerts of an ordinary record are left out for actors without ``victims.read`` and only counted
(``hidden``), as the identity page does.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import BaseModel, ConfigDict
from sqlalchemy import ColumnElement, Select, func, select, true
from sqlalchemy.orm import InstrumentedAttribute, Session

from palermo.auth.actor import Actor
from palermo.auth.permissions import effective_permissions
from palermo.db.alerts import Alert
from palermo.db.identities import Identity, IdentityMember
from palermo.db.persons import IdentityDocument
from palermo.db.travel import BorderPoint, TravelEvent
from palermo.persons.lookup import get_person
from palermo.persons.views import PersonView, may_see_special
from palermo.victims.non_punishment import NonPunishmentFlag, record_flag

CROSSINGS_SHOWN = 50  # the newest crossings listed on the record; the total is always given
ALERTS_PERMISSION = "alerts.read"


class DocumentLine(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: int
    document_type: str
    number: str
    issuing_state: str
    issue_date: dt.date | None
    expiry_date: dt.date | None


class CrossingLine(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: int
    occurred_at: dt.datetime
    direction: str
    border_point: str
    border_point_name: str
    mode: str
    carrier: str | None
    service_number: str | None


class AlertLine(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: int
    created_at: dt.datetime
    kind: str
    decision: str | None
    status: str
    disposition: str | None


class PersonDossier(BaseModel):
    """The record, its documents, its newest crossings with their total, its alerts (``None``: not for this actor,
    only counted), and the identity entity resolution put it in."""

    model_config = ConfigDict(frozen=True)

    person: PersonView
    documents: tuple[DocumentLine, ...]
    crossings: tuple[CrossingLine, ...]
    crossings_total: int
    alerts: tuple[AlertLine, ...] | None
    alerts_total: int
    identity_id: int | None
    identity_size: int | None
    hidden: int  # special-category documents, crossings and alerts left out for this actor
    non_punishment: NonPunishmentFlag | None = None  # a presumed victim of trafficking (palermo.victims.non_punishment)


def _visible(sensitivity: ColumnElement[str] | InstrumentedAttribute[str], special: bool) -> ColumnElement[bool]:
    """Rows of any sensitivity for actors who may see special-category data, ordinary rows for the others."""
    return true() if special else sensitivity == "ordinary"


def _count(session: Session, query: Select[Any]) -> int:
    return session.scalar(select(func.count()).select_from(query.subquery())) or 0


def person_dossier(session: Session, actor: Actor, person_id: int) -> PersonDossier:
    """Everything the record page shows; :class:`NotFound` as :func:`get_person`."""
    person = get_person(session, actor, person_id)
    special = may_see_special(actor)
    all_documents = select(IdentityDocument).where(IdentityDocument.person_id == person_id)
    all_crossings = select(TravelEvent.id).where(TravelEvent.person_id == person_id)
    all_alerts = select(Alert).where(Alert.person_id == person_id)
    documents = session.scalars(
        all_documents.where(_visible(IdentityDocument.sensitivity, special)).order_by(IdentityDocument.id)
    ).all()
    crossings = session.execute(
        select(TravelEvent, BorderPoint.code, BorderPoint.name)
        .join(BorderPoint, BorderPoint.id == TravelEvent.border_point_id)
        .where(TravelEvent.person_id == person_id, _visible(TravelEvent.sensitivity, special))
        .order_by(TravelEvent.occurred_at.desc(), TravelEvent.id.desc())
        .limit(CROSSINGS_SHOWN)
    ).all()
    crossings_total = _count(session, all_crossings.where(_visible(TravelEvent.sensitivity, special)))
    alerts = session.scalars(all_alerts.where(_visible(Alert.sensitivity, special)).order_by(Alert.id.desc())).all()
    hidden = 0
    if not special:
        hidden = (
            _count(session, all_documents)
            - len(documents)
            + _count(session, all_crossings)
            - crossings_total
            + _count(session, all_alerts)
            - len(alerts)
        )
    identity = session.execute(
        select(Identity.id, Identity.size)
        .join(IdentityMember, IdentityMember.identity_id == Identity.id)
        .where(IdentityMember.person_id == person_id, Identity.retired_at.is_(None))
    ).first()
    may_read_alerts = ALERTS_PERMISSION in effective_permissions(actor)
    return PersonDossier(
        person=person,
        documents=tuple(
            DocumentLine(
                id=d.id,
                document_type=d.document_type,
                number=d.number,
                issuing_state=d.issuing_state,
                issue_date=d.issue_date,
                expiry_date=d.expiry_date,
            )
            for d in documents
        ),
        crossings=tuple(
            CrossingLine(
                id=event.id,
                occurred_at=event.occurred_at,
                direction=event.direction,
                border_point=code,
                border_point_name=name,
                mode=event.mode,
                carrier=event.carrier,
                service_number=event.service_number,
            )
            for event, code, name in crossings
        ),
        crossings_total=crossings_total,
        alerts=tuple(
            AlertLine(
                id=a.id,
                created_at=a.created_at,
                kind=a.kind,
                decision=a.decision,
                status=a.status,
                disposition=a.disposition,
            )
            for a in alerts
        )
        if may_read_alerts
        else None,
        alerts_total=len(alerts),
        identity_id=identity.id if identity else None,
        identity_size=identity.size if identity else None,
        hidden=hidden,
        non_punishment=record_flag(session, actor, person_id, identity.id if identity else None),
    )
