"""Person search through the name engine: search keys select candidates, the engine scores and explains them.

1. The query is prepared by ``palermo.names`` (accents folded, any script transliterated, particles known) with its
   fused-particle variant (``Ben Ali`` -> ``Benali``). Each word of two letters or more looks up the search keys
   of ``palermo.persons.name_keys`` (its folded key as a prefix, its phonetic code, skeleton and equivalent-name
   symbols): a record is a candidate when every word selects it. This is a few index lookups, never a scan.
2. Filters (birth year, nationality, source) and the special-category rule narrow the candidates in SQL.
3. Each candidate's names are scored against the query with ``palermo.names.score_prepared``; a record is found
   when its best name reaches ``name_threshold`` or when every word typed begins a word of one of its names
   (``kowal`` finds ``Kowalska``). Found records rank by that score.
4. Records that entity resolution put in one identity are one result row, with every source that reported it.

Every call is guarded (``persons.search``: a justification is required) and the number found is recorded.
"""

from __future__ import annotations

import math
from functools import lru_cache
from typing import Any

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import Select, and_, func, intersect, or_, select, union
from sqlalchemy.orm import Session

from palermo.audit.access_log import note_results
from palermo.auth.access import guard
from palermo.auth.actor import Actor
from palermo.db.identities import Identity, IdentityMember
from palermo.db.persons import PersonNameKey, PersonNationality
from palermo.db.reference import Source
from palermo.errors import InvalidInput
from palermo.names import score_prepared
from palermo.names.tokens import PreparedName
from palermo.persons.name_keys import WordLookup, prefix_end, prepared_names, query_lookups
from palermo.persons.parameters import search_parameters
from palermo.persons.views import PersonView, records, records_of, views_of

MIN_SEARCH_CHARACTERS = 2  # a name search needs this many characters (core, API and page all read it)
_keys = PersonNameKey.__table__


class PersonFilters(BaseModel):
    """What a search may be narrowed by, besides the name."""

    model_config = ConfigDict(frozen=True)

    birth_year: int | None = Field(default=None, ge=1800, le=2200, description="year of birth as reported")
    nationality: str | None = Field(default=None, pattern=r"^[A-Z]{3}$", description="ISO 3166 alpha-3 or ICAO code")
    source: str | None = Field(default=None, max_length=200, description="the reporting source's name")


class RecordHit(BaseModel):
    """One found record, with the name that matched and why."""

    model_config = ConfigDict(frozen=True)

    person: PersonView
    score: float
    matched_name: str
    reason: str


class ResultRow(BaseModel):
    """One row of results: an identity (several records, each from its source) or a record not yet resolved."""

    model_config = ConfigDict(frozen=True)

    identity_id: int | None
    hits: tuple[RecordHit, ...]

    @property
    def score(self) -> float:
        return max(hit.score for hit in self.hits)


class SearchPage(BaseModel):
    """One page of result rows, with the true totals (nothing is cut off silently)."""

    model_config = ConfigDict(frozen=True)

    name: str
    filters: PersonFilters
    page: int
    page_size: int
    total_rows: int
    total_records: int
    rows: tuple[ResultRow, ...]

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total_rows / self.page_size))

    @property
    def first(self) -> int:
        return (self.page - 1) * self.page_size + 1 if self.rows else 0

    @property
    def last(self) -> int:
        return self.first + len(self.rows) - 1 if self.rows else 0


def checked_name(name: str) -> str:
    """The name to search for, stripped; :class:`InvalidInput` (field ``name``) when it cannot be searched."""
    needle = name.strip()
    if "\x00" in needle:
        raise InvalidInput("a name search cannot contain NUL characters", field="name")
    if len(needle) < MIN_SEARCH_CHARACTERS:
        raise InvalidInput(f"a name search needs at least {MIN_SEARCH_CHARACTERS} characters", field="name")
    return needle


@lru_cache(maxsize=50_000)
def _stored(full_name: str) -> tuple[PreparedName, ...]:
    """A stored name prepared, with its variant (names repeat across searches: each is prepared once)."""
    return tuple(prepared_names([full_name]))


def _word_keys(word: WordLookup) -> Select[Any]:
    prefix = and_(_keys.c.key >= word.prefix, _keys.c.key < prefix_end(word.prefix))  # one range of the index
    matches = or_(prefix, _keys.c.key.in_(sorted(word.exact))) if word.exact else prefix
    return select(_keys.c.person_id).where(matches)


def _candidates(queries: list[PreparedName]) -> Select[Any]:
    """Records every word of one form of the query selects (an INTERSECT per form, a UNION of the forms; each
    compound wrapped in a subquery, as SQLite nests no compound selects)."""
    forms: list[Select[Any]] = []
    for query in queries:
        words = query_lookups(query)
        if len(words) == 1:
            forms.append(_word_keys(words[0]))
        elif words:
            both = intersect(*(_word_keys(w) for w in words)).subquery()
            forms.append(select(both.c.person_id))
    if not forms:
        raise InvalidInput("type a word of two letters or more (initials alone cannot be searched)", field="name")
    if len(forms) == 1:
        return forms[0]
    either = union(*forms).subquery()
    return select(either.c.person_id)


def _filtered(actor: Actor, filters: PersonFilters) -> Select[Any]:
    query = records_of(actor)
    if filters.birth_year is not None:
        query = query.where(func.substr(records.c.birth_date, 1, 4) == f"{filters.birth_year:04d}")
    if filters.nationality:
        held = select(PersonNationality.person_id).where(PersonNationality.country == filters.nationality)
        query = query.where(records.c.id.in_(held))
    if filters.source:
        query = query.where(func.lower(Source.name) == filters.source.strip().lower())
    return query


def _begins(query: PreparedName, name: PreparedName) -> bool:
    """Every word of ``query`` begins a word of ``name`` (folded and transliterated keys)."""
    keys = [t.key for t in name.tokens]
    return all(any(key.startswith(t.key) for key in keys) for t in query.tokens)


def _hit(person: PersonView, queries: list[PreparedName], threshold: float) -> RecordHit | None:
    best: tuple[float, str] = (-1.0, "")
    begun = ""
    for view in person.names:
        for stored in _stored(view.full_name):
            for query in queries:
                score = score_prepared(query, stored)
                if score > best[0]:
                    best = (score, view.full_name)
                if not begun and _begins(query, stored):
                    begun = view.full_name
    score, matched = best
    if score >= threshold:
        return RecordHit(person=person, score=score, matched_name=matched, reason=f"name score {score:.2f}")
    if begun:
        return RecordHit(
            person=person, score=max(score, 0.0), matched_name=begun, reason="each word begins a word of the name"
        )
    return None


def find_records(session: Session, actor: Actor, name: str, filters: PersonFilters) -> list[RecordHit]:
    """Every record of ``name`` the actor may see, best first (no guard: callers guard and record)."""
    parameters = search_parameters()
    queries = prepared_names([checked_name(name)])
    if not queries:
        raise InvalidInput(f"name {name!r} has no letters or digits to search for", field="name")
    selected = _filtered(actor, filters).where(records.c.id.in_(_candidates(queries)))
    count = session.execute(select(func.count()).select_from(selected.subquery())).scalar_one()
    if count > parameters.max_candidates:
        raise InvalidInput(
            f"more than {parameters.max_candidates} records could match {name.strip()!r}: "
            "add a word of the name, a birth year, a nationality or a source",
            field="name",
        )
    hits = [hit for person in views_of(session, selected) if (hit := _hit(person, queries, parameters.name_threshold))]
    hits.sort(key=lambda hit: (-hit.score, hit.person.id))
    return hits


def _identities(session: Session, person_ids: list[int]) -> dict[int, int]:
    """The live identity of each record that has one."""
    found: dict[int, int] = {}
    for start in range(0, len(person_ids), 1000):
        chunk = person_ids[start : start + 1000]
        rows = session.execute(
            select(IdentityMember.person_id, IdentityMember.identity_id)
            .join(Identity, Identity.id == IdentityMember.identity_id)
            .where(IdentityMember.person_id.in_(chunk), Identity.retired_at.is_(None))
        )
        found.update((person_id, identity_id) for person_id, identity_id in rows)
    return found


def result_rows(session: Session, hits: list[RecordHit]) -> list[ResultRow]:
    """Hits grouped by identity, in the order of each row's best hit."""
    identity_of = _identities(session, [hit.person.id for hit in hits])
    grouped: dict[tuple[str, int], list[RecordHit]] = {}
    for hit in hits:
        identity = identity_of.get(hit.person.id)
        key = ("identity", identity) if identity is not None else ("record", hit.person.id)
        grouped.setdefault(key, []).append(hit)
    return [
        ResultRow(identity_id=key[1] if key[0] == "identity" else None, hits=tuple(group))
        for key, group in grouped.items()
    ]


def search_page(
    session: Session, actor: Actor, name: str, filters: PersonFilters | None = None, *, page: int = 1
) -> SearchPage:
    """Page ``page`` of the result rows for ``name`` (a page past the last shows the last)."""
    filters = filters or PersonFilters()
    needle = checked_name(name)
    if page < 1:
        raise InvalidInput("page must be 1 or more", field="page")
    access = guard(session, actor, "persons.search", subject=f"name~{needle.lower()}")
    hits = find_records(session, actor, needle, filters)
    note_results(session, access, len(hits))
    rows = result_rows(session, hits)
    size = search_parameters().page_size
    page = min(page, max(1, math.ceil(len(rows) / size)))
    shown = tuple(rows[(page - 1) * size : page * size])
    return SearchPage(
        name=needle,
        filters=filters,
        page=page,
        page_size=size,
        total_rows=len(rows),
        total_records=len(hits),
        rows=shown,
    )
