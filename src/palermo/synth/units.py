"""What every unit of the world shares: opening it, choosing places and dates, closing it into the truth tables.

A unit (a solo traveller, a family, a tour group, a trafficking network ...) is generated, written and forgotten
in one go, so memory stays flat whatever the scale.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from palermo.synth.context import Context
from palermo.synth.documents import Document
from palermo.synth.people import Person
from palermo.synth.travel import Trip, emit_trip

_STAY_DAYS = (2, 21)


@dataclass
class Unit:
    unit_id: str
    kind: str
    trafficking: bool = False
    network_id: str | None = None
    exploitation: str | None = None
    members: list[tuple[Person, str]] = field(default_factory=list)
    documents: dict[str, tuple[Document, str, str | None]] = field(default_factory=dict)

    @property
    def ref(self) -> tuple[str, str]:
        return self.unit_id, self.kind


def open_unit(ctx: Context, kind: str) -> Unit:
    ctx.book.clear()
    return Unit(ctx.next_id("UNIT"), kind)


def add(ctx: Context, unit: Unit, person: Person, membership_role: str, *, id_card: bool = False) -> Person:
    """Register ``person`` in ``unit`` and give them a passport (and an identity card where chance says so)."""
    unit.members.append((person, membership_role))
    use(unit, ctx.issue(person, "passport"), person.person_id)
    wants_card = id_card or ctx.chance(ctx.config.confounders["second_document"])
    if person.nationality in ctx.config.schengen and wants_card:
        card = ctx.issue(person, "id_card")
        use(unit, card, person.person_id)
        ctx.planted("second_document", "confounder", unit.unit_id, person.person_id, card.document_id)
    return person


def use(unit: Unit, doc: Document, used_by: str, reported: str | None = None) -> None:
    unit.documents[doc.document_id] = (doc, used_by, reported)


def member(ctx: Context, unit: Unit, nationality: str, sex: str, ages: tuple[int, int], role: str) -> Person:
    person = ctx.person(unit.ref, nationality, sex, ages)
    return add(ctx, unit, person, role)


def nationality(ctx: Context, mix: str) -> str:
    return ctx.weighted(ctx.config.nationalities[mix])


def destination(ctx: Context) -> str:
    return ctx.weighted(ctx.config.destinations)


def origin_of(ctx: Context, nationality_code: str) -> str:
    """Where the journey starts: home, or for a Schengen national a trip abroad outside Schengen."""
    if nationality_code not in ctx.config.schengen:
        return nationality_code
    return ctx.rng.choice(("TUR", "ALB", "EGY", "MAR", "THA", "GBR", "UKR", "MKD"))


def trip(ctx: Context, unit: Unit, country: str, origin: str, purpose: str, day: int | None = None) -> Trip:
    when = ctx.rng.randrange(ctx.config.window_days - 5) if day is None else day
    return Trip(unit.unit_id, unit.kind, country, origin, when, ctx.between(_STAY_DAYS), purpose=purpose,
                network_id=unit.network_id)  # fmt: skip


def booking(ctx: Context) -> str:
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    return "".join(ctx.rng.choice(alphabet) for _ in range(6))


def emit(ctx: Context, trips: list[Trip]) -> None:
    for item in sorted(trips, key=lambda t: t.day):
        emit_trip(ctx, item)


def close_unit(ctx: Context, unit: Unit) -> None:
    """Write the unit's persons, memberships and documents to the truth tables."""
    for person, role in unit.members:
        ctx.finish_person(person, role)
    for doc, used_by, reported in unit.documents.values():
        ctx.document_truth(doc, used_by, reported)
    ctx.sink.truth("units", {"unit_id": unit.unit_id, "unit_kind": unit.kind, "trafficking": unit.trafficking,
                             "network_id": unit.network_id, "exploitation": unit.exploitation,
                             "size": len(unit.members)})  # fmt: skip
    ctx.book.clear()


def shared_contact(ctx: Context, unit: Unit, value: str, kind: str, reason: str, innocent: bool, users: int) -> None:
    row = {"value": value, "contact_kind": kind, "unit_id": unit.unit_id, "reason": reason, "innocent": innocent}
    ctx.sink.truth("shared_contacts", {**row, "users": users})


def organisation_id(ctx: Context, unit: Unit, name: str, kind: str, legitimate: bool) -> str:
    org_id = ctx.next_id("ORGN")
    ctx.sink.truth("organisations", {"organisation_id": org_id, "name": name, "organisation_kind": kind,
                                     "legitimate": legitimate, "unit_id": unit.unit_id})  # fmt: skip
    return org_id
