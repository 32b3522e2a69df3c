"""Password (and second-factor) login, throttled per user and per client address.

Failures are counted atomically and committed before the error is raised, so that a failed attempt counts even
though the request fails. A locked account answers exactly as a wrong password does (401, the same message, a
password hash checked for the same time), so the answer never tells whether a username exists; a locked client
address answers 429 with ``Retry-After``.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from palermo.auth import passwords, totp, users
from palermo.auth.clock import utcnow
from palermo.auth.throttle import (
    ThrottlePolicy,
    address_failed,
    address_succeeded,
    is_locked,
    refuse_if_locked,
    user_failed,
)
from palermo.db.accounts import LoginThrottle, User
from palermo.errors import NotAuthenticated
from palermo.logs import get_logger
from palermo.settings import Settings

log = get_logger(__name__)
WRONG_CREDENTIALS = (
    "wrong username or password (after repeated failures an account is locked for a while: try again later "
    "or ask an administrator)"
)


class SecondFactorRequired(NotAuthenticated):
    """The password was right but the account has a second factor and no code was given (pages ask for it)."""


def policy(settings: Settings) -> ThrottlePolicy:
    return ThrottlePolicy(settings.login_max_failures, settings.login_lockout_seconds)


def _fail(session: Session, user: User | None, address: str, rule: ThrottlePolicy, now: dt.datetime, why: str) -> None:
    """Count the failure for the user (when there is one to count) and the address, and commit it."""
    if user is not None and why != "locked":
        user_failed(session, user.id, rule, now)
    address_failed(session, address, rule, now)
    session.commit()
    log.warning("login_failed", username=user.username if user else None, client_address=address, reason=why)


def _second_factor_ok(user: User, code: str | None, settings: Settings) -> bool | None:
    """``None`` when the user has no second factor; otherwise whether ``code`` is right."""
    if not user.totp_enabled or user.totp_secret_encrypted is None:
        return None
    if not code:
        return False
    return totp.verify_code(totp.decrypt_secret(user.totp_secret_encrypted, settings.secret_key), code)


def authenticate(
    session: Session,
    *,
    username: str,
    password: str,
    totp_code: str | None,
    client_address: str,
    settings: Settings,
    now: dt.datetime | None = None,
) -> User:
    """The user these credentials belong to, or :class:`NotAuthenticated` / :class:`TooManyAttempts`."""
    now = now or utcnow()
    rule = policy(settings)
    address = session.get(LoginThrottle, client_address)
    refuse_if_locked(address.locked_until if address else None, now, "this address")
    user = session.scalars(select(User).where(User.username == username)).first()
    if user is not None and is_locked(user.locked_until, now):
        passwords.verify_password(None, password)  # the time an unknown user's answer takes
        _fail(session, user, client_address, rule, now, "locked")
        raise NotAuthenticated(WRONG_CREDENTIALS)
    if not passwords.verify_password(user.password_hash if user else None, password) or user is None:
        _fail(session, user, client_address, rule, now, "password")
        raise NotAuthenticated(WRONG_CREDENTIALS)
    if users.is_service_account(user.role):  # token only: a password never signs a service account in
        _fail(session, user, client_address, rule, now, "service_account")
        raise NotAuthenticated(WRONG_CREDENTIALS)
    if user.disabled:
        raise NotAuthenticated(f"account {username!r} is disabled; ask an administrator")
    factor = _second_factor_ok(user, totp_code, settings)
    if factor is False and not totp_code:
        raise SecondFactorRequired("this account has a second factor: give the current TOTP code (field `totp`)")
    if factor is False:
        _fail(session, user, client_address, rule, now, "totp")
        raise NotAuthenticated("wrong TOTP code")
    user.failed_logins = 0
    user.locked_until = None
    user.last_login_at = now
    if passwords.needs_rehash(user.password_hash):
        user.password_hash = passwords.hash_password(password)
    address_succeeded(session, client_address, now)
    return user
