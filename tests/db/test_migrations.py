from __future__ import annotations

from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from palermo.db import migrate
from palermo.db.engine import make_engine
from palermo.db.tables import Base
from palermo.errors import StoreError
from palermo.node import Node, init_node
from palermo.settings import Settings


def test_init_migrates_an_empty_store_to_the_latest_revision(database_url: str, tmp_path: Path) -> None:
    node = init_node(Settings(home=tmp_path / "home", database_url=database_url, agency="test-agency"))
    try:
        assert migrate.current_revision(node.engine) == migrate.head_revision()
        assert set(Base.metadata.tables) <= set(inspect(node.engine).get_table_names())
    finally:
        node.engine.dispose()


def test_migrations_match_the_table_definitions(node: Node) -> None:
    with node.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), Base.metadata)
    assert diff == []


def test_the_numbered_files_are_alembics_chain(node: Node) -> None:
    """Opening a node reads the head from the file names, not from alembic: the two must agree, file by file."""
    from alembic.script import ScriptDirectory

    scripts = ScriptDirectory.from_config(migrate.alembic_config(node.engine))
    chain = list(reversed(list(scripts.walk_revisions())))
    assert [script.revision for script in chain] == [f"{n:04d}" for n in range(1, len(chain) + 1)]
    for script in chain:
        assert script.path is not None
        assert Path(script.path).name.startswith(f"{script.revision}_")
    assert scripts.get_heads() == [migrate.head_revision()]


def test_a_store_behind_or_without_a_schema_is_refused_clearly(database_url: str, tmp_path: Path) -> None:
    engine = make_engine(database_url)
    try:
        with pytest.raises(StoreError, match="no Palermo schema"):
            migrate.require_current(engine)
        migrate.upgrade(engine, "0009")
        assert migrate.current_revision(engine) == "0009"
        with pytest.raises(StoreError, match=f"at schema 0009, this code needs {migrate.head_revision()}"):
            migrate.require_current(engine)
        migrate.upgrade(engine)
        migrate.require_current(engine)
    finally:
        engine.dispose()
