"""The secret two partners share for PPRL, and the per-field keys derived from it.

The secret is derived, never sent: X25519 Diffie-Hellman between this node's encryption key and the partner's
registered public one (the keys whose fingerprints were compared out of band) gives the same 32 bytes at both
nodes and at no third one; HKDF-SHA256 binds it to the pair of agencies, the scheme and the key epoch (raised
together to rotate, docs/pprl.md). Each field then gets its own HMAC key, so the filters of two fields cannot be
compared with one another, and the blocking keys get one more.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from functools import lru_cache

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from palermo.sharing.keys import unb64

SCHEME = "palermo-pprl-1"
SECRET_BYTES = 32


@dataclass(frozen=True)
class PprlKey:
    """A partnership's PPRL secret; ``field_key`` and ``block_key`` derive the keys actually used."""

    secret: bytes

    def __post_init__(self) -> None:
        if len(self.secret) < SECRET_BYTES:
            raise ValueError(f"a PPRL secret has at least {SECRET_BYTES} bytes")

    def _derive(self, label: str) -> bytes:
        return _derived(self.secret, label)

    def field_key(self, field: str) -> bytes:
        return self._derive(f"field/{field}")

    def block_key(self) -> bytes:
        return self._derive("blocking")

    @property
    def key_id(self) -> str:
        """A short public name of the key (not the key): partners see at once whether they derived the same one."""
        return self._derive("key-id").hex()[:16]


@lru_cache(maxsize=1024)
def _derived(secret: bytes, label: str) -> bytes:
    """HMAC-SHA256 of a label under the secret (cached: every record asks for the same few field keys)."""
    return hmac.new(secret, f"{SCHEME}/{label}".encode(), hashlib.sha256).digest()


def partnership_key(
    own: X25519PrivateKey, partner_encryption_key: str, agencies: tuple[str, str], epoch: int
) -> PprlKey:
    """The key this node and the partner both derive: X25519 shared secret, HKDF over both agencies and the epoch."""
    peer = X25519PublicKey.from_public_bytes(unb64(partner_encryption_key, "partner encryption key"))
    shared = own.exchange(peer)
    info = f"{SCHEME}|{'|'.join(sorted(agencies))}|epoch={epoch}".encode()
    secret = HKDF(algorithm=hashes.SHA256(), length=SECRET_BYTES, salt=None, info=info).derive(shared)
    return PprlKey(secret)
