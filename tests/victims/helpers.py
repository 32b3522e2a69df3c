"""Actors and audit reads shared by the victims tests (this folder only)."""

from __future__ import annotations

from sqlalchemy import select

from palermo.auth import users
from palermo.auth.actor import Actor, user_actor
from palermo.auth.justification import Justification
from palermo.db.audit import AuditEntry
from palermo.db.engine import transaction
from palermo.node import Node
from tests.factories import make_user

PROTECTION = Justification("legal_basis", "victim_protection")


def person(node: Node, username: str, role: str, justified: bool = True) -> Actor:
    """A real user account of ``role``, acting with the legal basis victim_protection (or none)."""
    make_user(node, username, role)
    with transaction(node.engine) as session:
        user = users.find_user(session, username)
        return user_actor(user, node.agency_code, justification=PROTECTION if justified else None)


def audit_entries(node: Node, action: str | None = None) -> list[AuditEntry]:
    with transaction(node.engine) as session:
        query = select(AuditEntry).order_by(AuditEntry.seq)
        query = query.where(AuditEntry.action == action) if action else query
        return list(session.scalars(query))
