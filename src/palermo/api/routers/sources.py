"""Sources (read-only here): datasets with their provenance defaults."""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict

from palermo.api.deps import API_PREFIX, ActorDep, SessionDep, permitted
from palermo.ingest import sources

router = APIRouter(prefix=f"{API_PREFIX}/sources", tags=["sources"])


class SourceOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    name: str
    agency_code: str
    handling: str
    handling_note: str | None
    distribution: str
    sharing_group: str | None
    reliability: str
    credibility: str
    sensitivity: str
    review_after_days: int | None
    delete_after_days: int | None
    phone_region: str | None


@router.get("", **permitted("sources.read"))
def list_sources(session: SessionDep, actor: ActorDep) -> list[SourceOut]:
    """Every source with its default handling, distribution, grading, sensitivity and retention."""
    return [SourceOut.model_validate(s) for s in sources.list_sources_for(session, actor)]
