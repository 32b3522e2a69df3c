"""Person and document records as each kind of source writes them, with the noise each source really has.

A border agency copies the document (document spelling, full date of birth). A consulate copies what the
applicant wrote (another romanisation, sometimes a typo). Police write what they were told or found (aliases,
swapped name order, partial or wrong dates of birth). A phone operator and a money transfer operator keep a
customer name. Every record written here is mapped to its real person in ``truth/records.csv``.
"""

from __future__ import annotations

from typing import Any

from palermo.synth.context import Context
from palermo.synth.documents import Document
from palermo.synth.names import PersonName, typo
from palermo.synth.people import Person

_PREFIX = {"persons": "PER", "documents": "DOC", "travel_events": "TRV", "organisations": "ORG", "contacts": "CON",
           "addresses": "ADR", "relationships": "REL", "transactions": "TRX"}  # fmt: skip
_SPECIAL_ROLES = frozenset({"victim"})
_ADULT = 18


def new_key(ctx: Context, source: str, kind: str) -> str:
    return ctx.next_id(f"{source}:{_PREFIX[kind]}").split(":", 1)[1]


def _truth(ctx: Context, source: str, kind: str, key: str, person_id: str | None, doc_id: str | None = None) -> None:
    row = {"source": source, "kind": kind, "source_key": key, "person_id": person_id, "document_id": doc_id}
    ctx.sink.truth("records", row)


def _birth_date(ctx: Context, person: Person) -> str:
    born, noise = person.birth_date, ctx.config.noise
    if ctx.chance(noise["partial_birth_date"]):
        return born.isoformat()[: ctx.rng.choice((4, 7))]
    if ctx.chance(noise["wrong_birth_date"]):
        if born.day <= 12 and born.day != born.month:
            return f"{born.year:04d}-{born.day:02d}-{born.month:02d}"
        return f"{born.year + ctx.rng.choice((-1, 1)):04d}-{born.month:02d}-{min(born.day, 28):02d}"
    return born.isoformat()


def _spelling(ctx: Context, variants: tuple[str, ...]) -> str:
    noise = ctx.config.noise
    text = variants[0]
    if len(variants) > 1 and ctx.chance(noise["other_transliteration"]):
        text = variants[ctx.rng.randrange(1, len(variants))]
    return typo(ctx.rng, text) if ctx.chance(noise["typo"]) else text


def reported_name(ctx: Context, name: PersonName) -> tuple[str, str]:
    """(given names, surname) as a non-document source writes them: other romanisations, typos, swapped order."""
    given, surname = _spelling(ctx, name.given.latin), _spelling(ctx, name.surname.latin)
    if ctx.chance(ctx.config.noise["swapped_order"]):
        return surname, given
    return given, surname


def _alias_text(names: list[PersonName]) -> list[str]:
    return [f"{n.doc_given} {n.doc_surname}" for n in names]


def _sensitivity(ctx: Context, person: Person) -> str | None:
    """Victims and minors are special-category data."""
    return "special" if person.role in _SPECIAL_ROLES or person.age_on(ctx.today) < _ADULT else None


def border_person(ctx: Context, source: str, person: Person, doc: Document) -> tuple[str, str]:
    """(person key, document key) of ``person`` travelling on ``doc`` in a border source; one record per pair."""
    book_key = (source, person.person_id, doc.document_id)
    if book_key in ctx.book:
        return ctx.book[book_key]
    key = new_key(ctx, source, "persons")
    native = person.name.native_full if doc.holder_id == person.person_id else None
    row: dict[str, Any] = {
        "source_key": key,
        "given_names": doc.given_names,
        "surname": doc.surname,
        "birth_date": doc.birth_date.isoformat(),
        "sex": doc.sex,
        "nationalities": doc.nationality,
        "transliterations": [native] if native and ctx.chance(0.5) else None,
    }
    ctx.sink.record(source, "persons", row)
    _truth(ctx, source, "persons", key, person.person_id)
    doc_key = document_record(ctx, source, key, doc, person.person_id)
    ctx.book[book_key] = (key, doc_key)
    return key, doc_key


def document_record(ctx: Context, source: str, person_key: str | None, doc: Document, used_by: str) -> str:
    key = new_key(ctx, source, "documents")
    row = {
        "source_key": key,
        "person_key": person_key,
        "document_type": doc.document_type,
        "number": doc.number,
        "issuing_state": doc.issuing_state,
        "issue_date": doc.issue_date.isoformat(),
        "expiry_date": doc.expiry_date.isoformat(),
        "mrz": doc.mrz,
    }
    ctx.sink.record(source, "documents", row)
    _truth(ctx, source, "documents", key, used_by, doc.document_id)
    return key


def reported_person(
    ctx: Context, source: str, person: Person, *, with_birth_date: bool = True, aliases: bool = False
) -> str:
    """A person record in a non-document source (consulate, police, phone operator, money transfers)."""
    book_key = (source, person.person_id, "")
    if book_key in ctx.book:
        return ctx.book[book_key][0]
    key = new_key(ctx, source, "persons")
    name = person.aliases[0] if aliases and person.aliases and ctx.chance(0.5) else person.name
    given, surname = reported_name(ctx, name)
    row: dict[str, Any] = {
        "source_key": key,
        "given_names": given,
        "surname": surname,
        "aliases": _alias_text(person.aliases) if aliases else None,
        "transliterations": [person.name.native_full] if person.name.native_full and ctx.chance(0.3) else None,
        "birth_date": _birth_date(ctx, person) if with_birth_date else None,
        "sex": person.sex,
        "nationalities": person.nationality,
        "sensitivity": _sensitivity(ctx, person),
    }
    ctx.sink.record(source, "persons", row)
    _truth(ctx, source, "persons", key, person.person_id)
    ctx.book[book_key] = (key, "")
    return key


def organisation(ctx: Context, source: str, org_id: str, name: str, kind: str, country: str) -> str:
    """An organisation record (same organisation -> one record per source per unit)."""
    book_key = (source, org_id, "org")
    if book_key in ctx.book:
        return ctx.book[book_key][0]
    key = new_key(ctx, source, "organisations")
    ctx.sink.record(source, "organisations", {"source_key": key, "name": name, "organisation_kind": kind,
                                              "country": country})  # fmt: skip
    ctx.sink.truth("records", {"source": source, "kind": "organisations", "source_key": key,
                               "organisation_id": org_id})  # fmt: skip
    ctx.book[book_key] = (key, "")
    return key


def relationship(ctx: Context, source: str, kind: str, subject: str, obj: str, object_type: str = "person") -> None:
    key = new_key(ctx, source, "relationships")
    row = {"source_key": key, "relationship_kind": kind, "subject_key": subject, "object_key": obj,
           "object_type": object_type}  # fmt: skip
    ctx.sink.record(source, "relationships", row)
