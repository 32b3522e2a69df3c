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
import csv
import os
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

import igraph as ig
from sqlalchemy import select

from common import machine, write_result
from palermo.auth.actor import cli_actor
from palermo.auth.justification import Justification
from palermo.db.engine import make_engine, transaction
from palermo.db.identities import Identity
from palermo.db.migrate import upgrade
from palermo.db.persons import PersonRecord
from palermo.db.reference import Source
from palermo.network.build import build_network
from palermo.network.communities import detect_communities, network_evidence
from palermo.network.graph import identity_keys, project, read_link_graph
from palermo.network.key_players import degree_ranking, rank_community
from palermo.network.parameters import network_parameters
from palermo.resolution import batch
from palermo.settings import Settings
from resolution_errors import world_node

KEY_ROLES = frozenset({"recruiter", "financier", "transporter"})
TARGET_EDGES = 10_000_000


def _csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


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


def _node_persons(node: Any, world: Path) -> dict[str, Counter[str]]:
    """Graph node key -> the true persons of its records (with how many records each)."""
    truth = {(r["source"], r["source_key"]): r["person_id"] for r in _csv(world / "truth" / "records.csv")}
    with transaction(node.engine) as session:
        identities = identity_keys(session)
        rows = session.execute(
            select(PersonRecord.id, Source.name, PersonRecord.source_key).join(
                Source, Source.id == PersonRecord.source_id
            )
        ).all()
    found: dict[str, Counter[str]] = {}
    for record, source, key in rows:
        person = truth.get((source, key))
        if person is not None:
            node_key = identities.get(f"person:{record}", f"person:{record}")
            found.setdefault(node_key, Counter())[person] += 1
    return found


def _person_nodes(node_persons: dict[str, Counter[str]]) -> dict[str, str]:
    """True person -> the node holding most of the person's records."""
    best: dict[str, tuple[int, str]] = {}
    for key, persons in node_persons.items():
        for person, records in persons.items():
            if person not in best or records > best[person][0]:
                best[person] = (records, key)
    return {person: key for person, (_, key) in best.items()}


def _scores(truth: dict[str, str], predicted: dict[str, str]) -> dict[str, float]:
    persons = sorted(truth)

    def ids(labels: list[str]) -> list[int]:
        index: dict[str, int] = {}
        return [index.setdefault(label, len(index)) for label in labels]

    a = ids([truth[p] for p in persons])
    b = ids([predicted.get(p, f"alone:{p}") for p in persons])
    return {
        "ari": round(ig.compare_communities(a, b, method="adjusted_rand"), 4),
        "nmi": round(ig.compare_communities(a, b, method="nmi"), 4),
    }


def _prediction(person_node: dict[str, str], community_of: dict[str, int], kept: set[int] | None) -> dict[str, str]:
    found = {}
    for person, key in person_node.items():
        community = community_of.get(key)
        if community is not None and (kept is None or community in kept):
            found[person] = f"c{community}"
    return found


def _main_person(node_persons: dict[str, Counter[str]], key: str) -> str | None:
    persons = node_persons.get(key)
    return persons.most_common(1)[0][0] if persons else None


def _key_players(
    projection: Any,
    partition: Any,
    persons: dict[str, dict[str, str]],
    node_persons: dict[str, Counter[str]],
    person_node: dict[str, str],
) -> dict[str, Any]:
    """Recall@k of the key roles in their network's community (ours and by degree), and precision@20 overall."""
    community_of = dict(zip(projection.graph.vs["name"], partition.membership, strict=True))
    networks: dict[str, list[str]] = {}
    for person, row in persons.items():
        if row["network_id"]:
            networks.setdefault(row["network_id"], []).append(person)
    ks = (3, 5, 10, 20)
    hits = {"ours": Counter[int](), "degree": Counter[int]()}
    total = 0
    pooled: list[tuple[float, str]] = []
    pooled_degree: list[tuple[int, str]] = []
    ranked: dict[int, list[Any]] = {}
    for community in partition.communities:
        if community.network:
            ranked[community.id] = rank_community(projection, partition.membership, community)
            pooled += [(p.score.total, p.key) for p in ranked[community.id][:3]]
    for members in networks.values():
        key_nodes = {person_node[p] for p in members if persons[p]["role"] in KEY_ROLES and p in person_node}
        total += len(key_nodes)
        home = Counter(community_of.get(person_node.get(p, ""), 0) for p in members).most_common(1)[0][0]
        community = partition.communities[home - 1] if home else None
        if community is None or not community.network:
            continue
        ours = [p.key for p in ranked[community.id]]
        degree = degree_ranking(projection, partition.membership, community)
        for k in ks:
            hits["ours"][k] += len(key_nodes & set(ours[:k]))
            hits["degree"][k] += len(key_nodes & set(degree[:k]))
    graph = projection.graph
    pooled_degree = sorted(((graph.degree(v), graph.vs[v]["name"]) for v in range(graph.vcount())), reverse=True)
    key_node_set = {person_node[p] for p, r in persons.items() if r["role"] in KEY_ROLES and p in person_node}
    pooled.sort(reverse=True)
    return {
        "key_role_nodes": total,
        "recall_at_k_in_own_community": {str(k): round(hits["ours"][k] / max(total, 1), 4) for k in ks},
        "recall_at_k_by_degree_baseline": {str(k): round(hits["degree"][k] / max(total, 1), 4) for k in ks},
        "precision_at_20_overall": round(sum(1 for _, key in pooled[:20] if key in key_node_set) / 20, 4),
        "precision_at_20_overall_by_degree_baseline": round(
            sum(1 for _, key in pooled_degree[:20] if key in key_node_set) / 20, 4
        ),
        "roles_in_top_3_per_network": dict(
            Counter(
                persons[person]["role"]
                for players in ranked.values()
                for player in players[:3]
                if (person := _main_person(node_persons, player.key)) is not None
            )
        ),
    }


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
    persons = {r["person_id"]: r for r in _csv(world / "truth" / "persons.csv")}
    node_persons = _node_persons(node, world)
    person_node = _person_nodes(node_persons)
    truth = {p: (r["network_id"] or f"alone:{p}") for p, r in persons.items()}
    names = projection.graph.vs["name"]
    leiden = dict(zip(names, partition.membership, strict=True))
    networks = {c.id for c in partition.communities if c.network}
    components = projection.graph.connected_components().membership
    component_of = dict(zip(names, components, strict=True))
    component_ties: dict[int, Counter[str]] = {}
    for edge, reasons in zip(projection.graph.es, projection.reasons, strict=True):
        component_ties.setdefault(components[edge.source], Counter()).update(reasons)
    parameters = network_parameters()
    component_networks = {
        c
        for c, ties in component_ties.items()
        if network_evidence(ties, parameters).total >= parameters.network_threshold
    }
    planted = len({r["network_id"] for r in persons.values() if r["network_id"]})
    started = time.perf_counter()
    players = _key_players(projection, partition, persons, node_persons, person_node)
    players_seconds = time.perf_counter() - started
    per_edge = full.seconds / max(full.edges_written, 1)
    cpu_per_edge = build_cpu / max(full.edges_written, 1)
    return {
        "world": f"{scale}-{seed}",
        "true_persons": len(persons),
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
            "reported_networks": len(networks),
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
        },
        "communities": {
            "leiden_networks": _scores(truth, _prediction(person_node, leiden, networks)),
            "leiden_all_communities": _scores(truth, _prediction(person_node, leiden, None)),
            "baseline_components_networks": _scores(truth, _prediction(person_node, component_of, component_networks)),
            "baseline_components_all": _scores(truth, _prediction(person_node, component_of, None)),
        },
        "key_players": players,
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
