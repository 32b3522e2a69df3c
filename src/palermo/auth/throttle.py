"""Login throttling: after N failures (per user and per client address) a lockout that doubles with each more."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy.orm import Session

from palermo.auth.clock import as_utc
from palermo.db.accounts import LoginThrottle
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


def refuse_if_locked(locked_until: dt.datetime | None, now: dt.datetime, what: str) -> None:
    until = as_utc(locked_until)
    if until is not None and until > now:
        seconds = int((until - now).total_seconds()) + 1
        raise TooManyAttempts(f"too many failed logins for {what}; try again in {seconds} s", retry_after=seconds)


def address_row(session: Session, address: str, now: dt.datetime) -> LoginThrottle:
    row = session.get(LoginThrottle, address)
    if row is None:
        row = LoginThrottle(client_address=address, failures=0, updated_at=now)
        session.add(row)
    return row


def address_failed(session: Session, address: str, policy: ThrottlePolicy, now: dt.datetime) -> None:
    row = address_row(session, address, now)
    row.failures += 1
    row.locked_until = policy.locked_until(row.failures, now)
    row.updated_at = now


def address_succeeded(session: Session, address: str, now: dt.datetime) -> None:
    row = session.get(LoginThrottle, address)
    if row is not None:
        row.failures = 0
        row.locked_until = None
        row.updated_at = now
