"""Routes on a hand-built world: the network's route through Bari is a trafficking route, the busy Milan route with
a few alerts is not; journeys follow resolved identities; minors' crossings stay out for an analyst."""

from __future__ import annotations

from pathlib import Path

import pytest

from palermo.db.engine import transaction
from palermo.errors import InvalidInput, PermissionDenied
from palermo.network.routes import RouteAnalysis, analyse_routes, journeys_of
from palermo.network.routes_parameters import TravelQuery
from palermo.node import Node
from tests.factories import recorded_access
from tests.travel_world import MINORS, NETWORK_ROUTE, actor_of, build


def _analyse(node: Node, role: str = "supervisor", **query: object) -> RouteAnalysis:
    actor = actor_of(node, f"user-{role}", role)
    with transaction(node.engine) as session:
        return analyse_routes(session, actor, TravelQuery.of(**query))


def test_the_network_route_is_a_trafficking_route_and_the_busy_route_is_not(node: Node, tmp_path: Path) -> None:
    build(node, tmp_path)
    result = _analyse(node)
    routes = {r.route: r for r in result.routes}
    network, busy = routes[NETWORK_ROUTE], routes["USA > MXP > ITA"]
    assert result.trafficking_routes == 1
    assert result.routes[0].route == NETWORK_ROUTE
    assert (network.trips, network.flagged_trips, network.journeys) == (16, 6, 28)  # 10 ordinary; 6 bookings of 3
    assert network.trafficking
    assert network.q_value <= 0.05
    assert network.lift > 3
    assert "a route trafficking networks use" in network.explanation
    assert (busy.trips, busy.flagged_trips, busy.trafficking) == (80, 3, False)
    assert "not beyond what ordinary travel explains" in busy.explanation
    assert sum(network.volumes.values()) == network.journeys
    assert all(k.startswith("2026-") for k in network.volumes)


def test_communities_count_their_journeys_on_each_route(node: Node, tmp_path: Path) -> None:
    build(node, tmp_path)
    actor = actor_of(node, "ana", "analyst")
    with transaction(node.engine) as session:
        first = analyse_routes(session, actor, TravelQuery())
        keys = {k for r in first.routes if r.route == NETWORK_ROUTE for k in r.flagged_identities}
        result = analyse_routes(session, actor, TravelQuery(), communities=dict.fromkeys(keys, "C1"))
    network = next(r for r in result.routes if r.route == NETWORK_ROUTE)
    assert network.communities == {"C1": network.flagged_journeys}
    assert all(r.communities == {} for r in result.routes if r.route != NETWORK_ROUTE)


def test_an_identitys_journeys_chain_entries_within_the_trip_window(node: Node, tmp_path: Path) -> None:
    world = build(node, tmp_path)
    actor = actor_of(node, "ana", "analyst")
    with transaction(node.engine) as session:
        by_month = journeys_of(session, actor, world.escort, TravelQuery())
        one_journey = journeys_of(session, actor, world.escort, TravelQuery(trip_window_days=365))
    assert [len(j.movements) for j in by_month] == [1] * 6  # 6 bookings, 40 days apart: 6 journeys
    assert all(j.route == NETWORK_ROUTE and j.booking for j in by_month)
    assert [j.route for j in one_journey] == [NETWORK_ROUTE]
    assert len(one_journey[0].movements) == 6
    assert all(j.flagged and "transported_by" in j.flagged for j in by_month)  # the police record, resolved


def test_minors_crossings_are_left_out_for_an_analyst_and_counted_for_a_supervisor(node: Node, tmp_path: Path) -> None:
    build(node, tmp_path)
    analyst, supervisor = _analyse(node, "analyst"), _analyse(node, "supervisor")
    assert analyst.hidden_special == len(MINORS)
    assert supervisor.hidden_special == 0
    assert supervisor.crossings - analyst.crossings == len(MINORS)
    a = next(r for r in analyst.routes if r.route == NETWORK_ROUTE)
    s = next(r for r in supervisor.routes if r.route == NETWORK_ROUTE)
    assert s.journeys - a.journeys == len(MINORS)


def test_routes_need_the_permission_and_a_justification_and_are_audited(node: Node, tmp_path: Path) -> None:
    build(node, tmp_path)
    officer = actor_of(node, "bo", "border_officer")
    with pytest.raises(PermissionDenied), transaction(node.engine) as session:
        analyse_routes(session, officer, TravelQuery())
    analyst = actor_of(node, "ana", "analyst")
    with recorded_access() as logged, transaction(node.engine) as session:
        analyse_routes(session, analyst, TravelQuery())
    assert [(a.permission, a.granted) for a in logged] == [("network.read", True)]


def test_bad_queries_are_refused_with_a_reason(node: Node) -> None:
    with pytest.raises(InvalidInput, match="since"):
        TravelQuery.of(since="2026-05-01", until="2026-04-01")
    with pytest.raises(InvalidInput, match="trip_window_days"):
        TravelQuery.of(trip_window_days=0)
    actor = actor_of(node, "ana", "analyst")
    with pytest.raises(InvalidInput, match="identity key"), transaction(node.engine) as session:
        journeys_of(session, actor, "someone", TravelQuery())


def test_a_time_range_narrows_the_crossings(node: Node, tmp_path: Path) -> None:
    build(node, tmp_path)
    everything = _analyse(node)
    january = _analyse(node, since="2026-01-01", until="2026-01-31")
    assert 0 < january.crossings < everything.crossings
