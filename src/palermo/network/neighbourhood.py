"""An actor's neighbourhood: the ties of an identity (or a person record, or an organisation) and, through each
thing it shares, the others who share it; every tie with the records it was read from and their handling.

Guarded by ``network.read`` and audited with the actor as subject; special-category ties only for actors who
may see special-category records. A thing shared by more than ``hub_size`` holders is shown without its holders.
"""

from __future__ import annotations

from collections import defaultdict

from pydantic import BaseModel, ConfigDict
from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from palermo.audit.access_log import note_results
from palermo.auth.access import guard
from palermo.auth.actor import Actor
from palermo.db.identities import Identity, IdentityMember
from palermo.db.network import NetworkEdge
from palermo.errors import InvalidInput, NotFound
from palermo.network.graph import identity_keys, is_actor, node_kind
from palermo.network.labels import labels
from palermo.network.parameters import network_parameters
from palermo.persons.views import may_see_special

CHUNK = 500
ACTOR_KEY_KINDS = ("identity", "person", "organisation")


class RecordRef(BaseModel):
    """One record behind a tie, with its handling: ``travel_events:812``."""

    model_config = ConfigDict(frozen=True)

    table: str
    id: int
    handling: str
    distribution: str
    sensitivity: str


class NeighbourNode(BaseModel):
    model_config = ConfigDict(frozen=True)

    key: str
    kind: str
    label: str


class NeighbourTie(BaseModel):
    model_config = ConfigDict(frozen=True)

    source: str
    target: str
    kind: str
    records: tuple[RecordRef, ...]


class Neighbourhood(BaseModel):
    model_config = ConfigDict(frozen=True)

    centre: str
    special_included: bool
    nodes: tuple[NeighbourNode, ...]
    ties: tuple[NeighbourTie, ...]
    hubs_left_out: tuple[str, ...]


def checked_key(key: str) -> str:
    kind, _, value = key.partition(":")
    if kind not in ACTOR_KEY_KINDS or not value.isdigit():
        raise InvalidInput("an actor is identity:<id>, person:<id> or organisation:<id>", field="key")
    return f"{kind}:{int(value)}"


def _stored_keys(session: Session, key: str) -> list[str]:
    """The keys the edges store for ``key``: an identity's person records, else the key itself."""
    kind, _, value = key.partition(":")
    if kind != "identity":
        return [key]
    found = session.scalar(select(Identity.id).where(Identity.id == int(value), Identity.retired_at.is_(None)))
    if found is None:
        raise NotFound(f"no current identity {value}")
    members = session.scalars(select(IdentityMember.person_id).where(IdentityMember.identity_id == int(value)))
    return [f"person:{p}" for p in members]


def _edges(session: Session, keys: list[str], special: bool) -> list[NetworkEdge]:
    found: dict[int, NetworkEdge] = {}
    for start in range(0, len(keys), CHUNK):
        chunk = keys[start : start + CHUNK]
        query = select(NetworkEdge).where(or_(NetworkEdge.source_key.in_(chunk), NetworkEdge.target_key.in_(chunk)))
        if not special:
            query = query.where(NetworkEdge.sensitivity == "ordinary")
        for edge in session.scalars(query):
            found[edge.id] = edge
    return list(found.values())


def neighbourhood(session: Session, actor: Actor, key: str) -> Neighbourhood:
    """The ties of ``key`` (``identity:<id>``, ``person:<id>``, ``organisation:<id>``) and of the things it shares."""
    key = checked_key(key)
    access = guard(session, actor, "network.read", subject=f"network:{key}")
    special = may_see_special(actor)
    own = _stored_keys(session, key)
    first = _edges(session, own, special)
    if not first and key.startswith("person:"):
        raise NotFound(f"no tie of {key} that this actor may see")
    things = sorted(
        {e.target_key for e in first if not is_actor(e.target_key)}
        | {e.source_key for e in first if not is_actor(e.source_key)}
    )
    second = _edges(session, things, special)
    holders: dict[str, set[str]] = defaultdict(set)
    for e in second:
        for thing, other in ((e.target_key, e.source_key), (e.source_key, e.target_key)):
            if thing in things and is_actor(other):
                holders[thing].add(other)
    hubs = sorted(t for t, h in holders.items() if len(h) > network_parameters().hub_size)
    kept = [e for e in second if e.source_key not in hubs and e.target_key not in hubs]
    identities = identity_keys(session)
    own_set = set(own)
    ties: dict[tuple[str, str, str], list[RecordRef]] = defaultdict(list)
    for e in {edge.id: edge for edge in (*first, *kept)}.values():
        a = key if e.source_key in own_set else identities.get(e.source_key, e.source_key)
        b = key if e.target_key in own_set else identities.get(e.target_key, e.target_key)
        if a == b:
            continue
        ties[(a, b, e.kind)].append(
            RecordRef(
                table=e.record_table,
                id=e.record_id,
                handling=e.handling,
                distribution=e.distribution,
                sensitivity=e.sensitivity,
            )
        )
    nodes = sorted({key, *(k for a, b, _ in ties for k in (a, b))})
    named = labels(session, nodes, include_special=special)
    note_results(session, access, len(ties))
    return Neighbourhood(
        centre=key,
        special_included=special,
        nodes=tuple(NeighbourNode(key=k, kind=node_kind(k), label=named[k]) for k in nodes),
        ties=tuple(
            NeighbourTie(source=a, target=b, kind=kind, records=tuple(sorted(refs, key=lambda r: (r.table, r.id))))
            for (a, b, kind), refs in sorted(ties.items())
        ),
        hubs_left_out=tuple(hubs),
    )
