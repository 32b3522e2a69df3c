"""The dashboard: activity per day, per border point and per indicator, and the map of border points."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from palermo.api.deps import SessionDep, public
from palermo.dashboard import ActivitySummary, activity_summary
from palermo.dashboard.activity import MAX_DAYS
from palermo.web.deps import WEB_PREFIX, PageDep, page
from palermo.web.render import render

router = APIRouter()


def chart_data(summary: ActivitySummary) -> dict[str, Any]:
    """What the page's script draws (charts and map), as one JSON document embedded in the page."""
    return {
        "travel_per_day": [[c.label, c.count] for c in summary.travel_per_day],
        "alerts_per_day": [[c.label, c.count] for c in summary.alerts_per_day],
        "alerts_per_indicator": [[c.label, c.count] for c in summary.alerts_per_indicator],
        "points": [
            {
                "code": p.code,
                "name": p.name,
                "lat": p.latitude,
                "lon": p.longitude,
                "travel": p.travel,
                "alerts": p.alerts,
            }
            for p in summary.points
            if p.latitude is not None and p.longitude is not None
        ],
    }


@router.get(f"{WEB_PREFIX}/", **page("dashboard.read"))
def dashboard(
    request: Request,
    session: SessionDep,
    page_: PageDep,
    days: Annotated[int, Query(ge=1, le=MAX_DAYS, description="Days of data shown.")] = 30,
) -> HTMLResponse:
    """Travel, alerts and ingest activity in aggregate; names no person."""
    summary = activity_summary(session, page_.actor, days=days)
    notice = "Your password was changed." if request.query_params.get("password_changed") else None
    context = {"summary": summary, "chart_data": chart_data(summary), "notice": notice, "max_days": MAX_DAYS}
    return render(request, "dashboard.html", context)


@router.get("/", include_in_schema=False, **public())
def root() -> RedirectResponse:
    """The node's address opens the web application."""
    return RedirectResponse(f"{WEB_PREFIX}/", status_code=307)


@router.get(WEB_PREFIX, include_in_schema=False, **public())
def web_root() -> RedirectResponse:
    return RedirectResponse(f"{WEB_PREFIX}/", status_code=307)
