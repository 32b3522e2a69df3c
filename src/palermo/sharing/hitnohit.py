"""Hit/no-hit queries between partners, as in the EU Prüm framework.

A partner asks by document number or by person (names, date of birth). The owning node answers only *hit* or
*no hit* and the query's reference; which records matched stays at home, and a match the partner could not have
been sent under the handling rules (:func:`releasable`) counts as no hit. Details need a follow-up request that
a supervisor at the owning node approves (the matched records go back as a bundle, under their handling rules)
or refuses. Every step is in both nodes' audit logs.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from palermo.auth.access import guard
from palermo.auth.actor import Actor
from palermo.db.persons import IdentityDocument, PersonRecord
from palermo.db.sharing import HitQuery, Partner
from palermo.db.watchlists import WatchlistEntry
from palermo.documents.registry_keys import normalise_number
from palermo.errors import Conflict, InvalidInput, NotFound
from palermo.names import prepare_name, score_prepared
from palermo.node import Node
from palermo.sharing.audit_events import log_exchange
from palermo.sharing.bundles import OpenedBundle
from palermo.sharing.config import sharing_config
from palermo.sharing.envelope import BundleKind
from palermo.sharing.handling import may_send
from palermo.sharing.inbox import ImportReport, import_items
from palermo.sharing.outbox import enqueue
from palermo.sharing.outgoing import Refusal, envelope_for, record_handling, record_sent, seal_for, select_items
from palermo.sharing.partners import find_partner
from palermo.taxonomies import taxonomy

QUERY_KINDS = ("document", "person")


def _send(
    session: Session, node: Node, partner: Partner, kind: BundleKind, message: dict[str, Any], **fields: Any
) -> str:
    envelope = envelope_for(node, partner, kind, message=message, **fields)
    enqueue(session, partner, envelope, seal_for(node, partner, envelope))
    return envelope.bundle_id


def _criteria(kind: str, document: str | None, name: str | None, birth_date: str | None) -> dict[str, Any]:
    if kind == "document" and document:
        return {"document_number": normalise_number(document)}
    if kind == "person" and name:
        return {"name": name.strip(), "birth_date": birth_date}
    raise InvalidInput("a document query needs --document; a person query needs --name (and optionally --birth-date)")


def ask(
    session: Session,
    node: Node,
    actor: Actor,
    partner_name: str,
    kind: str,
    *,
    document: str | None = None,
    name: str | None = None,
    birth_date: str | None = None,
) -> HitQuery:
    """Ask a partner hit/no-hit; the answer arrives in the inbox and updates the returned query."""
    guard(session, actor, "sharing.query", subject=f"partner:{partner_name}")
    if kind not in QUERY_KINDS:
        raise InvalidInput(f"query kind {kind!r} must be one of {', '.join(QUERY_KINDS)}")
    partner = find_partner(session, partner_name)
    criteria = _criteria(kind, document, name, birth_date)
    reference = str(uuid.uuid4())
    justification = str(actor.justification) if actor.justification else None
    query = HitQuery(
        reference=reference,
        direction="outgoing",
        partner_id=partner.id,
        kind=kind,
        criteria=criteria,
        justification=justification,
        status="pending",
        matched=[],
    )
    session.add(query)
    bundle_id = _send(
        session,
        node,
        partner,
        "query",
        {"reference": reference, "kind": kind, "criteria": criteria},
        justification=justification,
    )
    log_exchange(
        session,
        actor=actor.name,
        agency=node.agency_code,
        action="transfer",
        partner=partner.name,
        bundle_id=bundle_id,
        justification=justification,
        query=reference,
        step="query",
        kind=kind,
    )
    session.flush()
    return query


def _document_matches(session: Session, number: str) -> list[dict[str, Any]]:
    found = [
        {"table": "identity_documents", "id": i, "person_id": p}
        for i, p in session.execute(
            select(IdentityDocument.id, IdentityDocument.person_id).where(IdentityDocument.number_normalised == number)
        )
    ]
    for entry in session.scalars(select(WatchlistEntry)):
        if number in {normalise_number(n) for n in entry.document_numbers if n}:
            found.append({"table": "watchlist_entries", "id": entry.id})
    return found


def _person_matches(session: Session, name: str, birth_date: str | None) -> list[dict[str, Any]]:
    wanted, threshold = prepare_name(name), sharing_config().hitnohit.person_threshold
    statement = select(PersonRecord)
    if birth_date:
        statement = statement.where(PersonRecord.birth_date == birth_date)
    found = []
    for record in session.scalars(statement):
        if any(
            score_prepared(wanted, prepare_name(n.full_name), threshold=threshold) >= threshold for n in record.names
        ):
            found.append({"table": "person_records", "id": record.id})
    return found


def _matches(session: Session, kind: str, criteria: dict[str, Any]) -> list[dict[str, Any]]:
    if kind == "document":
        return _document_matches(session, normalise_number(str(criteria.get("document_number", ""))))
    return _person_matches(session, str(criteria.get("name", "")), criteria.get("birth_date"))


def _query_legal_basis(justification: str | None) -> str | None:
    """The query's justification when it is a legal basis (``legal_basis:victim_protection``), else none."""
    kind, _, value = (justification or "").partition(":")
    return value if kind == "legal_basis" and value in taxonomy("legal_bases").ids else None


def releasable(
    session: Session, node: Node, partner: Partner, matched: list[dict[str, Any]], legal_basis: str | None
) -> tuple[list[dict[str, Any]], list[str]]:
    """The matches the partner could have been sent, under the rules of a transfer (``handling.may_send``); and
    the rules that withheld the others (for this node's audit log only).

    A hit says a record exists: answering "hit" for a record of originating-agency-only distribution, for a group
    the partner is not in, for an H2 record this node received, or for a victim's or a minor's record without a
    legal basis would tell the partner what it may not learn. Such matches count as no hit.
    """
    today = dt.datetime.now(dt.UTC).date()
    kept: list[dict[str, Any]] = []
    withheld: list[str] = []
    for match in matched:
        kind, record_id = _record_of(match)
        row: Any = session.get(PersonRecord if kind == "person" else WatchlistEntry, record_id)
        if row is None:
            continue
        decision = may_send(
            record_handling(session, node, kind, row, record_id),
            sender_agency=node.agency_code,
            recipient_agency=partner.agency_code,
            legal_basis=legal_basis,
            today=today,
        )
        if decision.allowed:
            kept.append(match)
        else:
            withheld.append(f"{kind}:{record_id}:{decision.rule}")
    return kept, withheld


def _record_of(match: dict[str, Any]) -> tuple[str, int]:
    """The record a match stands for: a person (for a document, its holder) or a watchlist notice."""
    if match["table"] == "watchlist_entries":
        return "notice", int(match["id"])
    if match["table"] == "identity_documents":
        return "person", int(match["person_id"])
    return "person", int(match["id"])


def _incoming(session: Session, node: Node, opened: OpenedBundle) -> list[str]:
    """Record a partner's query with the matches it may learn of; the rules that withheld the others."""
    message, partner = opened.envelope.message, opened.partner
    kind = str(message.get("kind"))
    if kind not in QUERY_KINDS:
        raise InvalidInput(f"query kind {kind!r} is not one of {', '.join(QUERY_KINDS)}")
    found = _matches(session, kind, dict(message.get("criteria") or {}))
    matched, withheld = releasable(session, node, partner, found, _query_legal_basis(opened.envelope.justification))
    session.add(
        HitQuery(
            reference=str(message["reference"]),
            direction="incoming",
            partner_id=partner.id,
            kind=kind,
            criteria=dict(message.get("criteria") or {}),
            justification=opened.envelope.justification,
            hit=bool(matched),
            matched=matched,
            status="answered",
        )
    )
    return withheld


def _query(session: Session, reference: str, direction: str) -> HitQuery:
    query = session.scalars(
        select(HitQuery).where(HitQuery.reference == reference, HitQuery.direction == direction)
    ).first()
    if query is None:
        raise NotFound(f"no {direction} hit/no-hit query with reference {reference!r}")
    return query


def handle_message(session: Session, node: Node, opened: OpenedBundle, report: ImportReport, actor: str) -> None:
    """Act on a query, an answer, a detail request or a detail reply that arrived in the inbox."""
    envelope, partner, message = opened.envelope, opened.partner, opened.envelope.message
    reference = str(message.get("reference", ""))
    if envelope.kind == "query":
        withheld = _incoming(session, node, opened)
        query = _query(session, reference, "incoming")
        bundle_id = _send(session, node, partner, "answer", {"reference": reference, "hit": query.hit})
        log_exchange(
            session,
            actor=f"partner:{partner.name}",
            agency=node.agency_code,
            action="consultation",
            partner=partner.name,
            bundle_id=bundle_id,
            justification=envelope.justification,
            count=len(query.matched),
            query=reference,
            step="answer",
            hit=query.hit,
            withheld=withheld,
        )
    elif envelope.kind == "answer":
        query = _query(session, reference, "outgoing")
        query.hit, query.status = bool(message.get("hit")), "answered"
    elif envelope.kind == "detail_request":
        query = _query(session, reference, "incoming")
        if query.hit:
            query.status = "detail_requested"
            query.detail = {"request_justification": envelope.justification}
    elif envelope.kind == "detail_reply":
        query = _query(session, reference, "outgoing")
        query.status = "detail_received" if message.get("approved") else "refused"
        outcome = import_items(session, node, opened, actor)  # checked as any import: signatures, chain, terms
        outcome.into(report)
        query.detail = {
            "items": [s.item.model_dump(mode="json") for s in outcome.stored]
            + [item.model_dump(mode="json") for item in outcome.echoed],
            "records": [
                {"entity_id": s.item.entity.get("id"), "table": s.table, "id": s.record_id} for s in outcome.stored
            ],
            "echoes": len(outcome.echoed),
            "refused": [r.model_dump() for r in outcome.refused],
            "reason": message.get("reason"),
        }


def partner_name(session: Session, query: HitQuery) -> str:
    """The name of the partner a query was asked of (or by)."""
    partner = session.get(Partner, query.partner_id)
    assert partner is not None
    return partner.name


def request_details(session: Session, node: Node, actor: Actor, reference: str) -> HitQuery:
    """Ask the owning node for the details behind a hit; a person there decides."""
    guard(session, actor, "sharing.query", subject=f"query:{reference}")
    query = _query(session, reference, "outgoing")
    if not query.hit:
        raise Conflict(f"query {reference} has no hit (status {query.status}); there are no details to request")
    partner = session.get(Partner, query.partner_id)
    assert partner is not None
    justification = str(actor.justification) if actor.justification else None
    bundle_id = _send(session, node, partner, "detail_request", {"reference": reference}, justification=justification)
    query.status = "detail_requested"
    log_exchange(
        session,
        actor=actor.name,
        agency=node.agency_code,
        action="transfer",
        partner=partner.name,
        bundle_id=bundle_id,
        justification=justification,
        query=reference,
        step="detail_request",
    )
    return query


@dataclass(frozen=True)
class DetailRequest:
    """A partner's request for the details behind a hit, as the deciding supervisor sees it."""

    reference: str
    partner: str
    kind: str
    criteria: dict[str, Any]
    justification: str | None  # the partner's, for its query
    request_justification: str | None  # the partner's, for asking the details
    matched: list[str]  # "person 12", "notice 3": the records that would go

    def summary(self) -> str:
        asked = ", ".join(f"{k}={v}" for k, v in self.criteria.items() if v is not None)
        return (
            f"{self.reference} from {self.partner}: {self.kind} query ({asked}); justification "
            f"{self.justification or '-'}; details asked for {self.request_justification or '-'}; "
            f"matched {', '.join(self.matched) or 'nothing'}"
        )


def pending_requests(session: Session, actor: Actor) -> list[DetailRequest]:
    """Partners' detail requests awaiting a decision here, with what they asked, why, and what matched."""
    guard(session, actor, "sharing.decide")
    statement = (
        select(HitQuery, Partner.name)
        .join(Partner, Partner.id == HitQuery.partner_id)
        .where(HitQuery.status == "detail_requested", HitQuery.direction == "incoming")
        .order_by(HitQuery.id)
    )
    return [
        DetailRequest(
            reference=query.reference,
            partner=name,
            kind=query.kind,
            criteria=dict(query.criteria),
            justification=query.justification,
            request_justification=(query.detail or {}).get("request_justification"),
            matched=[f"{kind} {record_id}" for kind, record_id in sorted({_record_of(m) for m in query.matched})],
        )
        for query, name in session.execute(statement)
    ]


@dataclass(frozen=True)
class DetailDecision:
    """A supervisor's decision on a detail request: the status, the bundle sent and the records kept home."""

    reference: str
    partner: str
    status: str
    bundle_id: str
    sent: int
    refused: list[Refusal]


def decide(
    session: Session,
    node: Node,
    actor: Actor,
    reference: str,
    *,
    approve: bool,
    legal_basis: str | None = None,
    reason: str | None = None,
) -> DetailDecision:
    """Approve (details go back under their handling rules) or refuse a partner's detail request.

    An approval sends only the matched records the transfer rules allow now; those they refuse stay home and are
    named with their rule (a request is refused when none may go)."""
    guard(session, actor, "sharing.decide", subject=f"query:{reference}")
    query = _query(session, reference, "incoming")
    if query.status != "detail_requested":
        raise Conflict(f"query {reference} is {query.status}, not awaiting a decision")
    partner = session.get(Partner, query.partner_id)
    assert partner is not None
    refs = sorted({_record_of(m) for m in query.matched})
    selection = select_items(session, node, partner, refs, legal_basis) if approve else None
    items = selection.items if selection else []
    message = {"reference": reference, "approved": approve and bool(items), "reason": reason}
    justification = str(actor.justification) if actor.justification else None
    bundle_id = _send(session, node, partner, "detail_reply", message, items=items, justification=justification)
    if selection is not None:
        record_sent(session, partner, bundle_id, selection)
    query.status, query.decided_by = ("approved" if message["approved"] else "refused"), actor.name
    refused = selection.refused if selection else []
    log_exchange(
        session,
        actor=actor.name,
        agency=node.agency_code,
        action="disclosure" if items else "consultation",
        partner=partner.name,
        bundle_id=bundle_id,
        justification=justification,
        count=len(items),
        query=reference,
        step="decision",
        approved=message["approved"],
        refused=[f"{r.kind}:{r.record_id}:{r.rule}" for r in refused],
    )
    return DetailDecision(reference, partner.name, query.status, bundle_id, len(items), refused)
