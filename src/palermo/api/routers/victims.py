"""Victims: cases, indicator assessments, consent and referral under ``/api/v1/victims`` (special-category data).

Every route but the indicator lists and the providers consults victim data: it needs ``X-Palermo-Justification``
and is logged. A referral without a covering consent or a recorded legal basis answers 403 with the reason.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query
from pydantic import BaseModel, ConfigDict, Field

from palermo.api.deps import API_PREFIX, MAX_ROW_ID, ActorDep, NodeDep, SessionDep, permitted
from palermo.victims import assessments, case_file, cases, consent, counts, htcds, providers, referrals
from palermo.victims.catalogue import IndicatorList, indicator_list

router = APIRouter(prefix=f"{API_PREFIX}/victims", tags=["victims"])
RowId = Annotated[int, Path(ge=1, le=MAX_ROW_ID)]


class WithdrawalIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    note: str | None = Field(None, max_length=2000, description="Why, in the person's words if they wish")


@router.get("/indicators/{list_id}", **permitted("victims.assess"))
def get_indicators(list_id: Annotated[str, Path(pattern="^(adult|child)_(labour|sexual)$")]) -> IndicatorList:
    """The ILO/EC indicators of one list (adult_labour, adult_sexual, child_labour, child_sexual)."""
    return indicator_list(list_id)


@router.post("/cases", **permitted("victims.open"))
def create_case(body: cases.CaseIn, session: SessionDep, actor: ActorDep) -> cases.CaseView:
    """Open a victim case for a person record, an identity or a person named in ``subject``."""
    return cases.open_case(session, actor, body)


@router.get("/cases", **permitted("victims.read"))
def get_cases(
    session: SessionDep,
    actor: ActorDep,
    status: Annotated[str | None, Query(pattern="^(open|closed)$")] = None,
    limit: Annotated[int, Query(ge=1, le=cases.MAX_LIST)] = 100,
) -> list[cases.CaseSummary]:
    """Victim cases, newest first, with the latest assessment's result."""
    return cases.list_cases(session, actor, status=status, limit=limit)


@router.get("/counts", **permitted("dashboard.read"))
def get_counts(session: SessionDep, actor: ActorDep) -> counts.CaseCounts:
    """How many victim cases, by status and origin, assessed and presumed: counts only, no case named."""
    return counts.case_counts(session, actor)


@router.get("/cases/{case_id}", **permitted("victims.read"))
def get_case(case_id: RowId, session: SessionDep, actor: ActorDep) -> case_file.CaseFile:
    """One case with its consents and referrals."""
    return case_file.get_case(session, actor, case_id)


@router.post("/cases/{case_id}/assessments", **permitted("victims.assess"))
def create_assessment(
    case_id: RowId, body: assessments.AssessmentIn, session: SessionDep, actor: ActorDep
) -> assessments.AssessmentView:
    """The case's first indicator assessment, with the rule's explained result."""
    return assessments.record_assessment(session, actor, case_id, body)


@router.get("/cases/{case_id}/assessments", **permitted("victims.read"))
def get_assessment_history(case_id: RowId, session: SessionDep, actor: ActorDep) -> list[assessments.AssessmentView]:
    """Every version of the case's assessment, oldest first."""
    return assessments.assessment_history(session, actor, case_id)


@router.get("/assessments/{assessment_id}", **permitted("victims.read"))
def get_assessment(assessment_id: RowId, session: SessionDep, actor: ActorDep) -> assessments.AssessmentView:
    """One version of an assessment."""
    return assessments.get_assessment(session, actor, assessment_id)


@router.post("/assessments/{assessment_id}/revisions", **permitted("victims.assess"))
def revise_assessment(
    assessment_id: RowId, body: assessments.RevisionIn, session: SessionDep, actor: ActorDep
) -> assessments.AssessmentView:
    """A new version of the latest assessment, saying why; the old version stays."""
    return assessments.revise_assessment(session, actor, assessment_id, body)


@router.post("/cases/{case_id}/consents", **permitted("victims.consent"))
def create_consent(
    case_id: RowId, body: consent.ConsentIn, session: SessionDep, actor: ActorDep
) -> consent.ConsentView:
    """Record the person's informed consent to share data with one provider."""
    return consent.record_consent(session, actor, case_id, body)


@router.post("/consents/{consent_id}/withdrawal", **permitted("victims.consent"))
def withdraw_consent(
    consent_id: RowId, body: WithdrawalIn, session: SessionDep, actor: ActorDep
) -> consent.ConsentView:
    """Record the withdrawal of a consent; the referrals resting on it stop."""
    return consent.withdraw_consent(session, actor, consent_id, body.note)


@router.post("/cases/{case_id}/referrals", **permitted("victims.refer"))
def create_referral(
    case_id: RowId, body: referrals.ReferralIn, session: SessionDep, actor: ActorDep
) -> referrals.ReferralView:
    """Refer the person to a provider's service, on consent or a recorded legal basis (403 otherwise)."""
    return referrals.refer(session, actor, case_id, body)


class HtcdsExportIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    provider: str = Field(max_length=64, description="The provider (its key) the record is for")


@router.post("/cases/{case_id}/htcds", **permitted("victims.exchange"))
def export_htcds(
    case_id: RowId, body: HtcdsExportIn, session: SessionDep, actor: ActorDep, node: NodeDep
) -> htcds.HtcdsDocument:
    """The case as an IOM HTCDS 2.0 record for one provider, on the person's consent (403 with the reason without)."""
    return htcds.export_case(session, actor, case_id, body.provider, agency=node.agency_code)


@router.post("/htcds-imports", **permitted("victims.open"))
def import_htcds(body: dict[str, Any], session: SessionDep, actor: ActorDep) -> htcds.HtcdsImport:
    """Open a victim case per record of an HTCDS 2.0 document; a document with a bad record is refused whole."""
    return htcds.import_cases(session, actor, body, source=f"api:{actor.name}")


@router.get("/providers", **permitted("victims.providers"))
def get_providers(
    session: SessionDep,
    actor: ActorDep,
    service: Annotated[str | None, Query(max_length=32)] = None,
    inactive: bool = False,
) -> list[providers.ProviderView]:
    """Service providers, optionally of one service (reference data: no justification needed)."""
    return providers.list_providers(session, actor, service=service, include_inactive=inactive)
