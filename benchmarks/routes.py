"""Routes and hotspots (issue 25, items 3-4) on synthetic worlds, measured against their truth: precision and recall
of the trafficking-route labels against the routes the planted networks take, beside two baselines (any route with a
flagged trip; a lift of 2 without a test), and of the border-point hotspots against the points where the truth's
trafficking crossings concentrate, beside the baseline of the points with the most flagged crossings; with the time
each analysis takes. The world is ingested and resolved once per home (reused by later runs).

    .venv/bin/python benchmarks/routes.py [--worlds small,medium] [--seed 7]
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path
from typing import Any

from common import machine, write_result
from palermo.auth.actor import cli_actor
from palermo.auth.justification import Justification
from palermo.db.engine import transaction
from palermo.network.hotspots import find_hotspots
from palermo.network.routes import analyse_routes
from palermo.network.routes_crossings import load_travel
from palermo.network.routes_parameters import TravelQuery
from palermo.network.routes_truth import (
    flag_quality,
    hotspot_measures,
    read_movements,
    route_measures,
    true_hotspots,
    true_routes,
)
from palermo.resolution import batch
from resolution_errors import world_node  # benchmarks/resolution_errors.py (scripts run from this folder)

_RESOLVED = "world-resolved"


def world_case(scale: str, seed: int) -> dict[str, Any]:
    home = Path("/tmp/palermo-routes") / f"{scale}-{seed}"
    started = time.perf_counter()
    node, world = world_node(scale, seed, home)
    resolution_seconds = None
    if not (home / _RESOLVED).exists():
        resolved = time.perf_counter()
        batch.resolve(node, actor="bench:routes", retrain=True)
        resolution_seconds = round(time.perf_counter() - resolved, 1)
        (home / _RESOLVED).write_text("resolved\n", encoding="utf-8")
    prepared = round(time.perf_counter() - started, 1)
    actor = cli_actor("bench:routes", node.agency_code, Justification("legal_basis", "border_control"))
    query = TravelQuery()
    params = query.parameters()
    with transaction(node.engine) as session:
        t0 = time.perf_counter()
        routes = analyse_routes(session, actor, query)
        t1 = time.perf_counter()
        hotspots = find_hotspots(session, actor, query)
        t2 = time.perf_counter()
        data = load_travel(session, actor, query)
        truth = read_movements(session, world)
    truth_routes = true_routes(data, truth, params)
    return {
        "world": f"{scale}-{seed}",
        "prepare_seconds": prepared,
        "resolution_seconds": resolution_seconds,
        "routes_seconds": round(t1 - t0, 2),
        "hotspots_seconds": round(t2 - t1, 2),
        "journeys": routes.journeys,
        "trips": routes.trips,
        "flagged_share_of_trips": routes.flagged_share,
        "flags": flag_quality(data, truth),
        "routes": route_measures(routes, truth_routes),
        "hotspots": hotspot_measures(hotspots, true_hotspots(data, truth, params), data, truth),
        "examples": {
            "trafficking_route": routes.routes[0].explanation if routes.trafficking_routes else None,
            "hotspot": hotspots.hotspots[0].explanation if hotspots.hotspots else None,
        },
    }


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
