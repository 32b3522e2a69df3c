"""Issue 17: request size limits, NUL bytes in any body, security headers on every answer, no Server header."""

from __future__ import annotations

import socket
from collections.abc import Iterator

import httpx
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from palermo.node import Node
from tests.api.live import live_server
from tests.factories import bearer, make_token, make_user

LOGIN = "/api/v1/auth/login"


def _raw_exchange(host: str, port: int, head: str) -> bytes:
    """Send only a request's head (no body) and read the answer: an early 413 comes without the body."""
    with socket.create_connection((host, port), timeout=20) as conn:
        conn.sendall(head.encode())
        answer = b""
        while b"\r\n\r\n" not in answer:
            chunk = conn.recv(65536)
            if not chunk:
                break
            answer += chunk
    return answer


@pytest.mark.parametrize("path", [LOGIN, "/web/login", "/api/v1/screenings"])
def test_a_declared_oversize_body_is_refused_before_it_is_read(node: Node, app: FastAPI, path: str) -> None:
    """Issue 17: 50 MB bodies were read in full before the 401/422; now 413 comes without reading any of it."""
    with live_server(app) as (host, port):
        head = (
            f"POST {path} HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/json\r\n"
            f"Content-Length: {50 * 1024 * 1024}\r\n\r\n"
        )
        answer = _raw_exchange(host, port, head)
    assert answer.startswith(b"HTTP/1.1 413"), answer[:200]


def test_a_streamed_body_is_cut_at_the_limit(client: TestClient, node: Node) -> None:
    limit = node.settings.max_request_bytes

    def chunks() -> Iterator[bytes]:
        for _ in range(limit // 65536 + 2):
            yield b" " * 65536

    answer = client.post(LOGIN, content=chunks(), headers={"Content-Type": "application/json"})
    assert answer.status_code == 413
    assert answer.json()["error"] == "payload_too_large"


def test_a_body_under_the_limit_goes_through(client: TestClient) -> None:
    answer = client.post(LOGIN, json={"username": "nobody", "password": "x" * 1000})
    assert answer.status_code == 401


@pytest.mark.parametrize(
    "content_type", ["Application/JSON", "application/vnd.palermo+json", "application/json; charset=UTF-8", None]
)
def test_a_nul_in_any_json_body_is_a_422(client: TestClient, content_type: str | None) -> None:
    """Issue 17: ``Application/JSON`` or a ``+json`` type with ``\\u0000`` gave 500 on PostgreSQL, even at login."""
    headers = {"Content-Type": content_type} if content_type else {}
    body = b'{"username": "ali\\u0000ce", "password": "whatever"}'
    answer = client.post(LOGIN, content=body, headers=headers)
    assert answer.status_code == 422, answer.text
    assert "NUL" in answer.json()["message"]


def test_a_nul_in_a_page_form_is_a_422(client: TestClient) -> None:
    body = b"username=ali%00ce&password=whatever&csrf_token=x"
    answer = client.post("/web/login", content=body, headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert answer.status_code == 422
    assert "NUL" in answer.text


def test_a_nul_in_a_screening_is_a_422(client: TestClient, node: Node) -> None:
    make_user(node, "bo", "border_officer")
    headers = {**bearer(make_token(node, "bo"), "border_control"), "Content-Type": "application/vnd.x+json"}
    answer = client.post("/api/v1/screenings", content=b'{"names": ["Iv\\u0000an"]}', headers=headers)
    assert answer.status_code == 422


SECURITY_HEADERS = {
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "x-frame-options": "DENY",
}


@pytest.mark.parametrize("path", ["/web/login", "/api/v1/sources", "/healthz", "/web/nowhere", LOGIN])
def test_every_answer_carries_the_security_headers(client: TestClient, path: str) -> None:
    answer = client.get(path)
    for name, value in SECURITY_HEADERS.items():
        assert answer.headers.get(name) == value, (path, name)
    policy = answer.headers["content-security-policy"]
    assert "frame-ancestors 'none'" in policy
    assert "script-src 'self';" in policy
    assert "unsafe-inline" not in policy
    assert answer.headers["cache-control"] == "no-store"


def test_static_assets_may_be_cached_but_are_not_sniffed(client: TestClient) -> None:
    answer = client.get("/web/static/palermo.css")
    assert answer.status_code == 200
    assert answer.headers["x-content-type-options"] == "nosniff"
    assert "no-store" not in answer.headers.get("cache-control", "")


def test_the_served_node_does_not_name_its_server(node: Node, app: FastAPI) -> None:
    with live_server(app) as (host, port):
        answer = httpx.get(f"http://{host}:{port}/healthz")
    assert answer.status_code == 200
    assert "server" not in answer.headers


def test_the_login_csrf_cookie_is_secure_and_a_locked_address_gets_retry_after(client: TestClient, node: Node) -> None:
    page = client.get("/web/login")
    cookie = next(c for c in page.headers.get_list("set-cookie") if c.startswith("palermo_login_csrf="))
    assert "Secure" in {part.strip() for part in cookie.split(";")}
    token = client.cookies["palermo_login_csrf"]
    form = {"username": "nobody", "password": "wrong", "csrf_token": token}
    answers = [client.post("/web/login", data=form) for _ in range(node.settings.login_max_failures + 1)]
    assert answers[-1].status_code == 429
    assert int(answers[-1].headers["Retry-After"]) > 0
