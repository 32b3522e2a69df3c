"""What a node says about itself: identity, agency, schema revision, version, store reachability."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from palermo import __version__
from palermo.auth.access import guard
from palermo.auth.actor import Actor
from palermo.db import migrate
from palermo.errors import StoreError
from palermo.node import Node


@dataclass(frozen=True)
class NodeStatus:
    node_id: str
    agency_code: str
    version: str
    dialect: str
    schema_revision: str | None
    latest_revision: str


def check_ready(node: Node) -> str:
    """The store's revision when it is reachable and at the latest migration; :class:`StoreError` otherwise."""
    try:
        with node.engine.connect() as connection:
            connection.execute(text("SELECT 1"))
        migrate.require_current(node.engine)
    except SQLAlchemyError as exc:
        raise StoreError(f"the store is unreachable: {type(exc).__name__}") from None
    return migrate.head_revision()


def node_status(session: Session, actor: Actor, node: Node) -> NodeStatus:
    guard(session, actor, "system.read")
    return NodeStatus(
        node_id=node.node_id,
        agency_code=node.agency_code,
        version=__version__,
        dialect=node.engine.dialect.name,
        schema_revision=migrate.current_revision(node.engine),
        latest_revision=migrate.head_revision(),
    )
