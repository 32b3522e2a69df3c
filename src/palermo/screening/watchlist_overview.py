"""Watchlists at a glance: each list with its category, number of entries, expired entries and next expiry.

What the watchlists page shows; counts only, so no entry's name is read (``watchlists.read`` consults no personal
data). An entry without an expiry date never expires (as :meth:`WatchlistEntry.current_on` says).
"""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, ConfigDict
from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from palermo.auth.access import guard
from palermo.auth.actor import Actor
from palermo.db.watchlists import PROTECTIVE_CATEGORIES, Watchlist, WatchlistEntry
from palermo.screening.watchlists import source_name


class WatchlistOverview(BaseModel):
    """One list: its category (protective or not), entries, expired entries and the next expiry to come."""

    model_config = ConfigDict(frozen=True)

    name: str
    category: str
    protective: bool
    description: str | None
    entries: int
    expired: int
    next_expiry: dt.date | None
    updated_at: dt.datetime | None
    source: str


def watchlist_overview(session: Session, actor: Actor, today: dt.date | None = None) -> list[WatchlistOverview]:
    """Every watchlist by name with its counts as of ``today`` (default: today, UTC)."""
    guard(session, actor, "watchlists.read")
    today = today or dt.datetime.now(dt.UTC).date()
    entry = WatchlistEntry
    expired = func.sum(case((entry.expires_on < today, 1), else_=0))
    upcoming = func.min(case((entry.expires_on >= today, entry.expires_on), else_=None))
    query = (
        select(Watchlist, func.count(entry.id), expired, upcoming)
        .outerjoin(entry, entry.watchlist_id == Watchlist.id)
        .group_by(Watchlist.id)
        .order_by(Watchlist.name)
    )
    return [
        WatchlistOverview(
            name=w.name,
            category=w.category,
            protective=w.category in PROTECTIVE_CATEGORIES,
            description=w.description,
            entries=int(count),
            expired=int(gone or 0),
            next_expiry=_day(next_day),
            updated_at=w.updated_at,
            source=source_name(w.name),
        )
        for w, count, gone, next_day in session.execute(query).all()
    ]


def _day(value: object) -> dt.date | None:
    """A date from the store (SQLite returns an aggregate of dates as text)."""
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value))
