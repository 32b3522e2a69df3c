"""Sources (read-only here): datasets with their provenance defaults."""

from __future__ import annotations

from fastapi import APIRouter

from palermo.api.deps import API_PREFIX, ActorDep, SessionDep, permitted
from palermo.ingest import sources
from palermo.ingest.sources import SourceDefaults

router = APIRouter(prefix=f"{API_PREFIX}/sources", tags=["sources"])


@router.get("", **permitted("sources.read"))
def list_sources(session: SessionDep, actor: ActorDep) -> list[SourceDefaults]:
    """Every source with its default handling, distribution, grading, sensitivity and retention."""
    return sources.list_sources_for(session, actor)
