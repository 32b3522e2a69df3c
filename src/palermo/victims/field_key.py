"""The victim field key: the AES-256 key that seals victim data at rest, kept in the node home, never in the store.

The key lives in ``<node home>/keys/victim-fields.key`` (folder 0700, file 0600), beside the sharing keys; ``palermo
init`` creates it and migration 0018 creates it on a node that predates it. The file is one line:
``palermo-victim-fields-v1 <key id> <key, base64url>``. A rotation (``palermo victims rekey``) writes the next key to
``victim-fields.key.next``, re-seals every field under it in one transaction, then puts it in place of the old one;
a key ring reads both files while a ``.next`` exists, so a rotation cut short leaves every field readable.

A missing key is a :class:`ConfigurationError` naming the file: victim data is never read or written in clear.

The store does not know its node home, so a node registers it for its engine (:func:`register_home`, done by
:class:`palermo.node.Node`) and the victims code finds the key ring of a session's engine (:func:`keyring_for`).
"""

from __future__ import annotations

import base64
import binascii
import os
import secrets
import threading
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from palermo.errors import ConfigurationError
from palermo.logs import get_logger

log = get_logger(__name__)

KEYS_FOLDER = "keys"
KEY_FILE = "victim-fields.key"
NEXT_SUFFIX = ".next"
MAGIC = "palermo-victim-fields-v1"
KEY_BYTES = 32

_HOMES: dict[str, Path] = {}
_CACHE: dict[Path, tuple[tuple[int, ...], Keyring]] = {}
_LOCK = threading.Lock()


@dataclass(frozen=True)
class FieldKey:
    """One AES-256 key and the id every field sealed under it names."""

    kid: str
    secret: bytes = b""

    def line(self) -> str:
        return f"{MAGIC} {self.kid} {base64.urlsafe_b64encode(self.secret).decode()}\n"


@dataclass(frozen=True)
class Keyring:
    """The key new fields are sealed under, and any other key a field may still name (a rotation under way)."""

    current: FieldKey
    others: tuple[FieldKey, ...] = ()

    def find(self, kid: str) -> FieldKey:
        for key in (self.current, *self.others):
            if key.kid == kid:
                return key
        raise ConfigurationError(
            f"victim data sealed under key {kid!r} cannot be opened: the node's victim field key is "
            f"{self.current.kid!r} (restore the key file the data was sealed under from the node's backup; "
            "data is never read in clear)"
        )


def key_path(home: Path) -> Path:
    return home / KEYS_FOLDER / KEY_FILE


def next_key_path(home: Path) -> Path:
    return key_path(home).with_name(KEY_FILE + NEXT_SUFFIX)


def new_field_key() -> FieldKey:
    return FieldKey(secrets.token_hex(4), secrets.token_bytes(KEY_BYTES))


def write_key(path: Path, key: FieldKey) -> None:
    """Write ``key`` to ``path`` (0600), refusing to overwrite a key."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.parent.chmod(0o700)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(key.line())


def _read_key(path: Path) -> FieldKey:
    if path.stat().st_mode & 0o077:
        raise ConfigurationError(f"the victim field key {path} is readable by others; run `chmod 600 {path}`")
    parts = path.read_text().split()
    if len(parts) != 3 or parts[0] != MAGIC:
        raise ConfigurationError(f"{path} is not a Palermo victim field key ({MAGIC} <id> <key>)")
    try:
        secret = base64.urlsafe_b64decode(parts[2])
    except (binascii.Error, ValueError):
        raise ConfigurationError(f"the victim field key {path} is not base64url") from None
    if len(secret) != KEY_BYTES:
        raise ConfigurationError(f"the victim field key {path} must hold {KEY_BYTES} bytes, it holds {len(secret)}")
    return FieldKey(parts[1], secret)


def ensure_field_key(home: Path) -> FieldKey:
    """The node's key, created when the node has none (``palermo init``, migration 0018)."""
    path = key_path(home)
    if path.exists():
        return _read_key(path)
    key = new_field_key()
    write_key(path, key)
    log.info("victim_field_key_created", home=str(home), kid=key.kid)
    return key


def load_keyring(home: Path) -> Keyring:
    """The key ring of the node at ``home``; a clear error when its key is missing."""
    path, following = key_path(home), next_key_path(home)
    stamps = tuple(p.stat().st_mtime_ns if p.exists() else 0 for p in (path, following))
    with _LOCK:
        cached = _CACHE.get(home)
    if cached is not None and cached[0] == stamps:
        return cached[1]
    if not path.exists():
        raise ConfigurationError(
            f"the victim field key {path} is missing: victim data can be neither read nor written without it. "
            "Restore it from the node's backup (it is never kept in the store, and nothing is read in clear)"
        )
    current = _read_key(path)
    ring = Keyring(current, (_read_key(following),) if following.exists() else ())
    with _LOCK:
        _CACHE[home] = (stamps, ring)
    return ring


def _url(engine: Engine) -> str:
    return engine.url.render_as_string(hide_password=False)


def register_home(engine: Engine, home: Path) -> None:
    """Say which node home holds the field key of ``engine``'s store."""
    with _LOCK:
        _HOMES[_url(engine)] = home


def home_of(session: Session) -> Path:
    bind = session.get_bind()
    with _LOCK:
        home = _HOMES.get(_url(bind.engine))
    if home is None:
        raise ConfigurationError(
            "victim data needs the node's field key, and this store was opened without its node home "
            "(open it with palermo.node.open_node)"
        )
    return home


def keyring_for(session: Session) -> Keyring:
    """The key ring of the node whose store ``session`` works on."""
    return load_keyring(home_of(session))
