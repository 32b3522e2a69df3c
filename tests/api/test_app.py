"""The app as a client meets it: health, readiness, metrics, JSON errors, 422 field messages."""

from __future__ import annotations

import time

import httpx
import pytest
from alembic import command
from fastapi import FastAPI
from fastapi.testclient import TestClient

from palermo.api import create_app
from palermo.db import migrate
from palermo.node import Node
from tests.factories import bearer, make_token, make_user


@pytest.fixture
def app(node: Node) -> FastAPI:
    """The app as ``palermo serve`` runs it: warming up at start (the other tests' apps skip the warm-up)."""
    return create_app(node)


def test_healthz_answers_without_credentials(client: TestClient) -> None:
    assert client.get("/healthz").json() == {"status": "ok", "schema_revision": None}


def test_readyz_reports_the_schema_revision_once_warm(client: TestClient, node: Node, app: FastAPI) -> None:
    assert app.state.warm_up.wait(timeout=120), "the warm-up did not finish"
    assert app.state.warm_up.error is None
    answer = client.get("/readyz")
    assert answer.status_code == 200
    assert answer.json()["schema_revision"] == migrate.head_revision()


def test_readyz_is_503_until_screening_is_warm(app: FastAPI) -> None:
    not_started = TestClient(app, base_url="https://testserver")  # no lifespan: the warm-up never starts
    answer = not_started.get("/readyz")
    assert answer.status_code == 503
    assert answer.json()["error"] == "not_ready"
    assert not_started.get("/healthz").status_code == 200  # alive, just not ready


def test_an_app_started_without_warm_up_is_ready_at_once(node: Node) -> None:
    with TestClient(create_app(node, warm_up=False), base_url="https://testserver") as cold:
        assert cold.get("/readyz").status_code == 200
        assert cold.app.state.warm_up.knocks == []  # type: ignore[attr-defined]


def test_warm_up_loads_the_candidate_index_and_name_data(app: FastAPI, node: Node) -> None:
    from palermo.screening.candidate_index import node_cache

    node_cache.forget(node.home)
    with TestClient(app, base_url="https://testserver"):
        assert app.state.warm_up.wait(timeout=120)
    assert node.home in node_cache._cache


def test_readyz_is_503_when_the_store_is_behind(client: TestClient, node: Node, app: FastAPI) -> None:
    assert app.state.warm_up.wait(timeout=120)  # the store falls behind under a running server, not mid-warm-up
    command.downgrade(migrate.alembic_config(node.engine), "0001")
    answer = client.get("/readyz")
    assert answer.status_code == 503
    assert answer.json()["error"] == "store"
    assert "palermo db upgrade" in answer.json()["message"]


def test_metrics_count_requests_by_route_template_and_status(client: TestClient) -> None:
    client.get("/api/v1/persons/12")
    client.get("/api/v1/persons/13")
    client.get("/no/such/page")
    text = client.get("/metrics").text
    assert 'palermo_http_requests_total{method="GET",route="/api/v1/persons/{person_id}",status="401"} 2.0' in text
    assert 'route="<unmatched>",status="404"' in text
    assert "palermo_http_request_duration_seconds_bucket" in text


def test_every_answer_says_how_long_the_server_took(client: TestClient, node: Node) -> None:
    make_user(node, "bo", "border_officer")
    headers = bearer(make_token(node, "bo"), "border_control")
    answers = [
        client.get("/healthz"),
        client.get("/no/such/page"),
        client.get("/api/v1/persons/12"),
        client.post("/api/v1/screenings", json={"names": ["Anna Kowalska"], "birth_date": "1980"}, headers=headers),
    ]
    for answer in answers:
        name, _, duration = answer.headers["server-timing"].partition(";dur=")
        assert name == "app"
        assert 0 < float(duration) < 120_000, answer.headers["server-timing"]
    assert answers[-1].status_code == 200


def test_unknown_routes_and_methods_answer_json(client: TestClient) -> None:
    assert client.get("/api/v1/nothing").json()["error"] == "not_found"
    answer = client.delete("/healthz")
    assert (answer.status_code, answer.json()["error"]) == (405, "method_not_allowed")


def test_validation_errors_name_each_field(client: TestClient) -> None:
    answer = client.post("/api/v1/auth/login", json={"username": "", "totp": 5})
    assert answer.status_code == 422
    body = answer.json()
    assert body["error"] == "invalid_input"
    fields = {f["field"] for f in body["details"]["fields"]}
    assert fields == {"body.username", "body.password", "body.totp"}
    assert "body.password: Field required" in body["message"]


def test_malformed_json_is_422_not_500(client: TestClient) -> None:
    answer = client.post("/api/v1/auth/login", content=b"{not json", headers={"Content-Type": "application/json"})
    assert answer.status_code == 422


def test_core_errors_keep_their_status_and_code(client: TestClient, node: Node) -> None:
    make_user(node, "root", "admin")
    headers = bearer(make_token(node, "root"))
    answer = client.post("/api/v1/users", json={"username": "bob", "role": "pilot"}, headers=headers)
    assert (answer.status_code, answer.json()["error"]) == (422, "invalid_input")
    assert "unknown roles value 'pilot'" in answer.json()["message"]
    assert client.post("/api/v1/users", json={"username": "root", "role": "admin"}, headers=headers).status_code == 409
    assert client.get("/api/v1/users/ghost", headers=headers).json()["error"] == "not_found"


def test_openapi_declares_every_route_permission(app: FastAPI) -> None:
    schema = app.openapi()
    assert schema["paths"]["/api/v1/persons/{person_id}"]["get"]["x-palermo-permission"] == "persons.read"
    assert {"HTTPBearer", "APIKeyCookie"} <= set(schema["components"]["securitySchemes"])


def test_every_router_module_is_registered_with_the_app() -> None:
    """A domain's router that is not in DOMAIN_ROUTERS would serve nothing (docs/development.md, Adding a domain)."""
    import importlib
    import pkgutil

    from palermo.api import routers
    from palermo.api.app import DOMAIN_ROUTERS

    registered = {id(router) for router in DOMAIN_ROUTERS}
    modules = [m.name for m in pkgutil.iter_modules(routers.__path__) if m.name != "health"]
    missing = [m for m in modules if id(importlib.import_module(f"palermo.api.routers.{m}").router) not in registered]
    assert modules
    assert missing == []


def test_the_warm_up_knocks_on_the_booth_routes_unseen_and_unlogged(app: FastAPI, node: Node) -> None:
    """The warm-up's own requests answer 401, touch no data, and are neither counted nor audited."""
    from palermo.audit.log import log_size
    from palermo.db.engine import transaction
    from palermo.screening.warmup import REHEARSALS

    with transaction(node.engine) as session:
        before = log_size(session)
    with TestClient(app, base_url="https://testserver") as client:
        assert app.state.warm_up.wait(timeout=120)
        assert app.state.warm_up.knocks == [401, 401, 401] * REHEARSALS
        assert "palermo_http_requests_total{" not in client.get("/metrics").text
    with transaction(node.engine) as session:
        assert log_size(session) == before


def test_the_warm_up_knocks_through_the_servers_own_socket_unseen(node: Node) -> None:
    """Once a readiness probe has shown the server its address, the knocks go through the socket, uncounted."""
    from palermo.screening.warmup import REHEARSALS
    from tests.api.live import live_server

    app = create_app(node)
    with live_server(app) as (host, port):
        base = f"http://{host}:{port}"
        deadline = time.monotonic() + 120
        while httpx.get(f"{base}/readyz").status_code != 200:
            assert time.monotonic() < deadline, "the server did not warm up within 2 minutes"
            time.sleep(0.05)
        assert app.state.warm_up.knocked_via == "socket"
        assert app.state.warm_up.knocks == [401, 401, 401] * REHEARSALS
        counted = [line for line in httpx.get(f"{base}/metrics").text.splitlines() if line.startswith("palermo_http")]
        assert not [line for line in counted if 'status="401"' in line]
