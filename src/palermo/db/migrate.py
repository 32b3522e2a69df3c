"""Alembic migrations, driven from code: the schema is always reached through migrations, never create_all."""

from __future__ import annotations

from importlib import resources

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine

from palermo.errors import StoreError


def alembic_config(engine: Engine) -> Config:
    config = Config()
    config.set_main_option("script_location", str(resources.files("palermo.db") / "migrations"))
    config.attributes["engine"] = engine
    return config


def head_revision(engine: Engine) -> str:
    head = ScriptDirectory.from_config(alembic_config(engine)).get_current_head()
    assert head is not None, "the migrations folder has no revision"
    return head


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Bring the store to ``revision`` (default: the latest)."""
    command.upgrade(alembic_config(engine), revision)


def require_current(engine: Engine) -> None:
    """Raise a clear :class:`StoreError` when the store is not at the schema this code was written for."""
    current = current_revision(engine)
    head = head_revision(engine)
    if current is None:
        raise StoreError("the store has no Palermo schema; run `palermo init` (or `palermo db upgrade`)")
    if current != head:
        raise StoreError(f"the store is at schema {current}, this code needs {head}; run `palermo db upgrade`")
