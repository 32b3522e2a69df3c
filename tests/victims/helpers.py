"""Actors and audit reads shared by the victims tests (this folder only)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from palermo.auth import users
from palermo.auth.actor import Actor, user_actor
from palermo.auth.justification import Justification
from palermo.db.audit import AuditEntry
from palermo.db.engine import transaction
from palermo.node import Node
from tests.factories import make_user


def person(node: Node, username: str, role: str, justified: bool = True, basis: str = "victim_protection") -> Actor:
    """A real user account of ``role``, acting with the legal basis ``basis`` (or none)."""
    make_user(node, username, role)
    with transaction(node.engine) as session:
        user = users.find_user(session, username)
        justification = Justification("legal_basis", basis) if justified else None
        return user_actor(user, node.agency_code, justification=justification)


@contextmanager
def refused(node: Node, error: type[Exception], match: str) -> Iterator[Session]:
    """A transaction whose work must fail with ``error`` matching ``match``."""
    with pytest.raises(error, match=match), transaction(node.engine) as session:
        yield session


def audit_entries(node: Node, action: str | None = None) -> list[AuditEntry]:
    with transaction(node.engine) as session:
        query = select(AuditEntry).order_by(AuditEntry.seq)
        query = query.where(AuditEntry.action == action) if action else query
        return list(session.scalars(query))
