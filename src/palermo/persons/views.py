"""Person records as pages and answers show them: one record with its names, nationalities and provenance.

Read as plain rows (three statements, no ORM objects), and special-category records (victims, minors) only for
actors who also hold ``victims.read``.
"""

from __future__ import annotations

from typing import Any, cast

from pydantic import BaseModel, ConfigDict
from sqlalchemy import Select, Table, select
from sqlalchemy.orm import Session

from palermo.auth.actor import Actor
from palermo.auth.permissions import effective_permissions
from palermo.db.base import PROVENANCE_COLUMNS
from palermo.db.persons import PersonName, PersonNationality, PersonRecord
from palermo.db.reference import Source

SPECIAL_CATEGORY_PERMISSION = "victims.read"


class NameView(BaseModel):
    model_config = ConfigDict(frozen=True)

    kind: str
    full_name: str
    given_names: str | None
    surname: str | None
    script: str | None


class PersonView(BaseModel):
    """One person record with its names, nationalities and every provenance and handling field (the API's answer
    too)."""

    model_config = ConfigDict(frozen=True)

    id: int
    source: str
    birth_date: str | None
    birth_place: str | None
    sex: str | None
    names: tuple[NameView, ...]
    nationalities: tuple[str, ...]
    provenance: dict[str, Any]


def _name_view(name: Any) -> NameView:
    """A name from a mapped ``PersonName`` or a row of its table."""
    return NameView(
        kind=name.kind, full_name=name.full_name, given_names=name.given_names, surname=name.surname, script=name.script
    )


def person_view(record: PersonRecord, source_name: str) -> PersonView:
    """The view of a loaded record (names and nationalities loaded) from ``source_name``."""
    return PersonView(
        id=record.id,
        source=source_name,
        birth_date=record.birth_date,
        birth_place=record.birth_place,
        sex=record.sex,
        names=tuple(_name_view(n) for n in record.names),
        nationalities=tuple(n.country for n in record.nationalities),
        provenance={column: getattr(record, column) for column in PROVENANCE_COLUMNS},
    )


records = cast(Table, PersonRecord.__table__)
_names = cast(Table, PersonName.__table__)
_nationalities = cast(Table, PersonNationality.__table__)
_RECORD_COLUMNS = (
    records.c.id,
    records.c.birth_date,
    records.c.birth_place,
    records.c.sex,
    *(records.c[column] for column in PROVENANCE_COLUMNS),
)


def views_of(session: Session, records: Select[Any]) -> list[PersonView]:
    """The views of the records ``records`` selects (their columns and source name), read as plain rows.

    Three statements (records, their names, their nationalities) and no ORM objects: a search answers up to
    a page of records, and loading them as mapped objects cost most of the request.
    """
    rows = session.execute(records).all()
    ids = [row.id for row in rows]
    names: dict[int, list[NameView]] = {}
    nationalities: dict[int, list[str]] = {}
    if ids:
        name_rows = session.execute(
            select(_names).where(_names.c.person_id.in_(ids)).order_by(_names.c.person_id, _names.c.position)
        )
        for n in name_rows:
            names.setdefault(n.person_id, []).append(_name_view(n))
        country_rows = session.execute(
            select(_nationalities.c.person_id, _nationalities.c.country)
            .where(_nationalities.c.person_id.in_(ids))
            .order_by(_nationalities.c.person_id, _nationalities.c.position)
        )
        for person_id, country in country_rows:
            nationalities.setdefault(person_id, []).append(country)
    return [
        PersonView(
            id=row.id,
            source=row.source_name,
            birth_date=row.birth_date,
            birth_place=row.birth_place,
            sex=row.sex,
            names=tuple(names.get(row.id, ())),
            nationalities=tuple(nationalities.get(row.id, ())),
            provenance={column: row._mapping[column] for column in PROVENANCE_COLUMNS},
        )
        for row in rows
    ]


def may_see_special(actor: Actor) -> bool:
    """Whether ``actor`` may see special-category records (victims, minors)."""
    return SPECIAL_CATEGORY_PERMISSION in effective_permissions(actor)


def records_of(actor: Actor) -> Select[Any]:
    """Records with their source's name, as :func:`views_of` reads them; special-category ones only if ``actor`` may."""
    query = select(*_RECORD_COLUMNS, Source.name.label("source_name")).join(Source, Source.id == records.c.source_id)
    return query if may_see_special(actor) else query.where(records.c.sensitivity == "ordinary")
