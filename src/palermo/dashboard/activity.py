"""What the node has seen lately, in aggregate: travel events, alerts and ingest runs per day and per border point.

Every figure covers one window of ``days`` days, the same for travel and alerts, closed by the newest day with a
travel event or an alert, so that the two daily series line up day by day (zeros included) and a store loaded with
last year's records still shows its activity; the newest day of each series is given too, so the page can say when a
series has nothing in the window. What raised the alerts and with which decision is counted in
:mod:`palermo.dashboard.signals`. No person is named in any figure.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from palermo.auth.access import guard
from palermo.auth.actor import Actor
from palermo.dashboard.signals import Signal, count_decisions, count_signals
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
    first_day: dt.date | None  # the window, the same for every figure (None: no travel and no alert at all)
    last_day: dt.date | None
    newest_travel: dt.date | None  # the newest day of each series, inside the window or not
    newest_alert: dt.date | None
    totals: dict[str, int]
    travel_per_day: list[Count]
    alerts_per_day: list[Count]
    alerts_per_signal: list[Signal]
    alerts_per_decision: list[Signal]
    points: list[PointVolume]
    runs: list[RunView]

    @property
    def points_by_travel(self) -> list[PointVolume]:
        return sorted(self.points, key=lambda p: (-p.travel, p.code))

    @property
    def points_by_alerts(self) -> list[PointVolume]:
        return sorted((p for p in self.points if p.alerts), key=lambda p: (-p.alerts, p.code))


def _newest_day(session: Session, column: Any) -> dt.date | None:
    newest = session.scalar(select(func.max(column)))
    if isinstance(newest, str):  # SQLite without type information on an aggregate
        newest = dt.datetime.fromisoformat(newest)
    if newest is not None and newest.tzinfo is not None:
        newest = newest.astimezone(dt.UTC)
    return None if newest is None else newest.date()


def _per_day(session: Session, column: Any, start: dt.datetime, days: list[dt.date]) -> list[Count]:
    """One count per day of the window, zeros included, so that every daily series has the same days."""
    day = day_of(column)
    rows = session.execute(select(day, func.count()).where(column >= start).group_by(day))
    counts = {str(label): int(count) for label, count in rows}
    return [Count(d.isoformat(), counts.get(d.isoformat(), 0)) for d in days]


def _travel_per_point(session: Session, start: dt.datetime) -> dict[str, int]:
    query = (
        select(BorderPoint.code, func.count())
        .select_from(TravelEvent)
        .join(BorderPoint, BorderPoint.id == TravelEvent.border_point_id)
        .where(TravelEvent.occurred_at >= start)
        .group_by(BorderPoint.code)
    )
    return {str(code): int(count) for code, count in session.execute(query)}


def _alerts_per_point(session: Session, start: dt.datetime) -> dict[str, int]:
    """Alerts per border point: the recorded crossing's point, else the point typed at the booth."""
    crossing_point = (
        select(BorderPoint.code)
        .join(TravelEvent, TravelEvent.border_point_id == BorderPoint.id)
        .where(TravelEvent.id == Alert.travel_event_id)
        .scalar_subquery()
    )
    point = func.coalesce(crossing_point, Alert.border_point)
    query = select(point, func.count()).where(Alert.created_at >= start, point.is_not(None)).group_by(point)
    return {str(code): int(count) for code, count in session.execute(query)}


def _points(session: Session, travel: dict[str, int], alerts: dict[str, int]) -> list[PointVolume]:
    return [
        PointVolume(
            p.code, p.name, p.country, p.kind, p.latitude, p.longitude, travel.get(p.code, 0), alerts.get(p.code, 0)
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
    """The dashboard's figures over one window of ``days`` days of data; counts only, no personal data."""
    if not 1 <= days <= MAX_DAYS:
        raise InvalidInput(f"days must be 1 to {MAX_DAYS}, got {days}", field="days")
    guard(session, actor, "dashboard.read")
    newest_travel = _newest_day(session, TravelEvent.occurred_at)
    newest_alert = _newest_day(session, Alert.created_at)
    ends = [d for d in (newest_travel, newest_alert) if d is not None]
    if not ends:
        empty: list[Any] = []
        return ActivitySummary(
            days,
            None,
            None,
            None,
            None,
            _totals(session),
            empty,
            empty,
            empty,
            count_decisions(()),
            empty,
            _runs(session),
        )
    last_day = max(ends)
    window = [last_day - dt.timedelta(days=n) for n in range(days - 1, -1, -1)]
    start = dt.datetime.combine(window[0], dt.time(), tzinfo=dt.UTC)
    alerts = session.execute(select(Alert.decision, Alert.explanation).where(Alert.created_at >= start)).all()
    return ActivitySummary(
        days=days,
        first_day=window[0],
        last_day=last_day,
        newest_travel=newest_travel,
        newest_alert=newest_alert,
        totals=_totals(session),
        travel_per_day=_per_day(session, TravelEvent.occurred_at, start, window),
        alerts_per_day=_per_day(session, Alert.created_at, start, window),
        alerts_per_signal=count_signals(explanation for _, explanation in alerts),
        alerts_per_decision=count_decisions(decision for decision, _ in alerts),
        points=_points(session, _travel_per_point(session, start), _alerts_per_point(session, start)),
        runs=_runs(session),
    )
