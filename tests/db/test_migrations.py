from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from palermo.db import migrate
from palermo.db.tables import Base
from palermo.node import Node


def test_init_migrates_to_the_latest_revision(node: Node) -> None:
    assert migrate.current_revision(node.engine) == migrate.head_revision(node.engine)
    assert set(Base.metadata.tables) <= set(inspect(node.engine).get_table_names())


def test_migrations_match_the_table_definitions(node: Node) -> None:
    with node.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), Base.metadata)
    assert diff == []
