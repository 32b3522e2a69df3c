"""Screening and alerts: ``POST /api/v1/screenings``, ``GET /api/v1/alerts``, alert dispositions, watchlists.

Screening and alerts consult personal data: every call needs ``X-Palermo-Justification`` and is recorded.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Request, Response
from pydantic import BaseModel, ConfigDict, Field

from palermo.alerts import lifecycle as core_alerts
from palermo.alerts.lifecycle import AlertView
from palermo.api.answers import json_answer
from palermo.api.booth import booth_route, in_one_hop
from palermo.api.deps import API_PREFIX, MAX_ROW_ID, ActorDep, SessionDep, permitted
from palermo.screening.requests import ScreeningRequest, ScreeningResult
from palermo.screening.service import screen
from palermo.screening.watchlists import WatchlistSummary, list_watchlists

router = APIRouter(prefix=API_PREFIX, tags=["screening"])


class DispositionIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    disposition: str = Field(
        min_length=1, max_length=32, description="confirmed, false_positive, referred_to_victim_support, no_action"
    )
    comment: str | None = Field(None, max_length=2000)


@router.post("/screenings", response_model=ScreeningResult, **booth_route("screening.run"))
async def create_screening(request: ScreeningRequest, http: Request) -> Response:
    """Screen one traveller (MRZ and/or identity, travel context): decision, score, hits, indicators, documents."""
    return await in_one_hop(
        http, lambda session, actor, node: json_answer(screen(session, actor, request, home=node.home))
    )


@router.get("/alerts", **permitted("alerts.read"))
def get_alerts(
    session: SessionDep,
    actor: ActorDep,
    status: Annotated[str | None, Query(pattern="^(open|assigned|closed)$")] = None,
    decision: Annotated[str | None, Query(pattern="^(refer|alert|protect)$")] = None,
    kind: Annotated[str | None, Query(max_length=32, description="alert_kinds.yaml id, e.g. screening")] = None,
    limit: Annotated[int, Query(ge=1, le=core_alerts.MAX_LIST)] = 100,
) -> list[AlertView]:
    """Alerts of every kind, newest first, optionally of one status, decision or kind."""
    return core_alerts.list_alerts(session, actor, status=status, decision=decision, kind=kind, limit=limit)


@router.post("/alerts/{alert_id}/disposition", **permitted("alerts.disposition"))
def dispose_alert(
    alert_id: Annotated[int, Path(ge=1, le=MAX_ROW_ID)], body: DispositionIn, session: SessionDep, actor: ActorDep
) -> AlertView:
    """Close an alert with a disposition; the change is appended to its history."""
    return core_alerts.dispose_alert(session, actor, alert_id, body.disposition, body.comment)


@router.get("/watchlists", **permitted("watchlists.read"))
def get_watchlists(session: SessionDep, actor: ActorDep) -> list[WatchlistSummary]:
    """Watchlists with their category and number of entries."""
    return list_watchlists(session, actor)
