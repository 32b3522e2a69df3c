"""Passwords: Argon2id hashes, and random one-time passwords.

The hash parameters are the process's settings (``PALERMO_PASSWORD_HASH_*``, default RFC 9106's low-memory
profile), read at the first hash; a hash made with other parameters still verifies, and is redone with the current
ones at the next successful login (:func:`needs_rehash`).
"""

from __future__ import annotations

import secrets
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from palermo.errors import InvalidInput
from palermo.settings import get_settings

MIN_PASSWORD_LENGTH = 12
MAX_PASSWORD_LENGTH = 1024


@cache
def _hasher() -> PasswordHasher:
    settings = get_settings()
    return PasswordHasher(
        time_cost=settings.password_hash_passes,
        memory_cost=settings.password_hash_memory_kib,
        parallelism=settings.password_hash_lanes,
    )


@cache
def _dummy_hash() -> str:
    """A hash of a random password, checked for unknown users so that their answer takes as long as a real one."""
    return _hasher().hash(secrets.token_urlsafe(16))


def hash_password(password: str) -> str:
    """The Argon2id hash of ``password``, refusing ones that are too short or absurdly long."""
    check_password_strength(password)
    return _hasher().hash(password)


def check_password_strength(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InvalidInput(f"a password needs at least {MIN_PASSWORD_LENGTH} characters, got {len(password)}")
    if len(password) > MAX_PASSWORD_LENGTH:
        raise InvalidInput(f"a password may have at most {MAX_PASSWORD_LENGTH} characters")


def verify_password(password_hash: str | None, password: str) -> bool:
    """Whether ``password`` matches; with no hash (unknown user) a dummy hash is checked, so timing tells nothing."""
    try:
        return _hasher().verify(password_hash or _dummy_hash(), password) and password_hash is not None
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return _hasher().check_needs_rehash(password_hash)


def one_time_password() -> str:
    """A random password to hand over once (printed by ``palermo users reset``); 20 URL-safe characters."""
    return secrets.token_urlsafe(15)
