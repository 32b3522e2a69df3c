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
    """One list: its category (protective or not), entries, expired entries, the next expiry to come, and its entries
    per category (a row may carry its own: a suspects' list can hold a missing person, a protective entry)."""

    model_config = ConfigDict(frozen=True)

    name: str
    category: str
    protective: bool
    description: str | None
    entries: int
    expired: int
    next_expiry: dt.date | None
    updated_at: dt.datetime | None  # when an entry (or the list) last changed, UTC
    source: str
    per_category: dict[str, int]


def watchlist_overview(session: Session, actor: Actor, today: dt.date | None = None) -> list[WatchlistOverview]:
    """Every watchlist by name with its counts as of ``today`` (default: today, UTC)."""
    guard(session, actor, "watchlists.read")
    today = today or dt.datetime.now(dt.UTC).date()
    entry = WatchlistEntry
    expired = func.sum(case((entry.expires_on < today, 1), else_=0))
    upcoming = func.min(case((entry.expires_on >= today, entry.expires_on), else_=None))
    query = (
        select(Watchlist, func.count(entry.id), expired, upcoming, func.max(entry.updated_at))
        .outerjoin(entry, entry.watchlist_id == Watchlist.id)
        .group_by(Watchlist.id)
        .order_by(Watchlist.name)
    )
    per_category: dict[int, dict[str, int]] = {}
    counted = select(entry.watchlist_id, entry.category, func.count()).group_by(entry.watchlist_id, entry.category)
    for list_id, entry_category, count in session.execute(counted):
        per_category.setdefault(list_id, {})[entry_category] = int(count)
    return [
        WatchlistOverview(
            name=w.name,
            category=w.category,
            protective=w.category in PROTECTIVE_CATEGORIES,
            description=w.description,
            entries=int(count),
            expired=int(gone or 0),
            next_expiry=_day(next_day),
            updated_at=_moment(changed) or _moment(w.updated_at),
            source=source_name(w.name),
            per_category=dict(sorted(per_category.get(w.id, {}).items())),
        )
        for w, count, gone, next_day, changed in session.execute(query).all()
    ]


def _day(value: object) -> dt.date | None:
    """A date from the store (SQLite returns an aggregate of dates as text)."""
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value))


def _moment(value: object) -> dt.datetime | None:
    """An aware UTC time from the store (SQLite returns naive UTC, and an aggregate of times as text)."""
    if value is None:
        return None
    moment = value if isinstance(value, dt.datetime) else dt.datetime.fromisoformat(str(value))
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)
