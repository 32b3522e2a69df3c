"""Person records: personal data, so every call needs ``X-Palermo-Justification`` and is recorded."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Response
from pydantic import TypeAdapter

from palermo.api.answers import json_answer
from palermo.api.deps import API_PREFIX, MAX_ROW_ID, ActorDep, SessionDep, committed, permitted
from palermo.persons import lookup
from palermo.persons.lookup import PersonView

router = APIRouter(prefix=f"{API_PREFIX}/persons", tags=["persons"])


_PERSON_LIST = TypeAdapter(list[PersonView])


@router.get("", response_model=list[PersonView], **permitted("persons.search"))
def search_persons(
    session: SessionDep,
    actor: ActorDep,
    name: Annotated[
        str,
        Query(min_length=lookup.MIN_SEARCH_CHARACTERS, max_length=200, description="Substring of any name, any case."),
    ],
    limit: Annotated[int, Query(ge=1, le=lookup.MAX_RESULTS)] = 50,
) -> Response:
    """Person records with a name containing NAME. Needs a justification."""
    return committed(session, json_answer(lookup.search_persons(session, actor, name, limit=limit), _PERSON_LIST))


@router.get("/{person_id}", **permitted("persons.read"))
def get_person(
    person_id: Annotated[int, Path(ge=1, le=MAX_ROW_ID)], session: SessionDep, actor: ActorDep
) -> PersonView:
    """One person record with names, nationalities, provenance and handling. Needs a justification."""
    return lookup.get_person(session, actor, person_id)
