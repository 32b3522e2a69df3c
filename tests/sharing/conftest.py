"""Fixtures of the sharing tests: real nodes served over loopback (``tests/sharing/nodes.py``)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import StoreTemplates
from tests.sharing.nodes import Served, connect, make_node, sqlite_store


@pytest.fixture
def trio(tmp_path: Path, store_url: str, templates: StoreTemplates) -> Iterator[tuple[Served, Served, Served]]:
    """Nodes A (on the backend under test), B and C (SQLite), served, B partnered with A and with C."""
    a = Served(make_node(tmp_path, "agency-a", store_url), "AUT")
    b = Served(make_node(tmp_path, "agency-b", sqlite_store(templates, tmp_path / "store-b")), "ROU")
    c = Served(make_node(tmp_path, "agency-c", sqlite_store(templates, tmp_path / "store-c")), "ITA")
    for served in (a, b, c):
        served.start()
    connect(a, b)
    connect(b, c)
    yield a, b, c
    for served in (a, b, c):
        served.stop()
        served.node.engine.dispose()
