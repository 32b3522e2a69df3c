"""Trafficking networks: recruiters, escorts, exploiters, financiers, corrupt officials and their victims.

Planted, each at the rate in ``world.yaml`` and logged in ``truth/planted.csv`` (category ``trafficking``):
deceptive job offers through a fake recruitment agency; an escort crossing again and again with different young
adults or minors; tickets paid by a third party; unrelated victims sharing the network's phone and address;
forged documents (bad check digit, altered stolen number, stolen blank) and look-alike use of someone else's
genuine document, often reported stolen; aliases and other romanisations in police records and watchlists.
"""

from __future__ import annotations

from palermo.synth import lost_stolen, records
from palermo.synth.context import Context
from palermo.synth.documents import Document, altered_number, on_stolen_number, with_bad_check_digit
from palermo.synth.money import transfer
from palermo.synth.people import Person
from palermo.synth.travel import Traveller, Trip
from palermo.synth.units import (
    Unit,
    add,
    booking,
    close_unit,
    destination,
    emit,
    member,
    nationality,
    open_unit,
    organisation_id,
    shared_contact,
    trip,
    use,
)
from palermo.synth.watchlists import list_entry

_PROFILE_OF = {"women": ("F", (18, 40)), "girls": ("F", (13, 17)), "men": ("M", (18, 45)), "boys": ("M", (12, 17))}
_PURPOSE_OF = {"forced_labour": "work", "sexual_exploitation": "tourism", "forced_criminality": "family",
               "other": "family"}  # fmt: skip


def network(ctx: Context) -> None:
    unit = open_unit(ctx, "network")
    unit.trafficking, unit.network_id = True, unit.unit_id.replace("UNIT", "NET")
    unit.exploitation = ctx.weighted(ctx.config.victims.exploitation)
    nat, country = nationality(ctx, "victims"), destination(ctx)
    crew = _traffickers(ctx, unit, nat, country)
    _revoked_escort_passport(ctx, unit, crew["transporter"])
    victims = [_victim(ctx, unit, nat) for _ in range(ctx.between(ctx.config.victims.per_network))]
    phone, flat = ctx.phone(country), ctx.address(country)
    agency = _agency(ctx, unit, crew)
    _journeys(ctx, unit, crew, victims, country, phone, flat, agency is not None)
    _police(ctx, unit, crew, victims, flat, agency)
    _telecom(ctx, unit, crew, victims, phone)
    _payments(ctx, crew, victims)
    _watchlists(ctx, unit, crew, victims)
    close_unit(ctx, unit)


def _traffickers(ctx: Context, unit: Unit, nat: str, country: str) -> dict[str, Person]:
    crew = {
        "recruiter": member(ctx, unit, nat, ctx.rng.choice("MF"), (25, 60), "recruiter"),
        "transporter": member(ctx, unit, nat, "M", (22, 55), "transporter"),
        "exploiter": member(ctx, unit, nat, ctx.rng.choice("MMF"), (25, 60), "exploiter"),
        "financier": member(ctx, unit, ctx.rng.choice((nat, country)), "M", (30, 65), "financier"),
    }
    if ctx.chance(ctx.config.pattern("corrupt_official")):
        crew["corrupt_official"] = member(ctx, unit, country, ctx.rng.choice("MF"), (30, 60), "corrupt_official")
        ctx.planted("corrupt_official", "trafficking", unit.unit_id, crew["corrupt_official"].person_id, country)
    for role, person in crew.items():
        person.role, person.network_id = role, unit.network_id
        if ctx.chance(ctx.config.pattern("trafficker_alias")):
            person.aliases.append(ctx.name(person.nationality, person.sex))
            ctx.planted("trafficker_alias", "trafficking", unit.unit_id, person.person_id, role)
    return crew


def _victim(ctx: Context, unit: Unit, nat: str) -> Person:
    sex, ages = _PROFILE_OF[ctx.weighted(ctx.config.victims.profile)]
    person = ctx.person(unit.ref, nat, sex, ages, "victim")
    person.exploitation, person.network_id = unit.exploitation, unit.network_id
    return add(ctx, unit, person, "victim")


def _agency(ctx: Context, unit: Unit, crew: dict[str, Person]) -> tuple[str, str] | None:
    if not ctx.chance(ctx.config.pattern("deceptive_job_offer")):
        return None
    name = f"{crew['recruiter'].name.doc_surname} {ctx.rng.choice(('Global Jobs', 'Work Europe', 'Euro Staffing'))}"
    ctx.planted("deceptive_job_offer", "trafficking", unit.unit_id, crew["recruiter"].person_id, name)
    return organisation_id(ctx, unit, name, "recruitment_agency", False), name


def _forged(ctx: Context, unit: Unit, victim: Person) -> Document:
    """The document a victim crosses on: their own, or a forgery of the kind the mix draws."""
    genuine: Document = victim.documents[0]  # type: ignore[assignment]
    if not ctx.chance(ctx.config.pattern("forged_document")):
        return genuine
    kind = ctx.weighted(ctx.config.patterns["forgery_mix"])
    if kind == "bad_check_digit":
        counterfeit = ctx.issue(victim)  # a counterfeit booklet: own number, the check digit gets it wrong
        victim.documents.remove(counterfeit)
        forged = with_bad_check_digit(counterfeit, counterfeit.document_id)
    elif kind == "altered_stolen":
        stolen = genuine.number[:2] + f"{ctx.rng.randrange(10**7):07d}"
        forged = on_stolen_number(genuine, ctx.next_id("DOC"), altered_number(ctx.rng, stolen), kind, stolen)
        lost_stolen.report(ctx, stolen, genuine.issuing_state, "stolen")
    elif kind == "stolen_blank":
        blank = lost_stolen.stolen_blanks(ctx, genuine.issuing_state)
        altered = ctx.chance(ctx.config.pattern("stolen_blank_altered"))
        number = altered_number(ctx.rng, blank, last=len(blank) - 2) if altered else blank
        forged = on_stolen_number(genuine, ctx.next_id("DOC"), number, kind, blank)
    else:
        donor = member(ctx, unit, victim.nationality, victim.sex, (18, 40), "document_holder")
        forged = donor.documents[0]  # type: ignore[assignment]
        reported = "stolen" if ctx.chance(0.5) else None
        if reported:
            lost_stolen.report(ctx, forged.number, forged.issuing_state, reported)
        unit.documents[forged.document_id] = (forged, victim.person_id, reported)
        ctx.planted("forged_document:lookalike", "trafficking", unit.unit_id, victim.person_id, forged.document_id)
        return forged
    use(unit, forged, victim.person_id, {"altered_stolen": "stolen", "stolen_blank": "stolen_blank"}.get(kind))
    ctx.planted(f"forged_document:{kind}", "trafficking", unit.unit_id, victim.person_id, forged.document_id)
    return forged


def _revoked_escort_passport(ctx: Context, unit: Unit, escort: Person) -> None:
    """A court revoked the escort's passport (travel ban); he crosses on it all the same."""
    if not ctx.chance(ctx.config.pattern("revoked_escort_passport")):
        return
    passport: Document = escort.documents[0]  # type: ignore[assignment]
    lost_stolen.report(ctx, passport.number, passport.issuing_state, "revoked")
    use(unit, passport, escort.person_id, "revoked")
    ctx.planted("revoked_passport", "trafficking", unit.unit_id, escort.person_id, passport.document_id)


def _journeys(ctx: Context, unit: Unit, crew: dict[str, Person], victims: list[Person], country: str, phone: str,
              flat: str, deceived: bool) -> None:  # fmt: skip
    """The escort brings the victims in batches, each batch on one booking paid by the financier."""
    escort, financier = crew["transporter"], crew["financier"]
    payer = (f"{financier.name.doc_given} {financier.name.doc_surname}", f"CARD-{ctx.rng.randrange(10**8):08d}")
    batches = max(1, min(ctx.between(ctx.config.trips["escort_trips"]), len(victims)))
    trips: list[Trip] = []
    for index in range(batches):
        item = trip(ctx, unit, country, unit.members[0][0].nationality, "tourism")
        item.booking_ref, item.stay_days = booking(ctx), ctx.rng.randint(1, 3)
        item.travellers.append(Traveller(escort, escort.documents[0], "escort", True))  # type: ignore[arg-type]
        for victim in victims[index::batches]:
            item.travellers.append(_victim_traveller(ctx, unit, victim, phone, flat, payer, deceived))
        trips.append(item)
    ctx.planted("escort_repeat_crossings", "trafficking", unit.unit_id, escort.person_id, str(batches))
    users = sum(1 for t in trips for v in t.travellers if v.phone == phone)
    shared_contact(ctx, unit, phone, "phone", "network_phone", False, users)
    shared_contact(ctx, unit, flat, "address", "network_flat", False, sum(1 for t in trips for v in t.travellers
                                                                          if v.address == flat))  # fmt: skip
    emit(ctx, trips)


def _victim_traveller(ctx: Context, unit: Unit, victim: Person, phone: str, flat: str, payer: tuple[str, str],
                      deceived: bool) -> Traveller:  # fmt: skip
    pattern = ctx.config.pattern
    traveller = Traveller(victim, _forged(ctx, unit, victim), "victim", True)
    traveller.exits = not ctx.chance(pattern("never_exits"))
    traveller.purpose = "work" if deceived else _PURPOSE_OF[unit.exploitation or "other"]
    for name, value, attr in (("third_party_payer", payer, "payer"), ("shared_contact_phone", phone, "phone"),
                              ("shared_destination", flat, "address")):  # fmt: skip
        if ctx.chance(pattern(name)):
            setattr(traveller, attr, value)
            ctx.planted(
                name, "trafficking", unit.unit_id, victim.person_id, payer[0] if attr == "payer" else str(value)
            )
    if not traveller.exits:
        ctx.planted("never_exits", "trafficking", unit.unit_id, victim.person_id, "")
    return traveller


def _police(ctx: Context, unit: Unit, crew: dict[str, Person], victims: list[Person], flat: str,
            agency: tuple[str, str] | None) -> None:  # fmt: skip
    keys = {role: records.reported_person(ctx, "police_ita", p, aliases=True) for role, p in crew.items()}
    for left, right in (("recruiter", "exploiter"), ("transporter", "exploiter"), ("financier", "exploiter")):
        records.relationship(ctx, "police_ita", "associate_of", keys[left], keys[right])
    if "corrupt_official" in keys:
        records.relationship(ctx, "police_ita", "associate_of", keys["corrupt_official"], keys["financier"])
    records.relationship(ctx, "police_ita", "financed_by", keys["recruiter"], keys["financier"])
    if agency:
        org_key = records.organisation(ctx, "police_ita", agency[0], agency[1], "recruitment_agency", "ITA")
        records.relationship(ctx, "police_ita", "director_of", keys["recruiter"], org_key, "organisation")
    address_key = records.new_key(ctx, "police_ita", "addresses")
    ctx.sink.record("police_ita", "addresses", {"source_key": address_key, "person_key": keys["exploiter"],
                                                "address_kind": "residence", "full": flat})  # fmt: skip
    for victim in victims:
        if ctx.chance(0.5):
            key = records.reported_person(ctx, "police_ita", victim)
            for kind, role in (("recruited_by", "recruiter"), ("transported_by", "transporter"),
                               ("exploited_by", "exploiter")):  # fmt: skip
                records.relationship(ctx, "police_ita", kind, key, keys[role])


def _telecom(ctx: Context, unit: Unit, crew: dict[str, Person], victims: list[Person], phone: str) -> None:
    """The network phone is registered to a victim's name or to the exploiter (often under an alias)."""
    subscriber = ctx.rng.choice(victims) if ctx.chance(0.5) else crew["exploiter"]
    key = records.reported_person(ctx, "telecom_ita", subscriber, with_birth_date=ctx.chance(0.6), aliases=True)
    row = {"source_key": records.new_key(ctx, "telecom_ita", "contacts"), "person_key": key, "contact_kind": "phone",
           "value": phone}  # fmt: skip
    ctx.sink.record("telecom_ita", "contacts", row)
    ctx.planted("phone_subscriber", "trafficking", unit.unit_id, subscriber.person_id, phone)


def _payments(ctx: Context, crew: dict[str, Person], victims: list[Person]) -> None:
    for _ in victims:
        transfer(ctx, crew["financier"], crew["recruiter"], ctx.rng.uniform(300, 1500), "consulting fee")
    for _ in range(ctx.rng.randint(2, 6)):
        transfer(ctx, crew["exploiter"], crew["financier"], ctx.rng.uniform(1000, 9000), "rent")
    for victim in victims:
        if ctx.chance(0.4):
            transfer(ctx, victim, crew["recruiter"], ctx.rng.uniform(100, 500), "loan repayment")
    if "corrupt_official" in crew:
        transfer(ctx, crew["financier"], crew["corrupt_official"], ctx.rng.uniform(500, 3000), "gift")


def _watchlists(ctx: Context, unit: Unit, crew: dict[str, Person], victims: list[Person]) -> None:
    for role, person in crew.items():
        if ctx.chance(0.5):
            category = ctx.rng.choice(("suspect", "suspect", "wanted", "associate"))
            list_entry(ctx, person, category, f"trafficking in human beings ({role})")
            if ctx.chance(ctx.config.confounders["namesake_of_suspect"]):
                _namesake(ctx, unit, person)
    for victim in victims:
        if ctx.chance(0.2):
            minor = victim.age_on(ctx.today) < 18
            list_entry(ctx, victim, "missing_person" if minor or ctx.chance(0.5) else "potential_victim",
                       "reported missing by family" if minor else "possible trafficking victim")  # fmt: skip


def _namesake(ctx: Context, unit: Unit, suspect: Person) -> None:
    """An innocent traveller with the suspect's name and another date of birth, who crosses once."""
    person = member(ctx, unit, suspect.nationality, suspect.sex, (20, 70), "namesake")
    person.name = suspect.name
    person.documents.clear()
    unit.documents = {k: v for k, v in unit.documents.items() if v[1] != person.person_id}
    add_doc = ctx.issue(person)
    use(unit, add_doc, person.person_id)
    item = trip(ctx, unit, destination(ctx), person.nationality, "tourism")
    item.travellers.append(Traveller(person, add_doc))
    ctx.planted("namesake_of_suspect", "confounder", unit.unit_id, person.person_id, suspect.person_id)
    ctx.sink.truth("watchlist_matches", {"watchlist": "suspects", "entry_id": "", "person_id": person.person_id,
                                         "match": f"namesake_of:{suspect.person_id}"})  # fmt: skip
    emit(ctx, [item])
