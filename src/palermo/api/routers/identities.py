"""Identities: records grouped by entity resolution, with provenance and explained links (personal data)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path

from palermo.api.deps import API_PREFIX, MAX_ROW_ID, ActorDep, SessionDep, permitted
from palermo.resolution.identities import IdentityView, get_identity

router = APIRouter(prefix=f"{API_PREFIX}/identities", tags=["identities"])


@router.get("/{identity_id}", **permitted("identities.read"))
def read_identity(
    identity_id: Annotated[int, Path(ge=1, le=MAX_ROW_ID)], session: SessionDep, actor: ActorDep
) -> IdentityView:
    """One identity: its person records with provenance and its links with explanations. Needs a justification."""
    return get_identity(session, actor, identity_id)
