"""How each kind of row becomes table values: columns, child rows, and references to resolve.

References name other records by their key in the same source (``person_key``) or by a code (``border_point``);
the upsert resolves them in bulk, per batch, and rejects a row whose reference points at nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Table

from palermo.db import tables as t
from palermo.db.persons import normalise_document_number
from palermo.ingest import formats as f
from palermo.names.scripts import detect_script
from palermo.persons.name_keys import name_keys


def _table(model: str) -> Table:
    table = getattr(t, model).__table__
    assert isinstance(table, Table)
    return table


@dataclass(frozen=True)
class Ref:
    """A reference to resolve: ``column`` gets the id of the row of ``table`` whose ``by`` column equals ``key``.

    Plain strings only, so that prepared rows cross process boundaries cheaply.
    """

    column: str
    table: str
    key: str
    field: str
    by: str = "source_key"
    same_source: bool = True


@dataclass
class Built:
    values: dict[str, Any]
    refs: list[Ref] = field(default_factory=list)
    children: dict[str, list[dict[str, Any]]] = field(default_factory=dict)


def _name(kind: str, full: str, given: str | None = None, surname: str | None = None) -> dict[str, Any]:
    return {
        "kind": kind,
        "script": detect_script(full),
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
    names = _person_names(row)
    return Built(
        values={
            "birth_date": row.birth_date,
            "birth_date_precision": precision,
            "birth_place": row.birth_place,
            "sex": row.sex,
            "notes": row.notes,
        },
        children={
            "person_names": names,
            "person_nationalities": [
                {"country": c, "position": i} for i, c in enumerate(dict.fromkeys(row.nationalities))
            ],
            # person search's keys (palermo.persons.name_keys), replaced with the names when a record changes
            "person_name_keys": [{"key": key} for key in name_keys(n["full_name"] for n in names)],
        },
    )


def document(row: f.DocumentRow) -> Built:
    refs = [] if row.person_key is None else [Ref("person_id", "person_records", row.person_key, "person_key")]
    return Built(
        values={
            "document_type": row.document_type,
            "number": row.number,
            "number_normalised": normalise_document_number(row.number),
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


_TRAVEL_COLUMNS = (
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
)
_TRANSACTION_COLUMNS = (
    "occurred_at",
    "amount",
    "currency",
    "channel",
    "payer_name",
    "payee_name",
    "payer_account",
    "payee_account",
    "reference",
)


def travel_event(row: f.TravelEventRow) -> Built:
    refs = [
        Ref("person_id", "person_records", row.person_key, "person_key"),
        Ref("border_point_id", "border_points", row.border_point, "border_point", "code", False),
    ]
    if row.document_key is not None:
        refs.append(Ref("document_id", "identity_documents", row.document_key, "document_key"))
    return Built(values={name: getattr(row, name) for name in _TRAVEL_COLUMNS}, refs=refs)


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
        return [Ref("person_id", "person_records", row.person_key, "person_key")]
    if row.organisation_key is not None:
        return [Ref("organisation_id", "organisations", row.organisation_key, "organisation_key")]
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
    table = "person_records" if kind == "person" else "organisations"
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
    return Built(
        values={name: getattr(row, name) for name in _TRANSACTION_COLUMNS},
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
        (_table("PersonName"), _table("PersonNationality"), _table("PersonNameKey")),
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
