"""Routes and hotspots as maps draw them: the analyses of ``routes`` and ``hotspots`` with where each border point
is and which outline of the world atlas each country of origin or destination is.

A route is drawn from its origin country through the border points it enters to its destination country. Border
points carry their own coordinates; countries are placed by the page on their outline in the node's copy of the
Natural Earth atlas (``world-atlas``, whose countries are numbered by ISO 3166-1 numeric code), so this module says
which number each alpha-3 code of a route has. Nothing here reads personal data beyond what the two analyses read
(they guard ``network.read``); border points are reference data.
"""

from __future__ import annotations

from collections.abc import Iterable

import pycountry
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import select
from sqlalchemy.orm import Session

from palermo.auth.actor import Actor
from palermo.db.travel import BorderPoint
from palermo.network.hotspots import HotspotAnalysis, find_hotspots
from palermo.network.routes import RouteAnalysis, analyse_routes
from palermo.network.routes_journeys import UNKNOWN
from palermo.network.routes_parameters import TravelQuery

ROUTE_SEPARATOR = " > "


class MapPoint(BaseModel):
    model_config = ConfigDict(frozen=True)

    code: str
    name: str
    country: str
    latitude: float | None
    longitude: float | None


class RouteMap(BaseModel):
    """The routes, the border points they enter, and the atlas number of each of their countries."""

    model_config = ConfigDict(frozen=True)

    analysis: RouteAnalysis
    points: dict[str, MapPoint] = Field(description="border point code -> where it is")
    countries: dict[str, str] = Field(description="alpha-3 code -> ISO 3166-1 numeric code (the atlas outline)")


class HotspotMap(BaseModel):
    """The hotspots and every border point's volume, and the atlas number of the countries of route hotspots."""

    model_config = ConfigDict(frozen=True)

    analysis: HotspotAnalysis
    points: dict[str, MapPoint] = Field(description="border point code -> where it is (those with crossings)")
    countries: dict[str, str] = Field(description="alpha-3 code -> ISO 3166-1 numeric code (the atlas outline)")


def route_map(session: Session, actor: Actor, query: TravelQuery, *, use_communities: bool = False) -> RouteMap:
    """:func:`analyse_routes` (guarded, ``network.read``) with the places its routes go through."""
    analysis = analyse_routes(session, actor, query, use_communities=use_communities)
    codes = {code for route in analysis.routes for code in route.points}
    ends = {end for route in analysis.routes for end in (route.origin, route.destination)}
    return RouteMap(analysis=analysis, points=_points(session, codes), countries=country_numbers(ends))


def hotspot_map(session: Session, actor: Actor, query: TravelQuery, *, use_communities: bool = False) -> HotspotMap:
    """:func:`find_hotspots` (guarded, ``network.read``) with the places of its border points and route hotspots."""
    analysis = find_hotspots(session, actor, query, use_communities=use_communities)
    points = {
        p.code: MapPoint(code=p.code, name=p.name, country=p.country, latitude=p.latitude, longitude=p.longitude)
        for p in analysis.points
    }
    ends = {part for h in analysis.hotspots if h.scope == "route" for part in route_ends(h.key)}
    return HotspotMap(analysis=analysis, points=points, countries=country_numbers(ends))


def route_ends(route: str) -> tuple[str, str]:
    """``("ALB", "ITA")`` from ``ALB > BRI > ITA``."""
    parts = route.split(ROUTE_SEPARATOR)
    return parts[0], parts[-1]


def route_points(route: str) -> list[str]:
    """``["BRI"]`` from ``ALB > BRI > ITA``: the border points entered, in order."""
    return route.split(ROUTE_SEPARATOR)[1:-1]


def country_numbers(codes: Iterable[str]) -> dict[str, str]:
    """Alpha-3 code -> ISO numeric code, for the codes pycountry knows (``?`` and unknown codes left out)."""
    found: dict[str, str] = {}
    for code in codes:
        if code == UNKNOWN or len(code) != 3:
            continue
        country = pycountry.countries.get(alpha_3=code.upper())
        if country is not None:
            found[code] = country.numeric
    return found


def _points(session: Session, codes: set[str]) -> dict[str, MapPoint]:
    """The border points of ``codes``: the table is reference data of a few thousand rows at most, read whole
    rather than bound parameter by parameter."""
    columns = (BorderPoint.code, BorderPoint.name, BorderPoint.country, BorderPoint.latitude, BorderPoint.longitude)
    return {
        code: MapPoint(code=code, name=name, country=country, latitude=lat, longitude=lon)
        for code, name, country, lat, lon in session.execute(select(*columns))
        if code in codes
    }
