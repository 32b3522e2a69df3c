"""Informed consent to share a victim's data: what, with whom, for which services, until when, withdrawn when.

A consent names one provider, the data categories (``victim_data_categories.yaml``) and the services
(``victim_services.yaml``, the purposes) it allows, the last day it is valid, who gave it (the person or, for a
child, the guardian), the language the person was informed in and who explained it. Withdrawal is recorded once,
attributed and dated; it stops every referral resting on the consent (``stopped_at``) and no referral can rest on
it again. Recording and withdrawing need ``victims.consent`` and a justification; each is logged.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from palermo.auth.access import guard
from palermo.auth.actor import Actor
from palermo.db.victims import VictimConsent, VictimReferral, VictimServiceProvider
from palermo.errors import Conflict, InvalidInput, NotFound
from palermo.logs import get_logger
from palermo.taxonomies import taxonomy
from palermo.victims.cases import find_case
from palermo.victims.providers import provider_by_key
from palermo.victims.sealing import opened, seal_fields

log = get_logger(__name__)


class ConsentIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    provider: str = Field(min_length=1, max_length=64, description="The provider's key")
    data_categories: list[str] = Field(min_length=1, max_length=20, description="victim_data_categories.yaml ids")
    services: list[str] = Field(min_length=1, max_length=10, description="victim_services.yaml ids: the purposes")
    valid_until: dt.date = Field(description="The last day the consent is valid")
    given_by: Literal["person", "guardian"] = "person"
    informed_in: str = Field(min_length=1, max_length=64, description="The language the person was informed in")
    explained_by: str | None = Field(None, min_length=1, max_length=200, description="Default: who records it")
    note: str | None = Field(None, max_length=2000)


class ConsentView(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: int
    case_id: int
    provider: str
    data_categories: list[str]
    services: list[str]
    valid_until: str
    given_by: str
    informed_in: str
    explained_by: str
    recorded_at: str
    recorded_by: str
    note: str | None
    withdrawn_at: str | None
    withdrawn_by: str | None
    withdrawal_note: str | None
    stopped_referrals: list[int] = Field(default_factory=list, description="Referrals stopped by the withdrawal")


def consent_view(session: Session, row: VictimConsent, stopped: list[int] | None = None) -> ConsentView:
    provider = session.get(VictimServiceProvider, row.provider_id)
    return ConsentView(
        id=row.id,
        case_id=row.case_id,
        provider=provider.key if provider else str(row.provider_id),
        data_categories=list(row.data_categories),
        services=list(row.services),
        valid_until=row.valid_until.isoformat(),
        given_by=row.given_by,
        informed_in=opened(session, row, "informed_in"),
        explained_by=row.explained_by,
        recorded_at=str(row.recorded_at),
        recorded_by=row.recorded_by,
        note=opened(session, row, "note"),
        withdrawn_at=str(row.withdrawn_at) if row.withdrawn_at else None,
        withdrawn_by=row.withdrawn_by,
        withdrawal_note=opened(session, row, "withdrawal_note"),
        stopped_referrals=stopped or [],
    )


def require_terms(name: str, ids: list[str]) -> list[str]:
    """``ids``, each a term of taxonomy ``name``, without repeats (:class:`InvalidInput` otherwise)."""
    for term in ids:
        taxonomy(name).require(term)
    if len(set(ids)) != len(ids):
        raise InvalidInput(f"a {name} value is given twice in {', '.join(ids)}")
    return ids


def record_consent(
    session: Session, actor: Actor, case_id: int, request: ConsentIn, *, today: dt.date | None = None
) -> ConsentView:
    """Record the person's informed consent to share ``data_categories`` with one provider for ``services``."""
    guard(session, actor, "victims.consent", subject=f"victim_case:{case_id}")
    find_case(session, case_id)
    provider = provider_by_key(session, request.provider)
    categories = require_terms("victim_data_categories", request.data_categories)
    services = require_terms("victim_services", request.services)
    not_offered = [s for s in services if s not in provider.services]
    if not_offered:
        raise InvalidInput(f"provider {provider.key!r} does not offer {', '.join(not_offered)}", field="services")
    today = today or dt.date.today()
    if request.valid_until < today:
        raise InvalidInput(f"a consent valid until {request.valid_until} has already expired", field="valid_until")
    row = VictimConsent(
        case_id=case_id,
        provider_id=provider.id,
        data_categories=categories,
        services=services,
        valid_until=request.valid_until,
        given_by=request.given_by,
        explained_by=request.explained_by or actor.name,
        recorded_by=actor.name,
    )
    seal_fields(session, row, informed_in=request.informed_in, note=request.note)
    return consent_view(session, row)


def withdraw_consent(session: Session, actor: Actor, consent_id: int, note: str | None = None) -> ConsentView:
    """Record the withdrawal of a consent: nothing more is shared under it, and its referrals stop."""
    guard(session, actor, "victims.consent", subject=f"victim_consent:{consent_id}")
    row = session.get(VictimConsent, consent_id)
    if row is None:
        raise NotFound(f"no consent {consent_id}")
    if row.withdrawn_at is not None:
        raise Conflict(f"consent {consent_id} was already withdrawn on {row.withdrawn_at} by {row.withdrawn_by}")
    if note is not None and len(note) > 2000:
        raise InvalidInput("a withdrawal note has at most 2000 characters")
    now = dt.datetime.now(dt.UTC)
    row.withdrawn_at, row.withdrawn_by = now, actor.name
    seal_fields(session, row, withdrawal_note=note)
    stopped = list(
        session.scalars(
            select(VictimReferral.id).where(
                VictimReferral.consent_id == consent_id, VictimReferral.stopped_at.is_(None)
            )
        )
    )
    if stopped:
        session.execute(update(VictimReferral).where(VictimReferral.id.in_(stopped)).values(stopped_at=now))
    session.flush()
    log.info("consent_withdrawn", consent_id=consent_id, case_id=row.case_id, actor=actor.name, referrals=stopped)
    return consent_view(session, row, stopped)


def case_consents(session: Session, case_id: int) -> list[ConsentView]:
    rows = session.scalars(select(VictimConsent).where(VictimConsent.case_id == case_id).order_by(VictimConsent.id))
    return [consent_view(session, r) for r in rows]
