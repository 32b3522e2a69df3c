"""Identities as analysts and screening see them: the records of an identity, with provenance, and its links
with their explanations.

``identity_of`` and ``records_of`` return ids only and are for other core modules (screening) that have already
guarded their own operation; ``get_identity`` is the guarded consultation of personal data.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from palermo.auth.access import guard
from palermo.auth.actor import Actor
from palermo.db.identities import Identity, IdentityLink, IdentityMember
from palermo.db.persons import PersonRecord
from palermo.db.reference import Source
from palermo.errors import NotFound
from palermo.explanation import Feature
from palermo.persons.lookup import PersonView, may_see_special, person_view
from palermo.resolution.cohesion import Cohesion, Link, cohesion
from palermo.resolution.link_features import stored_features


class LinkView(BaseModel):
    """A link between two records of an identity, explained feature by feature."""

    model_config = ConfigDict(frozen=True)

    left_person_id: int
    right_person_id: int
    match_weight: float
    match_probability: float
    basis: str
    features: tuple[Feature, ...]


class IdentityView(BaseModel):
    """An identity with its records and explained links (the API's answer too)."""

    model_config = ConfigDict(frozen=True)

    id: int
    size: int
    retired: bool
    merged_into: int | None
    records: list[PersonView]
    links: list[LinkView]
    hidden_records: int
    cohesion: Cohesion  # why the records shown hold together, and which are held by one link only


def identity_of(session: Session, person_record_id: int) -> int | None:
    """The identity a person record belongs to, or ``None`` before it was resolved."""
    return session.scalar(select(IdentityMember.identity_id).where(IdentityMember.person_id == person_record_id))


def records_of(session: Session, identity_id: int) -> list[int]:
    """The person record ids of an identity, ascending (empty for an unknown or retired identity)."""
    query = select(IdentityMember.person_id).where(IdentityMember.identity_id == identity_id)
    return list(session.scalars(query.order_by(IdentityMember.person_id)))


def _records(session: Session, ids: list[int]) -> list[tuple[PersonRecord, str]]:
    query = (
        select(PersonRecord, Source.name)
        .join(Source, Source.id == PersonRecord.source_id)
        .where(PersonRecord.id.in_(ids))
        .options(selectinload(PersonRecord.names), selectinload(PersonRecord.nationalities))
        .order_by(PersonRecord.id)
    )
    return [(r, s) for r, s in session.execute(query)]


def _links(session: Session, identity_id: int, visible: set[int]) -> list[LinkView]:
    query = select(IdentityLink).where(IdentityLink.identity_id == identity_id).order_by(IdentityLink.id)
    return [
        LinkView(
            left_person_id=link.left_person_id,
            right_person_id=link.right_person_id,
            match_weight=link.match_weight,
            match_probability=link.match_probability,
            basis=link.basis,
            features=stored_features(link.features),
        )
        for link in session.scalars(query)
        if link.left_person_id in visible and link.right_person_id in visible
    ]


def get_identity(session: Session, actor: Actor, identity_id: int) -> IdentityView:
    """An identity with its records (provenance included) and explained links; special-category records are
    left out (and counted) for an actor without ``victims.read``. A retired identity names where it went."""
    guard(session, actor, "identities.read", subject=f"identities:{identity_id}")
    identity = session.get(Identity, identity_id)
    if identity is None:
        raise NotFound(f"no identity with id {identity_id}")
    special = may_see_special(actor)
    loaded = _records(session, records_of(session, identity_id))
    shown = [(r, s) for r, s in loaded if special or r.sensitivity == "ordinary"]
    visible = {r.id for r, _ in shown}
    links = _links(session, identity_id, visible)
    return IdentityView(
        id=identity.id,
        size=identity.size,
        retired=identity.retired_at is not None,
        merged_into=identity.merged_into,
        records=[person_view(r, s) for r, s in shown],
        links=links,
        hidden_records=len(loaded) - len(shown),
        cohesion=cohesion(sorted(visible), [Link.model_validate(link.model_dump()) for link in links]),
    )
