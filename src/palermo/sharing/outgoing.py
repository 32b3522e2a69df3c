"""Selecting records for a partner under the handling rules, and sealing them into a bundle.

Every record is judged by :func:`palermo.sharing.handling.may_send`; refused records stay home and the refusal
(rule and reason) is reported and logged. This node signs its own records as their originator; a record it
received goes on as the originator signed it (judged on those signed terms), and this node adds only its hop
(:mod:`palermo.sharing.signatures`). The bundle goes to the outbox (HTTP) or is returned (file transport).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import cache
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from palermo.auth.access import guard
from palermo.auth.actor import Actor
from palermo.db.base import ProvenanceMixin
from palermo.db.engine import in_chunks
from palermo.db.persons import IdentityDocument, PersonName, PersonNationality, PersonRecord
from palermo.db.reference import Source
from palermo.db.sharing import Partner, ReceivedRecord, SentRecord, Withdrawal
from palermo.db.watchlists import WatchlistEntry
from palermo.errors import NotFound, PermissionDenied
from palermo.node import Node
from palermo.persons.minors import sensitivity_of
from palermo.sharing import ftm
from palermo.sharing.audit_events import log_exchange
from palermo.sharing.bundles import seal
from palermo.sharing.envelope import BundleKind, Handling, Item, PalermoEnvelope, Party
from palermo.sharing.groups import member_agencies
from palermo.sharing.handling import (
    DISTRIBUTION_RANK,
    Decision,
    RecordHandling,
    as_received,
    may_send,
    outgoing_note,
)
from palermo.sharing.keys import NodeKeys, PublicKeys, node_keys
from palermo.sharing.partners import find_partner
from palermo.sharing.signatures import add_hop, item_facts, originate

RECORD_TABLES = {"person": "person_records", "notice": "watchlist_entries"}


@dataclass(frozen=True)
class Refusal:
    kind: str
    record_id: int
    rule: str
    detail: str


@dataclass
class Selection:
    """Items that may go (``records``: the ``(kind, id)`` of each, in the same order), and records refused with the
    rule that refused them."""

    items: list[Item] = field(default_factory=list)
    records: list[tuple[str, int]] = field(default_factory=list)
    refused: list[Refusal] = field(default_factory=list)


def _received(session: Session, kind: str, record_id: int) -> ReceivedRecord | None:
    return session.scalars(
        select(ReceivedRecord).where(
            ReceivedRecord.record_table == RECORD_TABLES[kind], ReceivedRecord.record_id == record_id
        )
    ).first()


@dataclass(frozen=True)
class _Loaded:
    """The records of one selection and what their items need: each table read once, not once a record."""

    rows: dict[tuple[str, int], Any]
    received: dict[tuple[str, int], ReceivedRecord]
    parts: dict[int, ftm.PersonParts]  # names, nationalities and documents of each person
    sources: dict[int, str]  # names by id


def _person_parts(session: Session, chunk: list[int], parts: dict[int, ftm.PersonParts]) -> None:
    """Names, nationalities and documents of these persons, three queries (plain rows, not ORM objects)."""
    names = select(
        PersonName.person_id, PersonName.kind, PersonName.full_name, PersonName.given_names, PersonName.surname
    )
    names = names.where(PersonName.person_id.in_(chunk)).order_by(PersonName.person_id, PersonName.position)
    for person_id, kind, full, given, surname in session.execute(names):
        parts[person_id].names.append((kind, full, given, surname))
    countries = select(PersonNationality.person_id, PersonNationality.country)
    countries = countries.where(PersonNationality.person_id.in_(chunk)).order_by(
        PersonNationality.person_id, PersonNationality.position
    )
    for person_id, country in session.execute(countries):
        parts[person_id].nationalities.append(country)
    held = select(
        IdentityDocument.person_id,
        IdentityDocument.document_type,
        IdentityDocument.number,
        IdentityDocument.issuing_state,
        IdentityDocument.issue_date,
        IdentityDocument.expiry_date,
    )
    held = held.where(IdentityDocument.person_id.in_(chunk)).order_by(IdentityDocument.id)
    for holder, document_type, number, state, issued, expires in session.execute(held):
        parts[int(holder or 0)].documents.append(ftm.DocumentParts(document_type, number, state, issued, expires))


def _load(session: Session, refs: list[tuple[str, int]]) -> _Loaded:
    ids = {kind: sorted({i for k, i in refs if k == kind}) for kind in RECORD_TABLES}
    rows: dict[tuple[str, int], Any] = {}
    received: dict[tuple[str, int], ReceivedRecord] = {}
    parts: dict[int, ftm.PersonParts] = defaultdict(ftm.PersonParts)
    models: dict[str, Any] = {"person": PersonRecord, "notice": WatchlistEntry}
    for kind, model in models.items():
        for chunk in in_chunks(ids[kind]):
            rows.update(((kind, row.id), row) for row in session.scalars(select(model).where(model.id.in_(chunk))))
            if kind == "person":
                _person_parts(session, chunk, parts)
            statement = select(ReceivedRecord).where(
                ReceivedRecord.record_table == RECORD_TABLES[kind], ReceivedRecord.record_id.in_(chunk)
            )
            received.update(((kind, r.record_id), r) for r in session.scalars(statement))
    source_ids = sorted({row.source_id for row in rows.values()})
    named = session.execute(select(Source.id, Source.name).where(Source.id.in_(source_ids)))
    sources = {int(source_id): str(name) for source_id, name in named}
    return _Loaded(rows, received, parts, sources)


def _signed_item(received: ReceivedRecord | None) -> Item | None:
    return Item.model_validate(received.signed_item) if received and received.signed_item else None


def record_handling(session: Session, node: Node, kind: str, row: ProvenanceMixin, record_id: int) -> RecordHandling:
    """The handling facts of a stored record; for a received one, the originator's signed terms as a recipient
    holds them (never wider than the local row says)."""
    received = _received(session, kind, record_id)
    return _handling(row, received, lambda group: member_agencies(session, group, node.agency_code))


def _handling(
    row: ProvenanceMixin, received: ReceivedRecord | None, members_of: Callable[[str], frozenset[str]]
) -> RecordHandling:
    signed = _signed_item(received)
    if signed is not None:  # the originator's terms; this node's copy may be narrower (never wider)
        facts = as_received(item_facts(signed))
        if DISTRIBUTION_RANK[row.distribution] < DISTRIBUTION_RANK[facts.distribution]:
            facts = replace(facts, distribution=row.distribution)
        return replace(facts, sensitivity="special") if row.sensitivity == "special" else facts
    if received is not None:
        members = frozenset(received.group_members)
    elif row.distribution == "group" and row.sharing_group:
        members = members_of(row.sharing_group)
    else:
        members = frozenset()
    sensitivity = row.sensitivity
    if isinstance(row, PersonRecord):  # a possible minor's record is special whatever its source said
        sensitivity = sensitivity_of(sensitivity, row.birth_date, dt.datetime.now(dt.UTC).date())
    return RecordHandling(
        originator=row.originator,
        handling=row.handling,
        distribution=row.distribution,
        sensitivity=sensitivity,
        handling_note=row.handling_note,
        sharing_group=row.sharing_group,
        group_members=members,
        delete_at=row.delete_at,
        hops=received.hops if received else 0,
    )


def _terms(row: ProvenanceMixin, facts: RecordHandling) -> Handling:
    """This node's terms for a record it originates (what it signs)."""
    return Handling(
        originator=facts.originator,
        handling=facts.handling,
        handling_note=outgoing_note(facts),
        distribution=facts.distribution,
        sharing_group=facts.sharing_group,
        group_members=sorted(facts.group_members),
        source_reliability=row.source_reliability,
        information_credibility=row.information_credibility,
        sensitivity=facts.sensitivity,
        review_at=row.review_at,
        delete_at=row.delete_at,
    )


def entity_id_of(session: Session, kind: str, row: ProvenanceMixin, sources: dict[int, str] | None = None) -> str:
    """The id of a record this node originates: derived from its own keys, stable wherever the record goes.

    ``sources``: source names by id, when the caller has read them (one query for many records)."""
    if sources is not None and row.source_id in sources:
        name = sources[row.source_id]
    else:
        source = session.get(Source, row.source_id)
        name = source.name if source else str(row.source_id)
    return ftm.entity_id(row.originator, kind, name, row.source_key)


def _item(
    session: Session,
    node: Node,
    keys: NodeKeys,
    kind: str,
    row: Any,
    facts: RecordHandling,
    to: str,
    basis: str | None,
    loaded: _Loaded,
) -> Item | Refusal:
    """The item for ``to``: a received record as its originator signed it, an own record signed here; either way
    with this node's hop appended."""
    if facts.received_by(node.agency_code):
        signed = _signed_item(loaded.received.get((kind, row.id)))
        if signed is None:
            detail = f"received before items were signed: {facts.originator}'s signature was not kept"
            return Refusal(kind, row.id, "no_originator_signature", detail)
    else:
        category = row.category if kind == "notice" else None
        eid = entity_id_of(session, kind, row, loaded.sources)
        documents: list[dict[str, Any]] = []
        if kind == "person":
            entity = ftm.person_entity(row, loaded.parts[row.id], eid=eid)
            documents = ftm.document_entities(loaded.parts[row.id], holder=eid)
        else:
            entity = ftm.notice_entity(row, eid=eid)
        terms = _terms(row, facts)
        origin = originate(keys, kind, category, entity, terms, documents)
        signed = Item(
            kind=kind, category=category, entity=entity, documents=documents, handling=terms, origin=origin, chain=[]
        )
    return add_hop(
        keys,
        signed,
        sender=node.agency_code,
        recipient=to,
        legal_basis=basis if facts.sensitivity == "special" else None,
    )


def select_items(
    session: Session, node: Node, partner: Partner, refs: list[tuple[str, int]], legal_basis: str | None
) -> Selection:
    """Judge each ``(kind, id)`` record for ``partner``; build an item for each one allowed."""
    selection = Selection()
    today = dt.datetime.now(dt.UTC).date()
    keys = node_keys(node.home)
    withdrawn = withdrawn_here(session, node)
    loaded = _load(session, refs)
    members_of = cache(lambda group: member_agencies(session, group, node.agency_code))
    for kind, record_id in refs:
        row: Any = loaded.rows.get((kind, record_id))
        if row is None:
            raise NotFound(f"no {kind} record with id {record_id}")
        facts = _handling(row, loaded.received.get((kind, record_id)), members_of)
        decision: Decision = may_send(
            facts,
            sender_agency=node.agency_code,
            recipient_agency=partner.agency_code,
            legal_basis=legal_basis,
            today=today,
        )
        if not decision.allowed:
            selection.refused.append(Refusal(kind, record_id, decision.rule, decision.detail))
            continue
        item = _item(session, node, keys, kind, row, facts, partner.agency_code, legal_basis, loaded)
        if not isinstance(item, Refusal) and item.entity["id"] in withdrawn:
            detail = f"{node.agency_code} withdrew it: {withdrawn[item.entity['id']]}"
            item = Refusal(kind, record_id, "withdrawn", detail)
        if isinstance(item, Refusal):
            selection.refused.append(item)
        else:
            selection.items.append(item)
            selection.records.append((kind, record_id))
    return selection


def withdrawn_here(session: Session, node: Node) -> dict[str, str]:
    """Entity ids of the records this node withdrew, with the reason: they do not travel again."""
    statement = select(Withdrawal.entity_id, Withdrawal.reason).where(Withdrawal.originator == node.agency_code)
    return {str(entity_id): str(reason) for entity_id, reason in session.execute(statement)}


def record_sent(session: Session, partner: Partner, bundle_id: str, selection: Selection) -> None:
    """Remember which records went to ``partner`` in ``bundle_id``: a withdrawal follows them there."""
    rows = [
        {
            "bundle_id": bundle_id,
            "partner_id": partner.id,
            "record_table": RECORD_TABLES[kind],
            "record_id": record_id,
            "entity_id": str(item.entity["id"]),
        }
        for item, (kind, record_id) in zip(selection.items, selection.records, strict=True)
    ]
    if rows:  # one executemany, not an ORM object (and a round trip) a record
        session.execute(insert(SentRecord).execution_options(render_nulls=True), rows)


def envelope_for(node: Node, partner: Partner, kind: BundleKind, **fields: Any) -> PalermoEnvelope:
    keys = node_keys(node.home)
    return PalermoEnvelope(
        kind=kind,
        sender=Party(agency=node.agency_code, fingerprint=keys.public.fingerprint),
        recipient=Party(agency=partner.agency_code, fingerprint=partner.fingerprint),
        **fields,
    )


def seal_for(node: Node, partner: Partner, envelope: PalermoEnvelope) -> str:
    return seal(envelope, node_keys(node.home), PublicKeys(partner.signing_key, partner.encryption_key))


@dataclass(frozen=True)
class ShareResult:
    bundle_id: str
    partner: str
    token: str
    sent: int
    refused: list[Refusal]


def share_records(
    session: Session,
    node: Node,
    actor: Actor,
    partner_name: str,
    refs: list[tuple[str, int]],
    *,
    legal_basis: str | None = None,
    queue: bool = True,
) -> ShareResult:
    """Share records with a partner within their handling; queued for HTTP delivery (or returned for a file)."""
    guard(session, actor, "export.write", subject=f"partner:{partner_name}")
    partner = find_partner(session, partner_name)
    selection = select_items(session, node, partner, refs, legal_basis)
    if not selection.items:
        reasons = "; ".join(f"{r.kind} {r.record_id}: {r.rule} ({r.detail})" for r in selection.refused)
        raise PermissionDenied(f"nothing may be shared with {partner_name}: {reasons or 'no records selected'}")
    kind: BundleKind = "notices" if all(i.kind == "notice" for i in selection.items) else "records"
    justification = str(actor.justification) if actor.justification else None
    envelope = envelope_for(node, partner, kind, items=selection.items, justification=justification)
    token = seal_for(node, partner, envelope)
    record_sent(session, partner, envelope.bundle_id, selection)
    if queue:
        from palermo.sharing.outbox import enqueue

        enqueue(session, partner, envelope, token)
    log_exchange(
        session,
        actor=actor.name,
        agency=node.agency_code,
        action="transfer",
        partner=partner.name,
        bundle_id=envelope.bundle_id,
        justification=justification,
        count=len(selection.items),
        transport="http" if queue else "file",
        legal_basis=legal_basis,
        refused=[f"{r.kind}:{r.record_id}:{r.rule}" for r in selection.refused],
    )
    return ShareResult(envelope.bundle_id, partner.name, token, len(selection.items), selection.refused)
