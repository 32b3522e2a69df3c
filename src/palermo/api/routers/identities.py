"""Identities: records grouped by entity resolution, with provenance and explained links (personal data)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path
from pydantic import Field

from palermo.api.deps import API_PREFIX, MAX_ROW_ID, ActorDep, SessionDep, permitted
from palermo.resolution.identities import IdentityView, get_identity
from palermo.victims.non_punishment import NonPunishmentFlag, non_punishment_flag

router = APIRouter(prefix=f"{API_PREFIX}/identities", tags=["identities"])


class IdentityOut(IdentityView):
    non_punishment: NonPunishmentFlag | None = Field(
        None, description="Set when victim support presumes this person a victim of trafficking (docs/victims.md)"
    )


@router.get("/{identity_id}", **permitted("identities.read"))
def read_identity(
    identity_id: Annotated[int, Path(ge=1, le=MAX_ROW_ID)], session: SessionDep, actor: ActorDep
) -> IdentityOut:
    """One identity: its person records with provenance and its links with explanations, and the non-punishment
    flag of a presumed victim of trafficking. Needs a justification."""
    view = get_identity(session, actor, identity_id)
    flag = non_punishment_flag(session, actor, {r.id for r in view.records}, {identity_id})
    return IdentityOut(**view.model_dump(), non_punishment=flag)
