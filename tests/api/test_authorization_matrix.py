"""The authorization matrix, generated from the route table: every route x every role -> allow or deny.

Each route declares its permission (``permitted(...)`` puts it in ``openapi_extra`` and enforces it); the
expected answer for a role comes from ``permissions.yaml``. A route that declares nothing fails here, unless it is
one of the public ones (health, metrics, login). The web pages (``palermo.web.page_routes()``) answer HTML and
redirect to sign-in, so they are left out here, by that explicit list, and have their own matrix in ``tests/web``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from fastapi import FastAPI
from fastapi.routing import APIRoute, iter_route_contexts
from fastapi.testclient import TestClient

from palermo.api.deps import PERMISSION_KEY, PUBLIC, RoutePermission
from palermo.auth.permissions import permission
from palermo.db.accounts import ROLES
from palermo.node import Node
from palermo.web import page_routes
from tests.factories import bearer, make_token, make_user

PUBLIC_ROUTES = {("POST", "/api/v1/auth/login"), ("GET", "/healthz"), ("GET", "/readyz"), ("GET", "/metrics")}
ABSENT_ID = "999999"


@dataclass(frozen=True)
class Endpoint:
    method: str
    path: str
    permission: str | None
    enforced: tuple[str, ...]

    @property
    def url(self) -> str:
        return re.sub(r"\{[^}]+\}", ABSENT_ID, self.path)


def all_endpoints(app: FastAPI) -> list[Endpoint]:
    found = []
    for context in iter_route_contexts(app.routes):
        route = context.original_route
        if not isinstance(route, APIRoute):
            continue
        enforced = tuple(
            d.dependency.permission_id for d in route.dependencies if isinstance(d.dependency, RoutePermission)
        )
        declared = (route.openapi_extra or {}).get(PERMISSION_KEY)
        for method in sorted(context.methods or ()):
            found.append(Endpoint(method, str(context.path), declared, enforced))
    return found


def endpoints(app: FastAPI) -> list[Endpoint]:
    """The API's routes: every route but the pages."""
    pages = set(page_routes())
    return [e for e in all_endpoints(app) if (e.method, e.path) not in pages]


def test_only_the_pages_are_left_out_of_the_api_matrix(app: FastAPI) -> None:
    left_out = {(e.method, e.path) for e in all_endpoints(app)} - {(e.method, e.path) for e in endpoints(app)}
    assert left_out == set(page_routes())
    assert all(path == "/" or path.startswith("/web") for _, path in left_out)


def call(client: TestClient, endpoint: Endpoint, headers: dict[str, str]) -> tuple[int, str]:
    body = {} if endpoint.method in {"POST", "PUT", "PATCH"} else None
    answer = client.request(endpoint.method, endpoint.url, json=body, headers=headers)
    return answer.status_code, answer.text


def test_every_route_declares_and_enforces_a_permission(app: FastAPI) -> None:
    routes = endpoints(app)
    assert len(routes) >= 15
    undeclared = [(e.method, e.path) for e in routes if e.permission is None]
    assert undeclared == []
    public = {(e.method, e.path) for e in routes if e.permission == PUBLIC}
    assert public == PUBLIC_ROUTES
    assert [e for e in routes if e.permission != PUBLIC and e.enforced != (e.permission,)] == []
    assert all(permission(e.permission) for e in routes if e.permission not in (None, PUBLIC))


def test_no_route_but_the_public_ones_answers_without_credentials(client: TestClient, app: FastAPI) -> None:
    wrong = [
        (e.method, e.path, status)
        for e in endpoints(app)
        if e.permission != PUBLIC and (status := call(client, e, {})[0]) != 401
    ]
    assert wrong == []


def test_every_route_allows_exactly_the_roles_its_permission_names(
    client: TestClient, app: FastAPI, node: Node
) -> None:
    tokens = {}
    for role in ROLES:
        make_user(node, f"u-{role.replace('_', '-')}", role)
        tokens[role] = make_token(node, f"u-{role.replace('_', '-')}")
    mismatches = []
    for endpoint in endpoints(app):
        if endpoint.permission in (None, PUBLIC):
            continue
        allowed_roles = permission(endpoint.permission).roles
        for role in ROLES:
            status, text = call(client, endpoint, bearer(tokens[role], "oversight"))
            denied = status == 403 and endpoint.permission in text
            if denied == (role in allowed_roles) or status in (401, 500):
                mismatches.append((endpoint.method, endpoint.path, role, status, text[:120]))
    assert mismatches == []
