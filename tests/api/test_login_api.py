"""Login over HTTP: cookie flags, CSRF on state-changing requests, throttling answers 429, TOTP, logout."""

from __future__ import annotations

import pyotp
from fastapi.testclient import TestClient

from palermo.node import Node
from tests.factories import PASSWORD, make_user


def log_in(client: TestClient, username: str, password: str = PASSWORD, **extra: str) -> dict[str, str]:
    answer = client.post("/api/v1/auth/login", json={"username": username, "password": password, **extra})
    assert answer.status_code == 200, answer.text
    return {"X-CSRF-Token": answer.json()["csrf_token"]}


def test_login_sets_a_secure_httponly_samesite_cookie(client: TestClient, node: Node) -> None:
    make_user(node, "alice", "analyst")
    answer = client.post("/api/v1/auth/login", json={"username": "alice", "password": PASSWORD})
    assert answer.status_code == 200
    cookies = answer.headers.get_list("set-cookie")
    session_cookie = next(c for c in cookies if c.startswith("palermo_session="))
    assert {"Secure", "HttpOnly", "SameSite=lax"} <= {part.strip() for part in session_cookie.split(";")}
    csrf_cookie = next(c for c in cookies if c.startswith("palermo_csrf="))
    assert "HttpOnly" not in csrf_cookie
    assert answer.json()["user"]["username"] == "alice"
    assert "password_hash" not in answer.text
    assert client.get("/api/v1/auth/me").json()["role"] == "analyst"


def test_wrong_password_is_401_json(client: TestClient, node: Node) -> None:
    make_user(node, "alice", "analyst")
    answer = client.post("/api/v1/auth/login", json={"username": "alice", "password": "wrong"})
    assert answer.status_code == 401
    assert answer.json()["error"] == "not_authenticated"
    assert answer.json()["message"].startswith("wrong username or password")


def test_repeated_failures_answer_429_with_retry_after(client: TestClient, node: Node) -> None:
    make_user(node, "alice", "analyst")
    for _ in range(node.settings.login_max_failures):
        client.post("/api/v1/auth/login", json={"username": "alice", "password": "wrong"})
    answer = client.post("/api/v1/auth/login", json={"username": "alice", "password": PASSWORD})
    assert answer.status_code == 429
    assert int(answer.headers["Retry-After"]) > 0


def test_state_changing_requests_with_a_cookie_need_the_csrf_token(client: TestClient, node: Node) -> None:
    make_user(node, "alice", "analyst")
    csrf = log_in(client, "alice")
    body = {"current_password": PASSWORD, "new_password": "another long passphrase"}
    refused = client.post("/api/v1/auth/password", json=body)
    assert refused.status_code == 403
    assert "CSRF" in refused.json()["message"]
    forged = client.post("/api/v1/auth/password", json=body, headers={"X-CSRF-Token": "forged"})
    assert forged.status_code == 403
    assert client.post("/api/v1/auth/password", json=body, headers=csrf).status_code == 200


def test_a_one_time_password_must_be_changed_before_anything_else(client: TestClient, node: Node) -> None:
    make_user(node, "root", "admin")
    csrf = log_in(client, "root")
    created = client.post("/api/v1/users", json={"username": "bob", "role": "analyst"}, headers=csrf)
    assert created.status_code == 201
    one_time = created.json()["one_time_password"]
    client.cookies.clear()
    bob = log_in(client, "bob", one_time)
    refused = client.get("/api/v1/sources")
    assert refused.status_code == 403
    assert "must change the one-time password" in refused.json()["message"]
    body = {"current_password": one_time, "new_password": "bob's own long passphrase"}
    assert client.post("/api/v1/auth/password", json=body, headers=bob).status_code == 200
    assert client.get("/api/v1/sources").status_code == 200


def test_totp_enrolment_and_login_with_the_second_factor(client: TestClient, node: Node) -> None:
    make_user(node, "alice", "analyst")
    csrf = log_in(client, "alice")
    secret = client.post("/api/v1/auth/totp", headers=csrf).json()["secret"]
    assert client.post("/api/v1/auth/totp/confirm", json={"code": "000000"}, headers=csrf).status_code in (200, 422)
    confirmed = client.post("/api/v1/auth/totp/confirm", json={"code": pyotp.TOTP(secret).now()}, headers=csrf)
    if confirmed.status_code == 409:  # "000000" happened to be the current code
        confirmed = client.get("/api/v1/auth/me")
    assert confirmed.json()["totp_enabled"] is True
    client.cookies.clear()
    without = client.post("/api/v1/auth/login", json={"username": "alice", "password": PASSWORD})
    assert without.status_code == 401
    assert "TOTP" in without.json()["message"]
    log_in(client, "alice", totp=pyotp.TOTP(secret).now())


def test_logout_ends_the_session(client: TestClient, node: Node) -> None:
    make_user(node, "alice", "analyst")
    csrf = log_in(client, "alice")
    old = client.cookies.get("palermo_session")
    assert client.post("/api/v1/auth/logout", headers=csrf).status_code == 200
    client.cookies.set("palermo_session", old or "", domain="testserver")
    assert client.get("/api/v1/auth/me").status_code == 401
