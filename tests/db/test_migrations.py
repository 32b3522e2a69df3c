from __future__ import annotations

from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from palermo.db import migrate
from palermo.db.tables import Base
from palermo.node import Node, init_node
from palermo.settings import Settings


def test_init_migrates_an_empty_store_to_the_latest_revision(database_url: str, tmp_path: Path) -> None:
    node = init_node(Settings(home=tmp_path / "home", database_url=database_url, agency="test-agency"))
    try:
        assert migrate.current_revision(node.engine) == migrate.head_revision(node.engine)
        assert set(Base.metadata.tables) <= set(inspect(node.engine).get_table_names())
    finally:
        node.engine.dispose()


def test_migrations_match_the_table_definitions(node: Node) -> None:
    with node.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), Base.metadata)
    assert diff == []
