"""The node's Ed25519 key: created private, reloaded identical, fingerprinted."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from palermo.audit.keys import key_path, load_signing_key, node_signing_key, public_key_bytes
from palermo.errors import ConfigurationError, NotFound


def test_key_is_created_private_and_reloads(tmp_path: Path) -> None:
    key = node_signing_key(tmp_path)
    path = key_path(tmp_path)
    assert path.stat().st_mode & 0o777 == 0o600
    assert path.parent.stat().st_mode & 0o777 == 0o700
    assert load_signing_key(tmp_path).key_id == key.key_id
    assert node_signing_key(tmp_path).key_id == key.key_id
    assert key.key_id == hashlib.sha256(public_key_bytes(key.public_key)).hexdigest()


def test_missing_or_exposed_key_is_refused(tmp_path: Path) -> None:
    with pytest.raises(NotFound, match="no audit signing key"):
        load_signing_key(tmp_path)
    node_signing_key(tmp_path)
    key_path(tmp_path).chmod(0o644)
    with pytest.raises(ConfigurationError, match="readable by others"):
        load_signing_key(tmp_path)
