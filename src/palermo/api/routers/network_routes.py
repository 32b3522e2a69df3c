"""Routes and hotspots of travel under ``/api/v1/network`` (personal data: a justification, and ``network.read``);
docs/network-routes.md."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query, Response
from pydantic import TypeAdapter

from palermo.api.answers import json_answer
from palermo.api.deps import API_PREFIX, ActorDep, SessionDep, permitted
from palermo.network.hotspots import HotspotAnalysis, find_hotspots
from palermo.network.routes import IdentityJourney, RouteAnalysis, analyse_routes, journeys_of
from palermo.network.routes_parameters import TravelQuery

router = APIRouter(prefix=f"{API_PREFIX}/network", tags=["network"])

_JOURNEYS = TypeAdapter(list[IdentityJourney])

Since = Annotated[dt.date | None, Query(description="First day of crossings analysed (UTC).")]
Until = Annotated[dt.date | None, Query(description="Last day of crossings analysed (UTC).")]
Window = Annotated[int | None, Query(ge=1, le=365, description="Trip window in days (default routes.yaml).")]
Period = Annotated[Literal["week", "month"] | None, Query(description="Volumes and per-period hotspots by.")]
Alpha = Annotated[float | None, Query(gt=0, lt=1, description="False-discovery rate of a reported finding.")]
UseCommunities = Annotated[
    bool, Query(description="Count journeys per community of the link graph; flag network-like ones' members.")
]
MinFlagged = Annotated[int | None, Query(ge=1, le=1_000_000, description="Flagged trips or crossings needed.")]


def _query(
    since: dt.date | None, until: dt.date | None, window: int | None, period: str | None, alpha: float | None,
    min_flagged: int | None,
) -> TravelQuery:  # fmt: skip
    return TravelQuery.of(since=since, until=until, trip_window_days=window, period=period, alpha=alpha,
                          min_flagged=min_flagged)  # fmt: skip


@router.get("/routes", response_model=RouteAnalysis, **permitted("network.read"))
def routes(
    session: SessionDep, actor: ActorDep, since: Since = None, until: Until = None, window: Window = None,
    period: Period = None, alpha: Alpha = None, min_flagged: MinFlagged = None, communities: UseCommunities = False,
) -> Response:  # fmt: skip
    """Routes of travel (origin > border points > destination), trafficking routes first, each with its test and
    explanation. Needs a justification."""
    query = _query(since, until, window, period, alpha, min_flagged)
    return json_answer(analyse_routes(session, actor, query, use_communities=communities))


@router.get("/routes/journeys/{identity}", response_model=list[IdentityJourney], **permitted("network.read"))
def journeys(
    session: SessionDep,
    actor: ActorDep,
    identity: Annotated[str, Path(max_length=40, description="identity:ID or person:ID")],
    since: Since = None,
    until: Until = None,
    window: Window = None,
) -> Response:
    """One traveller's journeys and their routes, oldest first. Needs a justification."""
    query = _query(since, until, window, None, None, None)
    return json_answer(journeys_of(session, actor, identity, query), _JOURNEYS)


@router.get("/hotspots", response_model=HotspotAnalysis, **permitted("network.read"))
def hotspots(
    session: SessionDep, actor: ActorDep, since: Since = None, until: Until = None, window: Window = None,
    period: Period = None, alpha: Alpha = None, min_flagged: MinFlagged = None, communities: UseCommunities = False,
) -> Response:  # fmt: skip
    """Border points and routes where flagged movements concentrate beyond their volume, with the evidence.
    Needs a justification."""
    query = _query(since, until, window, period, alpha, min_flagged)
    return json_answer(find_hotspots(session, actor, query, use_communities=communities))
