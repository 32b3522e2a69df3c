"""A hand-built world for the network tests: a small trafficking network (special-category victims) beside a
family that travels together, ingested through the real pipeline into a node on each store."""

from __future__ import annotations

from pathlib import Path

import pytest

from palermo.auth.actor import Actor
from palermo.auth.justification import Justification
from palermo.node import Node
from tests.factories import ingest_network


def actor(role: str, node: Node) -> Actor:
    """A signed-in user of ``role`` with a case reference."""
    return Actor(
        name=f"user:{role}-1",
        kind="user",
        role=role,
        user_id=1,
        agency_code=node.agency_code,
        justification=Justification("case", "CASE-25"),
    )


@pytest.fixture
def network_node(node: Node, tmp_path: Path) -> Node:
    ingest_network(node, tmp_path)
    return node
