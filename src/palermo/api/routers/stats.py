"""Anonymised statistics under ``/api/v1/stats``: a release of k-anonymous microdata and noisy counts."""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict, Field

from palermo.api.deps import API_PREFIX, ActorDep, SessionDep, permitted
from palermo.stats.kanon import MIN_K
from palermo.stats.release import MAX_EPSILON, MIN_EPSILON, VARIABLES, StatisticsRelease, make_release

router = APIRouter(prefix=f"{API_PREFIX}/stats", tags=["stats"])


class ReleaseIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    k: int = Field(MIN_K, ge=MIN_K, le=1000, description="Each released combination is shared by at least k records")
    epsilon: float = Field(
        1.0, ge=MIN_EPSILON, le=MAX_EPSILON, description="Privacy loss of all the noisy counts together"
    )
    first_year: int | None = Field(None, ge=1990, le=2100)
    last_year: int | None = Field(None, ge=1990, le=2100)
    max_suppressed: float = Field(0.05, ge=0, le=1, description="Share of records the release may suppress")
    variables: list[str] = Field(
        default_factory=lambda: list(VARIABLES),
        min_length=1,
        max_length=len(VARIABLES),
        description="Released variables; k holds over all of them",
    )


@router.post("/releases", **permitted("stats.release"))
def create_release(body: ReleaseIn, session: SessionDep, actor: ActorDep) -> StatisticsRelease:
    """A statistics release: never a raw record; k >= 11 over every released variable; counts with stated epsilon."""
    return make_release(
        session,
        actor,
        k=body.k,
        epsilon=body.epsilon,
        first_year=body.first_year,
        last_year=body.last_year,
        max_suppressed=body.max_suppressed,
        variables=body.variables,
    )
