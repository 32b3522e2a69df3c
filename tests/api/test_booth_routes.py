"""The booth's one-hop routes (screening, document check, person search) refuse in the order every route does.

No credentials: 401 before the input is read; unknown credentials: 401; a role without the permission: 403,
recorded in the audit log; only then invalid input: 422. Each answered request is in the audit log once.
"""

from __future__ import annotations

import asyncio
import contextvars
import threading
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text

from palermo.api import booth
from palermo.node import Node
from tests.factories import PASSWORD, bearer, make_token, make_user

BAD_INPUT = [
    ("POST", "/api/v1/screenings", {"names": 5}, None),
    ("POST", "/api/v1/documents/check", {"mrz": ["not", "text"], "at": 12}, None),
    ("GET", "/api/v1/persons", None, {"limit": 0}),
]
SCREENING = {"names": ["Ana Lopes"], "birth_date": "1980"}


def _audit(node: Node) -> list[tuple[str, str]]:
    with node.engine.connect() as connection:
        rows = connection.execute(text("SELECT actor, action FROM audit_entries ORDER BY seq"))
        return [(str(actor), str(action)) for actor, action in rows]


def _call(client: TestClient, method: str, path: str, body: Any, query: Any, headers: dict[str, str]) -> Any:
    return client.request(method, path, json=body, params=query, headers=headers)


@pytest.mark.parametrize(("method", "path", "body", "query"), BAD_INPUT)
def test_invalid_input_from_a_caller_without_the_permission_is_refused_403_and_recorded(
    client: TestClient, node: Node, method: str, path: str, body: Any, query: Any
) -> None:
    make_user(node, "vs", "victim_support")  # holds none of the booth's permissions
    token = make_token(node, "vs")
    before = len(_audit(node))
    answer = _call(client, method, path, body, query, bearer(token, "victim_protection"))
    assert answer.status_code == 403, answer.text
    assert answer.json()["error"] == "permission_denied"
    logged = _audit(node)[before:]
    assert [action for _, action in logged] == ["refusal"]
    assert logged[0][0].startswith("token:vs/")


@pytest.mark.parametrize(("method", "path", "body", "query"), BAD_INPUT)
def test_invalid_input_is_401_without_or_with_unknown_credentials_and_422_for_a_permitted_caller(
    client: TestClient, node: Node, method: str, path: str, body: Any, query: Any
) -> None:
    assert _call(client, method, path, body, query, {}).status_code == 401
    unknown = _call(client, method, path, body, query, bearer("plm_" + "x" * 43, "border_control"))
    assert unknown.status_code == 401
    assert unknown.json()["error"] == "not_authenticated"
    make_user(node, "bo", "border_officer")
    make_user(node, "an", "analyst")
    token = make_token(node, "an" if path.endswith("persons") else "bo")
    answer = _call(client, method, path, body, query, bearer(token, "border_control"))
    assert answer.status_code == 422, answer.text
    assert answer.json()["error"] == "invalid_input"


def test_each_screening_is_recorded_once_under_its_token(client: TestClient, node: Node) -> None:
    make_user(node, "bo", "border_officer")
    token = make_token(node, "bo")
    before = len(_audit(node))
    for _ in range(3):
        answer = client.post("/api/v1/screenings", json=SCREENING, headers=bearer(token, "border_control"))
        assert answer.status_code == 200, answer.text
    logged = _audit(node)[before:]
    assert len(logged) == 3
    assert {actor for actor, _ in logged} == {logged[0][0]}
    assert logged[0][0].startswith("token:bo/")


def test_a_session_cookie_works_on_the_booth_routes_and_needs_the_csrf_header_to_screen(
    client: TestClient, node: Node
) -> None:
    make_user(node, "bo", "border_officer")
    login = client.post("/api/v1/auth/login", json={"username": "bo", "password": PASSWORD})
    assert login.status_code == 200, login.text
    csrf = login.json()["csrf_token"]
    headers = {"X-Palermo-Justification": "border_control"}
    refused = client.post("/api/v1/screenings", json=SCREENING, headers=headers)
    assert refused.status_code == 403, refused.text
    answer = client.post("/api/v1/screenings", json=SCREENING, headers=headers | {"X-CSRF-Token": csrf})
    assert answer.status_code == 200, answer.text


def test_a_cancelled_request_holds_its_turn_until_its_work_has_ended() -> None:
    """A client that hangs up cancels its request, but the work in the thread runs on (threads cannot be stopped):
    the request lets go of its session turn only once that work has ended, so the gate never over-admits."""
    started, release = threading.Event(), threading.Event()

    def work() -> str:
        started.set()
        release.wait(5)
        return "done"

    async def scenario() -> None:
        task = asyncio.create_task(booth._in_a_thread(work))
        await asyncio.to_thread(started.wait, 5)
        task.cancel()
        await asyncio.sleep(0.05)
        assert not task.done()  # still waiting for the thread
        release.set()
        with pytest.raises(asyncio.CancelledError):
            await task

    asyncio.run(scenario())


def test_the_work_runs_in_a_copy_of_the_request_context() -> None:
    seen: contextvars.ContextVar[str] = contextvars.ContextVar("seen", default="none")

    async def scenario() -> str:
        seen.set("request")
        return await booth._in_a_thread(seen.get)

    assert asyncio.run(scenario()) == "request"
