"""Legitimate travel that looks like trafficking on the surface: the confounders every detector must survive.

Families with children, school trips (adults with many minors), tour groups whose guide crosses again and again
with different people, seasonal workers with one employer, one payer and one address, couples, frequent business
travellers and commuters. Each planted look-alike is logged in ``truth/planted.csv`` with category ``confounder``.
"""

from __future__ import annotations

from palermo.synth import lost_stolen, records
from palermo.synth.context import Context
from palermo.synth.documents import Document
from palermo.synth.people import Person
from palermo.synth.travel import Traveller, Trip
from palermo.synth.units import (
    Unit,
    booking,
    close_unit,
    destination,
    emit,
    member,
    nationality,
    open_unit,
    organisation_id,
    origin_of,
    shared_contact,
    trip,
)

ADULT, MINOR, PUPIL = (20, 70), (0, 17), (12, 17)


def _doc(ctx: Context, person: Person) -> Document:
    docs: list[Document] = person.documents  # type: ignore[assignment]
    return docs[0] if len(docs) == 1 else ctx.rng.choice(docs)


def _traveller(ctx: Context, person: Person, **extra: object) -> Traveller:
    return Traveller(person, _doc(ctx, person), **extra)  # type: ignore[arg-type]


def _lost_document(ctx: Context, unit: Unit, person: Person) -> None:
    """An innocent traveller lost a passport before the window and travels on its replacement."""
    if not ctx.chance(ctx.config.confounders["innocent_lost_document"]):
        return
    old = ctx.issue(person)
    person.documents.remove(old)
    status = "invalidated" if ctx.chance(ctx.config.confounders["lost_reported_invalidated"]) else "lost"
    unit.documents[old.document_id] = (old, person.person_id, status)
    lost_stolen.report(ctx, old.number, old.issuing_state, status, day=old.issue_date)
    ctx.planted("innocent_lost_document", "confounder", unit.unit_id, person.person_id, old.number)


def solo(ctx: Context) -> None:
    unit = open_unit(ctx, "solo")
    nat = nationality(ctx, "ordinary")
    person = member(ctx, unit, nat, ctx.rng.choice("MF"), ADULT, "traveller")
    _lost_document(ctx, unit, person)
    phone = ctx.phone(nat) if ctx.chance(0.7) else None
    trips = []
    for _ in range(ctx.between(ctx.config.trips["solo"])):
        country = destination(ctx)
        item = trip(ctx, unit, country, origin_of(ctx, nat), ctx.rng.choice(("tourism", "family", "business", "study")))
        address = ctx.address(country) if ctx.chance(0.6) else None
        item.travellers.append(_traveller(ctx, person, phone=phone, address=address))
        trips.append(item)
    emit(ctx, trips)
    close_unit(ctx, unit)


def couple(ctx: Context) -> None:
    unit = open_unit(ctx, "couple")
    nat = nationality(ctx, "ordinary")
    pair = [member(ctx, unit, nat, sex, ADULT, "partner") for sex in "MF"]
    trips = []
    for _ in range(ctx.between(ctx.config.trips["couple"])):
        country = destination(ctx)
        item = trip(ctx, unit, country, origin_of(ctx, nat), "tourism")
        item.booking_ref, address = booking(ctx), ctx.address(country)
        item.travellers = [_traveller(ctx, p, address=address) for p in pair]
        trips.append(item)
    emit(ctx, trips)
    close_unit(ctx, unit)


def family(ctx: Context) -> None:
    unit = open_unit(ctx, "family")
    nat = nationality(ctx, "ordinary")
    father = member(ctx, unit, nat, "M", (28, 55), "parent")
    mother = ctx.person(unit.ref, nat, "F", (26, 50))
    children = [ctx.person(unit.ref, nat, ctx.rng.choice("MF"), MINOR) for _ in range(ctx.rng.randint(1, 3))]
    from palermo.synth.names import with_surname
    from palermo.synth.units import add

    for person, role in [(mother, "parent"), *((c, "child") for c in children)]:
        person.name = with_surname(ctx.rng, father.name, father.name.surname, nat, person.sex)
        add(ctx, unit, person, role)
    people = [father, mother, *children]
    phone = ctx.phone(nat)
    shared = ctx.chance(ctx.config.confounders["family_shared_phone"])
    if shared:
        shared_contact(ctx, unit, phone, "phone", "family", True, len(people))
        ctx.planted("family_shared_phone", "confounder", unit.unit_id, father.person_id, phone)
    trips = []
    for _ in range(ctx.between(ctx.config.trips["family"])):
        country = destination(ctx)
        item = trip(ctx, unit, country, origin_of(ctx, nat), ctx.rng.choice(("tourism", "family")))
        item.booking_ref, address = booking(ctx), ctx.address(country)
        payer = (f"{father.name.doc_given} {father.name.doc_surname}", f"CARD-{ctx.rng.randrange(10**8):08d}")
        item.travellers = [_traveller(ctx, p, phone=phone if shared or p is father else None, address=address,
                                      payer=payer) for p in people]  # fmt: skip
        trips.append(item)
    emit(ctx, trips)
    close_unit(ctx, unit)


def business(ctx: Context) -> None:
    unit = open_unit(ctx, "business")
    nat = nationality(ctx, "ordinary")
    person = member(ctx, unit, nat, ctx.rng.choice("MFM"), (25, 65), "traveller")
    company = f"{person.name.doc_surname} {ctx.rng.choice(('Trading', 'Logistics', 'Engineering', 'Consulting'))}"
    payer = (company, f"ACCT-{ctx.rng.randrange(10**9):09d}")
    if ctx.chance(ctx.config.confounders["third_party_payer_employer"]):
        ctx.planted("employer_payer", "confounder", unit.unit_id, person.person_id, company)
    phone = ctx.phone(nat)
    trips = []
    for _ in range(ctx.between(ctx.config.trips["business"])):
        item = trip(ctx, unit, destination(ctx), origin_of(ctx, nat), "business")
        item.stay_days = ctx.rng.randint(1, 4)
        item.travellers.append(_traveller(ctx, person, phone=phone, payer=payer))
        trips.append(item)
    emit(ctx, trips)
    close_unit(ctx, unit)


def commuter(ctx: Context) -> None:
    """A lorry or bus driver crossing a land border many times, usually alone."""
    unit = open_unit(ctx, "commuter")
    nat = nationality(ctx, "commuters")
    person = member(ctx, unit, nat, "M", (25, 62), "driver")
    countries = [c for c in ("GRC", "BGR", "ITA") if ctx.geo.surface_points(c, nat)]
    trips = []
    for _ in range(ctx.between(ctx.config.trips["commuter"])):
        item = trip(ctx, unit, ctx.rng.choice(countries), nat, "work")
        item.stay_days, item.surface = ctx.rng.randint(0, 3), True
        item.travellers.append(_traveller(ctx, person))
        trips.append(item)
    emit(ctx, trips)
    close_unit(ctx, unit)


def school_trip(ctx: Context) -> None:
    """Two teachers with a class of minors: adults crossing with many children, paid by the school."""
    unit = open_unit(ctx, "school_trip")
    nat = nationality(ctx, "pupils")
    teachers = [member(ctx, unit, nat, ctx.rng.choice("MF"), (28, 60), "teacher") for _ in range(2)]
    pupils = [member(ctx, unit, nat, ctx.rng.choice("MF"), PUPIL, "pupil") for _ in range(ctx.rng.randint(14, 30))]
    school = f"Istituto {teachers[0].name.doc_surname}" if nat == "ITA" else f"{teachers[0].name.doc_surname} School"
    item = trip(ctx, unit, ctx.rng.choice([c for c in ("ITA", "GRC", "BGR") if c != nat]), origin_of(ctx, nat), "study")
    item.group_ref, item.booking_ref, item.stay_days = f"SCH-{booking(ctx)}", booking(ctx), ctx.rng.randint(3, 7)
    hotel, phone, payer = ctx.address(item.country), ctx.phone(nat), (school, f"ACCT-{ctx.rng.randrange(10**9):09d}")
    roles = [*((t, "teacher") for t in teachers), *((p, "pupil") for p in pupils)]
    item.travellers = [
        _traveller(ctx, p, address=hotel, phone=phone, payer=payer, movement_role=role) for p, role in roles
    ]
    shared_contact(ctx, unit, hotel, "address", "school_trip_hotel", True, len(item.travellers))
    ctx.planted("school_group_minors", "confounder", unit.unit_id, teachers[0].person_id, item.group_ref)
    emit(ctx, [item])
    close_unit(ctx, unit)


def tour_group(ctx: Context) -> None:
    """A guide who crosses again and again, each time with a different group of tourists: the escort look-alike."""
    unit = open_unit(ctx, "tour_group")
    guide_nat = nationality(ctx, "tourists")
    guide = member(ctx, unit, guide_nat, ctx.rng.choice("MF"), (25, 60), "guide")
    operator = f"{guide.name.doc_surname} Tours"
    org_id = organisation_id(ctx, unit, operator, "tour_operator", True)
    operator_phone = ctx.phone(guide_nat)
    trips: list[Trip] = []
    tourists = 0
    for _ in range(ctx.between(ctx.config.trips["guide_groups"])):
        country = destination(ctx)
        item = trip(ctx, unit, country, origin_of(ctx, guide_nat), "tourism")
        item.group_ref, item.booking_ref, item.stay_days = f"TOUR-{booking(ctx)}", booking(ctx), ctx.rng.randint(4, 10)
        hotel = ctx.address(country) if ctx.chance(ctx.config.confounders["hotel_shared_address"]) else None
        group = [member(ctx, unit, guide_nat, ctx.rng.choice("MF"), (18, 80), "tourist")
                 for _ in range(ctx.rng.randint(8, 20))]  # fmt: skip
        payer = (operator, f"ACCT-{org_id}")
        item.travellers = [_traveller(ctx, guide, phone=operator_phone, address=hotel, payer=payer,
                                      movement_role="guide")]  # fmt: skip
        item.travellers += [_traveller(ctx, p, phone=operator_phone, address=hotel, payer=payer) for p in group]
        if hotel:
            shared_contact(ctx, unit, hotel, "address", "group_hotel", True, len(item.travellers))
            ctx.planted("hotel_shared_address", "confounder", unit.unit_id, guide.person_id, hotel)
        tourists += len(group)
        trips.append(item)
    shared_contact(ctx, unit, operator_phone, "phone", "tour_operator", True, tourists + 1)
    ctx.planted("guide_repeat_crossings", "confounder", unit.unit_id, guide.person_id, str(len(trips)))
    emit(ctx, trips)
    close_unit(ctx, unit)


def seasonal(ctx: Context) -> None:
    """Seasonal farm workers: one employer, one payer, one address, one phone; lawful and recorded as such."""
    unit = open_unit(ctx, "seasonal")
    nat = nationality(ctx, "seasonal")
    country = ctx.rng.choice(("ITA", "ITA", "GRC"))
    workers = [
        member(ctx, unit, nat, ctx.rng.choice("MMMF"), (19, 55), "worker") for _ in range(ctx.rng.randint(8, 24))
    ]
    employer = f"Azienda Agricola {ctx.name('ITA', 'M').doc_surname}" if country == "ITA" else "Agrotiki Thessalias"
    org_id = organisation_id(ctx, unit, employer, "employer", True)
    farm, phone = ctx.address(country), ctx.phone(country)
    payer = (employer, f"ACCT-{org_id}")
    shared_contact(ctx, unit, farm, "address", "employer_housing", True, len(workers))
    shared_contact(ctx, unit, phone, "phone", "employer", True, len(workers))
    ctx.planted("employer_payer", "confounder", unit.unit_id, None, employer)
    trips = []
    for season in range(ctx.between(ctx.config.trips["seasonal"])):
        item = trip(ctx, unit, country, nat, "work", day=min(season * 180 + ctx.rng.randrange(60), 700))
        item.group_ref, item.stay_days = f"SEAS-{booking(ctx)}", ctx.rng.randint(60, 150)
        item.travellers = [_traveller(ctx, w, phone=phone, address=farm, payer=payer) for w in workers]
        trips.append(item)
    emit(ctx, trips)
    if country == "ITA":
        org_key = records.organisation(ctx, "police_ita", org_id, employer, "employer", "ITA")
        for worker in workers:
            worker_key = records.reported_person(ctx, "police_ita", worker)
            records.relationship(ctx, "police_ita", "employed_by", worker_key, org_key, "organisation")
    from palermo.synth.money import remittances

    remittances(ctx, workers)
    close_unit(ctx, unit)
