"""Permissions: one per core operation, declared in ``permissions.yaml``, checked in the core.

``authorize(actor, "persons.read")`` returns an :class:`AccessRecord` or raises :class:`PermissionDenied`;
:func:`palermo.auth.access.guard` does the same and hands every decision to the audit hook.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from palermo.auth.actor import Actor
from palermo.auth.justification import Justification, how_to_justify
from palermo.errors import ConfigurationError, PermissionDenied
from palermo.taxonomies import taxonomy

SELF_SERVICE = "auth.self"


@dataclass(frozen=True)
class Permission:
    id: str
    description: str
    roles: frozenset[str]
    personal_data: bool
    audit_action: str | None = None  # how a granted use is logged; None: not logged (refusals always are)


@dataclass(frozen=True)
class AccessRecord:
    """One access decision: who, what, on which subject, why, and whether it was granted."""

    actor: str
    actor_kind: str
    user_id: int | None
    role: str | None
    agency_code: str | None
    permission: str
    personal_data: bool
    granted: bool
    reason: str
    justification: Justification | None = None
    subject: str | None = None
    client_address: str | None = None
    at: dt.datetime = field(default_factory=lambda: dt.datetime.now(dt.UTC))

    def to_entry(self) -> dict[str, Any]:
        """A JSON-ready dict, the shape the audit log appends."""
        return {
            "at": self.at.isoformat(),
            "actor": self.actor,
            "actor_kind": self.actor_kind,
            "user_id": self.user_id,
            "role": self.role,
            "agency": self.agency_code,
            "permission": self.permission,
            "personal_data": self.personal_data,
            "granted": self.granted,
            "reason": self.reason,
            "justification": str(self.justification) if self.justification else None,
            "subject": self.subject,
            "client_address": self.client_address,
        }


@cache
def permissions() -> dict[str, Permission]:
    """Every declared permission by id, from the ``permissions`` taxonomy."""
    declared = {}
    roles = set(taxonomy("roles").ids)
    for term in taxonomy("permissions").terms:
        allowed = frozenset(term.attributes.get("roles", ()))
        if not allowed <= roles:
            raise ConfigurationError(f"permission {term.id!r} names unknown roles: {sorted(allowed - roles)}")
        personal = bool(term.attributes["personal_data"])
        action = term.attributes.get("audit_action", "consultation" if personal else None)
        declared[term.id] = Permission(term.id, term.description, allowed, personal, action)
    return declared


def permission(permission_id: str) -> Permission:
    try:
        return permissions()[permission_id]
    except KeyError:
        raise ConfigurationError(f"permission {permission_id!r} is not declared in permissions.yaml") from None


def role_permissions(role: str) -> frozenset[str]:
    return frozenset(p.id for p in permissions().values() if role in p.roles)


def effective_permissions(actor: Actor) -> frozenset[str]:
    """What the actor may do: the role's permissions, narrowed by a token's scopes; all of them for the operator."""
    if actor.operator:
        return frozenset(permissions())
    held = role_permissions(actor.role) if actor.role else frozenset()
    if actor.must_change_password:
        held &= {SELF_SERVICE}
    return held if actor.scopes is None else held & actor.scopes


def _refusal(actor: Actor, wanted: Permission) -> str | None:
    if wanted.id not in effective_permissions(actor):
        if actor.must_change_password and wanted.id != SELF_SERVICE:
            return f"{actor.name} must change the one-time password before doing anything else"
        if actor.scopes is not None and actor.role and wanted.id in role_permissions(actor.role):
            return f"the API token of {actor.name} is not scoped for {wanted.id!r}"
        return f"role {actor.role or 'none'} of {actor.name} does not hold permission {wanted.id!r}"
    if wanted.personal_data and actor.justification is None:
        return f"{wanted.id!r} consults personal data and needs a justification; {how_to_justify()}"
    return None


def evaluate(actor: Actor, permission_id: str, *, subject: str | None = None) -> AccessRecord:
    """The access decision for ``actor`` doing ``permission_id``, granted or not; raises nothing."""
    wanted = permission(permission_id)
    refusal = _refusal(actor, wanted)
    return AccessRecord(
        actor=actor.name,
        actor_kind=actor.kind,
        user_id=actor.user_id,
        role=actor.role,
        agency_code=actor.agency_code,
        permission=wanted.id,
        personal_data=wanted.personal_data,
        granted=refusal is None,
        reason=refusal or "granted",
        justification=actor.justification if wanted.personal_data else None,
        subject=subject,
        client_address=actor.client_address,
    )


def authorize(
    actor: Actor, permission_id: str, justification: Justification | None = None, *, subject: str | None = None
) -> AccessRecord:
    """The granted :class:`AccessRecord`, or :class:`PermissionDenied` with the reason."""
    record = evaluate(actor.justified(justification) if justification else actor, permission_id, subject=subject)
    if not record.granted:
        raise PermissionDenied(record.reason, permission=permission_id)
    return record


require = authorize
