"""Referral to a service provider: shares only what a valid consent covers, or what another recorded legal basis
allows, and is refused otherwise (the refusal is logged like any other).

A consent covers a referral when it is for the same case and provider, names the referral's service among its
purposes and every data category the referral shares, has not expired and has not been withdrawn. Without one, a
referral may rest on a legal basis of ``referral_legal_bases.yaml`` (vital interests, the child-protection duty, a
court order) with a note saying why. The answer carries the data handed over, limited to the categories shared.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import Any

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import select
from sqlalchemy.orm import Session

from palermo.auth.access import guard, record_access
from palermo.auth.actor import Actor
from palermo.auth.permissions import evaluate
from palermo.db.victims import VictimAssessment, VictimCase, VictimConsent, VictimReferral, VictimServiceProvider
from palermo.errors import InvalidInput, NotFound, PermissionDenied
from palermo.taxonomies import taxonomy
from palermo.victims.cases import find_case
from palermo.victims.consent import require_terms
from palermo.victims.providers import provider_by_key
from palermo.victims.sealing import opened, seal_fields

PERMISSION = "victims.refer"


class ReferralIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    provider: str = Field(min_length=1, max_length=64, description="The provider's key")
    service: str = Field(min_length=1, max_length=32, description="victim_services.yaml id")
    data_categories: list[str] = Field(min_length=1, max_length=20, description="What is shared")
    consent_id: int | None = Field(None, ge=1, description="The consent it rests on (default: any that covers it)")
    legal_basis: str | None = Field(None, max_length=32, description="referral_legal_bases.yaml id, instead of consent")
    legal_basis_note: str | None = Field(None, max_length=2000, description="Why the legal basis applies")
    note: str | None = Field(None, max_length=2000)


class ReferralView(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: int
    case_id: int
    provider: str
    service: str
    data_categories: list[str]
    basis: str = Field(description="consent:<id> or the legal basis")
    legal_basis_note: str | None
    referred_at: str
    referred_by: str
    note: str | None
    stopped_at: str | None = Field(description="When further sharing stopped (the consent was withdrawn)")
    shared: dict[str, Any] | None = Field(None, description="The data handed over (only in the answer that refers)")


def referral_view(session: Session, row: VictimReferral, shared: dict[str, Any] | None = None) -> ReferralView:
    provider = session.get(VictimServiceProvider, row.provider_id)
    return ReferralView(
        id=row.id,
        case_id=row.case_id,
        provider=provider.key if provider else str(row.provider_id),
        service=row.service,
        data_categories=list(row.data_categories),
        basis=f"consent:{row.consent_id}" if row.consent_id else str(row.legal_basis),
        legal_basis_note=opened(session, row, "legal_basis_note"),
        referred_at=str(row.referred_at),
        referred_by=row.referred_by,
        note=opened(session, row, "note"),
        stopped_at=str(row.stopped_at) if row.stopped_at else None,
        shared=shared,
    )


def consent_gaps(
    consent: VictimConsent, provider_id: int, service: str, categories: list[str], on: dt.date
) -> list[str]:
    """Why ``consent`` does not cover the referral, in words (empty: it does)."""
    gaps = []
    if consent.withdrawn_at is not None:
        gaps.append(f"withdrawn on {consent.withdrawn_at.date().isoformat()}")
    if consent.valid_until < on:
        gaps.append(f"expired on {consent.valid_until.isoformat()}")
    if consent.provider_id != provider_id:
        gaps.append("given for another provider")
    if service not in consent.services:
        gaps.append(f"not for {service} (only {', '.join(consent.services)})")
    beyond = [c for c in categories if c not in consent.data_categories]
    if beyond:
        gaps.append(f"does not cover {', '.join(beyond)}")
    return gaps


def _refuse(session: Session, actor: Actor, subject: str, reason: str) -> PermissionDenied:
    """Log the refusal (as an access refused, with the reason) and return the error to raise."""
    record_access(session, replace(evaluate(actor, PERMISSION, subject=subject), granted=False, reason=reason))
    return PermissionDenied(reason, permission=PERMISSION)


def _consent_basis(
    session: Session, case_id: int, request: ReferralIn, provider: VictimServiceProvider, on: dt.date
) -> tuple[VictimConsent | None, str]:
    query = select(VictimConsent).where(VictimConsent.case_id == case_id).order_by(VictimConsent.id)
    query = query.where(VictimConsent.id == request.consent_id) if request.consent_id else query
    candidates = list(session.scalars(query))
    if request.consent_id and not candidates:
        raise NotFound(f"victim case {case_id} has no consent {request.consent_id}")
    reasons = []
    for consent in candidates:
        gaps = consent_gaps(consent, provider.id, request.service, request.data_categories, on)
        if not gaps:
            return consent, ""
        reasons.append(f"consent {consent.id}: {'; '.join(gaps)}")
    found = "; ".join(reasons) if reasons else "the case holds no consent"
    return None, (
        f"no consent covers sharing {', '.join(request.data_categories)} with {provider.key} for {request.service} "
        f"({found}); record the person's informed consent, or refer on a recorded legal basis "
        f"({', '.join(taxonomy('referral_legal_bases').ids)}) with a note"
    )


def _package(session: Session, case: VictimCase, categories: list[str]) -> dict[str, Any]:
    """The data handed over: the consented categories of what the case holds, nothing else."""
    subject = opened(session, case, "subject")
    latest = session.scalars(
        select(VictimAssessment).where(VictimAssessment.case_id == case.id).order_by(VictimAssessment.version.desc())
    ).first()
    held: dict[str, Any] = {
        "identity": {k: subject.get(k) for k in ("names", "birth_date", "sex", "nationality")},
        "documents": {"document_numbers": subject.get("document_numbers", [])},
        "assessment": {
            "presumed_victim": latest.presumed_victim,
            "conclusion": opened(session, latest, "outcome")["rule"]["conclusion"],
        }
        if latest
        else None,
        "circumstances": {
            "origin": case.origin,
            "opened_at": str(case.opened_at),
            "note": opened(session, case, "note"),
        },
        "contact": None,  # not held by Palermo: the caseworker hands it over in person
        "health": None,
    }
    return {c: held[c] for c in categories}


def refer(
    session: Session, actor: Actor, case_id: int, request: ReferralIn, *, today: dt.date | None = None
) -> ReferralView:
    """Refer the person of a case to a provider's service, on consent or a recorded legal basis; refused otherwise."""
    subject = f"victim_case:{case_id}"
    if not evaluate(actor, PERMISSION, subject=subject).granted:
        guard(session, actor, PERMISSION, subject=subject)  # logs the refusal and raises
    case = find_case(session, case_id)
    provider = provider_by_key(session, request.provider)
    taxonomy("victim_services").require(request.service)
    categories = require_terms("victim_data_categories", request.data_categories)
    if request.service not in provider.services or not provider.active:
        raise InvalidInput(f"provider {provider.key!r} does not (or no longer) offer {request.service}")
    consent: VictimConsent | None = None
    if request.legal_basis is not None:
        taxonomy("referral_legal_bases").require(request.legal_basis)
        if request.consent_id is not None:
            raise InvalidInput("a referral rests on a consent or on a legal basis, not both")
        if not (request.legal_basis_note or "").strip():
            raise _refuse(session, actor, subject, f"a referral on {request.legal_basis} needs a note saying why")
    else:
        consent, reason = _consent_basis(session, case_id, request, provider, today or dt.date.today())
        if consent is None:
            raise _refuse(session, actor, subject, reason)
    guard(session, actor, PERMISSION, subject=subject)  # the disclosure, logged with its justification
    row = VictimReferral(
        case_id=case_id,
        provider_id=provider.id,
        service=request.service,
        data_categories=categories,
        consent_id=consent.id if consent else None,
        legal_basis=request.legal_basis,
        referred_by=actor.name,
    )
    seal_fields(
        session,
        row,
        legal_basis_note=request.legal_basis_note if request.legal_basis else None,
        note=request.note,
    )
    return referral_view(session, row, _package(session, case, categories))


def case_referrals(session: Session, case_id: int) -> list[ReferralView]:
    rows = session.scalars(select(VictimReferral).where(VictimReferral.case_id == case_id).order_by(VictimReferral.id))
    return [referral_view(session, r) for r in rows]
