"""Key players of a community: who brokers it, who lies between its members, whose removal breaks it apart.

Three measures on the community's own subgraph of the actors' graph, each 0-1, weighted in ``network.yaml``:

- **betweenness**: the share of shortest paths between other members that pass through the actor (normalised by
  the pairs of the others), a tie's length being one over its weight, so that paths run along strong ties (a
  recruiter tied to each victim by ``recruited_by`` lies between victims who only share a flat);
- **brokerage**: how many of the actor's contacts are not tied to each other (one minus the local clustering
  coefficient; Burt's structural holes in its simplest form), counted only for actors with two contacts or more;
- **fragmentation** (the key-player problem, Borgatti 2006): remove the actor and measure how far the rest falls
  apart, ``1 - sum(s_k (s_k - 1)) / (m (m - 1))`` over the sizes ``s_k`` of the parts the ``m`` others fall into:
  0 when they stay connected, 1 when nobody can reach anybody.

Each key player's explanation says which ties hold it in place and what removing it does ("removing identity:12
splits the community into 3 parts of sizes 9, 2 and 1").
"""

from __future__ import annotations

from collections import Counter

import igraph as ig
from pydantic import BaseModel, ConfigDict

from palermo.explanation import Feature, Score
from palermo.network.communities import Community
from palermo.network.graph import Projection
from palermo.network.parameters import NetworkParameters, network_parameters


class KeyPlayer(BaseModel):
    """One actor of a community, with its explained key-player score and what removing it leaves."""

    model_config = ConfigDict(frozen=True)

    key: str
    community: int
    score: Score
    degree: int
    parts_without: tuple[int, ...]
    ties: dict[str, int]
    explanation: str


def fragmentation(sizes: list[int]) -> float:
    """Borgatti's fragmentation of a graph whose components have ``sizes``: 0 connected, 1 all apart."""
    m = sum(sizes)
    if m < 2:
        return 0.0
    return 1.0 - sum(s * (s - 1) for s in sizes) / (m * (m - 1))


def _parts(sizes: list[int]) -> str:
    ordered = sorted(sizes, reverse=True)
    if len(ordered) == 1:
        return f"leaves the other {ordered[0]} connected"
    listed = ", ".join(str(s) for s in ordered[:-1]) + f" and {ordered[-1]}"
    return f"splits the community into {len(ordered)} parts of sizes {listed}"


def _words(ties: Counter[str], limit: int = 3) -> str:
    return ", ".join(f"{reason} ({count})" for reason, count in ties.most_common(limit)) or "no tie"


def rank_community(
    projection: Projection, membership: list[int], community: Community, parameters: NetworkParameters | None = None
) -> list[KeyPlayer]:
    """Every member of ``community`` as a key player, the strongest first."""
    parameters = parameters or network_parameters()
    vertices = [v for v, c in enumerate(membership) if c == community.id]
    sub: ig.Graph = projection.graph.induced_subgraph(vertices)
    n = sub.vcount()
    distances = [1.0 / w for w in sub.es["weight"]] if sub.ecount() else None
    betweenness = sub.betweenness(directed=False, weights=distances) if n > 2 else [0.0] * n
    pairs = (n - 1) * (n - 2) / 2 or 1.0
    clustering = sub.transitivity_local_undirected(mode="zero")
    reasons = _incident_reasons(projection, vertices)
    weights = parameters.key_player_weights
    players = []
    for v in range(n):
        degree = sub.degree(v)
        rest = sub.copy()
        rest.delete_vertices(v)
        sizes = rest.connected_components().sizes() if rest.vcount() else []
        frag = fragmentation(sizes)
        between = betweenness[v] / pairs
        broker = 1.0 - clustering[v] if degree >= 2 else 0.0
        key = sub.vs[v]["name"]
        features = [
            Feature.weighted(
                "betweenness",
                round(between, 6),
                weights["betweenness"],
                f"on {between:.0%} of the shortest paths between other members",
            ),
            Feature.weighted(
                "brokerage",
                round(broker, 6),
                weights["brokerage"],
                f"{degree} contacts in the community, {broker:.0%} of their pairs not tied to each other",
            ),
            Feature.weighted(
                "fragmentation", round(frag, 6), weights["fragmentation"], f"removing {key} {_parts(sizes)}"
            ),
        ]
        score = Score.clamped(features)
        ties = reasons[vertices[v]]
        players.append(
            KeyPlayer(
                key=key,
                community=community.id,
                score=score,
                degree=degree,
                parts_without=tuple(sorted(sizes, reverse=True)),
                ties=dict(ties.most_common()),
                explanation=f"{key}: tied by {_words(ties)}; {features[0].detail}; {features[2].detail}",
            )
        )
    players.sort(key=lambda p: (-p.score.total, -p.degree, p.key))
    return players


def _incident_reasons(projection: Projection, vertices: list[int]) -> dict[int, Counter[str]]:
    inside = set(vertices)
    found: dict[int, Counter[str]] = {v: Counter() for v in vertices}
    for v in vertices:
        for edge in projection.graph.incident(v):
            e = projection.graph.es[edge]
            other = e.target if e.source == v else e.source
            if other in inside:
                found[v].update(projection.reasons[edge])
    return found


def degree_ranking(projection: Projection, membership: list[int], community: Community) -> list[str]:
    """The baseline: the community's members by their number of contacts in it, most first."""
    vertices = [v for v, c in enumerate(membership) if c == community.id]
    sub = projection.graph.induced_subgraph(vertices)
    order = sorted(range(sub.vcount()), key=lambda v: (-sub.degree(v), sub.vs[v]["name"]))
    return [sub.vs[v]["name"] for v in order]
