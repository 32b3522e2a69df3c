"""The guarded reads of the link graph (``network.read``): communities, one community with its key players, the
strongest key players of every network, and an actor's neighbourhood with the records behind each tie.

What an actor sees is computed from the edges the actor may see: special-category edges only with
``victims.read`` (a community can therefore differ between two analysts, and never shows what one may not see).
Community ids number the communities of one graph, largest first: they hold until the graph changes (a build or a
resolution run). The analysed graph is kept in memory per store and visibility until then (:func:`analysed`).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

from pydantic import BaseModel, ConfigDict
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from palermo.audit.access_log import note_results
from palermo.auth.access import guard
from palermo.auth.actor import Actor
from palermo.db.identities import Identity, IdentityMember, ResolutionRun
from palermo.errors import InvalidInput, NotFound
from palermo.network.build import last_build
from palermo.network.communities import Community, Partition, detect_communities
from palermo.network.graph import LinkGraph, Projection, project, read_link_graph
from palermo.network.key_players import KeyPlayer, rank_community
from palermo.network.labels import labels
from palermo.network.neighbourhood import checked_key
from palermo.network.parameters import network_parameters
from palermo.persons.views import may_see_special

MAX_LIMIT = 500


@dataclass(frozen=True)
class Analysed:
    """One analysed graph: the link graph, its projection and its communities."""

    build_id: int
    link: LinkGraph
    projection: Projection
    partition: Partition


_cache: dict[tuple[str, bool], tuple[tuple[int, int], Analysed]] = {}
_lock = threading.Lock()


def analysed(session: Session, *, include_special: bool) -> Analysed:
    """The analysed graph for this visibility, from memory while no build or resolution run has happened since."""
    build = last_build(session)
    if build is None:
        raise NotFound("the link graph has not been built yet: run `palermo network build` first")
    version = (build.id, session.scalar(select(func.max(ResolutionRun.id))) or 0)
    where = (str(session.get_bind().engine.url), include_special)
    with _lock:
        held = _cache.get(where)
        if held is not None and held[0] == version:
            return held[1]
        link = read_link_graph(session, include_special=include_special)
        projection = project(link)
        result = Analysed(build.id, link, projection, detect_communities(projection))
        _cache[where] = (version, result)
        return result


class Member(BaseModel):
    model_config = ConfigDict(frozen=True)

    key: str
    label: str


class CommunitySummary(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: int
    size: int
    network: bool
    evidence: float
    ties: dict[str, int]
    explanation: str


class CommunityList(BaseModel):
    """Communities of the graph as this actor sees it (networks only, unless asked for every one)."""

    model_config = ConfigDict(frozen=True)

    build_id: int
    special_included: bool
    actors: int
    communities_total: int
    networks_total: int
    communities: tuple[CommunitySummary, ...]


class MemberTie(BaseModel):
    """A tie between two members of a community, with its weight and what ties them (``{"shared phone": 2}``)."""

    model_config = ConfigDict(frozen=True)

    source: str
    target: str
    weight: float
    reasons: dict[str, int]


class CommunityDetail(BaseModel):
    model_config = ConfigDict(frozen=True)

    community: Community
    members: tuple[Member, ...]
    key_players: tuple[KeyPlayer, ...]
    member_ties: tuple[MemberTie, ...] = ()


class KeyPlayerLine(BaseModel):
    model_config = ConfigDict(frozen=True)

    label: str
    player: KeyPlayer


def _limit(limit: int) -> int:
    if not 1 <= limit <= MAX_LIMIT:
        raise InvalidInput(f"limit must be 1 to {MAX_LIMIT}", field="limit")
    return limit


def _summary(c: Community) -> CommunitySummary:
    return CommunitySummary(
        id=c.id, size=c.size, network=c.network, evidence=c.evidence.total, ties=c.ties, explanation=c.explanation
    )


def list_communities(
    session: Session, actor: Actor, *, networks_only: bool = True, min_size: int = 2, limit: int = 50
) -> CommunityList:
    """The communities (largest first) of at least ``min_size`` actors; only those that look like networks unless
    ``networks_only`` is false."""
    _limit(limit)
    if min_size < 1:
        raise InvalidInput("min_size must be 1 or more", field="min_size")
    access = guard(session, actor, "network.read", subject="network:communities")
    special = may_see_special(actor)
    graph = analysed(session, include_special=special)
    chosen = [c for c in graph.partition.communities if c.size >= min_size and (c.network or not networks_only)]
    note_results(session, access, min(len(chosen), limit))
    return CommunityList(
        build_id=graph.build_id,
        special_included=special,
        actors=graph.projection.graph.vcount(),
        communities_total=len(graph.partition.communities),
        networks_total=sum(c.network for c in graph.partition.communities),
        communities=tuple(_summary(c) for c in chosen[:limit]),
    )


def _community(graph: Analysed, community_id: int) -> Community:
    communities = graph.partition.communities
    if not 1 <= community_id <= len(communities):
        raise NotFound(f"no community {community_id} in the graph (it has {len(communities)})")
    return communities[community_id - 1]


def community_detail(session: Session, actor: Actor, community_id: int) -> CommunityDetail:
    """One community: members with their labels, and its key players with their explanations."""
    access = guard(session, actor, "network.read", subject=f"network:community:{community_id}")
    special = may_see_special(actor)
    graph = analysed(session, include_special=special)
    community = _community(graph, community_id)
    named = labels(session, community.members, include_special=special)
    players = rank_community(graph.projection, graph.partition.membership, community)
    note_results(session, access, community.size)
    return CommunityDetail(
        community=community,
        members=tuple(Member(key=k, label=named[k]) for k in community.members),
        key_players=tuple(players[: network_parameters().key_players]),
        member_ties=_member_ties(graph, community),
    )


def _member_ties(graph: Analysed, community: Community) -> tuple[MemberTie, ...]:
    projected = graph.projection.graph
    membership = graph.partition.membership
    ties = []
    for edge, reasons in zip(projected.es, graph.projection.reasons, strict=True):
        if membership[edge.source] == membership[edge.target] == community.id:
            a, b = projected.vs[edge.source]["name"], projected.vs[edge.target]["name"]
            ties.append(MemberTie(source=a, target=b, weight=round(edge["weight"], 3), reasons=dict(reasons)))
    return tuple(sorted(ties, key=lambda t: (t.source, t.target)))


def community_of(session: Session, actor: Actor, key: str) -> CommunitySummary | None:
    """The community of actor ``key`` (``identity:<id>``, ``person:<id>``: the identity holding the record, if
    any) in the graph as this actor sees it; ``None`` when the actor has no tie this actor may see."""
    key = checked_key(key)
    access = guard(session, actor, "network.read", subject=f"network:{key}:community")
    graph = analysed(session, include_special=may_see_special(actor))
    kind, _, value = key.partition(":")
    if kind == "person":
        identity = session.scalar(
            select(IdentityMember.identity_id)
            .join(Identity, Identity.id == IdentityMember.identity_id)
            .where(IdentityMember.person_id == int(value), Identity.retired_at.is_(None))
        )
        key = f"identity:{identity}" if identity is not None else key
    vertex = graph.projection.vertex(key)
    found = None if vertex is None else graph.partition.communities[graph.partition.membership[vertex] - 1]
    note_results(session, access, 0 if found is None else 1)
    return None if found is None else _summary(found)


def top_key_players(session: Session, actor: Actor, *, limit: int = 20, per_community: int = 3) -> list[KeyPlayerLine]:
    """The strongest key players of the communities that look like networks: each network's best
    ``per_community``, ordered by score."""
    _limit(limit)
    access = guard(session, actor, "network.read", subject="network:key-players")
    special = may_see_special(actor)
    graph = analysed(session, include_special=special)
    players = [
        player
        for community in graph.partition.communities
        if community.network
        for player in rank_community(graph.projection, graph.partition.membership, community)[:per_community]
    ]
    players.sort(key=lambda p: (-p.score.total, p.community, p.key))
    chosen = players[:limit]
    named = labels(session, [p.key for p in chosen], include_special=special)
    note_results(session, access, len(chosen))
    return [KeyPlayerLine(label=named[p.key], player=p) for p in chosen]
