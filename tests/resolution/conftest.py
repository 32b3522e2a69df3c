from __future__ import annotations

from pathlib import Path

import pytest

from palermo.node import Node
from tests.conftest import StoreTemplates, WorldNode


@pytest.fixture(scope="session")
def tiny_world(templates: StoreTemplates) -> Path:
    return templates.world_files("tiny", 11)


@pytest.fixture
def world_node(world_node_factory: WorldNode) -> Node:
    """A node with the tiny synthetic world (seed 11) ingested: a copy of the one ingested for this session."""
    return world_node_factory("tiny", 11, "cli:test")
