"""Edges read from the store's records: one per record and tie, carrying the record's handling.

A travel event ties its traveller to the booking, the travel group, the payer (the payer's account where one is
given, else the payer's name), the contact phone, the destination address and the vehicle it names; a contact or an
address ties its owner to the phone, e-mail, handle or place; a relationship ties its subject to its object (the
relationship's kind is the edge's kind); a payment ties payer to payee (a person or organisation record where the
source named one, else the account, else the name). Node keys are ``<kind>:<value>`` (``person:17``,
``phone:+393471234567``, ``address:via roma 12 90100 palermo``); person records stay person records here
(``palermo.network.graph`` puts them into their identities).

An edge is ``special`` when its record is special category, or when a person record or organisation at either end
is: an actor who may not see that record must not see the tie either.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any, NamedTuple

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from palermo.db.entities import Address, Contact, Organisation, Relationship, Transaction
from palermo.db.persons import PersonRecord
from palermo.db.travel import TravelEvent

#: edge kinds that are not relationship kinds (those come from the ``relationship_kinds`` taxonomy)
TRAVEL_TIES = {
    "booking_ref": "booking",
    "group_ref": "travel_group",
    "contact_phone": "phone",
    "destination_address": "address",
    "vehicle_registration": "vehicle",
}
PAYER = "payer"
PAYMENT = "payment"
READ_BATCH = 20_000


class EdgeRow(NamedTuple):
    kind: str
    source_key: str
    target_key: str
    record_table: str
    record_id: int
    sensitivity: str
    handling: str
    distribution: str
    sharing_group: str | None
    originator: str
    occurred_at: dt.datetime | None


def normalised_text(value: str) -> str:
    """Case-folded, punctuation as spaces, spaces collapsed: the form addresses are matched in (as ingest does)."""
    return " ".join("".join(ch if ch.isalnum() else " " for ch in value.casefold()).split())[:380]


def person_key(person_id: int) -> str:
    return f"person:{person_id}"


def organisation_key(organisation_id: int) -> str:
    return f"organisation:{organisation_id}"


def _thing_key(kind: str, value: str) -> str:
    if kind == "address":
        return f"address:{normalised_text(value)}"
    if kind in {"vehicle", "booking", "travel_group"}:
        return f"{kind}:{''.join(value.split()).upper()[:380]}"
    return f"{kind}:{value.strip()[:380]}"


class Specials(NamedTuple):
    """Special-category person records and organisations: ties to them are special too."""

    persons: frozenset[int]
    organisations: frozenset[int]

    @classmethod
    def read(cls, session: Session) -> Specials:
        persons = session.scalars(select(PersonRecord.id).where(PersonRecord.sensitivity == "special"))
        organisations = session.scalars(select(Organisation.id).where(Organisation.sensitivity == "special"))
        return cls(frozenset(persons), frozenset(organisations))

    def of(self, row: Any, *people: int | None, organisations: tuple[int | None, ...] = ()) -> str:
        if row.sensitivity == "special" or any(p in self.persons for p in people if p is not None):
            return "special"
        return "special" if any(o in self.organisations for o in organisations if o is not None) else "ordinary"


def _rows(session: Session, query: Select[Any], since: dt.datetime | None, updated: Any) -> Iterator[Any]:
    if since is not None:
        query = query.where(updated >= since)
    yield from session.connection().execute(query.execution_options(yield_per=READ_BATCH))


def _edge(kind: str, a: str, b: str, table: str, row: Any, sensitivity: str, when: dt.datetime | None) -> EdgeRow:
    return EdgeRow(
        kind, a, b, table, row.id, sensitivity, row.handling, row.distribution, row.sharing_group, row.originator, when
    )


_HANDLING = ("id", "sensitivity", "handling", "distribution", "sharing_group", "originator")


def _columns(table: Any, *names: str) -> list[Any]:
    return [getattr(table, n) for n in (*_HANDLING, *names)]


def travel_edges(session: Session, specials: Specials, since: dt.datetime | None = None) -> Iterator[EdgeRow]:
    columns = _columns(TravelEvent, "person_id", "occurred_at", "payer_name", "payer_reference", *TRAVEL_TIES)
    for row in _rows(session, select(*columns), since, TravelEvent.updated_at):
        person = person_key(row.person_id)
        sensitivity = specials.of(row, row.person_id)
        for column, kind in TRAVEL_TIES.items():
            value = getattr(row, column)
            if value and value.strip():
                yield _edge(kind, person, _thing_key(kind, value), "travel_events", row, sensitivity, row.occurred_at)
        payer = _payer_key(row.payer_reference, row.payer_name)
        if payer:
            yield _edge(PAYER, person, payer, "travel_events", row, sensitivity, row.occurred_at)


def _payer_key(account: str | None, name: str | None) -> str | None:
    if account and account.strip():
        return _thing_key("account", account)
    if name and normalised_text(name):
        return f"payer:{normalised_text(name)}"
    return None


def _owner(person_id: int | None, organisation_id: int | None) -> str | None:
    if person_id is not None:
        return person_key(person_id)
    return organisation_key(organisation_id) if organisation_id is not None else None


def contact_edges(session: Session, specials: Specials, since: dt.datetime | None = None) -> Iterator[EdgeRow]:
    columns = _columns(Contact, "person_id", "organisation_id", "kind", "value")
    for row in _rows(session, select(*columns), since, Contact.updated_at):
        owner = _owner(row.person_id, row.organisation_id)
        if owner and row.value.strip():
            sensitivity = specials.of(row, row.person_id, organisations=(row.organisation_id,))
            yield _edge(row.kind, owner, _thing_key(row.kind, row.value), "contacts", row, sensitivity, None)


def address_edges(session: Session, specials: Specials, since: dt.datetime | None = None) -> Iterator[EdgeRow]:
    columns = _columns(Address, "person_id", "organisation_id", "full")
    for row in _rows(session, select(*columns), since, Address.updated_at):
        owner = _owner(row.person_id, row.organisation_id)
        if owner and normalised_text(row.full):
            sensitivity = specials.of(row, row.person_id, organisations=(row.organisation_id,))
            yield _edge("address", owner, _thing_key("address", row.full), "addresses", row, sensitivity, None)


def relationship_edges(session: Session, specials: Specials, since: dt.datetime | None = None) -> Iterator[EdgeRow]:
    columns = _columns(
        Relationship,
        "kind",
        "subject_person_id",
        "subject_organisation_id",
        "object_person_id",
        "object_organisation_id",
    )
    for row in _rows(session, select(*columns), since, Relationship.updated_at):
        subject = _owner(row.subject_person_id, row.subject_organisation_id)
        target = _owner(row.object_person_id, row.object_organisation_id)
        if subject and target and subject != target:
            sensitivity = specials.of(
                row,
                row.subject_person_id,
                row.object_person_id,
                organisations=(row.subject_organisation_id, row.object_organisation_id),
            )
            yield _edge(row.kind, subject, target, "relationships", row, sensitivity, None)


def _party(person_id: int | None, organisation_id: int | None, account: str | None, name: str | None) -> str | None:
    return _owner(person_id, organisation_id) or _payer_key(account, name)


def transaction_edges(session: Session, specials: Specials, since: dt.datetime | None = None) -> Iterator[EdgeRow]:
    parties = ("person_id", "organisation_id", "account", "name")
    columns = _columns(Transaction, "occurred_at", *(f"payer_{p}" for p in parties), *(f"payee_{p}" for p in parties))
    for row in _rows(session, select(*columns), since, Transaction.updated_at):
        payer = _party(row.payer_person_id, row.payer_organisation_id, row.payer_account, row.payer_name)
        payee = _party(row.payee_person_id, row.payee_organisation_id, row.payee_account, row.payee_name)
        if payer and payee and payer != payee:
            sensitivity = specials.of(
                row,
                row.payer_person_id,
                row.payee_person_id,
                organisations=(row.payer_organisation_id, row.payee_organisation_id),
            )
            yield _edge(PAYMENT, payer, payee, "transactions", row, sensitivity, row.occurred_at)


EDGE_READERS = (travel_edges, contact_edges, address_edges, relationship_edges, transaction_edges)
#: the record tables edges are read from, for the incremental build's clean-up
RECORD_TABLES = ("travel_events", "contacts", "addresses", "relationships", "transactions")


def record_edges(session: Session, since: dt.datetime | None = None) -> Iterator[EdgeRow]:
    """Every edge of every record (written since ``since``, when given)."""
    specials = Specials.read(session)
    for reader in EDGE_READERS:
        yield from reader(session, specials, since)


def changed_records(session: Session, since: dt.datetime) -> dict[str, list[int]]:
    """The ids of the records of each edge table written since ``since`` (their old edges are replaced)."""
    tables: dict[str, type[TravelEvent | Contact | Address | Relationship | Transaction]] = {
        "travel_events": TravelEvent,
        "contacts": Contact,
        "addresses": Address,
        "relationships": Relationship,
        "transactions": Transaction,
    }
    return {
        name: list(session.scalars(select(model.id).where(model.updated_at >= since))) for name, model in tables.items()
    }
