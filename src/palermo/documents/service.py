"""Checking a document on behalf of someone: the permission check, the audit subject, the registry lookups.

The API route, the documents page and the demo call :func:`check_for`; :func:`check_document` stays the pure,
unguarded function. :func:`lookup_for` is the registry lookup alone (state and number typed, no MRZ), for the page.
A check reveals whether a document number is reported lost or stolen, so every call is guarded and recorded
(``documents.check``) with the document as subject; an unreadable MRZ is recorded too, then refused.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator
from sqlalchemy.orm import Session

from palermo.auth.access import guard
from palermo.auth.actor import Actor
from palermo.documents import mrz_dates
from palermo.documents.check_document import check_document
from palermo.documents.lost_stolen import LostStolenRegistry
from palermo.documents.models import DocumentCheckResult, RegistryHit, VisualZone
from palermo.documents.mrz_parse import MrzUnreadable, parse_mrz
from palermo.documents.registry_keys import normalise_number
from palermo.errors import InvalidInput
from palermo.taxonomies.countries import normalise_country

PERMISSION = "documents.check"
MAX_LINE = 100  # longest MRZ line is 44; room for spaces an OCR engine leaves around it

MrzLine = Annotated[str, StringConstraints(max_length=MAX_LINE)]


class DocumentCheckRequest(BaseModel):
    """What a check needs: the MRZ lines as read, optionally the visual zone, and the options."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    mrz: list[MrzLine] = Field(
        min_length=1,
        max_length=3,
        description="MRZ lines as read (2 lines of 44 or 36, or 3 of 30); one joined line of 88, 72 or 90 also works.",
    )
    visual: VisualZone | None = Field(None, description="Fields read from the printed page, to compare with the MRZ.")
    ocr: bool = Field(False, description="Correct confirmed OCR confusions (0/O, 1/I ...) and report each.")
    at: date | None = Field(
        None, description="Date to check expiry and ages against (default: today), from 1900-01-01 to 2999-12-31."
    )

    @field_validator("at")
    @classmethod
    def _check_date(cls, value: date | None) -> date | None:
        problem = None if value is None else mrz_dates.check_date_problem(value)
        if problem is not None:
            raise ValueError(problem)
        return value


def audit_subject(request: DocumentCheckRequest) -> tuple[str, MrzUnreadable | None]:
    """``document:<state>:<number>`` as read (or ``document:unreadable``) and the reading error, if any."""
    try:
        data = parse_mrz(request.mrz, at=request.at or date.today(), ocr=request.ocr).data
    except MrzUnreadable as exc:
        return "document:unreadable", exc
    return f"document:{data.issuing_state}:{data.document_number}", None


def check_for(
    session: Session, actor: Actor, request: DocumentCheckRequest, registry: LostStolenRegistry | None
) -> DocumentCheckResult:
    """The full document check for ``actor``, with lost/stolen lookups; raises ``MrzUnreadable`` (422) or
    ``PermissionDenied`` (403). The access is recorded before anything is looked up."""
    subject, unreadable = audit_subject(request)
    guard(session, actor, PERMISSION, subject=subject)
    if unreadable is not None:
        raise unreadable
    return check_document(request.mrz, visual=request.visual, registry=registry, at=request.at, ocr=request.ocr)


def lookup_for(
    session: Session, actor: Actor, state: str, number: str, registry: LostStolenRegistry
) -> list[RegistryHit]:
    """The lost/stolen registry's exact and near hits for a typed document, for ``actor`` (``documents.check``,
    recorded with the document as subject before the lookup; a state or number that cannot be one is recorded as
    ``document:unreadable``, then refused with :class:`InvalidInput` naming the field)."""
    try:
        subject = f"document:{normalise_country(state)}:{normalise_number(number)}"
        problem = None
    except InvalidInput as exc:
        subject, problem = "document:unreadable", exc
    guard(session, actor, PERMISSION, subject=subject)
    if problem is not None:
        raise problem
    return registry.search(state, number)
