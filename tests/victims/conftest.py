"""The node's app and an in-process client for the victims API tests (this folder only)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from palermo.api import create_app
from palermo.node import Node


@pytest.fixture
def client(node: Node) -> Iterator[TestClient]:
    with TestClient(create_app(node, warm_up=False), base_url="https://testserver") as test_client:
        yield test_client
