"""Alembic migrations, driven from code: the schema is always reached through migrations, never create_all.

Opening a node only checks the store's schema revision, which every command does; that check reads the
``alembic_version`` table and the migration file names, without importing alembic (~0.15 s of every CLI call's
start-up: alembic loads every dialect's DDL support and its template engine). Revisions are numbered: a migration's
file name starts with its revision id and each revision follows the previous one (``tests/db/test_migrations.py``
holds the two to alembic's own view of the chain).
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine, inspect, text

from palermo.errors import StoreError

if TYPE_CHECKING:
    from alembic.config import Config

VERSION_TABLE = "alembic_version"


def alembic_config(engine: Engine, home: Path | None = None) -> Config:
    """Alembic's configuration for ``engine``; ``home``, the node home, is where a migration finds the node's keys
    (migration 0018 seals victim data under the field key kept there)."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(migrations_folder()))
    config.attributes["engine"] = engine
    config.attributes["home"] = home
    return config


def migrations_folder() -> resources.abc.Traversable:
    return resources.files("palermo.db") / "migrations"


@cache
def head_revision() -> str:
    """The latest revision this code knows: the highest numbered migration file (``0010_alert_border_point.py``)."""
    numbered = [
        entry.name.partition("_")[0]
        for entry in (migrations_folder() / "versions").iterdir()
        if entry.name.endswith(".py") and entry.name[:1].isdigit()
    ]
    assert numbered, "the migrations folder has no revision"
    return max(numbered)


def current_revision(engine: Engine) -> str | None:
    """The store's revision (``None``: no Palermo schema)."""
    with engine.connect() as connection:
        if not inspect(connection).has_table(VERSION_TABLE):
            return None
        return connection.execute(text(f"SELECT version_num FROM {VERSION_TABLE}")).scalar_one_or_none()


def upgrade(engine: Engine, revision: str = "head", *, home: Path | None = None) -> None:
    """Bring the store to ``revision`` (default: the latest); ``home``: the node home (its keys)."""
    from alembic import command

    command.upgrade(alembic_config(engine, home), revision)


def require_current(engine: Engine) -> None:
    """Raise a clear :class:`StoreError` when the store is not at the schema this code was written for."""
    current = current_revision(engine)
    head = head_revision()
    if current is None:
        raise StoreError("the store has no Palermo schema; run `palermo init` (or `palermo db upgrade`)")
    if current != head:
        raise StoreError(f"the store is at schema {current}, this code needs {head}; run `palermo db upgrade`")
