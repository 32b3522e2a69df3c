"""Sign-in, second factor, sign-out, session expiry, CSRF on forms, and the error pages, without a browser."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pyotp
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import update

from palermo.auth import users
from palermo.auth.actor import user_actor
from palermo.db.accounts import WebSession
from palermo.db.engine import transaction
from palermo.demo.accounts import demo_login
from palermo.node import Node
from palermo.web.deps import safe_next
from tests.factories import add_persons, make_user
from tests.web.conftest import csrf, sign_in


def enable_totp(node: Node, username: str) -> str:
    with transaction(node.engine) as session:
        actor = user_actor(users.find_user(session, username), node.agency_code)
        secret, _ = users.begin_totp(session, actor, node.settings.secret_key)
        users.confirm_totp(session, actor, pyotp.TOTP(secret).now(), node.settings.secret_key)
    return secret


def test_wrong_password_is_refused_with_a_message(client: TestClient, node: Node) -> None:
    make_user(node, "ana", "analyst")
    client.get("/web/login")
    token = client.cookies.get("palermo_login_csrf", path="/web/login")
    answer = client.post("/web/login", data={"username": "ana", "password": "nope", "csrf_token": token})
    assert answer.status_code == 401
    assert "wrong username or password" in answer.text
    assert "palermo_session" not in client.cookies


def test_sign_in_without_the_form_token_is_refused(client: TestClient, node: Node) -> None:
    make_user(node, "ana", "analyst")
    answer = client.post("/web/login", data={"username": "ana", "password": "x", "csrf_token": "forged"})
    assert answer.status_code == 403
    assert "sign-in form expired" in answer.text


def test_empty_fields_get_form_messages(client: TestClient) -> None:
    client.get("/web/login")
    token = client.cookies.get("palermo_login_csrf", path="/web/login")
    answer = client.post("/web/login", data={"username": "", "password": "", "csrf_token": token})
    assert answer.status_code == 422
    assert 'aria-invalid="true"' in answer.text
    assert "Enter your username" in answer.text


def test_second_factor_is_asked_for_then_accepted(client: TestClient, node: Node) -> None:
    make_user(node, "ana", "analyst")
    secret = enable_totp(node, "ana")
    client.get("/web/login")
    token = client.cookies.get("palermo_login_csrf", path="/web/login")
    asked = client.post(
        "/web/login", data={"username": "ana", "password": "correct horse battery staple", "csrf_token": token}
    )
    assert asked.status_code == 401
    assert 'id="totp"' in asked.text
    assert "second factor" in asked.text
    assert sign_in(client, "ana", totp="000000" if pyotp.TOTP(secret).now() != "000000" else "111111") == 401
    assert sign_in(client, "ana", totp=pyotp.TOTP(secret).now()) == 303
    assert client.get("/web/").status_code == 200


def test_one_time_password_leads_to_the_password_page_first(client: TestClient, node: Node) -> None:
    username, password = demo_login(node)
    client.get("/web/login")
    token = client.cookies.get("palermo_login_csrf", path="/web/login")
    answer = client.post("/web/login", data={"username": username, "password": password, "csrf_token": token})
    assert answer.headers["location"] == "/web/account/password"
    assert client.get("/web/persons").headers["location"] == "/web/account/password"
    bad = client.post(
        "/web/account/password",
        data={
            "current_password": password,
            "new_password": "a long new one",
            "confirm_password": "other",
            **csrf(client),
        },
    )
    assert bad.status_code == 422
    assert "The two new passwords differ." in bad.text
    good = client.post(
        "/web/account/password",
        data={
            "current_password": password,
            "new_password": "a long new one",
            "confirm_password": "a long new one",
            **csrf(client),
        },
    )
    assert good.headers["location"] == "/web/?password_changed=1"
    assert client.get("/web/persons").status_code == 200


def test_forms_without_the_csrf_field_are_refused(client: TestClient, node: Node) -> None:
    make_user(node, "boss", "admin")
    assert sign_in(client, "boss") == 303
    answer = client.post("/web/admin/tokens", data={"name": "x"})
    assert answer.status_code == 403
    assert "CSRF" in answer.text
    assert answer.headers["content-type"].startswith("text/html")
    assert client.post("/web/admin/tokens", data={"name": "x", **csrf(client)}).status_code == 200


def test_sign_out_ends_the_session(client: TestClient, node: Node) -> None:
    make_user(node, "ana", "analyst")
    assert sign_in(client, "ana") == 303
    cookie = client.cookies.get("palermo_session")
    answer = client.post("/web/logout", data=csrf(client))
    assert answer.headers["location"] == "/web/login?signed_out=1"
    client.cookies.set("palermo_session", cookie or "")
    assert client.get("/web/").headers["location"].startswith("/web/session-expired?next=")


def test_an_expired_session_gets_the_session_expired_page(client: TestClient, node: Node) -> None:
    make_user(node, "ana", "analyst")
    assert sign_in(client, "ana") == 303
    with transaction(node.engine) as session:
        session.execute(update(WebSession).values(expires_at=dt.datetime.now(dt.UTC) - dt.timedelta(minutes=1)))
    moved = client.get("/web/persons?name=ab")
    assert moved.headers["location"] == "/web/session-expired?next=%2Fweb%2Fpersons%3Fname%3Dab"
    page = client.get(moved.headers["location"])
    assert page.status_code == 401
    assert "Your session has ended" in page.text
    assert 'href="/web/login?next=/web/persons%3Fname%3Dab"' in page.text


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        ("/web/persons?name=x", "/web/persons?name=x"),
        ("https://elsewhere.example/web/", "/web/"),
        ("//elsewhere.example/web/", "/web/"),
        ("/api/v1/users", "/web/"),
        ("/web/\\\\elsewhere", "/web/"),
        (None, "/web/"),
    ],
)
def test_only_local_pages_are_returned_to_after_sign_in(target: str | None, expected: str) -> None:
    assert safe_next(target) == expected


def test_person_pages_ask_for_a_justification_and_show_provenance(
    client: TestClient, node: Node, tmp_path: Path
) -> None:
    add_persons(node, tmp_path, [["k1", "Moreau", "Claire"]])
    make_user(node, "ana", "analyst")
    assert sign_in(client, "ana") == 303
    asked = client.get("/web/persons?name=moreau")
    assert asked.status_code == 422
    assert "Say why you search" in asked.text
    refused = client.get("/web/persons?name=moreau&justification=curiosity")
    assert refused.status_code == 422
    assert "neither a legal-basis code nor a case reference" in refused.text
    found = client.get("/web/persons?name=moreau&justification=criminal_investigation")
    assert found.status_code == 200
    assert "Moreau" in found.text
    record = client.get("/web/persons/1")
    assert "Say why you open it" in record.text
    assert "Moreau" not in record.text
    shown = client.get("/web/persons/1?justification=JIT-2026-0042")
    assert shown.status_code == 200
    assert "Handling H0" in shown.text
    assert "Grading" in shown.text
    assert "Source key" in shown.text
    assert client.get("/web/persons/424242?justification=JIT-2026-0042").status_code == 404


def test_error_pages_are_html_and_say_what_is_wrong(client: TestClient, node: Node) -> None:
    make_user(node, "officer", "border_officer")
    assert sign_in(client, "officer") == 303
    denied = client.get("/web/oversight")
    assert denied.status_code == 403
    assert "audit.read" in denied.text
    assert "Oversight / data-protection officer" in denied.text
    missing = client.get("/web/no-such-page")
    assert missing.status_code == 404
    assert "There is no page at this address." in missing.text
    invalid = client.get("/web/?days=0")
    assert invalid.status_code == 422
    assert 'id="days-error"' in invalid.text  # a form error next to the field, on the dashboard itself
    assert client.get("/api/v1/no-such-route").headers["content-type"] == "application/json"
