"""``replay``: screen recorded border crossings in time order, like a day at the border, and measure the answers.

The events must already be in the store (ingested from the same files): each crossing is screened with what the
store says about the traveller (person record, document with its MRZ, travel context, companions on the same
booking) and with indicators that only see earlier events. With the world's ``truth/`` folder the report gives
watchlist-hit recall, the share of ordinary travellers referred, and precision and recall per indicator.
"""

from __future__ import annotations

import csv
import datetime as dt
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from palermo.auth.actor import Actor
from palermo.db.engine import transaction
from palermo.db.persons import IdentityDocument, PersonRecord
from palermo.db.reference import Source
from palermo.db.travel import BorderPoint, TravelEvent
from palermo.errors import InvalidInput, NotFound
from palermo.node import Node
from palermo.screening.context import Companion
from palermo.screening.measurement.truth import Truth, measure
from palermo.screening.requests import ScreeningRequest, ScreeningResult
from palermo.screening.scoring_config import default_screening_config
from palermo.screening.service import StoreRefs, screen

BATCH = 200
COMPANION_HOURS = 6


@dataclass(frozen=True)
class Crossing:
    source: str
    source_key: str
    at: dt.datetime


@dataclass
class ReplayReport:
    events: int = 0
    decisions: Counter[str] = field(default_factory=Counter)
    indicators: Counter[str] = field(default_factory=Counter)
    alerts: int = 0
    seconds: float = 0.0
    latency_ms: list[float] = field(default_factory=list)
    quality: dict[str, Any] | None = None

    def as_dict(self) -> dict[str, Any]:
        lat = sorted(self.latency_ms)
        return {
            "events": self.events,
            "decisions": dict(sorted(self.decisions.items())),
            "indicators": dict(sorted(self.indicators.items())),
            "alerts": self.alerts,
            "seconds": round(self.seconds, 2),
            "latency_ms": {
                "p50": lat[len(lat) // 2] if lat else None,
                "p95": lat[int(len(lat) * 0.95)] if lat else None,
            },
            "quality": self.quality,
        }


def read_crossings(path: Path, source: str | None = None, day: dt.date | None = None) -> list[Crossing]:
    """The (source, key, time) of each crossing in a travel_events CSV, in time order (optionally one day)."""
    if not path.is_file():
        raise InvalidInput(f"no such file: {path}")
    name = source or path.parent.name
    found = []
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            try:
                at = dt.datetime.fromisoformat(row["occurred_at"].replace("Z", "+00:00"))
            except (KeyError, ValueError):
                raise InvalidInput(f"{path}: not a travel_events file (source_key, occurred_at ...)") from None
            at = at if at.tzinfo else at.replace(tzinfo=dt.UTC)
            if day is None or at.date() == day:
                found.append(Crossing(name, row["source_key"], at))
    return found


def _event_ids(session: Session, crossings: list[Crossing]) -> dict[tuple[str, str], int]:
    ids = {}
    for name in sorted({c.source for c in crossings}):
        source_id = session.scalar(select(Source.id).where(Source.name == name))
        if source_id is None:
            raise NotFound(f"source {name!r} is not in the store; ingest the world (or the file) before replaying it")
        rows = session.execute(select(TravelEvent.source_key, TravelEvent.id).where(TravelEvent.source_id == source_id))
        ids.update({(name, key): event_id for key, event_id in rows})
    return ids


def _person(session: Session, person_id: int) -> PersonRecord:
    person = session.get(PersonRecord, person_id)
    assert person is not None
    return person


def _companions(session: Session, event: TravelEvent) -> list[Companion]:
    if not event.booking_ref and not event.group_ref:
        return []
    column = TravelEvent.booking_ref if event.booking_ref else TravelEvent.group_ref
    window = dt.timedelta(hours=COMPANION_HOURS)
    rows = session.scalars(
        select(TravelEvent.person_id).where(
            column == (event.booking_ref or event.group_ref),
            TravelEvent.border_point_id == event.border_point_id,
            TravelEvent.occurred_at.between(event.occurred_at - window, event.occurred_at + window),
            TravelEvent.person_id != event.person_id,
        )
    )
    companions = []
    for person_id in sorted(set(rows)):
        person = _person(session, person_id)
        primary = person.names[0] if person.names else None
        name = primary.full_name if primary else ""
        companions.append(
            Companion(
                name, primary.surname.casefold() if primary and primary.surname else None, person.birth_date, person_id
            )
        )
    return companions


def request_for(session: Session, event: TravelEvent) -> tuple[ScreeningRequest, StoreRefs]:
    """The screening request a booth would have made for a recorded crossing, and the store references."""
    person = _person(session, event.person_id)
    document = session.get(IdentityDocument, event.document_id) if event.document_id else None
    point = session.get(BorderPoint, event.border_point_id)
    request = ScreeningRequest(
        mrz=document.mrz.splitlines() if document is not None and document.mrz else None,
        names=[n.full_name for n in person.names][:10],
        birth_date=person.birth_date,
        nationality=person.nationalities[0].country if person.nationalities else None,
        sex=person.sex,
        document_number=document.number if document is not None else None,
        issuing_state=document.issuing_state if document is not None else None,
        border_point=point.code if point else None,
        direction=event.direction,
        at=event.occurred_at,
        booking_ref=event.booking_ref,
        payer=event.payer_name,
        phone=event.contact_phone,
        destination=event.destination_address,
    )
    refs = StoreRefs(event.person_id, event.id, event.document_id, _companions(session, event))
    return request, refs


def _batches(items: list[Crossing]) -> Iterator[list[Crossing]]:
    for start in range(0, len(items), BATCH):
        yield items[start : start + BATCH]


def replay(
    node: Node, actor: Actor, crossings: list[Crossing], truth: Truth | None = None
) -> tuple[ReplayReport, list[tuple[Crossing, ScreeningResult]]]:
    """Screen each crossing in time order (alerts persisted); measure against ``truth`` when given."""
    ordered = sorted(crossings, key=lambda c: (c.at, c.source, c.source_key))
    report = ReplayReport()
    results: list[tuple[Crossing, ScreeningResult]] = []
    started = time.perf_counter()
    with transaction(node.engine) as session:
        ids = _event_ids(session, ordered)
    for batch in _batches(ordered):
        with transaction(node.engine) as session:
            for crossing in batch:
                event_id = ids.get((crossing.source, crossing.source_key))
                event = session.get(TravelEvent, event_id) if event_id is not None else None
                if event is None:
                    raise NotFound(
                        f"crossing {crossing.source_key} of {crossing.source} is not in the store; ingest it"
                    )
                request, refs = request_for(session, event)
                result = screen(session, actor, request, home=node.home, refs=refs)
                report.events += 1
                report.decisions[result.decision] += 1
                report.indicators.update(i.id for i in result.indicators)
                report.alerts += int(result.alert_id is not None)
                report.latency_ms.append(result.elapsed_ms)
                results.append((crossing, result))
    report.seconds = time.perf_counter() - started
    if truth is not None:
        report.quality = measure(results, truth, default_screening_config().decision.refer)
    return report, results
