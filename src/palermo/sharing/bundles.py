"""Sealing and opening bundles: JWS (EdDSA, Ed25519) inside JWE (ECDH-ES+A256KW with X25519, A256GCM).

Sign-then-encrypt, with the recipient named *inside* the signed envelope: a recipient cannot re-encrypt a bundle
it received and pass it off to a third node as if the sender had addressed it there (the surreptitious-forwarding
problem of naive sign-then-encrypt). The JWS header carries ``kid`` = the sender's signing key, which only selects
the partner to verify against; nothing is trusted before the signature checks out.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

from jwcrypto import jwe, jws
from jwcrypto.common import JWException, json_encode
from pydantic import ValidationError
from sqlalchemy.orm import Session

from palermo.db.sharing import Partner
from palermo.errors import InvalidInput, PermissionDenied
from palermo.sharing.config import sharing_config
from palermo.sharing.envelope import PalermoEnvelope
from palermo.sharing.keys import NodeKeys, PublicKeys
from palermo.sharing.partners import partner_by_signing_key

CONTENT_TYPE = "palermo-bundle+jws"
JWE_ALG, JWE_ENC, JWS_ALG = "ECDH-ES+A256KW", "A256GCM", "EdDSA"


def canonical(envelope: PalermoEnvelope) -> bytes:
    return json.dumps(envelope.model_dump(mode="json"), sort_keys=True, separators=(",", ":")).encode()


def seal(envelope: PalermoEnvelope, sender: NodeKeys, recipient: PublicKeys) -> str:
    """The compact JWE of the signed envelope, readable only by ``recipient``."""
    signed = jws.JWS(canonical(envelope))
    header = {"alg": JWS_ALG, "kid": sender.public.signing_key, "typ": CONTENT_TYPE}
    signed.add_signature(sender.signing_jwk(), alg=JWS_ALG, protected=json_encode(header))
    protected = {"alg": JWE_ALG, "enc": JWE_ENC, "cty": CONTENT_TYPE, "kid": recipient.encryption_key}
    sealed = jwe.JWE(
        signed.serialize(compact=True).encode(), recipient=recipient.encryption_jwk(), protected=json_encode(protected)
    )
    return str(sealed.serialize(compact=True))


@dataclass(frozen=True)
class OpenedBundle:
    envelope: PalermoEnvelope
    partner: Partner


def _decrypt(token: str, own: NodeKeys) -> str:
    sealed = jwe.JWE()
    try:
        sealed.deserialize(token.strip(), key=own.encryption_jwk())
    except (JWException, ValueError, TypeError, KeyError) as exc:
        raise InvalidInput(
            f"bundle cannot be decrypted with this node's key (tampered, or not for us): {exc}"
        ) from None
    return bytes(sealed.payload).decode("utf-8", errors="replace")


def _signed_by(session: Session, inner: str) -> tuple[jws.JWS, Partner]:
    signed = jws.JWS()
    try:
        signed.deserialize(inner)
        kid = signed.jose_header.get("kid")
    except (JWException, ValueError, TypeError, AttributeError) as exc:
        raise PermissionDenied(f"bundle is not signed (no JWS inside the encryption): {exc}") from None
    partner = partner_by_signing_key(session, str(kid)) if isinstance(kid, str) else None
    if partner is None:
        raise PermissionDenied("bundle is signed by an unknown node; add it with `palermo partners add` first")
    if partner.status != "active":
        raise PermissionDenied(f"bundle is signed by removed partner {partner.name!r}; refused")
    try:
        signed.verify(PublicKeys(partner.signing_key, partner.encryption_key).signing_jwk(), alg=JWS_ALG)
    except JWException:
        raise PermissionDenied(f"bundle signature does not verify against partner {partner.name!r}") from None
    return signed, partner


def _check_envelope(envelope: PalermoEnvelope, partner: Partner, own: NodeKeys, now: dt.datetime) -> None:
    config = sharing_config().exchange
    if envelope.sender.fingerprint != partner.fingerprint or envelope.sender.agency != partner.agency_code:
        raise PermissionDenied(f"envelope names a sender other than its signer {partner.name!r}")
    if envelope.recipient.fingerprint != own.public.fingerprint:
        raise PermissionDenied("bundle is addressed to another node (forwarded by its recipient?); refused")
    created = envelope.created_at if envelope.created_at.tzinfo else envelope.created_at.replace(tzinfo=dt.UTC)
    if created > now + dt.timedelta(seconds=config.max_clock_skew_seconds):
        raise InvalidInput(f"bundle is dated in the future ({created.isoformat()}); check the sender's clock")
    if created < now - dt.timedelta(days=config.max_bundle_age_days):
        raise PermissionDenied(
            f"bundle is older than {config.max_bundle_age_days} days ({created.isoformat()}); refused as a replay"
        )


def open_bundle(session: Session, token: str, own: NodeKeys, *, now: dt.datetime | None = None) -> OpenedBundle:
    """Decrypt, verify against the partner registry, parse and check the envelope; refuse anything else."""
    signed, partner = _signed_by(session, _decrypt(token, own))
    try:
        envelope = PalermoEnvelope.model_validate_json(bytes(signed.payload))
    except ValidationError as exc:
        raise InvalidInput(f"bundle envelope is malformed: {exc.errors()[0]['msg']}") from None
    _check_envelope(envelope, partner, own, now or dt.datetime.now(dt.UTC))
    return OpenedBundle(envelope, partner)
