from __future__ import annotations

from pathlib import Path

import pytest

from palermo.demo import ingest_world
from palermo.node import Node
from palermo.synth.world import generate_world


@pytest.fixture(scope="session")
def tiny_world(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("world")
    generate_world("tiny", 11, out)
    return out


@pytest.fixture
def world_node(node: Node, tiny_world: Path) -> Node:
    """A node with the tiny synthetic world ingested."""
    ingest_world(node, tiny_world / "manifest.json", "cli:test")
    return node
