"""A node: its home folder, its store at the latest schema, its identity and its own agency.

``init_node`` is what ``palermo init`` does; ``open_node`` is how every other command and the API get a handle on
an initialised node.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine, select

from palermo.db import migrate
from palermo.db.engine import make_engine, transaction
from palermo.db.reference import Agency
from palermo.db.reference import Node as NodeRow
from palermo.errors import Conflict, NotFound
from palermo.logs import get_logger
from palermo.settings import Settings

log = get_logger(__name__)


@dataclass(frozen=True)
class Node:
    """An open node: settings, engine, and who this node is."""

    settings: Settings
    engine: Engine
    node_id: str
    agency_code: str

    @property
    def home(self) -> Path:
        return self.settings.home


def _prepare_home(home: Path) -> None:
    home.mkdir(parents=True, exist_ok=True)
    home.chmod(0o700)


def init_node(settings: Settings, *, agency_name: str | None = None, country: str | None = None) -> Node:
    """Create the home folder, migrate the store to the latest schema and record the node's identity.

    Refuses (``Conflict``) when the store already belongs to an initialised node; migrations alone are
    ``palermo db upgrade``.
    """
    _prepare_home(settings.home)
    engine = make_engine(settings.effective_database_url, pool_size=settings.database_pool_size)
    migrate.upgrade(engine)
    with transaction(engine) as session:
        existing = session.scalars(select(NodeRow)).first()
        if existing is not None:
            raise Conflict(
                f"this store is already initialised as node {existing.node_id!r}",
                node_id=existing.node_id,
            )
        node_id = settings.node_id or f"node-{secrets.token_hex(4)}"
        session.add(NodeRow(node_id=node_id, agency_code=settings.agency))
        if session.scalars(select(Agency).where(Agency.code == settings.agency)).first() is None:
            session.add(Agency(code=settings.agency, name=agency_name or settings.agency, country=country))
    log.info("node_initialised", node_id=node_id, agency=settings.agency, home=str(settings.home))
    return Node(settings=settings, engine=engine, node_id=node_id, agency_code=settings.agency)


def open_node(settings: Settings) -> Node:
    """Open an initialised node; a clear error when it is not initialised or its schema is behind."""
    if settings.database_url is None and not (settings.home / "palermo.db").exists():
        raise NotFound(f"no Palermo node at {settings.home}; run `palermo init` first (or set PALERMO_HOME)")
    engine = make_engine(settings.effective_database_url, pool_size=settings.database_pool_size)
    migrate.require_current(engine)
    with transaction(engine) as session:
        row = session.scalars(select(NodeRow)).first()
    if row is None:
        raise NotFound("the store has a schema but no node; run `palermo init`")
    return Node(settings=settings, engine=engine, node_id=row.node_id, agency_code=row.agency_code)
