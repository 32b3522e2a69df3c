"""The inbox: open a bundle (decrypt, verify against the partner registry), then import it exactly once.

A bundle id already in the ledger is a replay or a resend: nothing is imported again and the answer says
``duplicate`` (so an at-least-once sender stops resending). Each item's originator signature and hop chain are
verified against this node's partner registry (:func:`palermo.sharing.signatures.verify_item`); an echo of this
node's own record is dropped and counted; the rest is judged on the originator's signed terms and the path it
travelled (:func:`palermo.sharing.handling.check_received`) and stored with its originator, handling, grading, a
distribution never wider than it arrived with, and the signed item itself (to forward it untouched). Each refused
item is named in the report with its rule; what arrived raises an alert (:mod:`palermo.sharing.arrivals`). Every
bundle opened is answered with this node's signed receipt (:mod:`palermo.sharing.receipts`), kept in the ledger
and given again to a resend.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from pydantic import BaseModel, Field
from sqlalchemy import select
from sqlalchemy.orm import Session

from palermo.auth.actor import Actor
from palermo.db.accounts import User
from palermo.db.sharing import Partner, ReceivedBundle
from palermo.errors import PalermoError, PermissionDenied
from palermo.node import Node
from palermo.sharing.arrivals import Stored, alert_arrivals
from palermo.sharing.audit_events import log_exchange
from palermo.sharing.bundles import OpenedBundle, open_bundle
from palermo.sharing.envelope import Item
from palermo.sharing.handling import check_received
from palermo.sharing.keys import node_keys
from palermo.sharing.partners import SERVICE_PREFIX
from palermo.sharing.receipts import Receipt, RefusedItem, sign_receipt
from palermo.sharing.received import Ready, prepare, store
from palermo.sharing.signatures import ItemRefused, TrustedKeys, item_facts, path, verify_item

ItemRefusal = RefusedItem  # a received item not stored, its rule and why (the receipt lists the same)


class ImportReport(BaseModel):
    """What receiving one bundle did (the inbox's answer too)."""

    bundle_id: str
    partner: str
    kind: str
    status: str = Field(description="`imported`, or `duplicate` for a bundle id already imported (nothing changed).")
    imported: int = 0
    echoes: int = Field(0, description="This node's own records sent back to it: verified, not stored again.")
    accepted: list[str] = Field(default_factory=list, description="Entity ids of the items stored (or withdrawn).")
    refused: list[ItemRefusal] = Field(default_factory=list)
    receipt: str | None = Field(
        None, description="This node's signed receipt (compact JWS) for the sender; the same one for a resend."
    )


def trusted_keys(session: Session, node: Node, partner: Partner) -> TrustedKeys:
    """The keys this node checks items from ``partner`` against: its own, the partner's and its registry's."""

    def registry(agency: str) -> str | None:
        statement = select(Partner.signing_key).where(Partner.agency_code == agency, Partner.status == "active")
        return session.scalars(statement.order_by(Partner.id)).first()

    return TrustedKeys(
        own_agency=node.agency_code,
        own_key=node_keys(node.home).public.signing_key,
        sender_agency=partner.agency_code,
        sender_key=partner.signing_key,
        registry=registry,
    )


def check_item(item: Item, trusted: TrustedKeys) -> None:
    """Refuse (:class:`ItemRefused`) an item whose signatures do not hold, or whose originator's terms forbid this
    node to hold it after the path it travelled."""
    verify_item(item, trusted)
    decision = check_received(
        item_facts(item),
        path=path(item),
        own_agency=trusted.own_agency,
        legal_basis=item.legal_basis,
        today=dt.datetime.now(dt.UTC).date(),
    )
    if not decision.allowed:
        raise ItemRefused(decision.rule, decision.detail)


def is_echo(item: Item, own_agency: str) -> bool:
    """Whether ``item`` comes back to a node that already holds it: its originator, or a node it passed before."""
    return item.handling.originator == own_agency or own_agency in path(item)[:-1]


def refusal(position: int, item: Item, exc: PalermoError) -> ItemRefusal:
    """An item's refusal as the report names it: the rule (``malformed_item`` for content that cannot be read)."""
    rule = exc.rule if isinstance(exc, ItemRefused) else "malformed_item"
    entity_id = item.entity.get("id")
    return ItemRefusal(item=position, entity_id=str(entity_id) if entity_id else None, rule=rule, detail=exc.message)


@dataclass
class Outcome:
    """What importing a bundle's items did: the rows stored, the echoes dropped, the items refused."""

    stored: list[Stored] = field(default_factory=list)
    echoed: list[Item] = field(default_factory=list)
    refused: list[ItemRefusal] = field(default_factory=list)

    def into(self, report: ImportReport) -> None:
        report.imported += len(self.stored)
        report.echoes += len(self.echoed)
        report.accepted += [str(s.item.entity.get("id")) for s in self.stored]
        report.refused += self.refused


def import_items(session: Session, node: Node, opened: OpenedBundle, actor: str) -> Outcome:
    """Check and store every item of a bundle (records, notices, approved details): echoes dropped, withdrawn and
    refused items named; notices screened at once; an arrival alert for what was stored."""
    from palermo.sharing.withdrawals import withdrawn_entities

    outcome = Outcome()
    trusted = trusted_keys(session, node, opened.partner)
    items = opened.envelope.items
    withdrawn = withdrawn_entities(session, [(str(i.entity.get("id")), i.handling.originator) for i in items])
    ready: list[Ready] = []
    for position, item in enumerate(items):
        try:
            if is_echo(item, node.agency_code):  # a record this node holds already: no new copy
                verify_item(item, trusted)  # a forged echo is refused like any other item
                outcome.echoed.append(item)
                continue
            check_item(item, trusted)
            reason = withdrawn.get((str(item.entity.get("id")), item.handling.originator))
            if reason is not None:
                raise ItemRefused("withdrawn", f"{item.handling.originator} withdrew this record: {reason}")
            ready.append(prepare(position, item))
        except PalermoError as exc:
            outcome.refused.append(refusal(position, item, exc))
    written, refused = store(session, opened.partner, opened.envelope.bundle_id, ready)
    outcome.stored = [Stored(r.item, r.table, record_id) for r, record_id in written]
    outcome.refused = sorted([*outcome.refused, *refused], key=lambda r: r.item)
    notices = [s.record_id for s in outcome.stored if s.table == "watchlist_entries"]
    if notices:  # a partner's notice is screened from the next traveller on, not after a rebuild
        from palermo.screening.candidate_index.node_cache import refresh_index

        refresh_index(session, node.home, notices, [])
    alert_arrivals(session, actor, opened.partner.name, opened.envelope.bundle_id, outcome.stored)
    return outcome


def _refuse_foreign_deliverer(session: Session, node: Node, deliverer: Actor, opened: OpenedBundle) -> None:
    """Refuse (logged, committed) a bundle delivered with a token that is not its signer's service account."""
    partner = opened.partner
    account = session.get(User, deliverer.user_id) if deliverer.user_id is not None else None
    if account is not None and account.username == SERVICE_PREFIX + partner.name:
        return
    reason = f"the token of {deliverer.name} does not belong to partner {partner.name!r}, who signed the bundle"
    log_exchange(
        session,
        actor=deliverer.name,
        agency=node.agency_code,
        action="refusal",
        partner=partner.name,
        bundle_id=opened.envelope.bundle_id,
        reason=reason,
    )
    session.commit()  # the refusal stays in the log; the error that follows imports nothing
    raise PermissionDenied(reason)


def receive(
    session: Session,
    node: Node,
    token: str,
    *,
    transport: str,
    actor: str | None = None,
    deliverer: Actor | None = None,
) -> ImportReport:
    """Open and import a bundle once; every receipt (duplicates too) is in the audit log.

    ``deliverer``: who handed the bundle over the network (the partner's service-account token on the inbox). It
    must be the account of the partner that signed the bundle; otherwise the bundle is refused before anything is
    imported, and the refusal is logged.
    """
    opened = open_bundle(session, token, node_keys(node.home))
    envelope, partner = opened.envelope, opened.partner
    if deliverer is not None:
        _refuse_foreign_deliverer(session, node, deliverer, opened)
        actor = deliverer.name
    report = ImportReport(bundle_id=envelope.bundle_id, partner=partner.name, kind=envelope.kind, status="imported")
    actor = actor or f"partner:{partner.name}"
    seen = session.scalars(select(ReceivedBundle).where(ReceivedBundle.bundle_id == envelope.bundle_id)).first()
    if seen is not None:
        report.status, report.receipt = "duplicate", seen.receipt
    elif envelope.kind in ("records", "notices"):
        import_items(session, node, opened, actor).into(report)
    elif envelope.kind == "withdrawal":
        from palermo.sharing.withdrawals import receive_withdrawals

        receive_withdrawals(session, node, opened, report, actor)
    elif envelope.kind in ("pprl_encodings", "pprl_answers"):
        from palermo.sharing.pprl.protocol import handle_message as pprl_message

        pprl_message(session, opened)
    else:
        from palermo.sharing.hitnohit import handle_message

        handle_message(session, node, opened, report, actor)
    if seen is None:
        report.receipt = _receipt(node, opened, report)
        session.add(
            ReceivedBundle(
                bundle_id=envelope.bundle_id,
                partner_id=partner.id,
                kind=envelope.kind,
                sent_at=envelope.created_at,
                items=report.imported,
                transport=transport,
                receipt=report.receipt,
            )
        )
    log_exchange(
        session,
        actor=actor,
        agency=node.agency_code,
        action="collection",
        partner=partner.name,
        bundle_id=envelope.bundle_id,
        justification=envelope.justification,
        count=report.imported,
        echoes=report.echoes,
        kind=envelope.kind,
        status=report.status,
        transport=transport,
        refused=[f"item {r.item}:{r.rule}" for r in report.refused],
    )
    return report


def _receipt(node: Node, opened: OpenedBundle, report: ImportReport) -> str:
    """This node's signed receipt for a bundle it opened: what it accepted, refused (and why) and dropped."""
    receipt = Receipt(
        bundle_id=report.bundle_id,
        kind=report.kind,
        sender=opened.envelope.sender.agency,
        receiver=node.agency_code,
        received_at=dt.datetime.now(dt.UTC),
        imported=report.imported,
        echoes=report.echoes,
        accepted=report.accepted,
        refused=report.refused,
    )
    return sign_receipt(node, receipt)
