"""The node's Ed25519 signing key for tree heads, kept in ``<node home>/keys`` (folder 0700, file 0600).

The key id is the hex SHA-256 fingerprint of the 32-byte raw public key; an oversight body pins the public key (or
its id) once and checks every signed tree head against it.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from palermo.errors import ConfigurationError, InvalidInput, NotFound
from palermo.logs import get_logger

log = get_logger(__name__)

KEYS_FOLDER = "keys"
KEY_FILE = "audit-ed25519.pem"
#: every head signed with the node's key is also appended here (see :mod:`palermo.audit.witness`)
JOURNAL_FILE = "audit-heads.jsonl"


def public_key_bytes(public_key: Ed25519PublicKey) -> bytes:
    return public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def public_key_from_bytes(raw: bytes) -> Ed25519PublicKey:
    try:
        return Ed25519PublicKey.from_public_bytes(raw)
    except ValueError:
        raise InvalidInput(f"an Ed25519 public key is 32 raw bytes, got {len(raw)}") from None


def key_id(public_key: Ed25519PublicKey) -> str:
    """Hex SHA-256 of the raw public key."""
    return hashlib.sha256(public_key_bytes(public_key)).hexdigest()


def verify_signature(public_key: Ed25519PublicKey, signature: bytes, message: bytes) -> bool:
    try:
        public_key.verify(signature, message)
    except InvalidSignature:
        return False
    return True


@dataclass(frozen=True)
class SigningKey:
    """A node's private signing key, with its public half and key id."""

    private_key: Ed25519PrivateKey
    #: the heads journal of the node this key belongs to (None: heads are not journaled, e.g. a bare test key)
    journal: Path | None = None

    @property
    def public_key(self) -> Ed25519PublicKey:
        return self.private_key.public_key()

    @property
    def key_id(self) -> str:
        return key_id(self.public_key)

    def sign(self, message: bytes) -> bytes:
        return self.private_key.sign(message)


def key_path(home: Path) -> Path:
    return home / KEYS_FOLDER / KEY_FILE


def journal_path(home: Path) -> Path:
    """The node's heads journal, beside its key (see :mod:`palermo.audit.witness`)."""
    return home / KEYS_FOLDER / JOURNAL_FILE


def load_signing_key(home: Path) -> SigningKey:
    """The node's key; :class:`NotFound` when it was never created."""
    path = key_path(home)
    if not path.is_file():
        raise NotFound(f"no audit signing key at {path}; run `palermo audit sign` once to create it")
    if path.stat().st_mode & 0o077:
        raise ConfigurationError(f"the audit signing key {path} is readable by others; run `chmod 600 {path}`")
    private = serialization.load_pem_private_key(path.read_bytes(), password=None)
    if not isinstance(private, Ed25519PrivateKey):
        raise ConfigurationError(f"{path} does not hold an Ed25519 private key")
    return SigningKey(private, journal=journal_path(home))


def create_signing_key(home: Path) -> SigningKey:
    """Create the node's key (refusing to overwrite one): folder mode 0700, file mode 0600."""
    path = key_path(home)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.parent.chmod(0o700)
    private = Ed25519PrivateKey.generate()
    pem = private.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(pem)
    key = SigningKey(private, journal=journal_path(home))
    log.info("audit_key_created", path=str(path), key_id=key.key_id)
    return key


def node_signing_key(home: Path) -> SigningKey:
    """Load the node's key, creating it on first use."""
    return load_signing_key(home) if key_path(home).exists() else create_signing_key(home)
