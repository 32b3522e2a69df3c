"""What the node has seen lately, in aggregate: travel events, alerts and ingest runs per day and per border point.

Each daily series covers the last ``days`` days *of its own data* (the newest day with an event closes the window),
so a store loaded with last year's records still shows its activity. Alerts per indicator count the named features
of each alert's explanation (see ``docs/web.md``). No person is named in any figure.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from palermo.auth.access import guard
from palermo.auth.actor import Actor
from palermo.dashboard.sql import day_of
from palermo.db.alerts import Alert
from palermo.db.persons import PersonRecord
from palermo.db.reference import IngestRun, Source
from palermo.db.travel import BorderPoint, TravelEvent
from palermo.errors import InvalidInput

MAX_DAYS = 366
RECENT_RUNS = 10


@dataclass(frozen=True)
class Count:
    label: str
    count: int


@dataclass(frozen=True)
class PointVolume:
    """A border point with its travel and alert volume in the window (for the map and the table)."""

    code: str
    name: str
    country: str
    kind: str
    latitude: float | None
    longitude: float | None
    travel: int
    alerts: int


@dataclass(frozen=True)
class RunView:
    id: int
    source: str
    kind: str
    status: str
    started_at: dt.datetime | None
    rows_read: int
    inserted: int
    rejected: int


@dataclass(frozen=True)
class ActivitySummary:
    days: int
    totals: dict[str, int]
    travel_per_day: list[Count]
    alerts_per_day: list[Count]
    alerts_per_indicator: list[Count]
    points: list[PointVolume]
    runs: list[RunView]

    @property
    def points_by_travel(self) -> list[PointVolume]:
        return sorted(self.points, key=lambda p: (-p.travel, p.code))

    @property
    def points_by_alerts(self) -> list[PointVolume]:
        return sorted((p for p in self.points if p.alerts), key=lambda p: (-p.alerts, p.code))


def _window_start(session: Session, column: Any, days: int) -> dt.datetime | None:
    """Midnight UTC of the first day of the window closed by the newest ``column`` value (None: no data)."""
    newest = session.scalar(select(func.max(column)))
    if newest is None:
        return None
    if isinstance(newest, str):  # SQLite without type information on an aggregate
        newest = dt.datetime.fromisoformat(newest)
    first_day = newest.date() - dt.timedelta(days=days - 1)
    return dt.datetime.combine(first_day, dt.time(), tzinfo=dt.UTC)


def _per_day(session: Session, column: Any, start: dt.datetime | None) -> list[Count]:
    if start is None:
        return []
    day = day_of(column)
    rows = session.execute(select(day, func.count()).where(column >= start).group_by(day).order_by(day))
    return [Count(str(label), int(count)) for label, count in rows]


def _travel_per_point(session: Session, start: dt.datetime | None) -> dict[int, int]:
    if start is None:
        return {}
    query = (
        select(TravelEvent.border_point_id, func.count())
        .where(TravelEvent.occurred_at >= start)
        .group_by(TravelEvent.border_point_id)
    )
    return {int(point): int(count) for point, count in session.execute(query)}


def _alerts_per_point(session: Session, start: dt.datetime | None) -> dict[int, int]:
    if start is None:
        return {}
    query = (
        select(TravelEvent.border_point_id, func.count())
        .select_from(Alert)
        .join(TravelEvent, TravelEvent.id == Alert.travel_event_id)
        .where(Alert.created_at >= start)
        .group_by(TravelEvent.border_point_id)
    )
    return {int(point): int(count) for point, count in session.execute(query)}


# What raised an alert, as the screening stores it (palermo.screening.service): each fired risk indicator by its id,
# and a watchlist hit or a document problem by its reason. Never an entry of kind "hit": its name is the listed
# person's, and no figure of the dashboard names a person.
_COUNTED_REASONS = {"watchlist_hit": "watchlist_hit", "document": "document_problem"}


def _raised_by(explanation: Any) -> set[str]:
    """What raised an alert: its fired indicators' ids, and 'watchlist_hit' or 'document_problem' from its reasons."""
    labels = set()
    for entry in explanation if isinstance(explanation, list) else ():
        if not isinstance(entry, dict):
            continue
        kind = entry.get("kind")
        if kind == "indicator" and isinstance(entry.get("id"), str):
            labels.add(entry["id"])
        elif kind in _COUNTED_REASONS:
            labels.add(_COUNTED_REASONS[kind])
    return labels


def _alerts_per_indicator(session: Session, start: dt.datetime | None) -> list[Count]:
    if start is None:
        return []
    counts: Counter[str] = Counter()
    for explanation in session.scalars(select(Alert.explanation).where(Alert.created_at >= start)):
        counts.update(_raised_by(explanation))
    return [Count(name, count) for name, count in sorted(counts.items(), key=lambda item: (-item[1], item[0]))]


def _points(session: Session, travel: dict[int, int], alerts: dict[int, int]) -> list[PointVolume]:
    return [
        PointVolume(
            p.code, p.name, p.country, p.kind, p.latitude, p.longitude, travel.get(p.id, 0), alerts.get(p.id, 0)
        )
        for p in session.scalars(select(BorderPoint).order_by(BorderPoint.code))
    ]


def _runs(session: Session) -> list[RunView]:
    query = select(IngestRun, Source.name).join(Source, Source.id == IngestRun.source_id)
    rows = session.execute(query.order_by(IngestRun.id.desc()).limit(RECENT_RUNS))
    return [
        RunView(r.id, name, r.kind, r.status, r.started_at, r.rows_read, r.inserted, r.rejected) for r, name in rows
    ]


def _totals(session: Session) -> dict[str, int]:
    def count(model: Any, *where: Any) -> int:
        return int(session.scalar(select(func.count()).select_from(model).where(*where)) or 0)

    return {
        "person records": count(PersonRecord),
        "travel events": count(TravelEvent),
        "border points": count(BorderPoint),
        "open alerts": count(Alert, Alert.status != "closed"),
        "ingest runs": count(IngestRun),
    }


def activity_summary(session: Session, actor: Actor, *, days: int = 30) -> ActivitySummary:
    """The dashboard's figures over the last ``days`` days of data; counts only, no personal data."""
    if not 1 <= days <= MAX_DAYS:
        raise InvalidInput(f"days must be 1 to {MAX_DAYS}, got {days}", field="days")
    guard(session, actor, "dashboard.read")
    travel_start = _window_start(session, TravelEvent.occurred_at, days)
    alert_start = _window_start(session, Alert.created_at, days)
    return ActivitySummary(
        days=days,
        totals=_totals(session),
        travel_per_day=_per_day(session, TravelEvent.occurred_at, travel_start),
        alerts_per_day=_per_day(session, Alert.created_at, alert_start),
        alerts_per_indicator=_alerts_per_indicator(session, alert_start),
        points=_points(session, _travel_per_point(session, travel_start), _alerts_per_point(session, alert_start)),
        runs=_runs(session),
    )
