"""The demo's network step: build the link graph of the resolved world, find its communities and key players, and
measure them against the world's truth (``palermo.network.measurement``); raise the network alerts and check the
corrupt-official pattern against the planted officials; find the trafficking routes and the hotspots with the
communities as flags and measure them against the routes and border points the planted networks use
(``palermo.network.routes_truth``, as ``benchmarks/routes.py`` does)."""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from palermo.auth.actor import Actor
from palermo.db.engine import transaction
from palermo.network.alerts import raise_network_alerts
from palermo.network.analysis import analysed, list_communities, top_key_players
from palermo.network.build import build_network
from palermo.network.hotspots import find_hotspots
from palermo.network.measurement import (
    community_scores,
    key_player_scores,
    official_alert_scores,
    read_world_truth,
)
from palermo.network.routes import analyse_routes
from palermo.network.routes_communities import community_context
from palermo.network.routes_crossings import load_travel
from palermo.network.routes_parameters import TravelQuery
from palermo.network.routes_truth import (
    hotspot_measures,
    read_movements,
    route_measures,
    true_hotspots,
    true_routes,
)
from palermo.node import Node


@dataclass(frozen=True)
class NetworkReport:
    edges: int
    actors: int
    communities: int
    networks: int
    planted: int
    seconds: float
    scores: dict[str, dict[str, float]]
    key_players: dict[str, Any]
    strongest: tuple[str, ...]  # the three strongest key players, explained
    patterns: dict[str, int]  # network alerts' findings per pattern
    officials: tuple[int, ...]  # corrupt-official findings, of them true officials, officials planted
    routes: dict[str, Any]  # trafficking-route labels against the planted networks' routes (route_measures)
    hotspots: dict[str, Any]  # border-point hotspots against the truth's (hotspot_measures)


def network_world(node: Node, world_dir: Path, actor: Actor) -> NetworkReport:
    """Build the graph in full, read its networks and key players as ``actor``, and score them on the truth."""
    started = time.perf_counter()
    with transaction(node.engine) as session:
        built = build_network(session, actor, full=True)
    with transaction(node.engine) as session:
        raised = raise_network_alerts(session, actor)
    with transaction(node.engine) as session:
        listed = list_communities(session, actor, networks_only=True, limit=500)
        players = top_key_players(session, actor, limit=3)
        graph = analysed(session, include_special=listed.special_included)
        truth = read_world_truth(session, world_dir)
    with transaction(node.engine) as session:
        routes, hotspots = _routes_and_hotspots(session, actor, world_dir)
    seconds = time.perf_counter() - started
    return NetworkReport(
        edges=built.edges_total,
        actors=listed.actors,
        communities=listed.communities_total,
        networks=listed.networks_total,
        planted=len({r["network_id"] for r in truth.persons.values() if r["network_id"]}),
        seconds=round(seconds, 2),
        scores=community_scores(truth, graph.projection, graph.partition),
        key_players=key_player_scores(truth, graph.projection, graph.partition),
        strongest=tuple(f"{line.label}: {line.player.explanation}" for line in players),
        patterns=dict(Counter(f.pattern for f in raised.findings)),
        officials=tuple(
            official_alert_scores(truth, [f.actor for f in raised.findings if f.pattern == "corrupt_official"]).values()
        ),
        routes=routes,
        hotspots=hotspots,
    )


def _routes_and_hotspots(session: Session, actor: Actor, world_dir: Path) -> tuple[dict[str, Any], dict[str, Any]]:
    """Routes and hotspots over the whole timeline, each network-like community's members flagged."""
    query = TravelQuery()
    movements = read_movements(session, world_dir)
    routes = analyse_routes(session, actor, query, flagged_identities={}, use_communities=True)
    hotspots = find_hotspots(session, actor, query, flagged_identities={}, use_communities=True)
    data = load_travel(session, actor, query, community_context(session, actor).network_members)
    params = query.parameters()
    return (
        route_measures(routes, true_routes(data, movements, params)),
        hotspot_measures(hotspots, true_hotspots(data, movements, params), data, movements),
    )
