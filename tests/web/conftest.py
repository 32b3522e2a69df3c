"""Pages of a real node: an in-process client that signs in through the sign-in form, like a browser."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from playwright.sync_api import Browser

from palermo.api import create_app
from palermo.node import Node
from tests.factories import PASSWORD
from tests.web.browser import chromium


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """Debian's Chromium for the browser modules, one per module (they run on the ``browser`` xdist group)."""
    with chromium() as launched:
        yield launched


@pytest.fixture
def app(node: Node) -> FastAPI:
    """The node's app without its start-up warm-up (tests/api/test_app.py tests the warm-up)."""
    return create_app(node, warm_up=False)


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app, base_url="https://testserver", follow_redirects=False) as test_client:
        yield test_client


def sign_in(client: TestClient, username: str, password: str = PASSWORD, totp: str = "") -> int:
    """Open the sign-in form, post it with its CSRF field; the status of the answer (303 when signed in)."""
    client.get("/web/login")
    token = client.cookies.get("palermo_login_csrf", path="/web/login") or ""
    data = {"username": username, "password": password, "totp": totp, "csrf_token": token, "next": "/web/"}
    return client.post("/web/login", data=data).status_code


def csrf(client: TestClient) -> dict[str, str]:
    return {"csrf_token": client.cookies.get("palermo_csrf") or ""}
