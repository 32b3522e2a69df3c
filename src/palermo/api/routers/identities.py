"""Identities: records grouped by entity resolution, with provenance and explained links (personal data)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path
from pydantic import BaseModel, ConfigDict

from palermo.api.deps import API_PREFIX, MAX_ROW_ID, ActorDep, SessionDep, permitted
from palermo.api.routers.persons import PersonOut
from palermo.explanation import Feature
from palermo.resolution.identities import get_identity

router = APIRouter(prefix=f"{API_PREFIX}/identities", tags=["identities"])


class LinkOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    left_person_id: int
    right_person_id: int
    match_weight: float
    match_probability: float
    basis: str
    features: list[Feature]


class IdentityOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    size: int
    retired: bool
    merged_into: int | None
    records: list[PersonOut]
    links: list[LinkOut]
    hidden_records: int


@router.get("/{identity_id}", **permitted("identities.read"))
def read_identity(
    identity_id: Annotated[int, Path(ge=1, le=MAX_ROW_ID)], session: SessionDep, actor: ActorDep
) -> IdentityOut:
    """One identity: its person records with provenance and its links with explanations. Needs a justification."""
    return IdentityOut.model_validate(get_identity(session, actor, identity_id))
