"""Routes and hotspots over the link graph's communities: journeys counted per community, the members of a
network-like community flagged, and a plain note (not a failure) before the graph is built."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from palermo.auth.actor import cli_actor
from palermo.db.engine import transaction
from palermo.db.persons import PersonRecord
from palermo.network.build import build_network
from palermo.network.hotspots import find_hotspots
from palermo.network.routes import analyse_routes
from palermo.network.routes_parameters import TravelQuery
from palermo.node import Node
from tests.travel_world import NETWORK_ROUTE, actor_of, build


def test_before_a_build_the_answer_says_there_are_no_communities(node: Node, tmp_path: Path) -> None:
    build(node, tmp_path)
    actor = actor_of(node, "ana", "analyst")
    with transaction(node.engine) as session:
        routes = analyse_routes(session, actor, TravelQuery(), use_communities=True)
        spots = find_hotspots(session, actor, TravelQuery(), use_communities=True)
    assert routes.communities_note is not None
    assert "palermo network build" in routes.communities_note
    assert spots.communities_note == routes.communities_note
    assert routes.trafficking_routes == 1  # the store's own flags still work


def test_journeys_count_per_community_and_network_members_are_flagged(node: Node, tmp_path: Path) -> None:
    world = build(node, tmp_path)
    with transaction(node.engine) as session:
        build_network(session, cli_actor("cli:tester", node.agency_code), full=True)
    actor = actor_of(node, "sup", "supervisor")
    with transaction(node.engine) as session:
        routes = analyse_routes(session, actor, TravelQuery(), use_communities=True)
        athens = session.scalars(select(PersonRecord.id).where(PersonRecord.source_key.like("a%"))).all()
        chosen = {f"person:{p}": "seen at the airport" for p in athens}
        picked = analyse_routes(session, actor, TravelQuery(), flagged_identities=chosen)
        spots = find_hotspots(session, actor, TravelQuery(), flagged_identities=chosen)
    network = next(r for r in routes.routes if r.route == NETWORK_ROUTE)
    assert routes.communities_note is None
    assert network.communities  # the escort's and the victims' community
    assert max(network.communities.values()) >= 7  # the escort's 6 journeys and at least one victim's
    assert all(label.startswith("community:") for label in network.communities)
    assert world.escort in {k for r in routes.routes for k in r.flagged_identities}
    athens_route = next(r for r in picked.routes if r.route == "TUR > ATH > GRC")
    assert (athens_route.flagged_trips, athens_route.trafficking) == (20, True)
    athens_point = next(h for h in spots.hotspots if h.key == "ATH" and h.period is None)
    assert athens_point.reasons == {"seen at the airport": 20}
