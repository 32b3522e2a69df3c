"""The app of a real node on each backend, and an in-process client speaking HTTPS (cookies are Secure)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from palermo.api import create_app
from palermo.node import Node


@pytest.fixture
def app(node: Node) -> FastAPI:
    """The node's app without its start-up warm-up (tests/api/test_app.py tests the warm-up)."""
    return create_app(node, warm_up=False)


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app, base_url="https://testserver") as test_client:
        yield test_client
