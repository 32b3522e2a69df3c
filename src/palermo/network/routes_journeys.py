"""Journeys: one identity's entries chained within the trip window, from the first entry's origin through the
border points entered, in order, to the last entry's destination. The route of a journey is that sequence
(``NGA > ATH > KUL > BGR``); exits are the way home and are not part of a route (hotspots count them).

Travellers on one booking form one *trip* of a route: a batch of victims with their escort, or a family, is one
observation of a route, not five, so a single busy booking cannot make a route look significant.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from palermo.network.routes_crossings import Crossing, TravelData
from palermo.network.routes_parameters import Period

UNKNOWN = "?"


@dataclass
class Journey:
    identity: str
    origin: str
    points: list[str]
    destination: str
    start: dt.datetime
    booking: str | None
    entries: list[Crossing] = field(default_factory=list)
    flagged: str | None = None  # why, when the traveller or one of the movements is flagged

    @property
    def route(self) -> str:
        return route_key(self.origin, self.points, self.destination)


def route_key(origin: str, points: list[str], destination: str) -> str:
    return " > ".join((origin, *points, destination))


def period_of(at: dt.datetime | dt.date, period: Period) -> str:
    """``2026-W05`` (ISO week) or ``2026-02`` (month)."""
    if period == "week":
        year, week, _ = at.isocalendar()
        return f"{year}-W{week:02d}"
    return f"{at.year}-{at.month:02d}"


def journeys(data: TravelData, window_days: int) -> list[Journey]:
    """Every identity's journeys: entries at most ``window_days`` apart chain into one journey."""
    window = dt.timedelta(days=window_days)
    entries: dict[str, list[Crossing]] = defaultdict(list)
    for crossing in data.crossings:  # in time order
        if crossing.direction == "entry":
            entries[crossing.identity].append(crossing)
    found: list[Journey] = []
    for identity, crossings in entries.items():
        current: list[Crossing] = []
        for crossing in crossings:
            if current and crossing.at - current[-1].at > window:
                found.append(_journey(identity, current, data))
                current = []
            current.append(crossing)
        found.append(_journey(identity, current, data))
    return found


def _journey(identity: str, entries: list[Crossing], data: TravelData) -> Journey:
    first, last = entries[0], entries[-1]
    points: list[str] = []
    for crossing in entries:
        if not points or points[-1] != crossing.point:
            points.append(crossing.point)
    reasons = [r for r in (data.flag_reason(c) for c in entries) if r]
    return Journey(
        identity=identity,
        origin=first.origin or UNKNOWN,
        points=points,
        destination=last.destination or last.country,
        start=first.at,
        booking=first.booking,
        entries=entries,
        flagged=reasons[0] if reasons else None,
    )


def trips(found: list[Journey]) -> dict[tuple[str, str], list[Journey]]:
    """Journeys grouped into trips: one route on one booking (a journey without a booking is a trip alone)."""
    grouped: dict[tuple[str, str], list[Journey]] = defaultdict(list)
    for journey in found:
        grouped[(journey.route, journey.booking or f"{journey.identity}@{journey.start.isoformat()}")].append(journey)
    return grouped
