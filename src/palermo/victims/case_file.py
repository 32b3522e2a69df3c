"""A case as a caseworker reads it: the person as known, the latest assessment, consents and referrals."""

from __future__ import annotations

from pydantic import Field
from sqlalchemy.orm import Session

from palermo.auth.access import guard
from palermo.auth.actor import Actor
from palermo.victims.cases import CaseView, case_view, find_case
from palermo.victims.consent import ConsentView, case_consents
from palermo.victims.referrals import ReferralView, case_referrals


class CaseFile(CaseView):
    consents: list[ConsentView] = Field(description="Every consent recorded, withdrawn ones included")
    referrals: list[ReferralView] = Field(description="Every referral, with the basis it rests on")


def get_case(session: Session, actor: Actor, case_id: int) -> CaseFile:
    """One case (``victims.read``, justified; the read is logged)."""
    guard(session, actor, "victims.read", subject=f"victim_case:{case_id}")
    case = find_case(session, case_id)
    return CaseFile(
        **case_view(session, case).model_dump(),
        consents=case_consents(session, case_id),
        referrals=case_referrals(session, case_id),
    )
