"""User accounts: create, list, disable, reset, change one's password, enrol a TOTP second factor."""

from __future__ import annotations

import datetime as dt
import re

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from palermo.auth import passwords, totp
from palermo.auth.access import guard
from palermo.auth.actor import Actor
from palermo.auth.clock import as_utc
from palermo.db.accounts import User, WebSession
from palermo.db.reference import Agency
from palermo.errors import Conflict, InvalidInput, NotAuthenticated, NotFound
from palermo.taxonomies import taxonomy

USERNAME_PATTERN = re.compile(r"[a-z0-9][a-z0-9._-]{1,63}")


class UserInfo(BaseModel):
    """A user as shown to people (and the API's answer): never the password hash or the TOTP secret."""

    model_config = ConfigDict(frozen=True)

    id: int
    username: str
    display_name: str
    agency_code: str
    role: str
    disabled: bool
    totp_enabled: bool
    must_change_password: bool
    failed_logins: int
    locked_until: dt.datetime | None
    last_login_at: dt.datetime | None


class NewUser(BaseModel):
    model_config = ConfigDict(frozen=True)

    user: UserInfo
    one_time_password: str = Field(description="Shown once; the user must change it at first login.")


def user_info(session: Session, user: User) -> UserInfo:
    agency = session.get(Agency, user.agency_id)
    return UserInfo(
        id=user.id,
        username=user.username,
        display_name=user.display_name,
        agency_code=agency.code if agency else "",
        role=user.role,
        disabled=user.disabled,
        totp_enabled=user.totp_enabled,
        must_change_password=user.must_change_password,
        failed_logins=user.failed_logins,
        locked_until=as_utc(user.locked_until),
        last_login_at=as_utc(user.last_login_at),
    )


def find_user(session: Session, username: str) -> User:
    user = session.scalars(select(User).where(User.username == username)).first()
    if user is None:
        raise NotFound(f"no user named {username!r}")
    return user


def _agency_id(session: Session, code: str) -> int:
    agency = session.scalars(select(Agency).where(Agency.code == code)).first()
    if agency is None:
        raise InvalidInput(f"unknown agency {code!r}; agencies are created by `palermo init` and by sharing")
    return agency.id


def is_service_account(role: str) -> bool:
    """Whether ``role`` is a service account's (``service_account`` in roles.yaml): token only, no password login."""
    return bool(taxonomy("roles").require(role).attributes.get("service_account", False))


def _refuse_service_account(role: str, doing: str) -> None:
    if is_service_account(role):
        raise InvalidInput(
            f"cannot {doing} an account with role {role!r}: it is a partner's service account, which signs in only "
            "with its API token; `palermo partners add` creates it with its token (docs/sharing.md)",
            field="role",
        )


def create_user(
    session: Session,
    actor: Actor,
    *,
    username: str,
    role: str,
    display_name: str | None = None,
    agency_code: str | None = None,
) -> NewUser:
    """A new account with a random one-time password that must be changed at first login."""
    guard(session, actor, "users.manage", subject=f"user:{username}")
    if not USERNAME_PATTERN.fullmatch(username):
        raise InvalidInput(f"username {username!r} must be 2-64 of a-z 0-9 . _ - and start with a letter or digit")
    taxonomy("roles").require(role)
    _refuse_service_account(role, "create")
    if session.scalars(select(User.id).where(User.username == username)).first() is not None:
        raise Conflict(f"a user named {username!r} already exists")
    password = passwords.one_time_password()
    user = User(
        username=username,
        display_name=display_name or username,
        agency_id=_agency_id(session, agency_code or actor.agency_code or ""),
        role=role,
        password_hash=passwords.hash_password(password),
        must_change_password=True,
        disabled=False,
        totp_enabled=False,
        failed_logins=0,
    )
    session.add(user)
    session.flush()
    return NewUser(user=user_info(session, user), one_time_password=password)


def list_users(session: Session, actor: Actor) -> list[UserInfo]:
    guard(session, actor, "users.read")
    return [user_info(session, u) for u in session.scalars(select(User).order_by(User.username))]


def get_user(session: Session, actor: Actor, username: str) -> UserInfo:
    guard(session, actor, "users.read", subject=f"user:{username}")
    return user_info(session, find_user(session, username))


def set_disabled(session: Session, actor: Actor, username: str, *, disabled: bool = True) -> UserInfo:
    """Disable (or re-enable) an account; disabling ends its web sessions, and its tokens stop working."""
    guard(session, actor, "users.manage", subject=f"user:{username}")
    user = find_user(session, username)
    if disabled and actor.user_id == user.id:
        raise InvalidInput("an administrator cannot disable their own account")
    user.disabled = disabled
    if disabled:
        session.execute(delete(WebSession).where(WebSession.user_id == user.id))
    return user_info(session, user)


def reset_password(session: Session, actor: Actor, username: str, *, reset_totp: bool = False) -> NewUser:
    """A new one-time password (to be changed at next login); clears lockouts, optionally the second factor."""
    guard(session, actor, "users.manage", subject=f"user:{username}")
    user = find_user(session, username)
    _refuse_service_account(user.role, "give a password to")
    password = passwords.one_time_password()
    user.password_hash = passwords.hash_password(password)
    user.must_change_password = True
    user.failed_logins = 0
    user.locked_until = None
    if reset_totp:
        user.totp_enabled = False
        user.totp_secret_encrypted = None
    session.execute(delete(WebSession).where(WebSession.user_id == user.id))
    return NewUser(user=user_info(session, user), one_time_password=password)


def _own_user(session: Session, actor: Actor) -> User:
    guard(session, actor, "auth.self")
    user = session.get(User, actor.user_id) if actor.user_id is not None else None
    if user is None:
        raise NotAuthenticated("this operation needs a signed-in user")
    return user


def current_user(session: Session, actor: Actor) -> UserInfo:
    return user_info(session, _own_user(session, actor))


def change_password(session: Session, actor: Actor, *, current: str, new: str) -> UserInfo:
    user = _own_user(session, actor)
    if not passwords.verify_password(user.password_hash, current):
        raise InvalidInput("the current password is wrong", field="current_password")
    if new == current:
        raise InvalidInput("the new password must differ from the current one", field="new_password")
    user.password_hash = passwords.hash_password(new)
    user.must_change_password = False
    return user_info(session, user)


def begin_totp(session: Session, actor: Actor, secret_key: str) -> tuple[str, str]:
    """A fresh TOTP secret (stored encrypted, not yet active) and its ``otpauth://`` URI."""
    user = _own_user(session, actor)
    if user.totp_enabled:
        raise Conflict("a second factor is already enabled; an administrator can reset it")
    secret = totp.new_secret()
    user.totp_secret_encrypted = totp.encrypt_secret(secret, secret_key)
    return secret, totp.provisioning_uri(secret, user.username)


def confirm_totp(session: Session, actor: Actor, code: str, secret_key: str) -> UserInfo:
    """Activate the pending second factor once the user proves their app shows the right code."""
    user = _own_user(session, actor)
    if user.totp_enabled or user.totp_secret_encrypted is None:
        raise Conflict("no second factor is waiting for confirmation; start with POST /api/v1/auth/totp")
    if not totp.verify_code(totp.decrypt_secret(user.totp_secret_encrypted, secret_key), code):
        raise InvalidInput("the TOTP code does not match; check the authenticator app's clock", field="code")
    user.totp_enabled = True
    return user_info(session, user)
