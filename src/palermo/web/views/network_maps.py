"""The route map and the hotspot map: routes of travel (trafficking routes first) and the border points and routes
where flagged movements concentrate, drawn on the node's own world outline, each figure also in a table.

Both analyses name travellers as their evidence, so each page first asks why (a justification), as the API does
(``network.read``); the core guards and records the access. The pages call ``palermo.network.travel_maps``, the same
``analyse_routes`` and ``find_hotspots`` as ``palermo network routes|hotspots`` and ``/api/v1/network/...``.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from palermo.api.deps import NodeDep, SessionDep
from palermo.auth.actor import Actor
from palermo.errors import InvalidInput
from palermo.network.routes import RouteSummary
from palermo.network.routes_journeys import period_of
from palermo.network.routes_parameters import Period, RouteParameters, TravelQuery
from palermo.network.travel_maps import HotspotMap, RouteMap, hotspot_map, route_ends, route_map, route_points
from palermo.taxonomies import taxonomy
from palermo.web.deps import WEB_PREFIX, Page, PageDep, justified_or_error, page
from palermo.web.render import render

router = APIRouter(prefix=f"{WEB_PREFIX}/network")
Justification = Annotated[str, Query(max_length=200, description="Case reference or legal-basis code.")]
Day = Annotated[str, Query(max_length=16, description="A day, YYYY-MM-DD (UTC).")]
PeriodText = Annotated[str, Query(max_length=8, description="week or month.")]
Flag = Annotated[str, Query(max_length=8, description="Count per community of the link graph when set.")]
PERIODS = {"": "As configured (routes.yaml)", "month": "Calendar month", "week": "ISO week"}
DRAWN_ORDINARY = 40  # ordinary routes drawn on the map (the most travelled); the table lists every route answered
MAX_PERIODS = 520  # ten years of weeks: the chart's time axis stops there
CHARTED = 8  # trafficking routes whose journeys per period are charted (the strongest); the table has them all


class _Form:
    """What was typed in the filters, and the query it makes (or the messages at its fields)."""

    def __init__(self, justification: str, since: str, until: str, period: str, communities: str) -> None:
        self.justification = justification
        self.since, self.until, self.period = since.strip(), until.strip(), period.strip()
        self.communities = bool(communities.strip())
        self.typed = bool(self.since or self.until or self.period or self.communities)
        self.errors: dict[str, str] = {}
        self.query = self._query()

    def _day(self, name: str, text: str) -> dt.date | None:
        if not text:
            return None
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            self.errors[name] = "Enter a day as YYYY-MM-DD, e.g. 2026-03-01, or leave it empty."
            return None

    def _query(self) -> TravelQuery | None:
        since, until = self._day("since", self.since), self._day("until", self.until)
        if self.period not in PERIODS:
            self.errors["period"] = "Choose calendar month or ISO week."
        if self.errors:
            return None
        if since and until and since > until:
            self.errors["until"] = "The last day comes before the first day."
            return None
        try:
            return TravelQuery.of(since=since, until=until, period=self.period or None)
        except InvalidInput as exc:
            self.errors["since"] = str(exc)
            return None

    def context(self) -> dict[str, Any]:
        return {
            "justification": self.justification,
            "since": self.since,
            "until": self.until,
            "period": self.period,
            "communities": self.communities,
            "periods": PERIODS,
        }


def _context(
    form: _Form, errors: dict[str, str], found: RouteMap | HotspotMap | None, drawn: dict[str, Any] | None = None
) -> dict[str, Any]:
    return {
        "form": form.context(),
        "justification": form.justification,
        "field_errors": errors,
        "legal_bases": taxonomy("legal_bases").terms,
        "result": found,
        "map_data": drawn,
    }


def _asked(
    request: Request, node: NodeDep, page_: Page, form: _Form, template: str, what: str
) -> tuple[Actor, TravelQuery] | HTMLResponse:
    """The justified actor and the query, or the page with the form alone: first (nothing asked yet), or with the
    messages at the fields (422) when the filters or the reason fail."""
    if not (form.justification or form.typed or form.errors):
        return render(request, template, _context(form, {}, None))
    missing = f"Say why you open the {what}: a case reference or a legal-basis code."
    actor = justified_or_error(page_, form.justification, node.settings.case_reference_pattern, form.errors,
                               missing=missing)  # fmt: skip
    if actor is None or form.query is None:
        return render(request, template, _context(form, form.errors, None), 422)
    return actor, form.query


@router.get("/routes", **page("network.read"))
def routes_page(
    request: Request,
    session: SessionDep,
    node: NodeDep,
    page_: PageDep,
    justification: Justification = "",
    since: Day = "",
    until: Day = "",
    period: PeriodText = "",
    communities: Flag = "",
) -> HTMLResponse:
    """Routes of travel on a map, trafficking routes first, each with its test, volumes and flagged travellers."""
    form = _Form(justification, since, until, period, communities)
    asked = _asked(request, node, page_, form, "route_map.html", "routes")
    if isinstance(asked, HTMLResponse):
        return asked
    found = route_map(session, *asked, use_communities=form.communities)
    return render(request, "route_map.html", _context(form, {}, found, route_data(found)))


@router.get("/hotspots", **page("network.read"))
def hotspots_page(
    request: Request,
    session: SessionDep,
    node: NodeDep,
    page_: PageDep,
    justification: Justification = "",
    since: Day = "",
    until: Day = "",
    period: PeriodText = "",
    communities: Flag = "",
) -> HTMLResponse:
    """Border points and routes where flagged movements concentrate beyond their volume, on a map, with evidence."""
    form = _Form(justification, since, until, period, communities)
    asked = _asked(request, node, page_, form, "hotspot_map.html", "hotspots")
    if isinstance(asked, HTMLResponse):
        return asked
    found = hotspot_map(session, *asked, use_communities=form.communities)
    return render(request, "hotspot_map.html", _context(form, {}, found, hotspot_data(found)))


def _path(points: list[str], where: RouteMap | HotspotMap) -> list[list[float]]:
    """The coordinates of the border points of a route that have them, in order."""
    placed = [where.points.get(code) for code in points]
    return [[p.latitude, p.longitude] for p in placed if p and p.latitude is not None and p.longitude is not None]


def route_data(found: RouteMap) -> dict[str, Any]:
    """What the page's script draws: each route as a line from its origin country through its border points to its
    destination country (trafficking routes, and the most travelled ordinary ones)."""
    ordinary = [r for r in found.analysis.routes if not r.trafficking][:DRAWN_ORDINARY]
    drawn = [r for r in found.analysis.routes if r.trafficking] + ordinary
    return {
        "routes": [
            {
                "route": r.route,
                "trafficking": r.trafficking,
                "trips": r.trips,
                "flagged": r.flagged_trips,
                "lift": r.lift,
                "q": r.q_value,
                "origin": found.countries.get(r.origin),
                "destination": found.countries.get(r.destination),
                "path": _path(r.points, found),
            }
            for r in drawn
        ],
        "volumes": _volumes([r for r in found.analysis.routes if r.trafficking][:CHARTED], found.analysis.parameters),
    }


def _volumes(routes: list[RouteSummary], params: RouteParameters) -> dict[str, Any]:
    """Journeys per period of each route, over every period from the first to the last any of them has (0 where a
    route has none, so that the time axis has no holes)."""
    held = sorted({period for r in routes for period in r.volumes})
    periods = period_range(held[0], held[-1], params.period) if held else []
    return {"periods": periods, "series": [[r.route, [r.volumes.get(p, 0) for p in periods]] for r in routes]}


def period_range(first: str, last: str, period: Period) -> list[str]:
    """Every period label from ``first`` to ``last`` (``2026-01`` .. ``2026-04``, or ``2026-W52`` .. ``2027-W02``)."""
    day = _start(first, period)
    labels: list[str] = []
    while not labels or labels[-1] != last:
        label = period_of(day, period)
        if not labels or labels[-1] != label:
            labels.append(label)
        if len(labels) > MAX_PERIODS or day > _start(last, period):
            break
        day += dt.timedelta(days=1)
    return labels


def _start(label: str, period: Period) -> dt.date:
    year, _, rest = label.partition("-")
    if period == "week":
        return dt.date.fromisocalendar(int(year), int(rest.lstrip("W")), 1)
    return dt.date(int(year), int(rest), 1)


def hotspot_data(found: HotspotMap) -> dict[str, Any]:
    """Every border point with its volume and whether it is a hotspot over the range (or in a period), and the
    route hotspots over the range as lines."""
    over_range = {h.key for h in found.analysis.hotspots if h.scope == "border_point" and h.period is None}
    in_a_period = {h.key for h in found.analysis.hotspots if h.scope == "border_point" and h.period is not None}
    routes = [h for h in found.analysis.hotspots if h.scope == "route" and h.period is None]
    return {
        "points": [
            {
                "code": p.code,
                "name": p.name,
                "lat": p.latitude,
                "lon": p.longitude,
                "crossings": p.crossings,
                "flagged": p.flagged,
                "hotspot": "range" if p.code in over_range else "period" if p.code in in_a_period else "",
            }
            for p in found.analysis.points
            if p.latitude is not None and p.longitude is not None
        ],
        "routes": [
            {
                "route": h.key,
                "flagged": h.flagged,
                "expected": h.expected,
                "origin": found.countries.get(route_ends(h.key)[0]),
                "destination": found.countries.get(route_ends(h.key)[1]),
                "path": _path(route_points(h.key), found),
            }
            for h in routes
        ],
    }
