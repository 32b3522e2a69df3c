"""PPRL between two nodes: encodings out, hit/no-hit per encoded record back, details on the normal request.

1. ``export_encodings`` (asking node A, ``palermo share pprl-export``): A's persons that it could send the partner
   under the handling rules (``hitnohit.releasable``, as ``share export`` judges them) are encoded under the
   partnership key; each gets a fresh reference and an outgoing query row at home (which record it stands for
   never leaves A). The bundle (``pprl_encodings``) holds references, filters, present fields, block keys, the
   scheme and the key's public id: no name, date or number.
2. The partner's inbox keeps the encodings as a pending incoming query (``pprl_export``).
3. ``match_export`` (receiving node B, ``palermo share pprl-match``): B encodes its own persons that A could be
   sent, under the same key, matches, and answers (``pprl_answers``) with the references that hit. Each hit is
   kept at B as an answered hit/no-hit query with the record it matched and the explanation; the encodings are
   dropped. A records the answers on its outgoing queries.
4. A hit is then an ordinary hit/no-hit query: ``palermo share request-details REFERENCE`` at A, ``share decide``
   by a supervisor at B, the record sent under its handling rules.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from palermo.auth.access import guard
from palermo.auth.actor import Actor
from palermo.db.entities import Address
from palermo.db.persons import PersonRecord
from palermo.db.sharing import HitQuery, Partner
from palermo.errors import InvalidInput, NotFound, PermissionDenied
from palermo.explanation import Score
from palermo.node import Node
from palermo.sharing.audit_events import log_exchange
from palermo.sharing.bundles import OpenedBundle
from palermo.sharing.hitnohit import releasable
from palermo.sharing.keys import node_keys
from palermo.sharing.outbox import enqueue
from palermo.sharing.outgoing import envelope_for, seal_for
from palermo.sharing.partners import find_partner
from palermo.sharing.pprl.config import pprl_config
from palermo.sharing.pprl.encode import encode_people, from_wire, layout_for, scheme_id, scheme_of, to_wire
from palermo.sharing.pprl.fields import PersonFields
from palermo.sharing.pprl.keys import PprlKey, partnership_key
from palermo.sharing.pprl.match import explain, one_to_one, score_blocked

EXPORT_KIND, RECORD_KIND = "pprl_export", "pprl"


def partner_key(node: Node, partner: Partner, epoch: int) -> PprlKey:
    """The PPRL key this node shares with ``partner`` (both derive it; it is never sent)."""
    pair = (node.agency_code, partner.agency_code)
    return partnership_key(node_keys(node.home).encryption, partner.encryption_key, pair, epoch)


def person_fields(session: Session, record: PersonRecord) -> PersonFields:
    """The clear values a record's encoding is built from: primary name, birth date, sex, nationalities, address."""
    names = sorted(record.names, key=lambda n: (n.kind != "primary", n.position))
    address = session.scalars(select(Address).where(Address.person_id == record.id).order_by(Address.id)).first()
    return PersonFields(
        names[0].full_name if names else None,
        record.birth_date,
        record.sex,
        tuple(n.country for n in record.nationalities),
        address.street if address else None,
        address.postcode if address else None,
        address.city if address else None,
    )


def _releasable_persons(
    session: Session, node: Node, partner: Partner, ids: list[int] | None
) -> tuple[list[PersonRecord], list[str]]:
    """Persons the partner could be sent (the others are withheld, with their rule, for this node's log only)."""
    wanted = ids if ids is not None else list(session.scalars(select(PersonRecord.id).order_by(PersonRecord.id)))
    for record_id in wanted:
        if session.get(PersonRecord, record_id) is None:
            raise NotFound(f"no person record with id {record_id}")
    kept, withheld = releasable(session, node, partner, [{"table": "person_records", "id": i} for i in wanted], None)
    rows = [session.get(PersonRecord, int(m["id"])) for m in kept]
    return [r for r in rows if r is not None], withheld


@dataclass(frozen=True)
class PprlExport:
    export: str
    bundle_id: str
    token: str
    encoded: int
    withheld: list[str] = field(default_factory=list)


def export_encodings(
    session: Session,
    node: Node,
    actor: Actor,
    partner_name: str,
    person_ids: list[int] | None = None,
    *,
    queue: bool = True,
) -> PprlExport:
    """Encode this node's persons (all, or ``person_ids``) that the partner could be sent, and send the encodings."""
    guard(session, actor, "sharing.query", subject=f"partner:{partner_name}")
    partner = find_partner(session, partner_name)
    records, withheld = _releasable_persons(session, node, partner, person_ids)
    if not records:
        raise PermissionDenied(f"no person record may be encoded for {partner_name} under the handling rules")
    config = pprl_config()
    key = partner_key(node, partner, config.key_epoch)
    encoded = encode_people([person_fields(session, r) for r in records], key, config)
    export, references = str(uuid.uuid4()), [str(uuid.uuid4()) for _ in records]
    for reference, record in zip(references, records, strict=True):
        session.add(
            HitQuery(
                reference=reference,
                direction="outgoing",
                partner_id=partner.id,
                kind=RECORD_KIND,
                criteria={"export": export, "person_id": record.id},
                status="pending",
                matched=[],
            )
        )
    message = {
        "export": export,
        "scheme": scheme_of(config),
        "scheme_id": scheme_id(config),
        "key_epoch": config.key_epoch,
        "key_id": key.key_id,
        "records": to_wire(encoded, references),
    }
    justification = str(actor.justification) if actor.justification else None
    envelope = envelope_for(node, partner, "pprl_encodings", message=message, justification=justification)
    token = seal_for(node, partner, envelope)
    if queue:
        enqueue(session, partner, envelope, token)
    log_exchange(
        session,
        actor=actor.name,
        agency=node.agency_code,
        action="transfer",
        partner=partner.name,
        bundle_id=envelope.bundle_id,
        justification=justification,
        count=len(records),
        step="pprl_export",
        export=export,
        withheld=withheld,
    )
    session.flush()
    return PprlExport(export, envelope.bundle_id, token, len(records), withheld)


@dataclass(frozen=True)
class PprlHit:
    """One encoded person of the partner that matched one of ours, and why (encoded fields only)."""

    reference: str
    person_id: int
    explanation: Score


@dataclass(frozen=True)
class PprlMatchReport:
    export: str
    partner: str
    encoded: int
    compared_with: int
    hits: list[PprlHit]
    bundle_id: str


def _pending_exports(session: Session, reference: str | None) -> list[HitQuery]:
    statement = select(HitQuery).where(
        HitQuery.kind == EXPORT_KIND, HitQuery.direction == "incoming", HitQuery.status == "pending"
    )
    if reference is not None:
        statement = statement.where(HitQuery.reference == reference)
    found = list(session.scalars(statement.order_by(HitQuery.id)))
    if reference is not None and not found:
        raise NotFound(f"no pending PPRL export with reference {reference!r}")
    return found


def _checked_key(node: Node, partner: Partner, message: dict[str, Any]) -> PprlKey:
    config = pprl_config()
    if message.get("scheme_id") != scheme_id(config):
        raise InvalidInput(
            f"{partner.name} encoded with scheme {message.get('scheme_id')!r}, this node uses {scheme_id(config)!r}: "
            "the partners' pprl/config.yaml differ (filters, hardening or blocking); agree on one and export again"
        )
    epoch = message.get("key_epoch")
    if not isinstance(epoch, int) or epoch < 1:
        raise InvalidInput("the PPRL export names no key epoch")
    key = partner_key(node, partner, epoch)
    if message.get("key_id") != key.key_id:
        raise InvalidInput(
            f"{partner.name} encoded under key {message.get('key_id')!r}; this node derives {key.key_id!r}"
        )
    return key


def _match_one(session: Session, node: Node, actor: Actor, export: HitQuery) -> PprlMatchReport:
    partner = session.get(Partner, export.partner_id)
    assert partner is not None  # a foreign key
    message, config = dict(export.criteria), pprl_config()
    key = _checked_key(node, partner, message)
    theirs, references = from_wire(list(message.get("records") or []), layout_for(config))
    records, withheld = _releasable_persons(session, node, partner, None)
    ours = encode_people([person_fields(session, r) for r in records], key, config)
    matches = one_to_one(score_blocked(theirs, ours, config.dice_threshold)) if records and references else []
    hits: list[PprlHit] = []
    for found in matches:
        reference, record = references[found.left], records[found.right]
        explanation = explain(theirs, ours, found.left, found.right)
        session.add(
            HitQuery(
                reference=reference,
                direction="incoming",
                partner_id=partner.id,
                kind=RECORD_KIND,
                criteria={"export": export.reference, "score": found.score, "explanation": explanation.model_dump()},
                justification=export.justification,
                hit=True,
                matched=[{"table": "person_records", "id": record.id}],
                status="answered",
            )
        )
        hits.append(PprlHit(reference, record.id, explanation))
    answered = sorted(h.reference for h in hits)
    answers = envelope_for(node, partner, "pprl_answers", message={"export": export.reference, "hits": answered})
    enqueue(session, partner, answers, seal_for(node, partner, answers))
    export.criteria = {"records": len(references), "scheme_id": message.get("scheme_id"), "key_id": key.key_id}
    export.status, export.hit, export.matched = "answered", bool(hits), []
    log_exchange(
        session,
        actor=actor.name,
        agency=node.agency_code,
        action="consultation",
        partner=partner.name,
        bundle_id=answers.bundle_id,
        justification=str(actor.justification) if actor.justification else export.justification,
        count=len(hits),
        step="pprl_match",
        export=export.reference,
        encoded=len(references),
        withheld=withheld,
    )
    return PprlMatchReport(export.reference, partner.name, len(references), len(records), hits, answers.bundle_id)


def match_export(session: Session, node: Node, actor: Actor, reference: str | None = None) -> list[PprlMatchReport]:
    """Match every pending PPRL export (or one) against this node's persons and queue the answers."""
    guard(session, actor, "sharing.query", subject=f"pprl:{reference or 'pending'}")
    return [_match_one(session, node, actor, export) for export in _pending_exports(session, reference)]


def outgoing_results(session: Session, actor: Actor, export: str | None = None) -> list[HitQuery]:
    """This node's encoded records sent for matching, with their answers (hits first)."""
    guard(session, actor, "sharing.query", subject=f"pprl:{export or 'all'}")
    rows = session.scalars(select(HitQuery).where(HitQuery.kind == RECORD_KIND, HitQuery.direction == "outgoing"))
    chosen = [q for q in rows if export is None or q.criteria.get("export") == export]
    return sorted(chosen, key=lambda q: (not q.hit, q.id))


def handle_message(session: Session, opened: OpenedBundle) -> None:
    """Keep a partner's encodings until ``pprl-match``, or record its answers on our outgoing queries."""
    envelope, partner, message = opened.envelope, opened.partner, opened.envelope.message
    try:
        export = str(uuid.UUID(str(message.get("export"))))
    except ValueError:
        raise InvalidInput("PPRL bundle without a UUID export reference") from None
    if envelope.kind == "pprl_encodings":
        if not isinstance(message.get("records"), list):
            raise InvalidInput("PPRL encodings bundle without a list of records")
        session.add(
            HitQuery(
                reference=export,
                direction="incoming",
                partner_id=partner.id,
                kind=EXPORT_KIND,
                criteria=dict(message),
                justification=envelope.justification,
                status="pending",
                matched=[],
            )
        )
        return
    hits = {str(h) for h in message.get("hits") or []}
    rows = session.scalars(
        select(HitQuery).where(
            HitQuery.kind == RECORD_KIND, HitQuery.direction == "outgoing", HitQuery.partner_id == partner.id
        )
    )
    for query in rows:
        if query.criteria.get("export") == export and query.status == "pending":
            query.hit, query.status = query.reference in hits, "answered"
