"""Person records read from the store with everything resolution compares: names, nationalities, documents,
phones and addresses, as :class:`~palermo.resolution.features.RawPerson` values."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from palermo.db.entities import Address, Contact
from palermo.db.persons import IdentityDocument, PersonName, PersonNationality, PersonRecord
from palermo.db.reference import Source
from palermo.resolution.features import IssuedDocument, RawName, RawPerson

_CHUNK = 900  # ids per IN (...) list: below SQLite's bound-parameter limit


def _restricted(query: Any, column: Any, ids: Sequence[int] | None) -> list[Any]:
    if ids is None:
        return [query]
    return [query.where(column.in_(ids[i : i + _CHUNK])) for i in range(0, len(ids), _CHUNK)]


def _rows(session: Session, query: Any, column: Any, ids: Sequence[int] | None) -> Iterable[Any]:
    for part in _restricted(query, column, ids):
        yield from session.execute(part.execution_options(yield_per=10_000))


def _grouped(session: Session, query: Any, column: Any, ids: Sequence[int] | None) -> dict[int, list[Any]]:
    grouped: dict[int, list[Any]] = {}
    for row in _rows(session, query, column, ids):
        grouped.setdefault(row[0], []).append(row[1:])
    return grouped


def load_persons(session: Session, ids: Sequence[int] | None = None) -> list[RawPerson]:
    """Every person record (or those with ``ids``), ordered by id, with its comparable attributes."""
    names = _grouped(
        session,
        select(PersonName.person_id, PersonName.full_name, PersonName.given_names, PersonName.surname).order_by(
            PersonName.person_id, PersonName.position
        ),
        PersonName.person_id,
        ids,
    )
    nationalities = _grouped(
        session,
        select(PersonNationality.person_id, PersonNationality.country).order_by(
            PersonNationality.person_id, PersonNationality.position
        ),
        PersonNationality.person_id,
        ids,
    )
    documents = _grouped(
        session,
        select(
            IdentityDocument.person_id,
            IdentityDocument.number_normalised,
            IdentityDocument.issuing_state,
            IdentityDocument.document_type,
        ).where(IdentityDocument.person_id.is_not(None)),
        IdentityDocument.person_id,
        ids,
    )
    phones = _grouped(
        session,
        select(Contact.person_id, Contact.value).where(Contact.kind == "phone", Contact.person_id.is_not(None)),
        Contact.person_id,
        ids,
    )
    addresses = _grouped(
        session,
        select(Address.person_id, Address.normalised, Address.postcode, Address.city)
        .where(Address.person_id.is_not(None))
        .order_by(Address.person_id, Address.id),
        Address.person_id,
        ids,
    )
    records = select(PersonRecord.id, Source.name, PersonRecord.birth_date, PersonRecord.sex).join(
        Source, Source.id == PersonRecord.source_id
    )
    persons = []
    for rid, source, birth_date, sex in _rows(session, records.order_by(PersonRecord.id), PersonRecord.id, ids):
        address = (addresses.get(rid) or [(None, None, None)])[0]
        persons.append(
            RawPerson(
                record_id=rid,
                source=source,
                names=[RawName(*n) for n in names.get(rid, [])],
                birth_date=birth_date,
                sex=sex,
                nationalities=[n[0] for n in nationalities.get(rid, [])],
                documents=[d[0] for d in documents.get(rid, [])],
                issued=[IssuedDocument(d[1], d[2], d[0]) for d in documents.get(rid, [])],
                phones=[p[0] for p in phones.get(rid, [])],
                address=address[0],
                postcode=address[1],
                city=address[2],
            )
        )
    return persons
