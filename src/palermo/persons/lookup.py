"""Read one person record, or search person records by name: personal data, so every call is guarded.

Special-category records (victims, minors) are visible only to actors who also hold ``victims.read``.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from palermo.audit.access_log import note_results
from palermo.auth.access import guard
from palermo.auth.actor import Actor
from palermo.errors import InvalidInput, NotFound
from palermo.persons.search import MIN_SEARCH_CHARACTERS, PersonFilters, checked_name, find_records
from palermo.persons.views import (
    SPECIAL_CATEGORY_PERMISSION,
    NameView,
    PersonView,
    may_see_special,
    person_view,
    records,
    records_of,
    views_of,
)

__all__ = [
    "MIN_SEARCH_CHARACTERS",
    "SPECIAL_CATEGORY_PERMISSION",
    "NameView",
    "PersonView",
    "get_person",
    "may_see_special",
    "person_view",
    "search_persons",
]

MAX_RESULTS = 200


def get_person(session: Session, actor: Actor, person_id: int) -> PersonView:
    """The person record ``person_id``; :class:`NotFound` also when it is special-category and not for this actor."""
    guard(session, actor, "persons.read", subject=f"person_records:{person_id}")
    found = views_of(session, records_of(actor).where(records.c.id == person_id))
    if not found:
        raise NotFound(f"no person record with id {person_id}")
    return found[0]


def search_persons(
    session: Session, actor: Actor, name: str, *, limit: int = 50, filters: PersonFilters | None = None
) -> list[PersonView]:
    """Person records whose names match ``name`` through the name engine, best first, at most ``limit``
    (``palermo.persons.search``: accents folded, any script, name variants, words begun)."""
    needle = checked_name(name)
    if not 1 <= limit <= MAX_RESULTS:
        raise InvalidInput(f"limit must be 1 to {MAX_RESULTS}", field="limit")
    access = guard(session, actor, "persons.search", subject=f"name~{needle.lower()}")
    found = [hit.person for hit in find_records(session, actor, needle, filters or PersonFilters())[:limit]]
    note_results(session, access, len(found))
    return found
