"""API bearer tokens: random, shown once, stored as SHA-256, scoped, expiring, revocable, with last use.

A token is ``plm_`` + 43 URL-safe characters. Its scopes are a subset of its owner's permissions when created;
at each use they are intersected with the owner's role again, so a demoted user's tokens shrink with them.
"""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass

from sqlalchemy import bindparam, or_, select, update
from sqlalchemy.orm import Session

from palermo.auth.access import guard
from palermo.auth.actor import Actor
from palermo.auth.clock import as_utc, utcnow
from palermo.auth.permissions import effective_permissions, permissions, role_permissions
from palermo.auth.sessions import sha256
from palermo.auth.users import find_user
from palermo.db.accounts import ApiToken, User
from palermo.db.engine import on_commit
from palermo.errors import InvalidInput, NotAuthenticated, NotFound, PermissionDenied

TOKEN_PREFIX = "plm_"  # noqa: S105 (a visible prefix, not a secret)
MAX_DAYS = 3650
LAST_USE_RESOLUTION = dt.timedelta(minutes=1)  # last use is stamped at most this often (one write, not one per call)


@dataclass(frozen=True)
class TokenInfo:
    """A token as listed: never its secret or hash."""

    id: int
    name: str
    username: str
    prefix: str
    scopes: tuple[str, ...]
    created_at: dt.datetime | None
    expires_at: dt.datetime | None
    revoked_at: dt.datetime | None
    last_used_at: dt.datetime | None


@dataclass(frozen=True)
class NewToken:
    info: TokenInfo
    secret: str


def _info(row: ApiToken, username: str) -> TokenInfo:
    return TokenInfo(
        id=row.id,
        name=row.name,
        username=username,
        prefix=row.prefix,
        scopes=tuple(row.scopes.split()),
        created_at=as_utc(row.created_at),
        expires_at=as_utc(row.expires_at),
        revoked_at=as_utc(row.revoked_at),
        last_used_at=as_utc(row.last_used_at),
    )


def _owner(session: Session, actor: Actor, username: str | None) -> User:
    """The user a token operation is about: oneself, or anyone with ``tokens.manage_all``."""
    if username is None or (actor.user_id is not None and username == _username(session, actor.user_id)):
        guard(session, actor, "auth.self")
        if actor.user_id is None:
            raise InvalidInput("name the user whose tokens these are (--user)")
        user = session.get(User, actor.user_id)
        assert user is not None
        return user
    guard(session, actor, "tokens.manage_all", subject=f"user:{username}")
    return find_user(session, username)


def _username(session: Session, user_id: int) -> str:
    user = session.get(User, user_id)
    return user.username if user else ""


def _scopes(actor: Actor, owner: User, requested: list[str] | None) -> tuple[str, ...]:
    held = role_permissions(owner.role)
    if actor.user_id == owner.id:
        held &= effective_permissions(actor)
    if not requested:
        return tuple(sorted(held))
    for scope in requested:
        if scope not in permissions():
            raise InvalidInput(f"unknown permission {scope!r} in scopes; see permissions.yaml", field="scopes")
        if scope not in held:
            raise PermissionDenied(f"cannot scope a token for {scope!r}: {owner.username} does not hold it")
    return tuple(sorted(set(requested)))


def create_token(
    session: Session,
    actor: Actor,
    *,
    name: str,
    scopes: list[str] | None,
    days: int,
    username: str | None = None,
    now: dt.datetime | None = None,
) -> NewToken:
    """A new token for ``username`` (default: the actor), limited to ``scopes`` (default: all they hold)."""
    if not 1 <= days <= MAX_DAYS:
        raise InvalidInput(f"token lifetime must be 1 to {MAX_DAYS} days, got {days}", field="days")
    if not name.strip():
        raise InvalidInput("a token needs a name saying what it is for", field="name")
    owner = _owner(session, actor, username)
    now = now or utcnow()
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    row = ApiToken(
        token_hash=sha256(secret),
        prefix=secret[: len(TOKEN_PREFIX) + 6],
        name=name.strip()[:200],
        user_id=owner.id,
        scopes=" ".join(_scopes(actor, owner, scopes)),
        created_at=now,
        expires_at=now + dt.timedelta(days=days),
    )
    session.add(row)
    session.flush()
    return NewToken(_info(row, owner.username), secret)


# Built once: every bearer request resolves its token, and building the statement cost as much as running it.
@dataclass(frozen=True, slots=True)
class TokenOwner:
    """The account a token acts for, as each use needs it (an :class:`palermo.auth.actor.Account`)."""

    id: int
    username: str
    role: str
    must_change_password: bool


@dataclass(frozen=True, slots=True)
class LiveToken:
    """A token found live at its use."""

    id: int
    prefix: str
    scopes: str
    last_used_at: dt.datetime | None


_tokens, _users = ApiToken.__table__, User.__table__
# One Core statement, no ORM objects: a token is resolved at every request of a script or a booth.
_BY_HASH = (
    select(
        _tokens.c.id,
        _tokens.c.prefix,
        _tokens.c.scopes,
        _tokens.c.revoked_at,
        _tokens.c.expires_at,
        _tokens.c.last_used_at,
        _users.c.id,
        _users.c.username,
        _users.c.role,
        _users.c.must_change_password,
        _users.c.disabled,
    )
    .join(_users, _users.c.id == _tokens.c.user_id)
    .where(_tokens.c.token_hash == bindparam("token_hash"))
)


def resolve_token(session: Session, secret: str, *, now: dt.datetime | None = None) -> tuple[TokenOwner, LiveToken]:
    """The owner of a live token (its last use stamped), or :class:`NotAuthenticated`."""
    now = now or utcnow()
    found = session.connection().execute(_BY_HASH, {"token_hash": sha256(secret)}).first()
    if found is None:
        raise NotAuthenticated("unknown API token")
    token_id, prefix, scopes, revoked_at, expires_at, last_used_at, user_id, username, role, must_change, disabled = (
        found
    )
    if revoked_at is not None:
        raise NotAuthenticated(f"API token {prefix}… was revoked")
    expires = as_utc(expires_at)
    if expires is None or expires <= now:
        raise NotAuthenticated(f"API token {prefix}… expired; create a new one")
    if disabled:
        raise NotAuthenticated("the API token's account is disabled")
    last_used = as_utc(last_used_at)
    if last_used is None or now - last_used >= LAST_USE_RESOLUTION:
        on_commit(session, lambda s: stamp_last_use(s, token_id, now))
    owner = TokenOwner(user_id, username, role, bool(must_change))
    return owner, LiveToken(token_id, prefix, scopes, last_used)


def stamp_last_use(session: Session, token_id: int, now: dt.datetime) -> None:
    """One conditional update at commit: concurrent uses of a token within the resolution write it once."""
    stale = or_(ApiToken.last_used_at.is_(None), ApiToken.last_used_at <= now - LAST_USE_RESOLUTION)
    session.execute(
        update(ApiToken).where(ApiToken.id == token_id, stale).values(last_used_at=now),
        execution_options={"synchronize_session": False},
    )


def list_tokens(
    session: Session, actor: Actor, *, username: str | None = None, everyone: bool = False
) -> list[TokenInfo]:
    query = select(ApiToken, User.username).join(User, User.id == ApiToken.user_id).order_by(ApiToken.id)
    if everyone:
        guard(session, actor, "tokens.manage_all")
    else:
        query = query.where(ApiToken.user_id == _owner(session, actor, username).id)
    return [_info(row, name) for row, name in session.execute(query)]


def revoke_token(session: Session, actor: Actor, token_id: int, *, now: dt.datetime | None = None) -> TokenInfo:
    row = session.get(ApiToken, token_id)
    if row is None:
        raise NotFound(f"no API token with id {token_id}")
    owner = session.get(User, row.user_id)
    assert owner is not None
    _owner(session, actor, owner.username)
    if row.revoked_at is None:
        row.revoked_at = now or utcnow()
    return _info(row, owner.username)
