"""Person records: personal data, so every call needs ``X-Palermo-Justification`` and is recorded."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Request, Response
from pydantic import TypeAdapter
from sqlalchemy.orm import Session

from palermo.api.answers import json_answer
from palermo.api.booth import booth_route, in_one_hop
from palermo.api.deps import API_PREFIX, MAX_ROW_ID, ActorDep, SessionDep, permitted
from palermo.auth.actor import Actor
from palermo.node import Node
from palermo.persons import lookup
from palermo.persons.lookup import PersonView
from palermo.persons.search import PersonFilters

router = APIRouter(prefix=f"{API_PREFIX}/persons", tags=["persons"])


_PERSON_LIST = TypeAdapter(list[PersonView])


@router.get("", response_model=list[PersonView], **booth_route("persons.search"))
async def search_persons(
    http: Request,
    name: Annotated[
        str,
        Query(
            min_length=lookup.MIN_SEARCH_CHARACTERS,
            max_length=200,
            description="A name in any script and spelling, or the beginning of each of its words.",
        ),
    ],
    limit: Annotated[int, Query(ge=1, le=lookup.MAX_RESULTS)] = 50,
    birth_year: Annotated[int | None, Query(ge=1800, le=2200, description="Reported year of birth.")] = None,
    nationality: Annotated[str | None, Query(pattern=r"^[A-Za-z]{3}$", description="Three-letter code.")] = None,
    source: Annotated[str | None, Query(max_length=200, description="The reporting source's name.")] = None,
) -> Response:
    """Person records whose names match NAME through the name engine, best first. Needs a justification."""
    filters = PersonFilters(
        birth_year=birth_year, nationality=nationality.upper() if nationality else None, source=source
    )

    def search(session: Session, actor: Actor, _node: Node) -> Response:
        found = lookup.search_persons(session, actor, name, limit=limit, filters=filters)
        return json_answer(found, _PERSON_LIST)

    return await in_one_hop(http, search)


@router.get("/{person_id}", **permitted("persons.read"))
def get_person(
    person_id: Annotated[int, Path(ge=1, le=MAX_ROW_ID)], session: SessionDep, actor: ActorDep
) -> PersonView:
    """One person record with names, nationalities, provenance and handling. Needs a justification."""
    return lookup.get_person(session, actor, person_id)
