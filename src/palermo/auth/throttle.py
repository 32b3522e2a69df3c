"""Login throttling: after N failures (per user and per client address) a lockout that doubles with each more.

Each failure is one atomic ``UPDATE ... SET failures = failures + 1 RETURNING failures`` (an upsert for addresses),
and the lockout is decided from the count that statement returns, so parallel wrong passwords are all counted and
the one that reaches the limit starts the lockout; the lock on the row (PostgreSQL) or the store (SQLite) is held
only until the failure commits.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import update
from sqlalchemy.orm import Session

from palermo.auth.clock import as_utc
from palermo.db.accounts import LoginThrottle, User, count_address_failure, count_user_failure
from palermo.errors import TooManyAttempts

MAX_LOCKOUT = dt.timedelta(days=1)
MAX_DOUBLINGS = 20


@dataclass(frozen=True)
class ThrottlePolicy:
    max_failures: int
    lockout_seconds: int

    def locked_until(self, failures: int, now: dt.datetime) -> dt.datetime | None:
        """When a lockout after ``failures`` consecutive failures ends; ``None`` while under the limit."""
        if failures < self.max_failures:
            return None
        doublings = min(failures - self.max_failures, MAX_DOUBLINGS)
        return now + min(dt.timedelta(seconds=self.lockout_seconds * 2**doublings), MAX_LOCKOUT)


def is_locked(locked_until: dt.datetime | None, now: dt.datetime) -> bool:
    until = as_utc(locked_until)
    return until is not None and until > now


def refuse_if_locked(locked_until: dt.datetime | None, now: dt.datetime, what: str) -> None:
    until = as_utc(locked_until)
    if until is not None and until > now:
        seconds = int((until - now).total_seconds()) + 1
        raise TooManyAttempts(f"too many failed logins for {what}; try again in {seconds} s", retry_after=seconds)


def user_failed(session: Session, user_id: int, policy: ThrottlePolicy, now: dt.datetime) -> None:
    until = policy.locked_until(count_user_failure(session, user_id), now)
    if until is not None:
        session.execute(
            update(User).where(User.id == user_id).values(locked_until=until),
            execution_options={"synchronize_session": False},
        )


def address_failed(session: Session, address: str, policy: ThrottlePolicy, now: dt.datetime) -> None:
    until = policy.locked_until(count_address_failure(session, address, now), now)
    if until is not None:
        session.execute(
            update(LoginThrottle).where(LoginThrottle.client_address == address).values(locked_until=until),
            execution_options={"synchronize_session": False},
        )


def address_succeeded(session: Session, address: str, now: dt.datetime) -> None:
    session.execute(
        update(LoginThrottle)
        .where(LoginThrottle.client_address == address, LoginThrottle.failures > 0)
        .values(failures=0, locked_until=None, updated_at=now),
        execution_options={"synchronize_session": False},
    )
