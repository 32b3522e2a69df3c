"""Withdrawal of a shared record: its originator recalls it, and every node it reached removes its copy.

The originator signs a :class:`~palermo.sharing.envelope.WithdrawalNotice` (which record, when, why) and sends it in
a ``withdrawal`` bundle to every partner the record went to (``sharing_sent_records``). A receiver checks the
originator's signature against its own registry (as it checked the record's), removes its copies (person records or
watchlist entries received from any partner, the screening index following at once), keeps the notice as a
tombstone and forwards it, untouched, to the partners it had passed the record on to. The tombstone stops the record
for good: the originator does not send it again (``withdrawn``), and a copy that arrives later, through a slow or a
dishonest node, is refused (``withdrawn``). Each step is in the audit log: ``alteration`` at the originator,
``erasure`` at each receiver.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError
from sqlalchemy import delete, select, tuple_
from sqlalchemy.orm import Session

from palermo.audit import AuditEvent, ObjectRef, append
from palermo.auth.access import guard
from palermo.auth.actor import Actor
from palermo.db.persons import IdentityDocument, PersonRecord
from palermo.db.sharing import Partner, ReceivedRecord, SentRecord, Withdrawal
from palermo.db.watchlists import WatchlistEntry
from palermo.errors import Conflict, InvalidInput, NotFound
from palermo.node import Node
from palermo.sharing.audit_events import log_exchange
from palermo.sharing.bundles import OpenedBundle
from palermo.sharing.envelope import WithdrawalNotice
from palermo.sharing.inbox import ImportReport, ItemRefusal, trusted_keys
from palermo.sharing.keys import node_keys
from palermo.sharing.outbox import enqueue
from palermo.sharing.outgoing import RECORD_TABLES, entity_id_of, envelope_for, seal_for
from palermo.sharing.signatures import ItemRefused, TrustedKeys, sign_withdrawal, verify_withdrawal

MODELS: dict[str, Any] = {"person": PersonRecord, "notice": WatchlistEntry}


@dataclass
class WithdrawalResult:
    """What a withdrawal did: the records withdrawn (kind, id, entity id) and a bundle per partner that had them."""

    records: list[tuple[str, int, str]] = field(default_factory=list)
    bundles: dict[str, str] = field(default_factory=dict)  # partner name -> bundle id


def withdrawn_entities(session: Session, keys: list[tuple[str, str]]) -> dict[tuple[str, str], str]:
    """Of these ``(entity id, originator)`` pairs, the withdrawn ones, with the originator's reason."""
    if not keys:
        return {}
    statement = select(Withdrawal.entity_id, Withdrawal.originator, Withdrawal.reason).where(
        tuple_(Withdrawal.entity_id, Withdrawal.originator).in_(sorted(set(keys)))
    )
    return {(entity_id, originator): reason for entity_id, originator, reason in session.execute(statement)}


def _followers(session: Session, entity_id: str, *, skip: set[str]) -> list[Partner]:
    """Active partners this node sent the record to, but those in ``skip`` (agency codes)."""
    statement = (
        select(Partner)
        .join(SentRecord, SentRecord.partner_id == Partner.id)
        .where(SentRecord.entity_id == entity_id, Partner.status == "active")
        .distinct()
        .order_by(Partner.name)
    )
    return [p for p in session.scalars(statement) if p.agency_code not in skip]


def _send(
    session: Session,
    node: Node,
    actor: str,
    notices: dict[str, tuple[Partner, list[WithdrawalNotice]]],
    justification: str | None,
) -> dict[str, str]:
    """One ``withdrawal`` bundle per partner, queued (the inbox and the CLI push it at once); partner -> bundle."""
    bundles = {}
    for partner, listed in notices.values():
        message = {"withdrawals": [n.model_dump(mode="json") for n in listed]}
        envelope = envelope_for(node, partner, "withdrawal", message=message, justification=justification)
        enqueue(session, partner, envelope, seal_for(node, partner, envelope))
        bundles[partner.name] = envelope.bundle_id
        log_exchange(
            session,
            actor=actor,
            agency=node.agency_code,
            action="alteration",
            partner=partner.name,
            bundle_id=envelope.bundle_id,
            justification=justification,
            count=len(listed),
            step="withdrawal",
            entities=[n.entity_id for n in listed],
        )
    return bundles


def withdraw(
    session: Session, node: Node, actor: Actor, refs: list[tuple[str, int]], *, reason: str
) -> WithdrawalResult:
    """Withdraw records this node originated from every partner they were sent to (and beyond, by them)."""
    guard(session, actor, "export.write", subject="withdrawal")
    reason = reason.strip()
    if not reason:
        raise InvalidInput("a withdrawal needs its reason (--reason); the partners receive it")
    keys, now, own = node_keys(node.home), dt.datetime.now(dt.UTC), node.agency_code
    result = WithdrawalResult()
    notices: dict[str, tuple[Partner, list[WithdrawalNotice]]] = {}
    reached: dict[str, list[Partner]] = {}
    for kind, record_id in refs:
        row = session.get(MODELS[kind], record_id)
        if row is None:
            raise NotFound(f"no {kind} record with id {record_id}")
        if row.originator != own:
            raise InvalidInput(
                f"{kind} {record_id} was originated by {row.originator}; only its originator withdraws it"
            )
        entity_id = entity_id_of(session, kind, row)
        if withdrawn_entities(session, [(entity_id, own)]):
            raise Conflict(f"{kind} {record_id} is already withdrawn")
        terms = {"entity_id": entity_id, "kind": kind, "originator": own, "withdrawn_at": now, "reason": reason}
        notice = sign_withdrawal(keys, WithdrawalNotice(**terms, signing_key="-", signature="-"))
        session.add(
            Withdrawal(
                entity_id=entity_id,
                originator=own,
                kind=kind,
                reason=reason,
                withdrawn_at=now,
                notice=notice.model_dump(mode="json"),
                removed=0,
            )
        )
        reached[entity_id] = _followers(session, entity_id, skip=set())
        for partner in reached[entity_id]:
            notices.setdefault(partner.name, (partner, []))[1].append(notice)
        result.records.append((kind, record_id, entity_id))
    justification = str(actor.justification) if actor.justification else None
    result.bundles = _send(session, node, actor.name, notices, justification)
    for kind, record_id, entity_id in result.records:
        append(
            session,
            AuditEvent(
                actor=actor.name,
                agency=own,
                action="alteration",
                objects=(ObjectRef(type=RECORD_TABLES[kind], id=str(record_id)),),
                justification=justification,
                details={
                    "operation": "withdrawal",
                    "entity_id": entity_id,
                    "reason": reason,
                    "partners": [p.name for p in reached[entity_id]],
                },
            ),
        )
    return result


def _remove_copies(session: Session, notice: WithdrawalNotice) -> list[int]:
    """Remove this node's received copies of the withdrawn record (from any partner); their ids."""
    model, table = MODELS[notice.kind], RECORD_TABLES[notice.kind]
    received = select(ReceivedRecord.record_id).where(ReceivedRecord.record_table == table)
    rows = list(
        session.scalars(
            select(model).where(
                model.source_key == notice.entity_id,
                model.originator == notice.originator,
                model.id.in_(received),
            )
        )
    )
    ids = [row.id for row in rows]
    if ids:
        session.execute(
            delete(ReceivedRecord).where(ReceivedRecord.record_table == table, ReceivedRecord.record_id.in_(ids))
        )
        if notice.kind == "person":  # the documents that came with the person go with it
            session.execute(delete(IdentityDocument).where(IdentityDocument.person_id.in_(ids)))
        for row in rows:
            session.delete(row)
        session.flush()
    return ids


def _notice(position: int, raw: object, trusted: TrustedKeys) -> WithdrawalNotice:
    try:
        notice = WithdrawalNotice.model_validate(raw)
    except ValidationError as exc:
        raise ItemRefused("malformed_item", f"withdrawal {position} is malformed: {exc.errors()[0]['msg']}") from None
    verify_withdrawal(notice, trusted)
    return notice


def receive_withdrawals(session: Session, node: Node, opened: OpenedBundle, report: ImportReport, actor: str) -> None:
    """Apply the withdrawals a partner brought: copies removed, tombstones kept, the notices passed on."""
    partner, own = opened.partner, node.agency_code
    trusted = trusted_keys(session, node, partner)
    onward: dict[str, tuple[Partner, list[WithdrawalNotice]]] = {}
    removed_entries: list[int] = []
    for position, raw in enumerate(opened.envelope.message.get("withdrawals") or []):
        entity_id = raw.get("entity_id") if isinstance(raw, dict) else None
        try:
            notice = _notice(position, raw, trusted)
        except ItemRefused as exc:
            report.refused.append(ItemRefusal(item=position, entity_id=entity_id, rule=exc.rule, detail=exc.detail))
            continue
        if notice.originator == own:  # this node's own withdrawal, come back round
            report.echoes += 1
            continue
        report.accepted.append(notice.entity_id)
        if withdrawn_entities(session, [(notice.entity_id, notice.originator)]):
            continue  # it came by another path already
        removed = _remove_copies(session, notice)
        if notice.kind == "notice":
            removed_entries += removed
        session.add(
            Withdrawal(
                entity_id=notice.entity_id,
                originator=notice.originator,
                kind=notice.kind,
                reason=notice.reason,
                withdrawn_at=notice.withdrawn_at,
                notice=notice.model_dump(mode="json"),
                partner_id=partner.id,
                removed=len(removed),
            )
        )
        report.imported += 1
        for follower in _followers(session, notice.entity_id, skip={partner.agency_code, notice.originator}):
            onward.setdefault(follower.name, (follower, []))[1].append(notice)
        append(
            session,
            AuditEvent(
                actor=actor,
                agency=own,
                action="erasure",
                objects=(ObjectRef(type="partner", id=partner.name), ObjectRef(type="bundle", id=report.bundle_id)),
                justification=opened.envelope.justification,
                result_count=len(removed),
                details={
                    "operation": "withdrawal",
                    "partner": partner.name,
                    "bundle_id": report.bundle_id,
                    "entity_id": notice.entity_id,
                    "originator": notice.originator,
                    "reason": notice.reason,
                    "removed": [f"{RECORD_TABLES[notice.kind]}:{i}" for i in removed],
                },
            ),
        )
    if removed_entries:  # a withdrawn notice stops screening at once
        from palermo.screening.candidate_index.node_cache import refresh_index

        refresh_index(session, node.home, [], removed_entries)
    _send(session, node, actor, onward, opened.envelope.justification)
