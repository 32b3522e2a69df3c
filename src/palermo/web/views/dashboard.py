"""The dashboard: activity per day, per border point and per indicator, and the map of border points."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from palermo.api.deps import SessionDep, public
from palermo.dashboard import ActivitySummary, activity_summary
from palermo.dashboard.activity import MAX_DAYS
from palermo.dashboard.signals import Signal
from palermo.errors import InvalidInput
from palermo.web.deps import WEB_PREFIX, PageDep, page
from palermo.web.render import render

router = APIRouter()
DEFAULT_DAYS = 30


def chart_data(summary: ActivitySummary) -> dict[str, Any]:
    """What the page's script draws (charts and map), as one JSON document embedded in the page."""
    return {
        "travel_per_day": [[c.label, c.count] for c in summary.travel_per_day],
        "alerts_per_day": [[c.label, c.count] for c in summary.alerts_per_day],
        "alerts_per_signal": [[_marked(s), s.count, s.protective] for s in summary.alerts_per_signal],
        "alerts_per_decision": [[_marked(s), s.count, s.protective] for s in summary.alerts_per_decision],
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


def _marked(signal: Signal) -> str:
    """A chart label that says in words what the colour shows (protective signals)."""
    return f"{signal.label} (protective)" if signal.protective else signal.label


def widen_to(summary: ActivitySummary, newest: dt.date | None) -> int | None:
    """The number of days that would bring a series' newest day into the window (None: already in it)."""
    if newest is None or summary.first_day is None or summary.last_day is None or newest >= summary.first_day:
        return None
    return min(MAX_DAYS, (summary.last_day - newest).days + 1)


@router.get(f"{WEB_PREFIX}/", **page("dashboard.read"))
def dashboard(
    request: Request,
    session: SessionDep,
    page_: PageDep,
    days: Annotated[str, Query(max_length=16, description="Days of data shown.")] = str(DEFAULT_DAYS),
) -> HTMLResponse:
    """Travel, alerts and ingest activity in aggregate; names no person. A number of days out of range is a form
    error next to the field (422), with the default window's figures."""
    errors: dict[str, str] = {}
    try:
        summary = activity_summary(session, page_.actor, days=int(days.strip()))
    except (ValueError, InvalidInput):
        errors["days"] = f"Enter a whole number of days from 1 to {MAX_DAYS}; showing {DEFAULT_DAYS} days."
        summary = activity_summary(session, page_.actor, days=DEFAULT_DAYS)
    notice = "Your password was changed." if request.query_params.get("password_changed") else None
    context = {
        "summary": summary,
        "chart_data": chart_data(summary),
        "notice": notice,
        "max_days": MAX_DAYS,
        "days_typed": days if errors else summary.days,
        "field_errors": errors,
        "widen_travel": widen_to(summary, summary.newest_travel),
        "widen_alerts": widen_to(summary, summary.newest_alert),
        "largest_travel": max((p.travel for p in summary.points), default=0),
    }
    return render(request, "dashboard.html", context, status_code=422 if errors else 200)


@router.get("/", include_in_schema=False, **public())
def root() -> RedirectResponse:
    """The node's address opens the web application."""
    return RedirectResponse(f"{WEB_PREFIX}/", status_code=307)


@router.get(WEB_PREFIX, include_in_schema=False, **public())
def web_root() -> RedirectResponse:
    return RedirectResponse(f"{WEB_PREFIX}/", status_code=307)
