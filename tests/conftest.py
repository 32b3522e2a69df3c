"""Fixtures shared by the whole suite: real SQLite and real PostgreSQL stores, and initialised nodes on them."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, text

from palermo.node import Node, init_node
from palermo.settings import Settings
from tests.postgres import running_cluster

BACKENDS = ("sqlite", "postgresql")
_counter = itertools.count()


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--backend",
        action="append",
        choices=BACKENDS,
        help="Store backend(s) to test against (default: all). Repeat to choose several.",
    )


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "backend" in metafunc.fixturenames:
        chosen = metafunc.config.getoption("backend") or list(BACKENDS)
        metafunc.parametrize("backend", chosen)


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[str]:
    with running_cluster() as url:
        yield url


@pytest.fixture
def database_url(backend: str, tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[str]:
    """A fresh, empty database on the chosen backend."""
    if backend == "sqlite":
        yield f"sqlite:///{tmp_path / 'palermo.db'}"
        return
    server: str = request.getfixturevalue("postgres_server")
    name = f"t{next(_counter)}_{tmp_path.name.lower()[:40].replace('-', '_')}"
    admin = create_engine(f"{server}/postgres", isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield f"{server}/{name}"
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture
def settings(tmp_path: Path, database_url: str) -> Settings:
    return Settings(home=tmp_path / "home", database_url=database_url, agency="test-agency")


@pytest.fixture
def node(settings: Settings) -> Iterator[Node]:
    """An initialised node on the chosen backend."""
    created = init_node(settings)
    yield created
    created.engine.dispose()


@pytest.fixture
def engine(node: Node) -> Engine:
    return node.engine
