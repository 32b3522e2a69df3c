"""Passwords: Argon2id hashes, and random one-time passwords.

The hash parameters are the process's settings (``PALERMO_PASSWORD_HASH_*``, default RFC 9106's low-memory
profile), read at the first hash; a hash made with other parameters still verifies, and is redone with the current
ones at the next successful login (:func:`needs_rehash`).

A hash costs about 0.1 s of CPU on every lane at once (Argon2 runs its lanes in parallel threads), and a sign-in
checks one. Hashes run :func:`in_background`: at most :data:`HASHES_AT_ONCE` at a time per process, so that a burst
of sign-ins (a shift starting, a flood of login attempts) takes at most that many hashes' cores and memory from the
booths' screenings, and the rest wait their turn. They run at the booths' own priority: at a lower one (tried,
niceness 10) a saturated node starved them, and sign-ins waited seconds while holding their request's store
connection (load benchmark on PostgreSQL, 50 clients at 70% of capacity after a saturated level: sign-in p95
9.4 s against 0.3 s).
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from functools import cache
from typing import TypeVar

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from palermo.errors import InvalidInput
from palermo.settings import get_settings

MIN_PASSWORD_LENGTH = 12
MAX_PASSWORD_LENGTH = 1024
HASHES_AT_ONCE = 2
T = TypeVar("T")


@cache
def _hashing_threads() -> ThreadPoolExecutor:
    return ThreadPoolExecutor(HASHES_AT_ONCE, thread_name_prefix="palermo-password")


def in_background(work: Callable[[], T]) -> T:
    """``work()`` (password hashing) in one of the hashing threads, waiting for a free one; its result or error."""
    return _hashing_threads().submit(work).result()


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
    return in_background(lambda: _hasher().hash(secrets.token_urlsafe(16)))


def hash_password(password: str) -> str:
    """The Argon2id hash of ``password``, refusing ones that are too short or absurdly long."""
    check_password_strength(password)
    return in_background(lambda: _hasher().hash(password))


def check_password_strength(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InvalidInput(f"a password needs at least {MIN_PASSWORD_LENGTH} characters, got {len(password)}")
    if len(password) > MAX_PASSWORD_LENGTH:
        raise InvalidInput(f"a password may have at most {MAX_PASSWORD_LENGTH} characters")


def verify_password(password_hash: str | None, password: str) -> bool:
    """Whether ``password`` matches; with no hash (unknown user) a dummy hash is checked, so timing tells nothing."""
    try:
        stored = password_hash or _dummy_hash()
        return in_background(lambda: _hasher().verify(stored, password)) and password_hash is not None
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return _hasher().check_needs_rehash(password_hash)


def one_time_password() -> str:
    """A random password to hand over once (printed by ``palermo users reset``); 20 URL-safe characters."""
    return secrets.token_urlsafe(15)
