"""Read one person record, or search person records by name: personal data, so every call is guarded.

Special-category records (victims, minors) are visible only to actors who also hold ``victims.read``.
"""

from __future__ import annotations

from typing import Any, cast

from pydantic import BaseModel, ConfigDict
from sqlalchemy import Select, Table, func, select
from sqlalchemy.orm import Session

from palermo.audit.access_log import note_results
from palermo.auth.access import guard
from palermo.auth.actor import Actor
from palermo.auth.permissions import effective_permissions
from palermo.db.base import PROVENANCE_COLUMNS
from palermo.db.persons import PersonName, PersonNationality, PersonRecord
from palermo.db.reference import Source
from palermo.errors import InvalidInput, NotFound

SPECIAL_CATEGORY_PERMISSION = "victims.read"
MAX_RESULTS = 200
MIN_SEARCH_CHARACTERS = 2  # a name search needs this many characters (core, API and page all read it)


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


_records = cast(Table, PersonRecord.__table__)
_names = cast(Table, PersonName.__table__)
_nationalities = cast(Table, PersonNationality.__table__)
_RECORD_COLUMNS = (
    _records.c.id,
    _records.c.birth_date,
    _records.c.birth_place,
    _records.c.sex,
    *(_records.c[column] for column in PROVENANCE_COLUMNS),
)


def _views(session: Session, records: Select[Any]) -> list[PersonView]:
    """The views of the records ``records`` selects (their columns and source name), read as plain rows.

    Three statements (records, their names, their nationalities) and no ORM objects: a search answers up to
    :data:`MAX_RESULTS` records, and loading them as mapped objects cost most of the request.
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


def _records_of(actor: Actor) -> Select[Any]:
    """Records with their source's name, as :func:`_views` reads them; special-category ones only if ``actor`` may."""
    query = select(*_RECORD_COLUMNS, Source.name.label("source_name")).join(Source, Source.id == _records.c.source_id)
    return query if may_see_special(actor) else query.where(_records.c.sensitivity == "ordinary")


def get_person(session: Session, actor: Actor, person_id: int) -> PersonView:
    """The person record ``person_id``; :class:`NotFound` also when it is special-category and not for this actor."""
    guard(session, actor, "persons.read", subject=f"person_records:{person_id}")
    found = _views(session, _records_of(actor).where(_records.c.id == person_id))
    if not found:
        raise NotFound(f"no person record with id {person_id}")
    return found[0]


def search_persons(session: Session, actor: Actor, name: str, *, limit: int = 50) -> list[PersonView]:
    """Person records with a name containing ``name`` (case-insensitive), at most ``limit``."""
    needle = name.strip().lower()
    if "\x00" in needle:
        raise InvalidInput("a name search cannot contain NUL characters", field="name")
    if len(needle) < MIN_SEARCH_CHARACTERS:
        raise InvalidInput(f"a name search needs at least {MIN_SEARCH_CHARACTERS} characters", field="name")
    if not 1 <= limit <= MAX_RESULTS:
        raise InvalidInput(f"limit must be 1 to {MAX_RESULTS}", field="limit")
    access = guard(session, actor, "persons.search", subject=f"name~{needle}")
    matching = select(_names.c.person_id).where(func.lower(_names.c.full_name).contains(needle, autoescape=True))
    found = _views(session, _records_of(actor).where(_records.c.id.in_(matching)).order_by(_records.c.id).limit(limit))
    note_results(session, access, len(found))
    return found
