"""Communities and key players measured against a synthetic world's truth (the benchmark and the demo).

Truth convention: a person in a planted network belongs to the class of its ``network_id``; every other person
(confounders included: families, tour groups, seasonal crews, school trips) is a class of its own. A person is put
in the community of the graph node (identity) that holds most of the person's records; a person whose node is in
no community reported as a network is a singleton of the prediction. ``leiden_all_communities`` scores every
detected community instead (families and crews then count against it). The baselines are connected components
(all of them, or those whose ties carry the same network evidence) and, for key players, degree centrality in the
same community. Key-role recall@k: of the true recruiters, financiers and escorts (transporters), the share found
among the first k players of the community that holds most of their network.
"""

from __future__ import annotations

import csv
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import igraph as ig
from sqlalchemy import select
from sqlalchemy.orm import Session

from palermo.db.persons import PersonRecord
from palermo.db.reference import Source
from palermo.network.communities import Partition, network_evidence
from palermo.network.graph import Projection, identity_keys
from palermo.network.key_players import degree_ranking, rank_community
from palermo.network.parameters import network_parameters

KEY_ROLES = frozenset({"recruiter", "financier", "transporter"})
OFFICIAL = "corrupt_official"
RECALL_AT = (3, 5, 10, 20)


def _csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@dataclass(frozen=True)
class WorldTruth:
    """The world's persons (``truth/persons.csv`` rows by id) and where their records sit in the graph."""

    persons: dict[str, dict[str, str]]
    node_persons: dict[str, Counter[str]]  # graph node key -> true persons of its records, with record counts
    person_node: dict[str, str]  # true person -> the node holding most of the person's records

    def main_person(self, key: str) -> str | None:
        found = self.node_persons.get(key)
        return found.most_common(1)[0][0] if found else None


def read_world_truth(session: Session, world: Path) -> WorldTruth:
    truth = {(r["source"], r["source_key"]): r["person_id"] for r in _csv(world / "truth" / "records.csv")}
    identities = identity_keys(session)
    rows = session.execute(
        select(PersonRecord.id, Source.name, PersonRecord.source_key).join(Source, Source.id == PersonRecord.source_id)
    )
    node_persons: dict[str, Counter[str]] = {}
    for record, source, key in rows:
        person = truth.get((source, key))
        if person is not None:
            node = identities.get(f"person:{record}", f"person:{record}")
            node_persons.setdefault(node, Counter())[person] += 1
    best: dict[str, tuple[int, str]] = {}
    for node, held in node_persons.items():
        for person, records in held.items():
            if person not in best or records > best[person][0]:
                best[person] = (records, node)
    persons = {r["person_id"]: r for r in _csv(world / "truth" / "persons.csv")}
    return WorldTruth(persons, node_persons, {p: node for p, (_, node) in best.items()})


def agreement(truth: dict[str, str], predicted: dict[str, str]) -> dict[str, float]:
    """Adjusted Rand index and normalised mutual information of two labellings (absent: a singleton)."""
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


def _prediction(world: WorldTruth, community_of: dict[str, int], kept: set[int] | None) -> dict[str, str]:
    found = {}
    for person, key in world.person_node.items():
        community = community_of.get(key)
        if community is not None and (kept is None or community in kept):
            found[person] = f"c{community}"
    return found


def community_scores(world: WorldTruth, projection: Projection, partition: Partition) -> dict[str, dict[str, float]]:
    """ARI and NMI of the reported networks, of every community, and of the connected-component baselines."""
    truth = {p: (r["network_id"] or f"alone:{p}") for p, r in world.persons.items()}
    names = projection.graph.vs["name"]
    leiden = dict(zip(names, partition.membership, strict=True))
    networks = {c.id for c in partition.communities if c.network}
    components = projection.graph.connected_components().membership
    component_of = dict(zip(names, components, strict=True))
    ties: dict[int, Counter[str]] = {}
    for edge, reasons in zip(projection.graph.es, projection.reasons, strict=True):
        ties.setdefault(components[edge.source], Counter()).update(reasons)
    parameters = network_parameters()
    component_networks = {
        c for c, t in ties.items() if network_evidence(t, parameters).total >= parameters.network_threshold
    }
    return {
        "leiden_networks": agreement(truth, _prediction(world, leiden, networks)),
        "leiden_all_communities": agreement(truth, _prediction(world, leiden, None)),
        "baseline_components_networks": agreement(truth, _prediction(world, component_of, component_networks)),
        "baseline_components_all": agreement(truth, _prediction(world, component_of, None)),
    }


def key_player_scores(world: WorldTruth, projection: Projection, partition: Partition) -> dict[str, Any]:
    """Key-role recall@k in each network's community (ours and by degree) and precision@20 overall."""
    community_of = dict(zip(projection.graph.vs["name"], partition.membership, strict=True))
    networks: dict[str, list[str]] = {}
    for person, row in world.persons.items():
        if row["network_id"]:
            networks.setdefault(row["network_id"], []).append(person)
    ranked = {c.id: rank_community(projection, partition.membership, c) for c in partition.communities if c.network}
    hits: dict[str, Counter[int]] = {"ours": Counter(), "degree": Counter()}
    total = 0
    for members in networks.values():
        key_nodes = {
            world.person_node[p] for p in members if world.persons[p]["role"] in KEY_ROLES and p in world.person_node
        }
        total += len(key_nodes)
        home = Counter(community_of.get(world.person_node.get(p, ""), 0) for p in members).most_common(1)[0][0]
        if not home or home not in ranked:
            continue
        ours = [p.key for p in ranked[home]]
        degree = degree_ranking(projection, partition.membership, partition.communities[home - 1])
        for k in RECALL_AT:
            hits["ours"][k] += len(key_nodes & set(ours[:k]))
            hits["degree"][k] += len(key_nodes & set(degree[:k]))
    key_set = {
        world.person_node[p] for p, r in world.persons.items() if r["role"] in KEY_ROLES and p in world.person_node
    }
    pooled = sorted(((p.score.total, p.key) for players in ranked.values() for p in players[:3]), reverse=True)
    graph = projection.graph
    by_degree = sorted(((graph.degree(v), graph.vs[v]["name"]) for v in range(graph.vcount())), reverse=True)
    return {
        "key_role_nodes": total,
        "recall_at_k_in_own_community": {str(k): round(hits["ours"][k] / max(total, 1), 4) for k in RECALL_AT},
        "recall_at_k_by_degree_baseline": {str(k): round(hits["degree"][k] / max(total, 1), 4) for k in RECALL_AT},
        "precision_at_20_overall": round(sum(1 for _, key in pooled[:20] if key in key_set) / 20, 4),
        "precision_at_20_overall_by_degree_baseline": round(sum(1 for _, k in by_degree[:20] if k in key_set) / 20, 4),
        "roles_in_top_3_per_network": dict(
            Counter(
                world.persons[main]["role"]
                for players in ranked.values()
                for player in players[:3]
                if (main := world.main_person(player.key)) is not None
            )
        ),
    }


def official_alert_scores(world: WorldTruth, flagged: list[str]) -> dict[str, int]:
    """The corrupt-official alerts against the truth: how many actors the pattern flagged, how many of them hold a
    planted corrupt official's records, and how many officials the world planted."""
    right = sum(1 for key in flagged if world.persons.get(world.main_person(key) or "", {}).get("role") == OFFICIAL)
    planted = sum(1 for row in world.persons.values() if row["role"] == OFFICIAL)
    return {"flagged": len(flagged), "true_officials": right, "planted_officials": planted}


def pattern_scores(world: WorldTruth, findings: list[tuple[str, tuple[str, ...]]]) -> dict[str, dict[str, int]]:
    """Per network-alert pattern: how many findings, and how many name at least one actor holding the records of a
    person in a planted network (the others are about confounders: families, school trips, seasonal crews)."""
    scores: dict[str, dict[str, int]] = {}
    for pattern, involved in findings:
        held = scores.setdefault(pattern, {"findings": 0, "naming_a_network_member": 0})
        held["findings"] += 1
        persons = [world.persons.get(world.main_person(key) or "", {}) for key in involved]
        held["naming_a_network_member"] += any(p.get("network_id") for p in persons)
    return scores
