"""Reading the access log page by page for the oversight body (``audit.read``): filter by actor, permission or
action, a window of days and a subject; newest first, with the true total.

The permission of an access decision is in the entry's ``details`` and what it touched in ``objects`` (JSON);
both are read with SQLAlchemy's JSON paths, which both stores translate (``->>`` on PostgreSQL, ``json_extract``
on SQLite), so the filtering and the count happen in the database.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ConfigDict
from sqlalchemy import ColumnElement, and_, func, or_, select
from sqlalchemy.orm import Session

from palermo.auth.access import guard
from palermo.auth.actor import Actor
from palermo.db.audit import AuditEntry

MAX_OBJECTS = 2  # an entry names at most two objects (a partner and a bundle; a run and a source)
USER_PREFIX = "user:"


@dataclass(frozen=True)
class AuditFilters:
    """What to show; every field is optional. ``actor`` matches ``user:<actor>`` too; ``until`` is exclusive;
    ``subject`` is ``type:id`` or an id. Reading the log is itself logged, so a reader paging through it passes
    back the ``upto`` of the first page: the pages then hold the same entries however many are appended."""

    actor: str | None = None
    permission: str | None = None
    action: str | None = None
    since: dt.datetime | None = None
    until: dt.datetime | None = None
    subject: str | None = None
    upto: int | None = None  # entries up to this sequence number: pages stay put while the log grows


class AuditEntryView(BaseModel):
    """One entry as an oversight body reads it."""

    model_config = ConfigDict(frozen=True)

    seq: int
    logged_at: dt.datetime
    actor: str
    role: str | None
    action: str
    permission: str | None
    subjects: list[str]
    justification: str | None
    result_count: int | None
    client_address: str | None
    reason: str | None


class AuditLogPage(BaseModel):
    """One page of entries and the number of entries matching the filters."""

    total: int
    offset: int
    limit: int
    upto: int  # the newest sequence number shown on any page of this view
    items: list[AuditEntryView]


def entry_view(entry: AuditEntry) -> AuditEntryView:
    details: dict[str, Any] = entry.details or {}
    logged_at = entry.logged_at if entry.logged_at.tzinfo else entry.logged_at.replace(tzinfo=dt.UTC)
    return AuditEntryView(
        seq=entry.seq,
        logged_at=logged_at,
        actor=entry.actor,
        role=details.get("role"),
        action=entry.action,
        permission=details.get("permission"),
        subjects=[f"{o['type']}:{o['id']}" for o in entry.objects or []],
        justification=entry.justification,
        result_count=entry.result_count,
        client_address=entry.client_address,
        reason=details.get("reason"),
    )


def _subject(text: str) -> ColumnElement[bool]:
    """An object whose id is ``text``, or (``type:id``) whose type and id are the two parts; ids hold colons too
    (``document:FRA:AB1234567`` is type ``document``, id ``FRA:AB1234567``)."""
    kind, colon, ident = text.partition(":")
    matches = []
    for n in range(MAX_OBJECTS):
        found_id = AuditEntry.objects[(n, "id")].as_string()
        matches.append(found_id == text)
        if colon:
            matches.append(and_(AuditEntry.objects[(n, "type")].as_string() == kind, found_id == ident))
    return or_(*matches)


def _conditions(filters: AuditFilters) -> list[ColumnElement[bool]]:
    found: list[ColumnElement[bool]] = []
    if filters.actor:
        found.append(AuditEntry.actor.in_({filters.actor, USER_PREFIX + filters.actor}))
    if filters.permission:
        found.append(AuditEntry.details["permission"].as_string() == filters.permission)
    if filters.action:
        found.append(AuditEntry.action == filters.action)
    if filters.since:
        found.append(AuditEntry.logged_at >= filters.since)
    if filters.until:
        found.append(AuditEntry.logged_at < filters.until)
    if filters.subject:
        found.append(_subject(filters.subject))
    return found


def audit_log_page(
    session: Session, actor: Actor, filters: AuditFilters, *, offset: int = 0, limit: int = 50
) -> AuditLogPage:
    """Entries matching ``filters``, newest first, ``limit`` from ``offset``, with the total (``audit.read``)."""
    guard(session, actor, "audit.read", subject="audit_log")
    upto = filters.upto if filters.upto is not None else session.scalar(select(func.max(AuditEntry.seq))) or 0
    conditions = [*_conditions(filters), AuditEntry.seq <= upto]
    total = session.scalar(select(func.count()).select_from(AuditEntry).where(*conditions)) or 0
    rows = session.scalars(
        select(AuditEntry).where(*conditions).order_by(AuditEntry.seq.desc()).offset(offset).limit(limit)
    )
    return AuditLogPage(total=total, offset=offset, limit=limit, upto=upto, items=[entry_view(e) for e in rows])


def entries_by_seq(session: Session, seqs: Iterable[int]) -> dict[int, AuditEntryView]:
    """The entries with these sequence numbers (for a caller that was granted them already, e.g. the report)."""
    wanted = sorted(set(seqs))
    if not wanted:
        return {}
    rows = session.scalars(select(AuditEntry).where(AuditEntry.seq.in_(wanted)))
    return {e.seq: entry_view(e) for e in rows}
