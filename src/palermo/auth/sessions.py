"""Web sessions: a random id in a Secure, HttpOnly, SameSite=Lax cookie; the row keeps its SHA-256.

Each session has its own CSRF token (double submit: a readable cookie that the page echoes in the
``X-CSRF-Token`` header; pages will add a ``csrf_token`` form field); the row keeps the token's hash too,
so a cookie planted by another site does not pass. Sessions end after ``PALERMO_SESSION_IDLE_MINUTES``
without a request and ``PALERMO_SESSION_MAX_HOURS`` after login.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from dataclasses import dataclass

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from palermo.auth.clock import as_utc, utcnow
from palermo.db.accounts import User, WebSession
from palermo.db.engine import on_commit
from palermo.errors import NotAuthenticated, PermissionDenied
from palermo.settings import Settings

SESSION_COOKIE = "palermo_session"
CSRF_COOKIE = "palermo_csrf"
CSRF_HEADER = "X-CSRF-Token"
SEEN_RESOLUTION = dt.timedelta(minutes=1)  # the idle clock restarts at most this often (one write, not one per page)


def sha256(value: str) -> str:
    return hashlib.sha256(value.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class NewSession:
    session_id: str
    csrf_token: str
    expires_at: dt.datetime


def _expiry(created: dt.datetime, seen: dt.datetime, settings: Settings) -> dt.datetime:
    return min(
        seen + dt.timedelta(minutes=settings.session_idle_minutes),
        created + dt.timedelta(hours=settings.session_max_hours),
    )


def start_session(
    session: Session, user: User, *, client_address: str | None, settings: Settings, now: dt.datetime | None = None
) -> NewSession:
    now = now or utcnow()
    session_id, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
    row = WebSession(
        session_hash=sha256(session_id),
        csrf_hash=sha256(csrf),
        user_id=user.id,
        client_address=client_address,
        created_at=now,
        last_seen_at=now,
        expires_at=_expiry(now, now, settings),
    )
    session.add(row)
    session.flush()
    return NewSession(session_id, csrf, row.expires_at)


def resolve_session(
    session: Session, session_id: str, *, settings: Settings, now: dt.datetime | None = None
) -> tuple[User, WebSession]:
    """The user of a live session (its idle clock restarted at commit, at most once a minute), or
    :class:`NotAuthenticated`."""
    now = now or utcnow()
    row = session.scalars(select(WebSession).where(WebSession.session_hash == sha256(session_id))).first()
    expires = as_utc(row.expires_at) if row else None
    if row is None or expires is None or expires <= now:
        raise NotAuthenticated("the session has expired or ended; log in again")
    user = session.get(User, row.user_id)
    if user is None or user.disabled:
        raise NotAuthenticated("the session's account is disabled")
    seen = as_utc(row.last_seen_at)
    if seen is None or now - seen >= SEEN_RESOLUTION:
        expires_at = _expiry(as_utc(row.created_at) or now, now, settings)
        on_commit(session, lambda s: _stamp_seen(s, row.id, now, expires_at))
    return user, row


def _stamp_seen(session: Session, row_id: int, now: dt.datetime, expires_at: dt.datetime) -> None:
    statement = (
        update(WebSession)
        .where(WebSession.id == row_id, WebSession.last_seen_at < now)
        .values(last_seen_at=now, expires_at=expires_at)
    )
    session.execute(statement, execution_options={"synchronize_session": False})


def check_csrf(row: WebSession, token: str | None) -> None:
    """Refuse a state-changing request whose CSRF token is missing or not this session's."""
    if not token or not hmac.compare_digest(sha256(token), row.csrf_hash):
        raise PermissionDenied(
            f"missing or wrong CSRF token: send the value of the {CSRF_COOKIE} cookie in the {CSRF_HEADER} header"
        )


def end_session(session: Session, session_id: str) -> None:
    session.execute(delete(WebSession).where(WebSession.session_hash == sha256(session_id)))
