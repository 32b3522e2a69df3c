"""Routes and hotspots (issue 25, items 3-4) on synthetic worlds, measured against their truth: precision and recall
of the trafficking-route labels against the routes the planted networks take, beside two baselines (any route with a
flagged trip; a lift of 2 without a test), and of the border-point hotspots against the points where the truth's
trafficking crossings concentrate, beside the baseline of the points with the most flagged crossings; with the time
each analysis takes. The world is ingested and resolved once per home (reused by later runs).

Three runs per world, by what flags travellers:
- ``store``: what the store says (exploitation relationships, alerts): in the synthetic world only police records of
  networks carry such relationships, so these flags are all right and cover part of the networks' crossings;
- ``store+false_flags``: the same plus as many ordinary travellers as the store flags identities (travellers or
  not), drawn at random (seeded), flagged as a noisy alert source would: flag precision falls to about 0.15 of the
  crossings. This is where a test earns its keep over counting;
- ``store+communities``: the same as ``store`` plus the members of the link graph's network-like communities
  (``palermo network build``, Leiden), each traveller counted in their community.

    .venv/bin/python benchmarks/routes.py [--worlds small,medium] [--seed 7]
"""

from __future__ import annotations

import argparse
import random
import time
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from common import machine, write_result
from palermo.auth.actor import Actor, cli_actor
from palermo.auth.justification import Justification
from palermo.db.engine import transaction
from palermo.network.build import build_network, last_build
from palermo.network.hotspots import find_hotspots
from palermo.network.routes import analyse_routes
from palermo.network.routes_communities import community_context
from palermo.network.routes_crossings import TravelData, load_travel
from palermo.network.routes_parameters import TravelQuery
from palermo.network.routes_truth import (
    Movement,
    flag_quality,
    hotspot_measures,
    read_movements,
    route_measures,
    true_hotspots,
    true_routes,
)
from palermo.node import Node
from palermo.resolution import batch
from resolution_errors import world_node  # benchmarks/resolution_errors.py (scripts run from this folder)

_RESOLVED = "world-resolved"
_SEED = 25


def _false_flags(data: TravelData, truth: dict[int, Movement]) -> dict[str, str]:
    """As many travellers who never moved with a network as the store flags, drawn at random (seeded)."""
    trafficking = {c.identity for c in data.crossings if c.event_id in truth and truth[c.event_id].trafficking}
    ordinary = sorted({c.identity for c in data.crossings} - trafficking - set(data.flagged_identities))
    drawn = random.Random(_SEED).sample(ordinary, min(len(ordinary), len(data.flagged_identities)))
    return dict.fromkeys(drawn, "simulated false alert")


def _run(session: Session, actor: Actor, truth: dict[int, Movement], flags: dict[str, str],
         communities: bool) -> dict[str, Any]:  # fmt: skip
    query = TravelQuery()
    params = query.parameters()
    t0 = time.perf_counter()
    routes = analyse_routes(session, actor, query, flagged_identities=flags, use_communities=communities)
    t1 = time.perf_counter()
    hotspots = find_hotspots(session, actor, query, flagged_identities=flags, use_communities=communities)
    t2 = time.perf_counter()
    extra = {**community_context(session, actor).network_members, **flags} if communities else flags
    data = load_travel(session, actor, query, extra)
    return {
        "routes_seconds": round(t1 - t0, 2),
        "hotspots_seconds": round(t2 - t1, 2),
        "journeys": routes.journeys,
        "trips": routes.trips,
        "flagged_share_of_trips": routes.flagged_share,
        "flags": flag_quality(data, truth),
        "routes": route_measures(routes, true_routes(data, truth, params)),
        "hotspots": hotspot_measures(hotspots, true_hotspots(data, truth, params), data, truth),
        "examples": {
            "trafficking_route": routes.routes[0].explanation if routes.trafficking_routes else None,
            "hotspot": hotspots.hotspots[0].explanation if hotspots.hotspots else None,
        },
    }


def _prepared(scale: str, seed: int) -> tuple[Node, Path, dict[str, Any]]:
    home = Path("/tmp/palermo-routes") / f"{scale}-{seed}"
    started = time.perf_counter()
    node, world = world_node(scale, seed, home)
    timings: dict[str, Any] = {"ingest_seconds": round(time.perf_counter() - started, 1)}
    if not (home / _RESOLVED).exists():
        resolved = time.perf_counter()
        batch.resolve(node, actor="bench:routes", retrain=True)
        timings["resolution_seconds"] = round(time.perf_counter() - resolved, 1)
        (home / _RESOLVED).write_text("resolved\n", encoding="utf-8")
    with transaction(node.engine) as session:
        if last_build(session) is None:
            built = time.perf_counter()
            build_network(session, cli_actor("bench:routes", node.agency_code), full=True)
            timings["graph_build_seconds"] = round(time.perf_counter() - built, 1)
    return node, world, timings


def world_case(scale: str, seed: int) -> dict[str, Any]:
    node, world, timings = _prepared(scale, seed)
    actor = cli_actor("bench:routes", node.agency_code, Justification("legal_basis", "border_control"))
    with transaction(node.engine) as session:
        truth = read_movements(session, world)
        store = load_travel(session, actor, TravelQuery())
        runs = {
            "store": _run(session, actor, truth, {}, False),
            "store+false_flags": _run(session, actor, truth, _false_flags(store, truth), False),
            "store+communities": _run(session, actor, truth, {}, True),
        }
    return {"world": f"{scale}-{seed}", **timings, "crossings": len(store.crossings), "runs": runs}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--worlds", default="small", help="comma-separated scales (tiny, small, medium)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--name", default="routes", help="result file name (benchmarks/results/NAME.json)")
    args = parser.parse_args()
    params = TravelQuery().parameters()
    cases = [world_case(scale, args.seed) for scale in args.worlds.split(",") if scale]
    write_result(args.name, {"machine": machine(), "parameters": params.model_dump(), "worlds": cases})


if __name__ == "__main__":
    main()
