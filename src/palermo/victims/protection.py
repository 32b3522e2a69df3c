"""A border ``protect`` decision opens a victim case and routes the officer to victim support, never to an arrest.

Called by ``palermo.screening.service.screen`` inside the screening's transaction, under its ``screening.run``
access (justified and logged): the case is opened for the traveller as screened (and the store's record when the
screening replays one), the protect alert names it (``victim_case:<id>``), and the answer carries a
:class:`VictimCaseRoute`: the case number, the hand-over, and the active providers to call. The officer does not
read the case afterwards (docs/victims.md, "Who reads a case").
"""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import select
from sqlalchemy.orm import Session

from palermo.db.victims import VictimCase, VictimServiceProvider
from palermo.victims.cases import CaseSubject, new_case
from palermo.victims.population import youngest_age
from palermo.victims.rule import rule_parameters

MAX_CONTACTS = 5


class ProviderContact(BaseModel):
    model_config = ConfigDict(frozen=True)

    name: str
    services: list[str]
    contact: str


class VictimCaseRoute(BaseModel):
    """Where a protect decision sends the officer: the victim case opened, and what to do now."""

    model_config = ConfigDict(frozen=True)

    case_id: int = Field(description="The victim case opened for this traveller")
    handover: str = Field(description="What the officer does now, in words")
    contacts: list[ProviderContact] = Field(description="Active providers to call (child protection first for a minor)")


def _contacts(session: Session, minor: bool) -> list[ProviderContact]:
    rows = session.scalars(select(VictimServiceProvider).where(VictimServiceProvider.active.is_(True)))
    found = sorted(
        rows, key=lambda p: (not (minor and "child_protection" in p.services), minor and not p.serves_children, p.key)
    )
    return [ProviderContact(name=p.name, services=list(p.services), contact=p.contact) for p in found[:MAX_CONTACTS]]


def _minor(subject: CaseSubject, on: dt.date) -> bool:
    """Whether the traveller may be under the adult age (presumption of minority: a partial date counts young)."""
    if subject.birth_date is None:
        return False
    return youngest_age(subject.birth_date, on) < rule_parameters().adult_age


def open_for_protection(
    session: Session, actor_name: str, subject: CaseSubject, *, person_id: int | None, on: dt.date
) -> VictimCaseRoute:
    """Open the case a protect decision calls for; the route tells the officer what to do (the caller links the
    protect alert to the case with :func:`link_alert`)."""
    case = new_case(
        session, actor_name, origin="screening", subject=subject, person_id=person_id, note="border protect decision"
    )
    minor = _minor(subject, on)
    who = "child protection and victim support" if minor else "victim support"
    handover = (
        f"Victim case {case.id} is open for this traveller. Hand the traveller over to {who} (the national referral "
        "mechanism) now; the case is theirs to read. Do not arrest, detain or process the traveller as an offender "
        "on this result (non-punishment of victims, Directive 2011/36/EU Article 8)."
    )
    return VictimCaseRoute(case_id=case.id, handover=handover, contacts=_contacts(session, minor))


def link_alert(session: Session, case_id: int, alert_id: int) -> None:
    case = session.get(VictimCase, case_id)
    if case is not None:
        case.alert_id = alert_id
