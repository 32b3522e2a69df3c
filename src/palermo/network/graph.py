"""The link graph as an actor may see it, and its projection onto the actors (identities and organisations).

:func:`read_link_graph` reads the stored edges (special-category ones only when asked to: the callers ask only
for actors who hold ``victims.read``), puts each person record into its identity (a record that no identity holds
stands for itself, as ``person:<id>``) and merges parallel records into one tie per pair and kind, with the number
of records behind it.

:func:`project` turns the graph into one over actors: two actors are tied directly by a relationship or a payment
(weighted by the relationship's category, ``network.yaml``), and through every thing they share (a phone, a
booking, an address, a payer ...), with the thing's weight divided by its holders less one, so that a phone of
two people ties them fully and a booking of ten only a ninth as much. A thing with more than ``hub_size`` holders
ties none of them. Each projected tie keeps its reasons (``{"shared booking": 2, "recruited_by": 1}``) for the
explanations of communities and key players.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from typing import Any

import igraph as ig
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from palermo.db.identities import Identity, IdentityMember
from palermo.db.network import NetworkEdge
from palermo.network.edges import PAYMENT
from palermo.network.parameters import NetworkParameters, network_parameters
from palermo.taxonomies import taxonomy

ACTOR_KINDS = frozenset({"identity", "person", "organisation"})
READ_BATCH = 50_000


def node_kind(key: str) -> str:
    """``phone`` for ``phone:+39...``: the kind of a node from its key."""
    return key.split(":", 1)[0]


def is_actor(key: str) -> bool:
    return node_kind(key) in ACTOR_KINDS


@cache
def relationship_categories() -> dict[str, str]:
    return {
        term.id: str(term.attributes.get("category", "association")) for term in taxonomy("relationship_kinds").terms
    }


def tie_weight(kind: str, parameters: NetworkParameters) -> float:
    """The weight of one tie of ``kind`` (a relationship kind, ``payment`` or a shared thing's edge kind)."""
    if kind == PAYMENT:
        return parameters.payment_weight
    category = relationship_categories().get(kind)
    if category is not None:
        return parameters.relationship_weights.get(category, 1.0)
    return parameters.thing_weights.get(kind, 1.0)


@dataclass
class LinkGraph:
    """Nodes by key and undirected ties: ``ties[(a, b)][kind]`` = records behind the tie (``a < b`` as indices)."""

    keys: list[str] = field(default_factory=list)
    index: dict[str, int] = field(default_factory=dict)
    ties: dict[tuple[int, int], dict[str, int]] = field(default_factory=dict)
    special_included: bool = False

    def node(self, key: str) -> int:
        found = self.index.get(key)
        if found is None:
            found = self.index[key] = len(self.keys)
            self.keys.append(key)
        return found

    def add(self, kind: str, a: str, b: str, records: int) -> None:
        i, j = self.node(a), self.node(b)
        if i == j:
            return
        pair = (i, j) if i < j else (j, i)
        kinds = self.ties.setdefault(pair, {})
        kinds[kind] = kinds.get(kind, 0) + records

    def neighbours(self) -> dict[int, list[int]]:
        found: dict[int, list[int]] = defaultdict(list)
        for i, j in self.ties:
            found[i].append(j)
            found[j].append(i)
        return found

    def to_igraph(self) -> ig.Graph:
        """The whole graph (actors and things) for exports: vertex ``name`` and ``kind``, edge ``kinds`` and
        ``records``."""
        graph = ig.Graph(n=len(self.keys), edges=list(self.ties), directed=False)
        graph.vs["name"] = self.keys
        graph.vs["kind"] = [node_kind(k) for k in self.keys]
        graph.es["kinds"] = [";".join(sorted(kinds)) for kinds in self.ties.values()]
        graph.es["records"] = [sum(kinds.values()) for kinds in self.ties.values()]
        return graph


def identity_keys(session: Session) -> dict[str, str]:
    """``person:<record id>`` -> ``identity:<id>`` for every record in a current identity."""
    rows = session.execute(
        select(IdentityMember.person_id, IdentityMember.identity_id)
        .join(Identity, Identity.id == IdentityMember.identity_id)
        .where(Identity.retired_at.is_(None))
        .execution_options(yield_per=READ_BATCH)
    )
    return {f"person:{person}": f"identity:{identity}" for person, identity in rows}


def read_link_graph(session: Session, *, include_special: bool, keys: Iterable[str] | None = None) -> LinkGraph:
    """The stored edges as one graph (only those touching ``keys``, when given; person keys as they are stored)."""
    identities = identity_keys(session)
    query = select(NetworkEdge.kind, NetworkEdge.source_key, NetworkEdge.target_key, func.count()).group_by(
        NetworkEdge.kind, NetworkEdge.source_key, NetworkEdge.target_key
    )
    if not include_special:
        query = query.where(NetworkEdge.sensitivity == "ordinary")
    graph = LinkGraph(special_included=include_special)
    if keys is not None:
        wanted = sorted(set(keys))
        for start in range(0, len(wanted), 500):
            chunk = wanted[start : start + 500]
            for part in (NetworkEdge.source_key.in_(chunk), NetworkEdge.target_key.in_(chunk)):
                _add_rows(graph, session.execute(query.where(part)), identities)
        return graph
    _add_rows(graph, session.execute(query.execution_options(yield_per=READ_BATCH)), identities)
    return graph


def _add_rows(graph: LinkGraph, rows: Iterable[Any], identities: dict[str, str]) -> None:
    for kind, a, b, records in rows:
        graph.add(kind, identities.get(a, a), identities.get(b, b), records)


@dataclass
class Projection:
    """The actors' graph: vertex ``name`` (actor key), edge ``weight``; ``reasons[e]`` says what ties edge ``e``."""

    graph: ig.Graph
    reasons: list[dict[str, int]]

    def vertex(self, key: str) -> int | None:
        try:
            return int(self.graph.vs.find(name=key).index)
        except (ValueError, KeyError):
            return None


def project(link: LinkGraph, parameters: NetworkParameters | None = None) -> Projection:
    """Project ``link`` onto its actors (see the module docstring)."""
    parameters = parameters or network_parameters()
    weights: dict[tuple[int, int], float] = defaultdict(float)
    reasons: dict[tuple[int, int], dict[str, int]] = defaultdict(dict)
    holders: dict[int, dict[int, str]] = defaultdict(dict)
    for (i, j), kinds in link.ties.items():
        a_actor, b_actor = is_actor(link.keys[i]), is_actor(link.keys[j])
        if a_actor and b_actor:
            for kind, records in kinds.items():
                weights[(i, j)] += tie_weight(kind, parameters)
                reasons[(i, j)][kind] = reasons[(i, j)].get(kind, 0) + records
        elif a_actor or b_actor:
            actor, thing = (i, j) if a_actor else (j, i)
            kind = max(kinds, key=lambda k: tie_weight(k, parameters))
            holders[thing][actor] = kind
    for thing, held in holders.items():
        if not 2 <= len(held) <= parameters.hub_size:
            continue
        reason = f"shared {node_kind(link.keys[thing])}"
        share = 1.0 / (len(held) - 1)
        for a, b in itertools.combinations(sorted(held), 2):
            weights[(a, b)] += min(tie_weight(held[a], parameters), tie_weight(held[b], parameters)) * share
            reasons[(a, b)][reason] = reasons[(a, b)].get(reason, 0) + 1
    actors = sorted({i for pair in weights for i in pair} | {i for i, k in enumerate(link.keys) if is_actor(k)})
    position = {node: n for n, node in enumerate(actors)}
    pairs = list(weights)
    graph = ig.Graph(n=len(actors), edges=[(position[a], position[b]) for a, b in pairs], directed=False)
    graph.vs["name"] = [link.keys[i] for i in actors]
    graph.es["weight"] = [weights[p] for p in pairs]
    return Projection(graph, [reasons[p] for p in pairs])
