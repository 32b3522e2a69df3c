"""A traveller's journey as the store knows it before a crossing: every crossing of the node (any border point) by
any record of the person's resolved identity, and who travelled along on those bookings.

Identities come from ``palermo.resolution`` (``identity_members``); a record not yet resolved is its own identity.
Every query reads only events before the screening time, so a replay of past crossings sees what an officer would
have seen then. The queries use the indexes on ``identity_members`` (person, identity) and ``travel_events``
(person/time, booking).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from palermo.db.identities import IdentityMember
from palermo.db.persons import PersonRecord
from palermo.db.travel import BorderPoint, TravelEvent
from palermo.screening.context import age_at

EV = TravelEvent.__table__


def identity_records(session: Session, persons: list[int]) -> dict[int, list[int]]:
    """For each record, the person records of the identity it belongs to (itself alone when unresolved); two
    queries whatever the number of records."""
    if not persons:
        return {}
    members = IdentityMember.__table__
    query = select(members.c.person_id, members.c.identity_id).where(members.c.person_id.in_(persons))
    identity_of: dict[int, int] = dict(session.execute(query).all())
    records: dict[int, set[int]] = defaultdict(set)
    if identity_of:
        rows = session.execute(
            select(members.c.identity_id, members.c.person_id).where(
                members.c.identity_id.in_(sorted(set(identity_of.values())))
            )
        )
        for identity, record in rows:
            records[identity].add(record)
    return {p: sorted(records.get(identity_of.get(p, -1), set()) | {p}) for p in persons}


def identity_keys(session: Session, persons: Iterable[int]) -> dict[int, int]:
    """For each record, a key of the person it is: its identity id, or minus its record id when unresolved (so
    the keys of resolved and unresolved records never meet)."""
    wanted = sorted(set(persons))
    members = IdentityMember.__table__
    keys = {p: -p for p in wanted}
    for start in range(0, len(wanted), 900):  # below SQLite's bound-parameter limit
        chunk = wanted[start : start + 900]
        query = select(members.c.person_id, members.c.identity_id).where(members.c.person_id.in_(chunk))
        keys.update(dict(session.execute(query).all()))
    return keys


def person_key() -> Any:
    """The SQL expression of :func:`identity_keys` over ``travel_events`` outer-joined with ``identity_members``."""
    return func.coalesce(IdentityMember.__table__.c.identity_id, -EV.c.person_id)


def with_identities() -> Any:
    """``travel_events`` outer-joined with each crossing's identity (for :func:`person_key`)."""
    members = IdentityMember.__table__
    return EV.outerjoin(members, members.c.person_id == EV.c.person_id)


@dataclass(frozen=True)
class PastCrossing:
    event_id: int
    person_id: int
    at: dt.datetime
    booking_ref: str
    border_point: str | None

    def describe(self) -> str:
        return f"{self.at:%Y-%m-%d} at {self.border_point or '?'} on booking {self.booking_ref}"


@dataclass(frozen=True)
class Fellow:
    """Someone who crossed on one of the earlier bookings, with their age at that crossing when known."""

    person_id: int
    booking_ref: str
    age: int | None
    birth_date: str | None


def earlier_bookings(
    session: Session, records: list[int], at: dt.datetime, since: dt.datetime, exclude: str | None
) -> list[PastCrossing]:
    """The crossings on a booking by these records in ``[since, at)``, other than on booking ``exclude``."""
    query = (
        select(EV.c.id, EV.c.person_id, EV.c.occurred_at, EV.c.booking_ref, BorderPoint.__table__.c.code)
        .select_from(EV.outerjoin(BorderPoint.__table__, BorderPoint.__table__.c.id == EV.c.border_point_id))
        .where(EV.c.person_id.in_(records), EV.c.occurred_at >= since, EV.c.occurred_at < at)
        .where(EV.c.booking_ref.is_not(None))
        .order_by(EV.c.occurred_at)
    )
    if exclude:
        query = query.where(EV.c.booking_ref != exclude)
    return [PastCrossing(i, person, t, ref, code) for i, person, t, ref, code in session.execute(query)]


def fellows_on(
    session: Session, bookings: Iterable[str], at: dt.datetime, since: dt.datetime, exclude: set[int]
) -> list[Fellow]:
    """Who (records not in ``exclude``) crossed on these bookings in ``[since, at)``: one row a person and booking,
    with their age at that crossing."""
    refs = sorted(set(bookings))
    if not refs:
        return []
    persons = PersonRecord.__table__
    rows = session.execute(
        select(EV.c.person_id, EV.c.booking_ref, EV.c.occurred_at, persons.c.birth_date)
        .select_from(EV.join(persons, persons.c.id == EV.c.person_id))
        .where(EV.c.booking_ref.in_(refs), EV.c.occurred_at >= since, EV.c.occurred_at < at)
        .where(EV.c.person_id.not_in(sorted(exclude)))
    )
    seen: dict[tuple[int, str], Fellow] = {}
    for person_id, ref, when, birth in rows:
        seen.setdefault((person_id, ref), Fellow(person_id, ref, age_at(birth, when.date()), birth))
    return list(seen.values())
