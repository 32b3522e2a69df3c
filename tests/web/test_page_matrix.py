"""The pages' authorization matrix: every page route x every role -> the page, or a 403 page naming the permission.

Routes come from ``palermo.web.page_routes()``; the expected answer from ``permissions.yaml``. Without a session,
every page but the public ones sends the browser to the sign-in page.
"""

from __future__ import annotations

import re

from fastapi import FastAPI
from fastapi.routing import APIRoute, iter_route_contexts
from fastapi.testclient import TestClient

from palermo.api.deps import PERMISSION_KEY, PUBLIC
from palermo.auth.permissions import permission
from palermo.auth.users import is_service_account
from palermo.db.accounts import ROLES
from palermo.node import Node
from palermo.web import PAGE_ROUTERS, page_routes
from palermo.web.deps import PagePermission
from tests.factories import make_user
from tests.web.conftest import csrf, sign_in

PUBLIC_PAGES = {
    ("GET", "/"),
    ("GET", "/web"),
    ("GET", "/web/login"),
    ("POST", "/web/login"),
    ("GET", "/web/session-expired"),
}


def declared() -> dict[tuple[str, str], tuple[str, tuple[str, ...]]]:
    """(method, path) -> (declared permission, enforced permissions) of every page route."""
    found = {}
    for router in PAGE_ROUTERS:
        for context in iter_route_contexts(router.routes):
            route = context.original_route
            assert isinstance(route, APIRoute)
            enforced = tuple(
                d.dependency.permission_id for d in route.dependencies if isinstance(d.dependency, PagePermission)
            )
            for method in context.methods or ():
                found[(method, str(context.path))] = ((route.openapi_extra or {}).get(PERMISSION_KEY), enforced)
    return found


def url(path: str) -> str:
    return re.sub(r"\{[^}]+\}", "999999", path)


def test_every_page_declares_and_enforces_one_permission() -> None:
    pages = declared()
    assert sorted(pages) == page_routes()
    assert {k for k, (p, _) in pages.items() if p == PUBLIC} == PUBLIC_PAGES
    assert [k for k, (p, enforced) in pages.items() if p != PUBLIC and enforced != (p,)] == []
    assert all(permission(p) for p, _ in pages.values() if p != PUBLIC)


def test_without_a_session_every_page_sends_to_sign_in(client: TestClient) -> None:
    wrong = []
    for (method, path), (needed, _) in declared().items():
        if needed == PUBLIC:
            continue
        answer = client.request(method, url(path))
        if answer.status_code != 303 or not answer.headers["location"].startswith("/web/login?next="):
            wrong.append((method, path, answer.status_code))
    assert wrong == []


def test_every_page_allows_exactly_the_roles_its_permission_names(app: FastAPI, node: Node) -> None:
    mismatches = []
    for role in ROLES:
        username = f"p-{role.replace('_', '-')}"
        make_user(node, username, role)
        with TestClient(app, base_url="https://testserver", follow_redirects=False) as client:
            if is_service_account(role):  # a partner's service account signs in with its token only, never here
                assert sign_in(client, username) == 401
                continue
            assert sign_in(client, username) == 303
            for (method, path), (needed, _) in sorted(declared().items()):
                if needed == PUBLIC or path == "/web/logout":
                    continue
                answer = client.request(method, url(path), data=csrf(client) if method == "POST" else None)
                denied = answer.status_code == 403 and needed in answer.text
                if denied == (role in permission(needed).roles) or answer.status_code >= 500:
                    mismatches.append((method, path, role, answer.status_code))
    assert mismatches == []
