"""A node: its home folder, its store at the latest schema, its identity and its own agency.

``init_node`` is what ``palermo init`` does; ``open_node`` is how every other command and the API get a handle on
an initialised node.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine, select

from palermo.db import migrate
from palermo.db.engine import make_engine, transaction
from palermo.db.reference import Agency
from palermo.db.reference import Node as NodeRow
from palermo.errors import Conflict, InvalidInput, NotFound
from palermo.logs import get_logger
from palermo.settings import Settings
from palermo.taxonomies.countries import normalise_country
from palermo.victims.field_key import ensure_field_key, register_home

log = get_logger(__name__)


@dataclass(frozen=True)
class Node:
    """An open node: settings, engine, and who this node is."""

    settings: Settings
    engine: Engine
    node_id: str
    agency_code: str

    def __post_init__(self) -> None:
        register_home(self.engine, self.settings.home)  # victim data is sealed under the key in this home

    @property
    def home(self) -> Path:
        return self.settings.home


def _prepare_home(home: Path) -> None:
    home.mkdir(parents=True, exist_ok=True)
    home.chmod(0o700)


AGENCY_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{1,63}")
UNNAMED_AGENCY = "local"  # the default of PALERMO_AGENCY: a node that shares needs its own code


def check_agency_code(code: str) -> str:
    """An agency code as nodes name each other (``at-bk``): 2-64 letters, digits, ``_ . -``."""
    if not AGENCY_PATTERN.fullmatch(code):
        raise InvalidInput(f"agency code {code!r} must be 2-64 letters, digits, '_', '.' or '-' (e.g. at-bk)")
    return code


def init_node(settings: Settings, *, agency_name: str | None = None, country: str | None = None) -> Node:
    """Create the home folder, migrate the store to the latest schema and record the node's identity.

    Refuses (``Conflict``) when the store already belongs to an initialised node; migrations alone are
    ``palermo db upgrade``. ``country``: ISO 3166 alpha-2 or alpha-3 (or an ICAO code), stored as alpha-3, as
    ``palermo partners add`` stores a partner's.
    """
    check_agency_code(settings.agency)
    country = normalise_country(country) if country else None
    _prepare_home(settings.home)
    ensure_field_key(settings.home)
    engine = make_engine(settings.effective_database_url, pool_size=settings.database_pool_size)
    migrate.upgrade(engine, home=settings.home)
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
