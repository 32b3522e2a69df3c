"""Person records: personal data, so every call needs ``X-Palermo-Justification`` and is recorded."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Request, Response
from pydantic import Field, TypeAdapter
from sqlalchemy.orm import Session

from palermo.api.answers import json_answer
from palermo.api.booth import booth_route, in_one_hop
from palermo.api.deps import API_PREFIX, MAX_ROW_ID, ActorDep, SessionDep, permitted
from palermo.auth.actor import Actor
from palermo.node import Node
from palermo.persons import lookup
from palermo.persons.lookup import PersonView
from palermo.persons.search import PersonFilters
from palermo.resolution.identities import identity_of
from palermo.victims.non_punishment import NonPunishmentFlag, record_flag

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


class PersonRecordOut(PersonView):
    non_punishment: NonPunishmentFlag | None = Field(
        None, description="Set when victim support presumes this person a victim of trafficking (docs/victims.md)"
    )


@router.get("/{person_id}", **permitted("persons.read"))
def get_person(
    person_id: Annotated[int, Path(ge=1, le=MAX_ROW_ID)], session: SessionDep, actor: ActorDep
) -> PersonRecordOut:
    """One person record with names, nationalities, provenance and handling, and the non-punishment flag of a
    presumed victim of trafficking. Needs a justification."""
    view = lookup.get_person(session, actor, person_id)
    flag = record_flag(session, actor, person_id, identity_of(session, person_id))
    return PersonRecordOut(**view.model_dump(), non_punishment=flag)
