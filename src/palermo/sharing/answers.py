"""The asking node's side of hit/no-hit: its queries, the answers they got and the details approved.

Answers arrive in the inbox (:func:`palermo.sharing.hitnohit.handle_message`); approved details are checked and
imported as records there, with their originator's provenance and handling. This module reads them back for the
officer who asked: guarded by ``sharing.query`` (personal data: a justification, and the consultation is in the
access log).
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field
from sqlalchemy import select
from sqlalchemy.orm import Session

from palermo.auth.access import guard
from palermo.auth.actor import Actor
from palermo.db.sharing import QUERY_STATUSES, HitQuery, Partner
from palermo.errors import InvalidInput, NotFound
from palermo.sharing.receipts import RefusedItem

MAX_ANSWERS = 500


class DetailRecord(BaseModel):
    """One approved detail: what the entity says and where it now lives here."""

    entity_id: str | None
    names: list[str]
    birth_dates: list[str]
    document_numbers: list[str]
    originator: str
    handling: str
    distribution: str
    sensitivity: str
    record: str | None = Field(None, description="The record it became here (`person_records:12`); none for an echo.")


class AnswerView(BaseModel):
    """A hit/no-hit query this node asked, and where it stands."""

    reference: str
    partner: str
    kind: str
    criteria: dict[str, Any]
    justification: str | None
    status: str = Field(description="pending, answered, detail_requested, detail_received or refused")
    hit: bool | None = Field(None, description="None until the answer arrives.")
    asked_at: str
    updated_at: str
    details: list[DetailRecord] = Field(default_factory=list)
    refused: list[RefusedItem] = Field(default_factory=list, description="Detail items refused here, and why.")
    reason: str | None = Field(None, description="The owning node's reason, when it gave one.")


def _detail(item: dict[str, Any], records: dict[str, str]) -> DetailRecord:
    entity, terms = item.get("entity", {}), item.get("handling", {})
    properties = entity.get("properties", {})
    return DetailRecord(
        entity_id=entity.get("id"),
        names=[*properties.get("name", []), *properties.get("alias", [])],
        birth_dates=properties.get("birthDate", []),
        document_numbers=[*properties.get("passportNumber", []), *properties.get("idNumber", [])],
        originator=str(terms.get("originator")),
        handling=str(terms.get("handling")),
        distribution=str(terms.get("distribution")),
        sensitivity=str(terms.get("sensitivity")),
        record=records.get(str(entity.get("id"))),
    )


def _view(query: HitQuery, partner: str) -> AnswerView:
    detail = query.detail or {}
    records = {str(r["entity_id"]): f"{r['table']}:{r['id']}" for r in detail.get("records", [])}
    return AnswerView(
        reference=query.reference,
        partner=partner,
        kind=query.kind,
        criteria=dict(query.criteria),
        justification=query.justification,
        status=query.status,
        hit=query.hit,
        asked_at=query.created_at.isoformat(),
        updated_at=query.updated_at.isoformat(),
        details=[_detail(item, records) for item in detail.get("items", [])],
        refused=[RefusedItem.model_validate(r) for r in detail.get("refused", [])],
        reason=detail.get("reason"),
    )


def list_answers(
    session: Session, actor: Actor, *, status: str | None = None, partner: str | None = None, limit: int = 100
) -> list[AnswerView]:
    """This node's hit/no-hit queries, newest first, with their answers and approved details."""
    guard(session, actor, "sharing.query", subject="answers")
    if status is not None and status not in QUERY_STATUSES:
        raise InvalidInput(f"status {status!r} is not one of {', '.join(QUERY_STATUSES)}", field="status")
    statement = (
        select(HitQuery, Partner.name)
        .join(Partner, Partner.id == HitQuery.partner_id)
        .where(HitQuery.direction == "outgoing")
        .order_by(HitQuery.id.desc())
        .limit(max(1, min(limit, MAX_ANSWERS)))
    )
    if status is not None:
        statement = statement.where(HitQuery.status == status)
    if partner is not None:
        statement = statement.where(Partner.name == partner)
    return [_view(query, name) for query, name in session.execute(statement)]


def get_answer(session: Session, actor: Actor, reference: str) -> AnswerView:
    """One query this node asked, by its reference."""
    guard(session, actor, "sharing.query", subject=f"query:{reference}")
    statement = (
        select(HitQuery, Partner.name)
        .join(Partner, Partner.id == HitQuery.partner_id)
        .where(HitQuery.direction == "outgoing", HitQuery.reference == reference)
    )
    found = session.execute(statement).first()
    if found is None:
        raise NotFound(f"no hit/no-hit query asked with reference {reference!r}")
    return _view(found[0], found[1])
