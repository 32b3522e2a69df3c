"""Communities of the actors' graph (Leiden), each with what ties it and the evidence that it is a network.

Leiden (Traag, Waltman and van Eck 2019, through ``leidenalg``) partitions the projection of
``palermo.network.graph``; unlike Louvain it never leaves a community internally disconnected. The quality is the
constant Potts model by default (``leiden_quality: cpm``): a group is a community while its ties weigh more than
``leiden_resolution`` per pair of members, whatever the size of the whole graph (modularity, the alternative, has a
resolution limit: it splits a small network of seven in two and merges small ones in a large graph). The seed and
the resolution are in ``network.yaml``, so the same graph gives the same communities.

Families, tour groups and seasonal crews are communities too: ties are ties. What sets a trafficking network
apart is weighed as the community's **network evidence** (an explained score): exploitation relationships between
its members (``recruited_by``, ``transported_by``, ``exploited_by``, ``financed_by``: the ``exploitation``
category of the relationship taxonomy) and money paid between its members. A community whose evidence reaches
``network_threshold`` is reported as a network.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import leidenalg
from pydantic import BaseModel, ConfigDict

from palermo.explanation import Feature, Score
from palermo.network.edges import PAYMENT
from palermo.network.graph import Projection, relationship_categories
from palermo.network.parameters import NetworkParameters, network_parameters


class Community(BaseModel):
    """One community: its members (node keys), what ties them, its network evidence and a sentence saying so."""

    model_config = ConfigDict(frozen=True)

    id: int
    size: int
    members: tuple[str, ...]
    ties: dict[str, int]
    evidence: Score
    network: bool
    explanation: str


@dataclass(frozen=True)
class Partition:
    """Every actor's community index (``membership[v]`` for projection vertex ``v``) and the communities."""

    membership: list[int]
    communities: list[Community]


def leiden_membership(projection: Projection, parameters: NetworkParameters) -> list[int]:
    """The Leiden community of every vertex of ``projection`` (an isolated vertex is a community of its own)."""
    graph = projection.graph
    if graph.ecount() == 0:
        return list(range(graph.vcount()))
    quality = (
        leidenalg.CPMVertexPartition if parameters.leiden_quality == "cpm" else leidenalg.RBConfigurationVertexPartition
    )
    partition = leidenalg.find_partition(
        graph,
        quality,
        weights="weight",
        resolution_parameter=parameters.leiden_resolution,
        seed=parameters.leiden_seed,
    )
    return list(partition.membership)


def _words(ties: Counter[str], limit: int = 4) -> str:
    return ", ".join(f"{reason} ({count})" for reason, count in ties.most_common(limit))


def network_evidence(ties: Counter[str], parameters: NetworkParameters) -> Score:
    """How far the ties inside a community say it is a trafficking network (see the module docstring)."""
    categories = relationship_categories()
    exploitation = Counter({k: n for k, n in ties.items() if categories.get(k) == "exploitation"})
    payments = ties.get(PAYMENT, 0)
    weights = parameters.evidence_weights
    features = [
        Feature.weighted(
            "exploitation_relationships",
            min(1.0, exploitation.total() / 2),
            weights["exploitation_relationships"],
            f"{exploitation.total()} exploitation relationships between members: {_words(exploitation)}"
            if exploitation
            else "no exploitation relationship between members",
        ),
        Feature.weighted(
            "payments_between_members",
            min(1.0, payments / 2),
            weights["payments_between_members"],
            f"{payments} payments between members" if payments else "no payment between members",
        ),
    ]
    return Score.clamped(features)


def detect_communities(projection: Projection, parameters: NetworkParameters | None = None) -> Partition:
    """Leiden communities of ``projection`` with their ties and evidence, largest first (ids 1, 2, ...)."""
    parameters = parameters or network_parameters()
    membership = leiden_membership(projection, parameters)
    graph = projection.graph
    members: dict[int, list[str]] = {}
    for vertex, community in enumerate(membership):
        members.setdefault(community, []).append(graph.vs[vertex]["name"])
    ties: dict[int, Counter[str]] = {c: Counter() for c in members}
    for edge, reasons in zip(graph.es, projection.reasons, strict=True):
        community = membership[edge.source]
        if community == membership[edge.target]:
            ties[community].update(reasons)
    order = sorted(members, key=lambda c: (-len(members[c]), min(members[c])))
    renumber = {old: new for new, old in enumerate(order, start=1)}
    communities = []
    for old in order:
        evidence = network_evidence(ties[old], parameters)
        network = evidence.total >= parameters.network_threshold
        communities.append(
            Community(
                id=renumber[old],
                size=len(members[old]),
                members=tuple(sorted(members[old])),
                ties=dict(ties[old].most_common()),
                evidence=evidence,
                network=network,
                explanation=_explain(len(members[old]), ties[old], evidence, network),
            )
        )
    return Partition([renumber[c] for c in membership], communities)


def _explain(size: int, ties: Counter[str], evidence: Score, network: bool) -> str:
    if size == 1:
        return "one actor with no tie to any other within the graph's limits"
    verdict = "looks like a trafficking network" if network else "shows no sign of a trafficking network"
    reasons = "; ".join(f.detail for f in evidence.features if f.contribution > 0) or "no exploitation tie or payment"
    return f"{size} actors tied by {_words(ties)}; {verdict} ({reasons}; evidence {evidence.total:.2f})"
