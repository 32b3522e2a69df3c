"""Accounts: users with a role, web sessions, API tokens and the per-address login throttle.

Secrets are never stored in the clear: passwords as Argon2id hashes, session ids and API tokens as SHA-256
hashes, TOTP secrets encrypted with a key derived from ``PALERMO_SECRET_KEY``.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, CheckConstraint, DateTime, ForeignKey, Index, Integer, String, Text, func, update
from sqlalchemy.orm import Mapped, Session, mapped_column

from palermo.db.base import Base, TimestampMixin, _in

ROLES = ("border_officer", "analyst", "supervisor", "victim_support", "oversight", "admin", "partner_node")


class User(TimestampMixin, Base):
    """A person who signs in to the node, with one role and one agency."""

    __tablename__ = "users"
    __table_args__ = (CheckConstraint(_in("role", ROLES), name="role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(200))
    agency_id: Mapped[int] = mapped_column(ForeignKey("agencies.id"))
    role: Mapped[str] = mapped_column(String(32))
    password_hash: Mapped[str] = mapped_column(String(200))
    must_change_password: Mapped[bool] = mapped_column(Boolean, default=False)
    totp_secret_encrypted: Mapped[str | None] = mapped_column(Text)
    totp_enabled: Mapped[bool] = mapped_column(Boolean, default=False)
    disabled: Mapped[bool] = mapped_column(Boolean, default=False)
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    last_login_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))


class WebSession(Base):
    """A signed-in browser: the cookie holds a random id, the row its SHA-256 and the session's CSRF token hash."""

    __tablename__ = "web_sessions"
    __table_args__ = (Index("ix_web_sessions_user", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    session_hash: Mapped[str] = mapped_column(String(64), unique=True)
    csrf_hash: Mapped[str] = mapped_column(String(64))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    client_address: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    last_seen_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    expires_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class ApiToken(Base):
    """A bearer token for scripts: shown once, stored as SHA-256, scoped, expiring, revocable."""

    __tablename__ = "api_tokens"
    __table_args__ = (Index("ix_api_tokens_user", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    prefix: Mapped[str] = mapped_column(String(16))
    name: Mapped[str] = mapped_column(String(200))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    scopes: Mapped[str] = mapped_column(Text)  # space-separated permission ids
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    expires_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    last_used_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))


class LoginThrottle(Base):
    """Failed logins from one client address, whatever the username: the second half of login throttling."""

    __tablename__ = "login_throttles"

    client_address: Mapped[str] = mapped_column(String(64), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


def count_user_failure(session: Session, user_id: int) -> int:
    """Add one failed login to a user, atomically (parallel failures are all counted); the new count."""
    statement = (
        update(User)
        .where(User.id == user_id)
        .values(failed_logins=User.failed_logins + 1)
        .returning(User.failed_logins)
        .execution_options(synchronize_session=False)
    )
    return int(session.execute(statement).scalar_one())


def count_address_failure(session: Session, client_address: str, now: dt.datetime) -> int:
    """Add one failed login to a client address (its row created on the first), atomically; the new count."""
    from sqlalchemy.dialects import postgresql, sqlite  # not at import: every CLI call would load both dialects

    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    statement = (
        insert(LoginThrottle)
        .values(client_address=client_address, failures=1, updated_at=now)
        .on_conflict_do_update(
            index_elements=[LoginThrottle.client_address],
            set_={"failures": LoginThrottle.failures + 1, "updated_at": now},
        )
        .returning(LoginThrottle.failures)
    )
    return int(session.execute(statement, execution_options={"synchronize_session": False}).scalar_one())
