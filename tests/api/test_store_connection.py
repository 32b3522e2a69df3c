"""PostgreSQL connections lost in the pool: a rested one is replaced before use, a busy one costs a 503, not a 500."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, text
from sqlalchemy.pool import NullPool

from palermo.db import engine as store
from palermo.node import Node
from tests.factories import bearer, make_token, make_user

SCREENING = {"names": ["Ana Lopes"], "birth_date": "1980"}


def _kill_other_connections(node: Node) -> int:
    """Terminate the node's pooled connections from outside its pool, as a server restart would."""
    outside = create_engine(node.engine.url, poolclass=NullPool)
    try:
        with outside.connect() as connection:
            killed = connection.execute(
                text(
                    "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                    "WHERE datname = current_database() AND pid <> pg_backend_pid()"
                )
            ).scalar_one()
            connection.rollback()
    finally:
        outside.dispose()
    return int(killed)


@pytest.fixture
def officer(node: Node, backend: str) -> dict[str, str]:
    if backend != "postgresql":
        pytest.skip("only a database server's connections can be lost")
    make_user(node, "bo", "border_officer")
    return bearer(make_token(node, "bo"), "border_control")


def test_a_rested_connection_that_died_is_replaced_before_the_request_uses_it(
    client: TestClient, node: Node, officer: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    assert client.post("/api/v1/screenings", json=SCREENING, headers=officer).status_code == 200
    monkeypatch.setattr(store, "PING_AFTER_IDLE_SECONDS", 0.0)  # every pooled connection counts as rested
    assert _kill_other_connections(node) >= 1
    for _ in range(3):
        answer = client.post("/api/v1/screenings", json=SCREENING, headers=officer)
        assert answer.status_code == 200, answer.text


def test_a_busy_connection_that_died_answers_503_with_retry_after_and_the_next_request_works(
    client: TestClient, node: Node, officer: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    assert client.post("/api/v1/screenings", json=SCREENING, headers=officer).status_code == 200
    monkeypatch.setattr(store, "PING_AFTER_IDLE_SECONDS", 3600.0)  # in steady use: no ping
    assert _kill_other_connections(node) >= 1
    lost = client.post("/api/v1/screenings", json=SCREENING, headers=officer)
    assert lost.status_code == 503, lost.text
    assert lost.json()["error"] == "store"
    assert lost.headers["Retry-After"] == "1"
    again = client.post("/api/v1/screenings", json=SCREENING, headers=officer)
    assert again.status_code == 200, again.text
