"""The link graph measured on synthetic worlds against their truth: communities (ARI and NMI against the planted
networks) and key players (recall of the true recruiters, financiers and escorts), beside the plain baselines in
the same run (connected components; degree centrality), with the build's time per record and edge and its
extrapolation to 10M edges. Prints JSON and writes benchmarks/results/network.json.

    .venv/bin/python benchmarks/network.py [--worlds small,medium] [--seed 7] [--home-root DIR]

Each world is generated, ingested and resolved once into a node kept under ``--home-root`` (as
``resolution_errors.py`` keeps them; an existing node there is reused, migrated to the current schema).

Truth convention: a person in a planted network belongs to the class of its ``network_id``; every other person
(confounders included: families, tour groups, seasonal crews, school trips) is a class of its own. A person is put
in the community of the graph node (identity) that holds most of the person's records; a person whose node is in
no community reported as a network is a singleton of the prediction. "All communities" scores every detected
community as a prediction (families and crews then count against it); "networks" scores the communities whose
network evidence reaches the threshold (docs/network.md).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path
from typing import Any

from sqlalchemy import select

from common import machine, write_result
from palermo.auth.actor import cli_actor
from palermo.auth.justification import Justification
from palermo.db.engine import make_engine, transaction
from palermo.db.identities import Identity
from palermo.db.migrate import upgrade
from palermo.network.alerts import raise_network_alerts
from palermo.network.build import build_network
from palermo.network.communities import detect_communities
from palermo.network.graph import project, read_link_graph
from palermo.network.measurement import (
    community_scores,
    key_player_scores,
    official_alert_scores,
    pattern_scores,
    read_world_truth,
)
from palermo.network.parameters import network_parameters
from palermo.resolution import batch
from palermo.settings import Settings
from resolution_errors import world_node

TARGET_EDGES = 10_000_000


def _prepare(scale: str, seed: int, home: Path) -> tuple[Any, Path, float | None]:
    """The world's node, migrated and resolved; the seconds resolution took (``None``: resolved before)."""
    if (home / "palermo.db").exists():
        upgrade(make_engine(Settings(home=home).effective_database_url))
    node, world = world_node(scale, seed, home)
    with transaction(node.engine) as session:
        resolved = session.scalar(select(Identity.id).limit(1)) is not None
    seconds = None
    if not resolved:
        started = time.perf_counter()
        batch.resolve(node, actor="bench:network", retrain=True)
        seconds = round(time.perf_counter() - started, 1)
    return node, world, seconds


def measure_world(scale: str, seed: int, home: Path) -> dict[str, Any]:
    node, world, resolution_seconds = _prepare(scale, seed, home)
    actor = cli_actor("bench:network", node.agency_code, Justification("legal_basis", "criminal_investigation"))
    load_before = os.getloadavg()[0]
    cpu = time.process_time()
    with transaction(node.engine) as session:
        full = build_network(session, actor, full=True)
    build_cpu = time.process_time() - cpu
    with transaction(node.engine) as session:
        again = build_network(session, actor)
    started = time.perf_counter()
    with transaction(node.engine) as session:
        link = read_link_graph(session, include_special=True)
    read_seconds = time.perf_counter() - started
    started = time.perf_counter()
    projection = project(link)
    project_seconds = time.perf_counter() - started
    started = time.perf_counter()
    partition = detect_communities(projection)
    leiden_seconds = time.perf_counter() - started
    with transaction(node.engine) as session:
        truth = read_world_truth(session, world)
    planted = len({r["network_id"] for r in truth.persons.values() if r["network_id"]})
    started = time.perf_counter()
    players = key_player_scores(truth, projection, partition)
    players_seconds = time.perf_counter() - started
    started = time.perf_counter()
    with transaction(node.engine) as session:
        raised = raise_network_alerts(session, actor)
    alerts_seconds = time.perf_counter() - started
    patterns = pattern_scores(truth, [(f.pattern, f.involved) for f in raised.findings])
    officials = official_alert_scores(truth, [f.actor for f in raised.findings if f.pattern == "corrupt_official"])
    per_edge = full.seconds / max(full.edges_written, 1)
    cpu_per_edge = build_cpu / max(full.edges_written, 1)
    return {
        "world": f"{scale}-{seed}",
        "true_persons": len(truth.persons),
        "planted_networks": planted,
        "resolution_seconds": resolution_seconds,
        "graph": {
            "records": full.records_read,
            "edges": full.edges_written,
            "nodes": len(link.keys),
            "ties": len(link.ties),
            "actors": projection.graph.vcount(),
            "projected_ties": projection.graph.ecount(),
            "communities": len(partition.communities),
            "communities_of_2_or_more": sum(1 for c in partition.communities if c.size > 1),
            "reported_networks": sum(1 for c in partition.communities if c.network),
        },
        "timing": {
            "load_average_at_build": round(load_before, 1),
            "full_build_seconds": full.seconds,
            "full_build_cpu_seconds": round(build_cpu, 2),
            "cpu_microseconds_per_edge": round(cpu_per_edge * 1e6, 1),
            "extrapolated_full_build_cpu_seconds_for_10M_edges": round(cpu_per_edge * TARGET_EDGES, 0),
            "incremental_build_seconds_nothing_new": again.seconds,
            "microseconds_per_edge": round(per_edge * 1e6, 1),
            "microseconds_per_record": round(full.seconds / max(full.records_read, 1) * 1e6, 1),
            "extrapolated_full_build_seconds_for_10M_edges": round(per_edge * TARGET_EDGES, 0),
            "read_graph_seconds": round(read_seconds, 2),
            "project_seconds": round(project_seconds, 2),
            "leiden_seconds": round(leiden_seconds, 2),
            "key_players_seconds": round(players_seconds, 2),
            "network_alerts_seconds": round(alerts_seconds, 2),
        },
        "communities": community_scores(truth, projection, partition),
        "key_players": players,
        "network_alerts": {"per_pattern": dict(sorted(patterns.items())), "corrupt_official": officials},
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--worlds", default="small,medium")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--home-root", type=Path, default=Path("/tmp/palermo-network"))
    parser.add_argument("--name", default="network", help="result file name (benchmarks/results/NAME.json)")
    args = parser.parse_args()
    results = []
    for scale in args.worlds.split(","):
        results.append(measure_world(scale, args.seed, args.home_root / f"{scale}-{args.seed}"))
        sys.stderr.write(f"{scale}: {results[-1]['communities']}\n")
    write_result(
        args.name,
        {
            "benchmark": "network",
            "machine": machine(),
            "parameters": network_parameters().model_dump(),
            "targets": {"ari_medium": 0.9, "key_role_recall_at_20": 0.9, "full_build_10M_edges_seconds": 600},
            "worlds": results,
        },
    )


if __name__ == "__main__":
    main()
