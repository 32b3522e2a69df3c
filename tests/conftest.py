"""Fixtures shared by the whole suite: real SQLite and real PostgreSQL stores, and initialised nodes on them.

Expensive state is built once per test process (per xdist worker) and copied per test, never shared mutably:

- the migrated store: ``migrate.upgrade`` runs once per backend into a template (a SQLite file; a PostgreSQL
  template database); every ``node`` gets a fresh copy and a real ``init_node`` on it;
- synthetic worlds: generated once per (scale, seed), ingested once per backend into a template node; a test that
  needs the world ingested (``world_node``) gets a copy of that node's store and home folder.
"""

from __future__ import annotations

import itertools
import os
import shutil
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import suppress
from pathlib import Path

import hypothesis
import pytest
from sqlalchemy import Engine, create_engine, text

from palermo.db import migrate
from palermo.db.engine import make_engine
from palermo.demo import ingest_world
from palermo.node import Node, init_node, open_node
from palermo.settings import Settings
from palermo.synth.world import generate_world
from tests.postgres import create_database, running_cluster

# Accounts in tests need what a password hash does, not what it costs: Argon2id with the least memory and passes
# (development allows it, production refuses it). Set before anything hashes, inherited by the CLI and servers the
# tests start; the default profile costs ~0.13 s a hash, and a test user takes three.
for _name, _value in (("MEMORY_KIB", "8"), ("PASSES", "1"), ("LANES", "1")):
    os.environ.setdefault(f"PALERMO_PASSWORD_HASH_{_name}", _value)

BACKENDS = ("sqlite", "postgresql")
WORKER = os.environ.get("PYTEST_XDIST_WORKER", "main")
_counter = itertools.count()

# Known long tests run first, so that under xdist they do not end up alone at the tail of the run.
SLOW_FIRST = "slow"

# Hypothesis: no per-example deadline and no "too slow" health check (both are timings, and fail on a busy machine
# only); no example database in the working tree.
hypothesis.settings.register_profile(
    "palermo", deadline=None, suppress_health_check=[hypothesis.HealthCheck.too_slow], database=None
)
hypothesis.settings.load_profile("palermo")


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


@pytest.hookimpl(trylast=True)  # after xdist has tagged grouped tests
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Tests marked ``slow`` first (a stable sort: the rest keep their order).

    Under ``--dist loadgroup`` a test marked ``xdist_group`` must carry its group in its node id, which is how xdist
    keeps a group on one worker; pytest 9.2 silently drops it (pytest-xdist issue 1386), so refuse to run instead of
    running the browser tests on two workers, each with its own browser, server and world.
    """
    if getattr(config.option, "loadgroup", False):
        lost = [item.nodeid for item in items if item.get_closest_marker("xdist_group") and "@" not in item.nodeid]
        if lost:
            raise pytest.UsageError(f"xdist --dist loadgroup does not group {lost[0]} (and {len(lost) - 1} more)")
    items.sort(key=lambda item: item.get_closest_marker(SLOW_FIRST) is None)


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[str]:
    """A throwaway cluster for this process (one per xdist worker), started on the first PostgreSQL test."""
    with running_cluster() as url:
        yield url


def _database_name() -> str:
    return f"t{next(_counter)}_{WORKER}"


def _drop_database(server: str, name: str) -> None:
    admin = create_engine(f"{server}/postgres", isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    finally:
        admin.dispose()


def _sqlite_for_copying(path: Path) -> None:
    """Leave a SQLite template in rollback-journal mode, so that the file alone is the whole store."""
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA journal_mode=DELETE")
    conn.close()


class StoreTemplates:
    """Templates built once per process, copied per test (a file copy, or ``CREATE DATABASE ... TEMPLATE``)."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._migrated: dict[str, str] = {}
        self._worlds: dict[tuple[str, str, int, str], tuple[Path, str]] = {}
        self._files: dict[tuple[str, int], Path] = {}
        self._databases: list[tuple[str, str]] = []

    def world_files(self, scale: str, seed: int) -> Path:
        """The synthetic world's files (``manifest.json`` and the data it names), generated once."""
        key = (scale, seed)
        if key not in self._files:
            out = self.root / "files" / f"{scale}-{seed}"
            generate_world(scale, seed, out)
            self._files[key] = out
        return self._files[key]

    def _template_database(self, server: str, name: str, template: str | None) -> str:
        create_database(server, name, template)
        self._databases.append((server, name))
        return name

    def migrated(self, backend: str, server: str | None) -> str:
        """An empty store at the latest schema: a SQLite file path, or a PostgreSQL database name."""
        if backend not in self._migrated:
            if backend == "sqlite":
                source = str(self.root / "migrated.db")
                url = f"sqlite:///{source}"
            else:
                assert server is not None
                source = self._template_database(server, f"tpl_migrated_{WORKER}", None)
                url = f"{server}/{source}"
            engine = make_engine(url)
            migrate.upgrade(engine)
            engine.dispose()
            if backend == "sqlite":
                _sqlite_for_copying(Path(source))
            self._migrated[backend] = source
        return self._migrated[backend]

    def world(self, backend: str, server: str | None, scale: str, seed: int, actor: str) -> tuple[Path, str]:
        """A node with the world ingested by ``actor``: (its home folder, its store as in ``migrated``)."""
        key = (backend, scale, seed, actor)
        if key not in self._worlds:
            folder = self.root / f"world-{backend}-{scale}-{seed}-{len(self._worlds)}"
            folder.mkdir()
            if backend == "sqlite":
                source = str(folder / "palermo.db")
                url = self.copy(backend, server, self.migrated(backend, server), folder)
            else:
                assert server is not None
                source = self._template_database(
                    server, f"tpl_world_{len(self._worlds)}_{WORKER}", self.migrated(backend, server)
                )
                url = f"{server}/{source}"
            node = init_node(Settings(home=folder / "home", database_url=url, agency="test-agency"))
            world = node.home / "world" / f"{scale}-{seed}"
            shutil.copytree(self.world_files(scale, seed), world)
            ingest_world(node, world / "manifest.json", actor)
            node.engine.dispose()
            if backend == "sqlite":
                _sqlite_for_copying(Path(source))
            self._worlds[key] = (folder / "home", source)
        return self._worlds[key]

    def copy(self, backend: str, server: str | None, source: str, folder: Path) -> str:
        """A new store copied from ``source``; its URL. PostgreSQL copies are dropped by ``drop``."""
        if backend == "sqlite":
            target = folder / "palermo.db"
            shutil.copyfile(source, target)
            return f"sqlite:///{target}"
        assert server is not None
        name = _database_name()
        create_database(server, name, source)
        return f"{server}/{name}"

    def close(self) -> None:
        for server, name in reversed(self._databases):
            with suppress(Exception):  # the cluster may already be gone; it goes with its folder
                _drop_database(server, name)


@pytest.fixture(scope="session")
def templates(tmp_path_factory: pytest.TempPathFactory) -> Iterator[StoreTemplates]:
    made = StoreTemplates(tmp_path_factory.mktemp("templates"))
    yield made
    made.close()


def _server(backend: str, request: pytest.FixtureRequest) -> str | None:
    return str(request.getfixturevalue("postgres_server")) if backend == "postgresql" else None


def _dropped_after(url: str, backend: str, server: str | None) -> Iterator[str]:
    try:
        yield url
    finally:
        if backend == "postgresql" and server is not None:
            _drop_database(server, url.rsplit("/", 1)[1])


@pytest.fixture
def database_url(backend: str, tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[str]:
    """A fresh, empty database on the chosen backend (no schema: for tests of initialisation and migration)."""
    if backend == "sqlite":
        yield f"sqlite:///{tmp_path / 'palermo.db'}"
        return
    server = _server(backend, request)
    assert server is not None
    name = _database_name()
    create_database(server, name)
    yield from _dropped_after(f"{server}/{name}", backend, server)


@pytest.fixture
def store_url(backend: str, tmp_path: Path, request: pytest.FixtureRequest, templates: StoreTemplates) -> Iterator[str]:
    """A fresh database on the chosen backend, already at the latest schema (a copy of the migrated template)."""
    server = _server(backend, request)
    url = templates.copy(backend, server, templates.migrated(backend, server), tmp_path)
    yield from _dropped_after(url, backend, server)


@pytest.fixture
def settings(tmp_path: Path, store_url: str) -> Settings:
    return Settings(home=tmp_path / "home", database_url=store_url, agency="test-agency")


@pytest.fixture
def node(settings: Settings) -> Iterator[Node]:
    """An initialised node on the chosen backend (``init_node`` on a store copied from the migrated template)."""
    created = init_node(settings)
    yield created
    created.engine.dispose()


@pytest.fixture
def engine(node: Node) -> Engine:
    return node.engine


WorldNode = Callable[..., Node]


@pytest.fixture
def world_node_factory(
    backend: str, tmp_path: Path, request: pytest.FixtureRequest, templates: StoreTemplates
) -> Iterator[WorldNode]:
    """``make(scale="tiny", seed=7, actor="test")``: a node with that synthetic world ingested, a copy for this test.

    Its home holds the world's files under ``world/SCALE-SEED`` (as ``palermo.demo.world_manifest`` lays them out).
    """
    server = _server(backend, request)
    made: list[tuple[Node, str]] = []

    def make(scale: str = "tiny", seed: int = 7, actor: str = "test") -> Node:
        home, source = templates.world(backend, server, scale, seed, actor)
        folder = tmp_path / f"world-node-{len(made)}"
        folder.mkdir()
        url = templates.copy(backend, server, source, folder)
        shutil.copytree(home, folder / "home")
        opened = open_node(Settings(home=folder / "home", database_url=url, agency="test-agency"))
        made.append((opened, url))
        return opened

    yield make
    for opened, url in made:
        opened.engine.dispose()
        if backend == "postgresql" and server is not None:
            _drop_database(server, url.rsplit("/", 1)[1])
