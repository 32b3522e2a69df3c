"""Watchlists (suspects, wanted persons, associates, missing persons and potential victims) and their entries.

Screening protects victims too: a hit on a missing-person or potential-victim list routes to victim support.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, CheckConstraint, ColumnElement, Date, ForeignKey, Index, String, Text, or_
from sqlalchemy.orm import Mapped, mapped_column

from palermo.db.base import Base, ProvenanceMixin, TimestampMixin
from palermo.taxonomies import taxonomy

_CATEGORIES = taxonomy("watchlist_categories")
WATCHLIST_CATEGORIES = _CATEGORIES.ids
PROTECTIVE_CATEGORIES = frozenset(t.id for t in _CATEGORIES.terms if t.attributes.get("protective"))


class Watchlist(TimestampMixin, Base):
    __tablename__ = "watchlists"
    __table_args__ = (
        CheckConstraint("category IN ({})".format(", ".join(f"'{c}'" for c in WATCHLIST_CATEGORIES)), name="category"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    category: Mapped[str] = mapped_column(String(32))
    description: Mapped[str | None] = mapped_column(Text)


class WatchlistEntry(ProvenanceMixin, Base):
    """One listed person. ``source_key`` is the entry's id as loaded; names hold every alias in any script."""

    __tablename__ = "watchlist_entries"
    __extra_table_args__ = (Index("ix_watchlist_entries_list", "watchlist_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    watchlist_id: Mapped[int] = mapped_column(ForeignKey("watchlists.id", ondelete="CASCADE"))
    category: Mapped[str] = mapped_column(String(32))
    names: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    birth_date: Mapped[str | None] = mapped_column(String(10))
    #: further listed dates of birth (lists often give several); ``birth_date`` is the most precise one
    other_birth_dates: Mapped[list[str] | None] = mapped_column(JSON)
    nationalities: Mapped[list[str]] = mapped_column(JSON, default=list)
    sex: Mapped[str | None] = mapped_column(String(1))
    document_numbers: Mapped[list[str]] = mapped_column(JSON, default=list)
    reason: Mapped[str | None] = mapped_column(Text)
    expires_on: Mapped[dt.date | None] = mapped_column(Date)

    @classmethod
    def current_on(cls, day: dt.date | ColumnElement[dt.date]) -> ColumnElement[bool]:
        """Not expired on ``day`` (a date, or a bound parameter for one; an entry without an expiry date never
        expires)."""
        return or_(cls.expires_on.is_(None), cls.expires_on >= day)
