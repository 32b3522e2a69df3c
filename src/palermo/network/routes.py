"""Routes: origin -> border points -> destination flows of travel, per identity and per community, with volumes over
time, and the routes trafficking networks use told apart from ordinary travel.

A route is the sequence of a journey (``routes_journeys``). The question asked of each route: do trips carrying
flagged travellers (``routes_crossings``: named in exploitation relationships or by alerts, or chosen by the
analyst) make up more of its trips than of all trips? The answer is a one-sided binomial test of the route's flagged
trips against the node-wide flagged share, corrected for testing every route at once (Benjamini-Hochberg). A route
with q <= alpha and at least ``min_flagged`` flagged trips is a *trafficking route*; each says so in words.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy.orm import Session

from palermo.auth.access import guard
from palermo.auth.actor import Actor
from palermo.network.routes_communities import CommunityContext, community_context
from palermo.network.routes_crossings import load_travel, parse_identity_key
from palermo.network.routes_journeys import Journey, journeys, period_of, trips
from palermo.network.routes_parameters import RouteParameters, TravelQuery
from palermo.network.routes_stats import benjamini_hochberg, binomial_upper

PERMISSION = "network.read"


class RouteSummary(BaseModel):
    """One route: its volumes, its flagged share against the node's, the test, and what it means in words."""

    model_config = ConfigDict(frozen=True)

    route: str = Field(description="origin > border points entered > destination")
    origin: str
    points: list[str]
    destination: str
    journeys: int = Field(description="journeys (one identity's chained entries) on the route")
    trips: int = Field(description="trips: journeys on one booking count once")
    flagged_journeys: int
    flagged_trips: int = Field(description="trips carrying at least one flagged traveller or movement")
    expected_flagged_trips: float = Field(description="trips x the node-wide flagged share of trips")
    lift: float = Field(description="the route's flagged share of trips over the node-wide share")
    p_value: float = Field(description="one-sided binomial P(at least this many flagged trips)")
    q_value: float = Field(description="Benjamini-Hochberg q-value over every route tested")
    trafficking: bool = Field(description="q <= alpha and at least min_flagged flagged trips")
    volumes: dict[str, int] = Field(description="journeys per period (ISO week or month) of their first entry")
    communities: dict[str, int] = Field(description="journeys per community of the traveller, when given")
    flagged_identities: list[str] = Field(description="flagged travellers on the route (capped at max_evidence)")
    explanation: str


class RouteAnalysis(BaseModel):
    """Routes of the crossings in range, trafficking routes first."""

    model_config = ConfigDict(frozen=True)

    parameters: RouteParameters
    crossings: int = Field(description="crossings analysed (visible to the actor)")
    hidden_special: int = Field(description="special-category crossings left out: the actor may not see them")
    journeys: int
    trips: int
    flagged_trips: int
    flagged_share: float = Field(description="node-wide share of trips carrying a flagged traveller")
    routes_tested: int
    trafficking_routes: int
    routes: list[RouteSummary]
    communities_note: str | None = Field(default=None, description="why no community was used, when asked for")


class IdentityJourney(BaseModel):
    model_config = ConfigDict(frozen=True)

    route: str
    start: str
    booking: str | None
    movements: list[int]
    flagged: str | None


def analyse_routes(
    session: Session,
    actor: Actor,
    query: TravelQuery,
    *,
    communities: Mapping[str, str] | None = None,
    flagged_identities: Mapping[str, str] | Iterable[str] = (),
    use_communities: bool = False,
) -> RouteAnalysis:
    """Every route of the crossings in ``query``'s range, tested; ``communities`` maps identity keys
    (``identity:ID`` / ``person:ID``) to a community label, ``flagged_identities`` adds flagged travellers (with
    why, as a mapping). ``use_communities`` takes both from the link graph's communities (``routes_communities``):
    every traveller's community, and the members of network-like communities flagged."""
    guard(session, actor, PERMISSION, subject="routes")
    params = query.parameters()
    context = community_context(session, actor) if use_communities else CommunityContext()
    if use_communities and communities is None:
        communities = context.community_of
    data = load_travel(session, actor, query, context.flags_with(flagged_identities))
    found = journeys(data, params.trip_window_days)
    grouped = trips(found)
    by_route: dict[str, list[list[Journey]]] = defaultdict(list)
    for (route, _), members in grouped.items():
        by_route[route].append(members)
    flagged_trips = sum(1 for members in grouped.values() if any(j.flagged for j in members))
    share = flagged_trips / len(grouped) if grouped else 0.0
    names = sorted(by_route)
    counts = [(len(by_route[r]), sum(1 for t in by_route[r] if any(j.flagged for j in t))) for r in names]
    p_values = [binomial_upper(k, n, share) for n, k in counts]
    q_values = benjamini_hochberg(p_values)
    summaries = [
        _summary(route, by_route[route], share, p, q, len(names), params, communities or {})
        for route, p, q in zip(names, p_values, q_values, strict=True)
    ]
    trafficking = sorted((s for s in summaries if s.trafficking), key=lambda s: (s.q_value, -s.flagged_trips))
    ordinary = sorted((s for s in summaries if not s.trafficking), key=lambda s: (-s.journeys, s.route))
    return RouteAnalysis(
        parameters=params,
        crossings=len(data.crossings),
        hidden_special=data.hidden,
        journeys=len(found),
        trips=len(grouped),
        flagged_trips=flagged_trips,
        flagged_share=round(share, 6),
        routes_tested=len(names),
        trafficking_routes=len(trafficking),
        routes=trafficking + ordinary[: params.max_routes],
        communities_note=context.note,
    )


def _summary(
    route: str,
    route_trips: list[list[Journey]],
    share: float,
    p: float,
    q: float,
    tested: int,
    params: RouteParameters,
    communities: Mapping[str, str],
) -> RouteSummary:
    members = [j for t in route_trips for j in t]
    first = members[0]
    n, k = len(route_trips), sum(1 for t in route_trips if any(j.flagged for j in t))
    expected = n * share
    lift = (k / n) / share if share and n else 0.0
    trafficking = q <= params.alpha and k >= params.min_flagged
    flagged = sorted({j.identity for j in members if j.flagged})
    return RouteSummary(
        route=route,
        origin=first.origin,
        points=first.points,
        destination=first.destination,
        journeys=len(members),
        trips=n,
        flagged_journeys=sum(1 for j in members if j.flagged),
        flagged_trips=k,
        expected_flagged_trips=round(expected, 4),
        lift=round(lift, 4),
        p_value=p,
        q_value=q,
        trafficking=trafficking,
        volumes=dict(sorted(Counter(period_of(j.start, params.period) for j in members).items())),
        communities=dict(Counter(communities[j.identity] for j in members if j.identity in communities)),
        flagged_identities=flagged[: params.max_evidence],
        explanation=_explain(route, n, k, expected, share, lift, p, q, tested, trafficking, params),
    )


def _explain(
    route: str, n: int, k: int, expected: float, share: float, lift: float, p: float, q: float, tested: int,
    trafficking: bool, params: RouteParameters,
) -> str:  # fmt: skip
    observed = (
        f"{k} of {n} trip(s) on {route} carried flagged travellers where {expected:.1f} were expected at the "
        f"node-wide share of {share:.1%} (lift {lift:.1f}; binomial p = {p:.2g}, q = {q:.2g} over {tested} routes)"
    )
    if trafficking:
        return f"{observed}: a route trafficking networks use, beyond what ordinary travel explains."
    if k < params.min_flagged:
        return f"{observed}: fewer than {params.min_flagged} flagged trips, too few to call it a trafficking route."
    return f"{observed}: not beyond what ordinary travel explains at a false-discovery rate of {params.alpha:.0%}."


def journeys_of(session: Session, actor: Actor, identity: str, query: TravelQuery) -> list[IdentityJourney]:
    """One identity's journeys (``identity:ID`` or ``person:ID``) in ``query``'s range, oldest first."""
    parse_identity_key(identity)
    guard(session, actor, PERMISSION, subject=identity)
    params = query.parameters()
    data = load_travel(session, actor, query, identity=identity)
    return [
        IdentityJourney(
            route=j.route,
            start=j.start.isoformat(),
            booking=j.booking,
            movements=[c.event_id for c in j.entries],
            flagged=j.flagged,
        )
        for j in sorted(journeys(data, params.trip_window_days), key=lambda j: j.start)
    ]
