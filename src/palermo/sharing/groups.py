"""Sharing groups: named sets of partners (a joint investigation team) that a record may be distributed to.

This node is implicitly a member of its own groups. A record distributed to a group carries the group's member
agencies when it travels, so a recipient can forward it to members only (MISP sharing-group semantics).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from palermo.auth.access import guard
from palermo.auth.actor import Actor
from palermo.db.sharing import Partner, SharingGroup, SharingGroupMember
from palermo.errors import Conflict, InvalidInput, NotFound
from palermo.sharing.audit_events import log_administration
from palermo.sharing.partners import find_partner


@dataclass(frozen=True)
class GroupInfo:
    name: str
    description: str | None
    members: tuple[str, ...]


def _find(session: Session, name: str) -> SharingGroup:
    group = session.scalars(select(SharingGroup).where(SharingGroup.name == name)).first()
    if group is None:
        raise NotFound(f"no sharing group named {name!r}; see `palermo groups list`")
    return group


def _members(session: Session, group: SharingGroup) -> list[Partner]:
    statement = (
        select(Partner)
        .join(SharingGroupMember, SharingGroupMember.partner_id == Partner.id)
        .where(SharingGroupMember.group_id == group.id)
        .order_by(Partner.name)
    )
    return list(session.scalars(statement))


def _info(session: Session, group: SharingGroup) -> GroupInfo:
    return GroupInfo(group.name, group.description, tuple(p.name for p in _members(session, group)))


def create_group(
    session: Session, actor: Actor, name: str, *, description: str | None = None, members: list[str] | None = None
) -> GroupInfo:
    guard(session, actor, "partners.manage", subject=f"group:{name}")
    if not name.strip() or len(name) > 100:
        raise InvalidInput("a sharing group name is 1-100 characters")
    if session.scalars(select(SharingGroup.id).where(SharingGroup.name == name)).first() is not None:
        raise Conflict(f"a sharing group named {name!r} already exists")
    group = SharingGroup(name=name, description=description)
    session.add(group)
    session.flush()
    for member in members or []:
        session.add(SharingGroupMember(group_id=group.id, partner_id=find_partner(session, member).id))
    session.flush()
    log_administration(
        session,
        actor=actor.name,
        agency=actor.agency_code or "",
        what="group_created",
        subject=name,
        members=sorted(members or []),
    )
    return _info(session, group)


def add_member(session: Session, actor: Actor, name: str, partner: str) -> GroupInfo:
    guard(session, actor, "partners.manage", subject=f"group:{name}")
    group, row = _find(session, name), find_partner(session, partner)
    if session.get(SharingGroupMember, (group.id, row.id)) is None:
        session.add(SharingGroupMember(group_id=group.id, partner_id=row.id))
        session.flush()
    log_administration(
        session,
        actor=actor.name,
        agency=actor.agency_code or "",
        what="group_member_added",
        subject=name,
        partner=partner,
    )
    return _info(session, group)


def list_groups(session: Session, actor: Actor) -> list[GroupInfo]:
    guard(session, actor, "partners.read")
    return [_info(session, g) for g in session.scalars(select(SharingGroup).order_by(SharingGroup.name))]


def member_agencies(session: Session, name: str, own_agency: str) -> frozenset[str]:
    """Agencies of a group's active members, plus this node's own agency; empty when the group is unknown."""
    group = session.scalars(select(SharingGroup).where(SharingGroup.name == name)).first()
    if group is None:
        return frozenset()
    return frozenset({own_agency, *(p.agency_code for p in _members(session, group) if p.status == "active")})
