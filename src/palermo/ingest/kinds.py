"""How each kind of row becomes table values: columns, child rows, and references to resolve.

References name other records by their key in the same source (``person_key``) or by a code (``border_point``);
the upsert resolves them in bulk, per batch, and rejects a row whose reference points at nothing.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Table

from palermo.db import tables as t
from palermo.ingest import formats as f


def _table(model: str) -> Table:
    table = getattr(t, model).__table__
    assert isinstance(table, Table)
    return table


@dataclass(frozen=True)
class Ref:
    """A reference to resolve: ``column`` gets the id of the row of ``table`` whose ``by`` column equals ``key``."""

    column: str
    table: Table
    key: str
    field: str
    by: str = "source_key"
    same_source: bool = True


@dataclass
class Built:
    values: dict[str, Any]
    refs: list[Ref] = field(default_factory=list)
    children: dict[str, list[dict[str, Any]]] = field(default_factory=dict)


_SCRIPT_PREFIXES = {
    "LATIN": "Latn",
    "CYRILLIC": "Cyrl",
    "GREEK": "Grek",
    "ARABIC": "Arab",
    "HEBREW": "Hebr",
    "CJK": "Hani",
    "HIRAGANA": "Hira",
    "KATAKANA": "Kana",
    "HANGUL": "Hang",
    "THAI": "Thai",
    "DEVANAGARI": "Deva",
    "GEORGIAN": "Geor",
    "ARMENIAN": "Armn",
    "ETHIOPIC": "Ethi",
    "BENGALI": "Beng",
    "KHMER": "Khmr",
    "LAO": "Laoo",
    "MYANMAR": "Mymr",
}


def name_script(text: str) -> str | None:
    """ISO 15924 code of the first letter's script (names are rarely mixed-script)."""
    for char in text:
        if char.isalpha():
            first_word = unicodedata.name(char, "").split(" ", 1)[0]
            return _SCRIPT_PREFIXES.get(first_word, "Zyyy")
    return None


def _name(kind: str, full: str, given: str | None = None, surname: str | None = None) -> dict[str, Any]:
    return {
        "kind": kind,
        "script": name_script(full),
        "full_name": full,
        "given_names": given,
        "surname": surname,
    }


def _person_names(row: f.PersonRow) -> list[dict[str, Any]]:
    names: list[dict[str, Any]] = []
    if row.full_name or row.given_names or row.surname:
        full = row.full_name or " ".join(p for p in (row.given_names, row.surname) if p)
        names.append(_name("primary", full, row.given_names, row.surname))
    for name in row.names:
        full = name.full_name or " ".join(p for p in (name.given_names, name.surname) if p)
        entry = _name(name.kind, full, name.given_names, name.surname)
        entry["script"] = name.script or entry["script"]
        names.append(entry)
    names.extend(_name("alias", alias) for alias in row.aliases)
    names.extend(_name("transliteration", text) for text in row.transliterations)
    if row.maiden_name:
        full = " ".join(p for p in (row.given_names, row.maiden_name) if p)
        names.append(_name("maiden", full, row.given_names, row.maiden_name))
    if names and not any(n["kind"] == "primary" for n in names):
        names[0]["kind"] = "primary"
    for position, entry in enumerate(names):
        entry["position"] = position
    return names


def person(row: f.PersonRow) -> Built:
    precision = None if row.birth_date is None else {4: "year", 7: "month", 10: "day"}[len(row.birth_date)]
    return Built(
        values={
            "birth_date": row.birth_date,
            "birth_date_precision": precision,
            "birth_place": row.birth_place,
            "sex": row.sex,
            "notes": row.notes,
        },
        children={
            "person_names": _person_names(row),
            "person_nationalities": [
                {"country": c, "position": i} for i, c in enumerate(dict.fromkeys(row.nationalities))
            ],
        },
    )


def _normalise_number(number: str) -> str:
    return "".join(ch for ch in number.upper() if ch.isalnum())


def document(row: f.DocumentRow) -> Built:
    refs = [] if row.person_key is None else [Ref("person_id", _table("PersonRecord"), row.person_key, "person_key")]
    return Built(
        values={
            "document_type": row.document_type,
            "number": row.number,
            "number_normalised": _normalise_number(row.number),
            "issuing_state": row.issuing_state,
            "issue_date": row.issue_date,
            "expiry_date": row.expiry_date,
            "mrz": None if row.mrz is None else row.mrz.replace("|", "\n"),
        },
        refs=refs,
    )


def border_point(row: f.BorderPointRow) -> Built:
    return Built(
        values={
            "code": row.code,
            "name": row.name,
            "country": row.country,
            "kind": row.point_kind,
            "latitude": row.latitude,
            "longitude": row.longitude,
        }
    )


def travel_event(row: f.TravelEventRow) -> Built:
    refs = [
        Ref("person_id", _table("PersonRecord"), row.person_key, "person_key"),
        Ref("border_point_id", _table("BorderPoint"), row.border_point, "border_point", "code", False),
    ]
    if row.document_key is not None:
        refs.append(Ref("document_id", _table("IdentityDocument"), row.document_key, "document_key"))
    values = row.model_dump(
        include={
            "direction",
            "occurred_at",
            "mode",
            "carrier",
            "service_number",
            "vehicle_registration",
            "origin_country",
            "destination_country",
            "booking_ref",
            "group_ref",
            "payer_name",
            "payer_reference",
            "contact_phone",
            "destination_address",
            "declared_purpose",
        }
    )
    return Built(values=values, refs=refs)


def organisation(row: f.OrganisationRow) -> Built:
    return Built(
        values={
            "name": row.name,
            "kind": row.organisation_kind,
            "country": row.country,
            "registration_number": row.registration_number,
        }
    )


def _owner_refs(row: f.OwnedRow) -> list[Ref]:
    if row.person_key is not None:
        return [Ref("person_id", _table("PersonRecord"), row.person_key, "person_key")]
    if row.organisation_key is not None:
        return [Ref("organisation_id", _table("Organisation"), row.organisation_key, "organisation_key")]
    return []


def contact(row: f.ContactRow) -> Built:
    return Built(values={"kind": row.contact_kind, "value": row.value, "platform": row.platform}, refs=_owner_refs(row))


def address(row: f.AddressRow) -> Built:
    full = row.full or ", ".join(p for p in (row.street, row.postcode, row.city, row.region, row.country) if p)
    normalised = " ".join("".join(ch if ch.isalnum() else " " for ch in full.casefold()).split())
    return Built(
        values={
            "kind": row.address_kind,
            "full": full,
            "normalised": normalised[:500],
            "street": row.street,
            "postcode": row.postcode,
            "city": row.city,
            "region": row.region,
            "country": row.country,
            "latitude": row.latitude,
            "longitude": row.longitude,
        },
        refs=_owner_refs(row),
    )


def _party_ref(role: str, key: str | None, kind: str, field_name: str) -> list[Ref]:
    if key is None:
        return []
    table = _table("PersonRecord") if kind == "person" else _table("Organisation")
    return [Ref(f"{role}_{kind}_id", table, key, field_name)]


def relationship(row: f.RelationshipRow) -> Built:
    return Built(
        values={
            "kind": row.relationship_kind,
            "started_on": row.started_on,
            "ended_on": row.ended_on,
            "note": row.note,
        },
        refs=_party_ref("subject", row.subject_key, row.subject_type, "subject_key")
        + _party_ref("object", row.object_key, row.object_type, "object_key"),
    )


def transaction(row: f.TransactionRow) -> Built:
    values = row.model_dump(
        include={
            "occurred_at",
            "amount",
            "currency",
            "channel",
            "payer_name",
            "payee_name",
            "payer_account",
            "payee_account",
            "reference",
        }
    )
    return Built(
        values=values,
        refs=_party_ref("payer", row.payer_key, row.payer_type, "payer_key")
        + _party_ref("payee", row.payee_key, row.payee_type, "payee_key"),
    )


@dataclass(frozen=True)
class KindSpec:
    model: type[f.RecordRow]
    table: Table
    build: Callable[[Any], Built]
    children: tuple[Table, ...] = ()
    ref_columns: tuple[str, ...] = ()  # always written, NULL when the row has no such reference


_OWNER_COLUMNS = ("person_id", "organisation_id")


def _party_columns(*roles: str) -> tuple[str, ...]:
    return tuple(f"{role}_{kind}_id" for role in roles for kind in ("person", "organisation"))


KINDS: dict[str, KindSpec] = {
    "persons": KindSpec(
        f.PersonRow,
        _table("PersonRecord"),
        person,
        (_table("PersonName"), _table("PersonNationality")),
    ),
    "documents": KindSpec(f.DocumentRow, _table("IdentityDocument"), document, ref_columns=("person_id",)),
    "border_points": KindSpec(f.BorderPointRow, _table("BorderPoint"), border_point),
    "travel_events": KindSpec(f.TravelEventRow, _table("TravelEvent"), travel_event, ref_columns=("document_id",)),
    "organisations": KindSpec(f.OrganisationRow, _table("Organisation"), organisation),
    "contacts": KindSpec(f.ContactRow, _table("Contact"), contact, ref_columns=_OWNER_COLUMNS),
    "addresses": KindSpec(f.AddressRow, _table("Address"), address, ref_columns=_OWNER_COLUMNS),
    "relationships": KindSpec(
        f.RelationshipRow, _table("Relationship"), relationship, ref_columns=_party_columns("subject", "object")
    ),
    "transactions": KindSpec(
        f.TransactionRow, _table("Transaction"), transaction, ref_columns=_party_columns("payer", "payee")
    ),
}
assert set(KINDS) == set(f.FORMATS), "every documented format needs a builder"
