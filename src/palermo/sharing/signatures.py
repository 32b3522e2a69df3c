"""Originator-signed items: the originator signs an item's content and handling terms; every sender adds a hop.

An item's ``origin`` is the originator's Ed25519 signature over the canonical JSON (sorted keys, compact) of
``{"palermo_item": 2, "kind", "category", "entity", "handling"}``: what the record says and the terms it may travel
under. A forwarding node cannot change either without breaking it. Each transfer appends a ``Hop`` signed by its
sender over ``{"origin", "previous", "agency", "to", "signing_key", "legal_basis"}`` (``previous``: the signature
of the hop before, or null), so the path is a chain: the first hop is the originator's own ("sent by A to B"),
each hop starts where the previous one ended, and the last one ends at the receiver. Signatures are raw Ed25519
(RFC 8032) in base64url, verifiable with any library.

:func:`verify_item` checks an item against keys the receiver already trusts (its partner registry and its own key,
looked up by the caller): it never trusts a key because the item carries it.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from palermo.errors import InvalidInput
from palermo.sharing.envelope import Handling, Hop, Item, OriginSignature, WithdrawalNotice
from palermo.sharing.handling import RecordHandling
from palermo.sharing.keys import NodeKeys, b64, unb64

ITEM_VERSION = 2
WITHDRAWAL_VERSION = 1
SIGNATURE_BYTES = 64


class ItemRefused(InvalidInput):
    """A received item refused by a named rule (the import report lists the rule and the detail)."""

    def __init__(self, rule: str, detail: str) -> None:
        super().__init__(detail)
        self.rule = rule
        self.detail = detail


def _canonical(value: dict[str, Any]) -> bytes:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def origin_payload(
    kind: str,
    category: str | None,
    entity: dict[str, Any],
    handling: Handling,
    documents: list[dict[str, Any]] | None = None,
) -> bytes:
    """The bytes the originator signs: the item's content (with its documents, when it has any) and its terms."""
    content = {"palermo_item": ITEM_VERSION, "kind": kind, "category": category, "entity": entity}
    if documents:  # an item without documents signs what items signed before documents travelled
        content["documents"] = documents
    return _canonical({**content, "handling": handling.model_dump(mode="json")})


def hop_payload(origin: str, previous: str | None, hop: Hop) -> bytes:
    """The bytes a sender signs for its hop: the origin signature, the hop before and this transfer."""
    body = hop.model_dump(mode="json", exclude={"signature"})
    return _canonical({**body, "origin": origin, "previous": previous})


def _sign(keys: NodeKeys, payload: bytes) -> str:
    return b64(keys.signing.sign(payload))


@lru_cache(maxsize=256)
def _public_key(signing_key: str) -> Ed25519PublicKey:
    """The key object of a signing key (a bundle's items are signed by a handful of keys: decode each once)."""
    return Ed25519PublicKey.from_public_bytes(unb64(signing_key, "signing key"))


def _verifies(signing_key: str, signature: str, payload: bytes) -> bool:
    try:
        _public_key(signing_key).verify(_unb64_signature(signature), payload)
    except (InvalidInput, InvalidSignature, ValueError):
        return False
    return True


def _unb64_signature(text: str) -> bytes:
    raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    if len(raw) != SIGNATURE_BYTES:
        raise ValueError("not an Ed25519 signature")
    return raw


def originate(
    keys: NodeKeys,
    kind: str,
    category: str | None,
    entity: dict[str, Any],
    handling: Handling,
    documents: list[dict[str, Any]] | None = None,
) -> OriginSignature:
    """This node's signature as the originator of an item."""
    payload = origin_payload(kind, category, entity, handling, documents)
    return OriginSignature(signing_key=keys.public.signing_key, signature=_sign(keys, payload))


def add_hop(keys: NodeKeys, item: Item, *, sender: str, recipient: str, legal_basis: str | None) -> Item:
    """``item`` with this node's hop to ``recipient`` appended; the origin signature and earlier hops untouched."""
    unsigned = Hop(
        agency=sender, to=recipient, signing_key=keys.public.signing_key, legal_basis=legal_basis, signature=""
    )
    previous = item.chain[-1].signature if item.chain else None
    payload = hop_payload(item.origin.signature, previous, unsigned)
    hop = unsigned.model_copy(update={"signature": _sign(keys, payload)})
    return item.model_copy(update={"chain": [*item.chain, hop]})


@dataclass(frozen=True)
class TrustedKeys:
    """What the receiver knows: its own agency and key, the sender's, and a registry lookup by agency code."""

    own_agency: str
    own_key: str
    sender_agency: str
    sender_key: str
    registry: Callable[[str], str | None]  # agency code -> signing key of an active partner, or None

    def of(self, agency: str) -> str | None:
        if agency == self.own_agency:
            return self.own_key
        if agency == self.sender_agency:
            return self.sender_key
        return self.registry(agency)


def verify_item(item: Item, trusted: TrustedKeys) -> None:
    """Refuse (:class:`ItemRefused`) an item whose originator signature or hop chain does not hold."""
    originator = item.handling.originator
    known = trusted.of(originator)
    if known is None:
        raise ItemRefused(
            "unknown_originator",
            f"originator {originator} is not an active partner of {trusted.own_agency}: its signature cannot be "
            "checked (register its keys with `palermo partners add`, fingerprints compared out of band)",
        )
    if item.origin.signing_key != known:
        raise ItemRefused(
            "originator_key_mismatch", f"the item is signed with a key that is not {originator}'s registered key"
        )
    payload = origin_payload(item.kind, item.category, item.entity, item.handling, item.documents)
    if not _verifies(known, item.origin.signature, payload):
        raise ItemRefused(
            "originator_signature_invalid",
            f"{originator}'s signature does not cover this content and handling (altered after signing)",
        )
    _verify_chain(item, trusted)


def _verify_chain(item: Item, trusted: TrustedKeys) -> None:
    chain = item.chain
    if not chain:
        raise ItemRefused("hop_chain_invalid", "the item carries no signed hop")
    expected_from = item.handling.originator
    previous: str | None = None
    for position, hop in enumerate(chain):
        where = f"hop {position} ({hop.agency} to {hop.to})"
        if hop.agency != expected_from:
            raise ItemRefused("hop_chain_invalid", f"{where} does not start where the path stood ({expected_from})")
        known = trusted.of(hop.agency)
        if known is not None and hop.signing_key != known:
            raise ItemRefused("hop_chain_invalid", f"{where} is signed with a key that is not {hop.agency}'s")
        if not _verifies(hop.signing_key, hop.signature, hop_payload(item.origin.signature, previous, hop)):
            raise ItemRefused("hop_chain_invalid", f"{where}: the hop signature does not verify")
        expected_from, previous = hop.to, hop.signature
    last = chain[-1]
    if last.agency != trusted.sender_agency or last.to != trusted.own_agency:
        raise ItemRefused(
            "hop_chain_invalid",
            f"the last hop runs from {last.agency} to {last.to}, not from the sender {trusted.sender_agency} "
            f"to {trusted.own_agency}",
        )


def path(item: Item) -> list[str]:
    """The agencies the item passed through, the originator first and the receiver last."""
    return [item.chain[0].agency, *(hop.to for hop in item.chain)]


def item_facts(item: Item) -> RecordHandling:
    """The originator's signed terms as handling facts, with the hops the chain shows."""
    terms = item.handling
    return RecordHandling(
        originator=terms.originator,
        handling=terms.handling,
        distribution=terms.distribution,
        sensitivity=terms.sensitivity,
        handling_note=terms.handling_note,
        sharing_group=terms.sharing_group,
        group_members=frozenset(terms.group_members),
        delete_at=terms.delete_at,
        hops=item.hops,
    )


def withdrawal_payload(notice: WithdrawalNotice) -> bytes:
    """The bytes an originator signs to withdraw a record: which record, who, when and why."""
    body = notice.model_dump(mode="json", exclude={"signing_key", "signature"})
    return _canonical({**body, "palermo_withdrawal": WITHDRAWAL_VERSION})


def sign_withdrawal(keys: NodeKeys, notice: WithdrawalNotice) -> WithdrawalNotice:
    """``notice`` signed by this node as the record's originator."""
    signing_key = keys.public.signing_key
    return notice.model_copy(update={"signing_key": signing_key, "signature": _sign(keys, withdrawal_payload(notice))})


def verify_withdrawal(notice: WithdrawalNotice, trusted: TrustedKeys) -> None:
    """Refuse (:class:`ItemRefused`) a withdrawal its originator did not sign with its registered key."""
    known = trusted.of(notice.originator)
    if known is None:
        raise ItemRefused(
            "unknown_originator",
            f"originator {notice.originator} is not an active partner of {trusted.own_agency}: its withdrawal "
            "cannot be checked",
        )
    if notice.signing_key != known or not _verifies(known, notice.signature, withdrawal_payload(notice)):
        raise ItemRefused(
            "withdrawal_signature_invalid",
            f"the withdrawal of {notice.entity_id} is not signed by {notice.originator}'s registered key",
        )
