"""Signed delivery receipts: the receiver says, under its own signature, what it accepted and what it refused.

Every bundle a node opens (records, notices, queries, answers, detail requests and replies, withdrawals) gets a
receipt: a compact JWS (``EdDSA``, Ed25519, ``kid`` = the receiver's signing key, ``typ`` ``palermo-receipt+jws``)
over the canonical JSON of :class:`Receipt`. It holds no personal data: entity ids, rules and their reasons. Over
HTTP the inbox answers with it; for a bundle file, ``palermo share import`` writes it beside the file for the
sender. The receiver keeps the receipt with the bundle in its ledger and gives the same one again to a resend.

The sender verifies it against the partner registry (the partner the bundle went to, its registered key) and keeps
it (``sharing_receipts``); ``palermo share receipts`` and ``share deliver`` show it.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from jwcrypto import jws
from jwcrypto.common import JWException, json_encode
from pydantic import BaseModel, ConfigDict, Field, ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from palermo.auth.access import guard
from palermo.auth.actor import Actor
from palermo.db.sharing import DeliveryReceipt, Partner
from palermo.errors import InvalidInput, PermissionDenied
from palermo.node import Node
from palermo.sharing.keys import PublicKeys, node_keys
from palermo.sharing.partners import partner_by_signing_key

RECEIPT_TYPE = "palermo-receipt+jws"
MAX_RECEIPTS = 1000
RECEIPT_VERSION = 1


class RefusedItem(BaseModel):
    """An item the receiver did not store, the rule that refused it and why."""

    model_config = ConfigDict(frozen=True)

    item: int = Field(description="Position of the item in the bundle.")
    entity_id: str | None = None
    rule: str
    detail: str


class Receipt(BaseModel):
    """What the receiver signs for one bundle."""

    model_config = ConfigDict(frozen=True)

    palermo_receipt: int = RECEIPT_VERSION
    bundle_id: str = Field(min_length=36, max_length=36)
    kind: str = Field(max_length=32)
    sender: str = Field(max_length=64, description="The bundle's sender (who keeps this receipt).")
    receiver: str = Field(max_length=64, description="Who signed the receipt.")
    received_at: dt.datetime
    imported: int = Field(ge=0)
    echoes: int = Field(0, ge=0)
    accepted: list[str] = Field(default_factory=list, description="Entity ids stored (or withdrawn) by the receiver.")
    refused: list[RefusedItem] = Field(default_factory=list)


def _canonical(receipt: Receipt) -> bytes:
    return json.dumps(receipt.model_dump(mode="json"), sort_keys=True, separators=(",", ":")).encode()


def sign_receipt(node: Node, receipt: Receipt) -> str:
    """The receipt as a compact JWS signed with this node's signing key."""
    keys = node_keys(node.home)
    signed = jws.JWS(_canonical(receipt))
    header = {"alg": "EdDSA", "kid": keys.public.signing_key, "typ": RECEIPT_TYPE}
    signed.add_signature(keys.signing_jwk(), alg="EdDSA", protected=json_encode(header))
    return str(signed.serialize(compact=True))


def is_receipt(text: str) -> bool:
    """Whether ``text`` looks like a receipt (a compact JWS: three parts) rather than a bundle (a JWE: five)."""
    return text.strip().count(".") == 2


def _open(token: str, partner: Partner) -> Receipt:
    signed = jws.JWS()
    try:
        signed.deserialize(token.strip())
        signed.verify(PublicKeys(partner.signing_key, partner.encryption_key).signing_jwk(), alg="EdDSA")
    except (JWException, ValueError, TypeError):
        raise PermissionDenied(f"the receipt does not verify against partner {partner.name!r}") from None
    try:
        return Receipt.model_validate_json(bytes(signed.payload))
    except ValidationError as exc:
        raise InvalidInput(f"the receipt is malformed: {exc.errors()[0]['msg']}") from None


def _signer(token: str) -> str | None:
    signed = jws.JWS()
    try:
        signed.deserialize(token.strip())
        kid = signed.jose_header.get("kid")
    except (JWException, ValueError, TypeError, AttributeError):
        raise InvalidInput("not a receipt (no compact JWS)") from None
    return kid if isinstance(kid, str) else None


def store_receipt(session: Session, node: Node, token: str, *, partner: Partner | None = None) -> DeliveryReceipt:
    """Verify a partner's receipt for a bundle this node sent and keep it (the one already kept, for a resend).

    ``partner``: the partner the bundle went to (the outbox knows it); otherwise the receipt's signer, which must
    be an active partner.
    """
    if partner is None:
        kid = _signer(token)
        partner = partner_by_signing_key(session, kid) if kid else None
        if partner is None or partner.status != "active":
            raise PermissionDenied("the receipt is signed by a node that is not an active partner")
    receipt = _open(token, partner)
    if receipt.sender != node.agency_code or receipt.receiver != partner.agency_code:
        raise PermissionDenied(
            f"the receipt is for a bundle from {receipt.sender} to {receipt.receiver}, "
            f"not from {node.agency_code} to {partner.agency_code}"
        )
    kept = session.scalars(select(DeliveryReceipt).where(DeliveryReceipt.bundle_id == receipt.bundle_id)).first()
    if kept is not None:
        return kept
    row = DeliveryReceipt(
        bundle_id=receipt.bundle_id,
        partner_id=partner.id,
        kind=receipt.kind,
        received_at=receipt.received_at,
        imported=receipt.imported,
        echoes=receipt.echoes,
        accepted=receipt.accepted,
        refused=[r.model_dump() for r in receipt.refused],
        receipt=token.strip(),
    )
    session.add(row)
    session.flush()
    return row


class ReceiptView(BaseModel):
    """A kept receipt as the CLI and the API show it."""

    bundle_id: str
    partner: str
    kind: str
    received_at: str
    imported: int
    echoes: int
    accepted: list[str]
    refused: list[RefusedItem]

    def summary(self) -> str:
        refused = "".join(
            f"\n  refused: item {r.item} ({r.entity_id or '-'}): {r.rule} ({r.detail})" for r in self.refused
        )
        return (
            f"{self.bundle_id} {self.kind} to {self.partner}, received {self.received_at[:19]}: "
            f"{self.imported} accepted, {self.echoes} echo(es), {len(self.refused)} refused{refused}"
        )


def view(row: DeliveryReceipt, partner_name: str) -> ReceiptView:
    return ReceiptView(
        bundle_id=row.bundle_id,
        partner=partner_name,
        kind=row.kind,
        received_at=row.received_at.isoformat(),
        imported=row.imported,
        echoes=row.echoes,
        accepted=list(row.accepted),
        refused=[RefusedItem.model_validate(r) for r in row.refused],
    )


def keep_receipt(session: Session, node: Node, token: str) -> ReceiptView:
    """Verify and keep a receipt brought by hand (the file a partner wrote for a bundle file); as it reads."""
    row = store_receipt(session, node, token)
    partner = session.get(Partner, row.partner_id)
    assert partner is not None
    return view(row, partner.name)


def list_receipts(session: Session, actor: Actor, *, partner: str | None = None, limit: int = 100) -> list[ReceiptView]:
    """Kept receipts, newest first (of one partner)."""
    guard(session, actor, "partners.read", subject=f"partner:{partner}" if partner else "receipts")
    statement: Any = select(DeliveryReceipt, Partner.name).join(Partner, Partner.id == DeliveryReceipt.partner_id)
    if partner is not None:
        statement = statement.where(Partner.name == partner)
    statement = statement.order_by(DeliveryReceipt.id.desc()).limit(max(1, min(limit, MAX_RECEIPTS)))
    return [view(row, name) for row, name in session.execute(statement)]
