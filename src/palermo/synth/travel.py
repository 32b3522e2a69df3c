"""Journeys across the three border agencies' crossing points, written as travel events with their context."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field

from palermo.synth.context import Context
from palermo.synth.documents import Document, document_number
from palermo.synth.geography import BorderPoint
from palermo.synth.people import Person
from palermo.synth.records import border_person, document_record, new_key, reported_person

BORDER_SOURCES = {"ITA": "border_ita", "GRC": "border_grc", "BGR": "border_bgr"}
_SURFACE_SHARE = 0.35
_MINUTES_PER_DAY = 1440


@dataclass(slots=True)
class Traveller:
    person: Person
    document: Document
    movement_role: str = "traveller"
    trafficking: bool = False
    exits: bool = True
    phone: str | None = None
    address: str | None = None
    payer: tuple[str, str] | None = None  # (name, account/card token)
    purpose: str | None = None


@dataclass(slots=True)
class Trip:
    unit_id: str
    unit_kind: str
    country: str  # ITA, GRC or BGR: the country entered
    origin: str
    day: int  # days after the window start
    stay_days: int
    travellers: list[Traveller] = field(default_factory=list)
    purpose: str = "tourism"
    booking_ref: str | None = None
    group_ref: str | None = None
    network_id: str | None = None
    surface: bool | None = None  # force a land/sea crossing (True), a flight (False), or let chance decide


def _entry_point(ctx: Context, trip: Trip) -> BorderPoint:
    surface = ctx.geo.surface_points(trip.country, trip.origin)
    wants_surface = trip.surface if trip.surface is not None else ctx.chance(_SURFACE_SHARE)
    if surface and wants_surface:
        return ctx.rng.choice(surface)
    return ctx.rng.choice(ctx.geo.airports(trip.country))


def _service(ctx: Context, mode: str) -> tuple[str, str | None]:
    carrier = ctx.rng.choice(ctx.geo.carriers[mode])
    number = f"{carrier.prefix}{ctx.rng.randint(100, 9899)}" if carrier.prefix else None
    return carrier.name, number


def _plate(ctx: Context, country: str) -> str:
    letters = "ABCEHKMPTX"
    pick = ctx.rng.choice
    return f"{country[:2]} {pick(letters)}{pick(letters)} {ctx.rng.randint(100, 999)} {pick(letters)}{pick(letters)}"


def _when(ctx: Context, day: int, minute: int) -> str:
    moment = dt.datetime.combine(ctx.window_start, dt.time(), dt.UTC) + dt.timedelta(days=day, minutes=minute)
    return moment.strftime("%Y-%m-%dT%H:%M:00Z")


def emit_trip(ctx: Context, trip: Trip) -> None:
    """Write the entry (and exits) of every traveller of ``trip`` to the entered country's border source."""
    source = BORDER_SOURCES[trip.country]
    point = _entry_point(ctx, trip)
    carrier, service = _service(ctx, point.kind)
    plate = _plate(ctx, trip.origin) if carrier == "private car" else None
    minute = ctx.rng.randrange(_MINUTES_PER_DAY - 60)
    leg = {"mode": point.kind, "carrier": carrier, "service_number": service, "vehicle_registration": plate}
    entry = {**leg, "border_point": point.code, "direction": "entry", "origin_country": trip.origin,
             "destination_country": trip.country}  # fmt: skip
    exit_day = trip.day + trip.stay_days
    back_point = point if point.kind != "air" else ctx.rng.choice(ctx.geo.airports(trip.country))
    back_carrier, back_service = _service(ctx, back_point.kind) if back_point is not point else (carrier, service)
    back = {"mode": back_point.kind, "carrier": back_carrier, "service_number": back_service,
            "vehicle_registration": plate, "border_point": back_point.code, "direction": "exit",
            "origin_country": trip.country, "destination_country": trip.origin}  # fmt: skip
    back_minute = ctx.rng.randrange(_MINUTES_PER_DAY - 60)
    for offset, traveller in enumerate(trip.travellers):
        _event(ctx, source, trip, traveller, entry, _when(ctx, trip.day, minute + offset % 45))
        if traveller.exits and exit_day < ctx.config.window_days:
            _event(ctx, source, trip, traveller, back, _when(ctx, exit_day, back_minute + offset % 45))
    if trip.country == "ITA":
        for traveller in trip.travellers:
            _visa_application(ctx, trip, traveller)


def _event(ctx: Context, source: str, trip: Trip, traveller: Traveller, leg: Mapping[str, object], when: str) -> None:
    person_key, doc_key = border_person(ctx, source, traveller.person, traveller.document)
    key = new_key(ctx, source, "travel_events")
    payer = traveller.payer
    row = {
        **leg,
        "source_key": key,
        "person_key": person_key,
        "document_key": doc_key,
        "occurred_at": when,
        "booking_ref": trip.booking_ref,
        "group_ref": trip.group_ref,
        "payer_name": payer[0] if payer else None,
        "payer_reference": payer[1] if payer else None,
        "contact_phone": traveller.phone,
        "destination_address": traveller.address if leg["direction"] == "entry" else None,
        "declared_purpose": traveller.purpose or trip.purpose,
        "sensitivity": "special" if traveller.person.age_on(ctx.today) < 18 else None,
    }
    ctx.sink.record(source, "travel_events", row)
    truth = {
        "source": source, "source_key": key, "person_id": traveller.person.person_id,
        "document_id": traveller.document.document_id, "unit_id": trip.unit_id, "unit_kind": trip.unit_kind,
        "trafficking": traveller.trafficking, "network_id": trip.network_id, "movement_role": traveller.movement_role,
    }  # fmt: skip
    ctx.sink.truth("movements", truth)


def _visa_application(ctx: Context, trip: Trip, traveller: Traveller) -> None:
    """A visa-national entering Italy applied at an Italian consulate first (once per unit and person)."""
    person, doc = traveller.person, traveller.document
    if not ctx.geo.country(doc.nationality).visa_required or ("consular_ita", person.person_id, "") in ctx.book:
        return
    key = reported_person(ctx, "consular_ita", person)
    document_record(ctx, "consular_ita", key, doc, person.person_id)
    ctx.counters["doc-number"] += 1
    visa_id = ctx.next_id("DOC")
    number = f"ITA{document_number(ctx.rng, ctx.counters['doc-number'])[2:]}"
    issued = ctx.window_start + dt.timedelta(days=max(0, trip.day - ctx.rng.randint(10, 40)))
    visa_key = new_key(ctx, "consular_ita", "documents")
    row = {"source_key": visa_key, "person_key": key, "document_type": "visa", "number": number,
           "issuing_state": "ITA", "issue_date": issued.isoformat()}  # fmt: skip
    ctx.sink.record("consular_ita", "documents", row)
    ctx.sink.truth("records", {"source": "consular_ita", "kind": "documents", "source_key": visa_key,
                               "person_id": person.person_id, "document_id": visa_id})  # fmt: skip
    ctx.sink.truth("documents", {"document_id": visa_id, "document_type": "visa", "number": number,
                                 "issuing_state": "ITA", "holder_person_id": person.person_id,
                                 "used_by_person_id": person.person_id, "status": "genuine"})  # fmt: skip
