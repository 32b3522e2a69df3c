"""Person records: personal data, so every call needs ``X-Palermo-Justification`` and is recorded."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Response
from pydantic import BaseModel, ConfigDict, TypeAdapter

from palermo.api.answers import json_answer
from palermo.api.deps import API_PREFIX, MAX_ROW_ID, ActorDep, SessionDep, permitted
from palermo.persons import lookup

router = APIRouter(prefix=f"{API_PREFIX}/persons", tags=["persons"])


class NameOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    kind: str
    full_name: str
    given_names: str | None
    surname: str | None
    script: str | None


class PersonOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    source: str
    birth_date: str | None
    birth_place: str | None
    sex: str | None
    names: list[NameOut]
    nationalities: list[str]
    provenance: dict[str, Any]


_PERSON_LIST = TypeAdapter(list[PersonOut])


@router.get("", response_model=list[PersonOut], **permitted("persons.search"))
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
    found = [PersonOut.model_validate(p) for p in lookup.search_persons(session, actor, name, limit=limit)]
    return json_answer(found, _PERSON_LIST)


@router.get("/{person_id}", **permitted("persons.read"))
def get_person(person_id: Annotated[int, Path(ge=1, le=MAX_ROW_ID)], session: SessionDep, actor: ActorDep) -> PersonOut:
    """One person record with names, nationalities, provenance and handling. Needs a justification."""
    return PersonOut.model_validate(lookup.get_person(session, actor, person_id))
