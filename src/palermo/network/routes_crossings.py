"""The crossings that routes and hotspots analyse, read once: every travel event the actor may see, with the
identity of its traveller (``palermo.resolution``: all records of one resolved identity travel as one; a record not
yet resolved is its own identity), and which identities and movements are *flagged*.

Flagged, from what the store already says (decided here, documented in docs/network-routes.md):

- an identity with a record named in an exploitation relationship (``relationship_kinds.yaml`` category
  ``exploitation``: recruited_by, transported_by, exploited_by, financed_by), on either side;
- an identity with a record that an alert names, and a movement that an alert names, unless the alert was closed
  as not right (a disposition whose ``true_positive`` is false, or ``no_action``);
- identities the caller adds (e.g. the members of a community an analyst is looking at).

Special-category rows (minors, victims) are left out for an actor without ``victims.read``: not their crossings,
not their flags, not in any count, so that an aggregate cannot reveal them. ``hidden`` counts what was left out.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from sqlalchemy import ColumnElement, and_, func, or_, select, true
from sqlalchemy.orm import Session

from palermo.auth.actor import Actor
from palermo.db.alerts import Alert
from palermo.db.entities import Relationship
from palermo.db.identities import IdentityMember
from palermo.db.persons import PersonRecord
from palermo.db.travel import BorderPoint, TravelEvent
from palermo.errors import InvalidInput
from palermo.network.routes_parameters import TravelQuery
from palermo.persons.views import may_see_special
from palermo.taxonomies import taxonomy

_CHOSEN = "chosen by the analyst"
EV = TravelEvent.__table__
BP = BorderPoint.__table__
PR = PersonRecord.__table__
IM = IdentityMember.__table__


def identity_key(person_id: int, identity_id: int | None) -> str:
    """``identity:ID`` for a resolved record, ``person:ID`` for one not resolved yet."""
    return f"identity:{identity_id}" if identity_id is not None else f"person:{person_id}"


@dataclass(frozen=True, slots=True)
class Crossing:
    event_id: int
    person_id: int
    identity: str
    point: str
    country: str
    direction: str
    at: dt.datetime
    origin: str | None
    destination: str | None
    booking: str | None


@dataclass(frozen=True, slots=True)
class Point:
    code: str
    name: str
    country: str
    latitude: float | None
    longitude: float | None


@dataclass
class TravelData:
    """Visible crossings in time order, the border points they use, and what is flagged, with why."""

    crossings: list[Crossing]
    points: dict[str, Point]
    flagged_identities: dict[str, str] = field(default_factory=dict)  # identity key -> why
    flagged_movements: dict[int, str] = field(default_factory=dict)  # travel event id -> why
    hidden: int = 0  # special-category crossings left out for this actor

    def flag_reason(self, crossing: Crossing) -> str | None:
        """Why this crossing counts as flagged (its movement first, then its traveller), or ``None``."""
        return self.flagged_movements.get(crossing.event_id) or self.flagged_identities.get(crossing.identity)


def _visible(special: bool, *columns: ColumnElement[str]) -> ColumnElement[bool]:
    return true() if special else and_(*(c == "ordinary" for c in columns))


def _in_range(query: TravelQuery) -> list[ColumnElement[bool]]:
    where: list[ColumnElement[bool]] = []
    if query.since:
        where.append(EV.c.occurred_at >= dt.datetime.combine(query.since, dt.time(), dt.UTC))
    if query.until:
        where.append(EV.c.occurred_at < dt.datetime.combine(query.until + dt.timedelta(days=1), dt.time(), dt.UTC))
    return where


def parse_identity_key(key: str) -> tuple[str, int]:
    """``("identity", 12)`` from ``identity:12``; :class:`InvalidInput` for anything else."""
    kind, _, number = key.partition(":")
    if kind not in ("identity", "person") or not number.isdigit() or len(number) > 18:
        raise InvalidInput(f"{key!r} is not an identity key: write identity:ID or person:ID")
    return kind, int(number)


def load_travel(
    session: Session,
    actor: Actor,
    query: TravelQuery,
    extra_identities: Mapping[str, str] | Iterable[str] = (),
    *,
    identity: str | None = None,
) -> TravelData:
    """Read the crossings in ``query``'s range that ``actor`` may see (only ``identity``'s when given), and the
    flags (call after the guard)."""
    special = may_see_special(actor)
    joined = EV.join(BP, BP.c.id == EV.c.border_point_id).join(PR, PR.c.id == EV.c.person_id)
    where = _in_range(query)
    if identity is not None:
        kind, number = parse_identity_key(identity)
        where.append(IM.c.identity_id == number if kind == "identity" else EV.c.person_id == number)
        if kind == "person":
            where.append(IM.c.identity_id.is_(None))
    columns = (EV.c.id, EV.c.person_id, IM.c.identity_id, BP.c.code, BP.c.country, EV.c.direction,
               EV.c.occurred_at, EV.c.origin_country, EV.c.destination_country, EV.c.booking_ref)  # fmt: skip
    rows = session.execute(
        select(*columns)
        .select_from(joined.outerjoin(IM, IM.c.person_id == EV.c.person_id))
        .where(_visible(special, EV.c.sensitivity, PR.c.sensitivity), *where)
        .order_by(EV.c.occurred_at, EV.c.id)
    )
    crossings = [
        Crossing(event, person, identity_key(person, ident), code, country, direction, _utc(at), origin, dest, ref)
        for event, person, ident, code, country, direction, at, origin, dest, ref in rows
    ]
    hidden = 0
    if not special:
        everything = (
            select(func.count()).select_from(joined.outerjoin(IM, IM.c.person_id == EV.c.person_id)).where(*where)
        )
        hidden = int(session.scalar(everything) or 0) - len(crossings)
    points = {
        code: Point(code, name, country, lat, lon)
        for code, name, country, lat, lon in session.execute(
            select(BP.c.code, BP.c.name, BP.c.country, BP.c.latitude, BP.c.longitude)
        )
    }
    data = TravelData(crossings, points, hidden=hidden)
    _flag(session, special, data, extra_identities)
    return data


def _utc(at: dt.datetime) -> dt.datetime:
    return at.replace(tzinfo=dt.UTC) if at.tzinfo is None else at.astimezone(dt.UTC)


def _flag(
    session: Session, special: bool, data: TravelData, extra_identities: Mapping[str, str] | Iterable[str]
) -> None:
    persons: dict[int, str] = {}
    kinds = [t.id for t in taxonomy("relationship_kinds").terms if t.attributes.get("category") == "exploitation"]
    rel = Relationship.__table__
    for kind, subject, obj, rel_id in session.execute(
        select(rel.c.kind, rel.c.subject_person_id, rel.c.object_person_id, rel.c.id).where(
            rel.c.kind.in_(kinds), _visible(special, rel.c.sensitivity)
        )
    ):
        for person in (subject, obj):
            if person is not None:
                persons.setdefault(person, f"named in a {kind} relationship (#{rel_id})")
    closed_wrong = [t.id for t in taxonomy("alert_dispositions").terms if t.attributes.get("true_positive") is not True]
    alerts = Alert.__table__
    for alert_id, kind, person, event in session.execute(
        select(alerts.c.id, alerts.c.kind, alerts.c.person_id, alerts.c.travel_event_id).where(
            or_(alerts.c.disposition.is_(None), alerts.c.disposition.not_in(closed_wrong)),
            _visible(special, alerts.c.sensitivity),
        )
    ):
        if person is not None:
            persons.setdefault(person, f"subject of {kind} alert #{alert_id}")
        if event is not None:
            data.flagged_movements.setdefault(event, f"named by {kind} alert #{alert_id}")
    identities = _identities_of(session, sorted(persons))
    for person, why in persons.items():
        data.flagged_identities.setdefault(identity_key(person, identities.get(person)), why)
    extra = extra_identities if isinstance(extra_identities, Mapping) else dict.fromkeys(extra_identities, _CHOSEN)
    for key, why in extra.items():
        data.flagged_identities.setdefault(key, why)


_CHUNK = 900  # below SQLite's oldest limit of bound parameters a statement


def _identities_of(session: Session, persons: list[int]) -> dict[int, int]:
    found: dict[int, int] = {}
    for start in range(0, len(persons), _CHUNK):
        chunk = persons[start : start + _CHUNK]
        found.update(session.execute(select(IM.c.person_id, IM.c.identity_id).where(IM.c.person_id.in_(chunk))).all())
    return found
