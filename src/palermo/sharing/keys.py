"""The node's sharing keys: Ed25519 to sign bundles, X25519 to receive encrypted ones.

Both live in ``<node home>/keys`` (folder 0700, files 0600, PKCS#8 PEM), apart from the audit tree-head key.
Public keys are exchanged out of band as unpadded base64url of the 32 raw bytes; the *fingerprint* a person reads
aloud on the telephone is the SHA-256 of ``signing key || encryption key`` (raw bytes), in groups of four hex
digits.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import os
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from jwcrypto import jwk

from palermo.errors import ConfigurationError, InvalidInput
from palermo.logs import get_logger

log = get_logger(__name__)

KEYS_FOLDER = "keys"
SIGNING_FILE = "sharing-ed25519.pem"
ENCRYPTION_FILE = "sharing-x25519.pem"
RAW_KEY_BYTES = 32


def b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def unb64(text: str, what: str) -> bytes:
    try:
        raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError):
        raise InvalidInput(f"{what} is not base64url: {text[:20]!r}") from None
    if len(raw) != RAW_KEY_BYTES:
        raise InvalidInput(f"{what} must be {RAW_KEY_BYTES} raw bytes in base64url, got {len(raw)} bytes")
    return raw


def fingerprint(signing_key: str, encryption_key: str) -> str:
    """SHA-256 over both raw public keys, hex in groups of four: what partners compare out of band."""
    digest = hashlib.sha256(unb64(signing_key, "signing key") + unb64(encryption_key, "encryption key")).hexdigest()
    return " ".join(digest[i : i + 4] for i in range(0, len(digest), 4))


@dataclass(frozen=True)
class PublicKeys:
    """A node's public keys as exchanged: base64url raw Ed25519 and X25519 keys."""

    signing_key: str
    encryption_key: str

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.signing_key, self.encryption_key)

    def signing_jwk(self) -> jwk.JWK:
        return jwk.JWK(kty="OKP", crv="Ed25519", x=b64(unb64(self.signing_key, "signing key")))

    def encryption_jwk(self) -> jwk.JWK:
        return jwk.JWK(kty="OKP", crv="X25519", x=b64(unb64(self.encryption_key, "encryption key")))


@dataclass(frozen=True)
class NodeKeys:
    """This node's private keys."""

    signing: Ed25519PrivateKey
    encryption: X25519PrivateKey

    @cached_property
    def public(self) -> PublicKeys:
        raw = serialization.Encoding.Raw, serialization.PublicFormat.Raw
        return PublicKeys(
            b64(self.signing.public_key().public_bytes(*raw)), b64(self.encryption.public_key().public_bytes(*raw))
        )

    def signing_jwk(self) -> jwk.JWK:
        return jwk.JWK.from_pyca(self.signing)

    def encryption_jwk(self) -> jwk.JWK:
        return jwk.JWK.from_pyca(self.encryption)


def _write_private(path: Path, pem: bytes) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(pem)


def _pem(key: Ed25519PrivateKey | X25519PrivateKey) -> bytes:
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )


def _load(path: Path) -> object:
    if path.stat().st_mode & 0o077:
        raise ConfigurationError(f"the sharing key {path} is readable by others; run `chmod 600 {path}`")
    return serialization.load_pem_private_key(path.read_bytes(), password=None)


def create_node_keys(home: Path) -> NodeKeys:
    """Create both keys (refusing to overwrite either): folder 0700, files 0600."""
    folder = home / KEYS_FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    folder.chmod(0o700)
    keys = NodeKeys(Ed25519PrivateKey.generate(), X25519PrivateKey.generate())
    _write_private(folder / SIGNING_FILE, _pem(keys.signing))
    _write_private(folder / ENCRYPTION_FILE, _pem(keys.encryption))
    log.info("sharing_keys_created", home=str(home), fingerprint=keys.public.fingerprint)
    return keys


def load_node_keys(home: Path) -> NodeKeys:
    folder = home / KEYS_FOLDER
    signing, encryption = _load(folder / SIGNING_FILE), _load(folder / ENCRYPTION_FILE)
    if not isinstance(signing, Ed25519PrivateKey) or not isinstance(encryption, X25519PrivateKey):
        raise ConfigurationError(f"{folder} does not hold an Ed25519 and an X25519 private key")
    return NodeKeys(signing, encryption)


def node_keys(home: Path) -> NodeKeys:
    """The node's sharing keys, created on first use (``palermo init`` creates them)."""
    return load_node_keys(home) if (home / KEYS_FOLDER / SIGNING_FILE).exists() else create_node_keys(home)


def parse_public_key(text: str, kind: str) -> str:
    """Validate a public key given as base64url raw bytes; returns it normalised (no padding)."""
    raw = unb64(text.strip(), f"{kind} key")
    try:
        (Ed25519PublicKey if kind == "signing" else X25519PublicKey).from_public_bytes(raw)
    except ValueError:
        raise InvalidInput(f"{kind} key is not a valid public key") from None
    return b64(raw)
