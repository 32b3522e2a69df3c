"""The route map and the hotspot map without a browser, over the hand-built travel world of tests/network: the
justification first; the network's route and the Bari hotspot with their figures, explanations and travellers (linked
to their identities); filters that fail answer 422 at their field; the access is recorded with its reason; roles
without ``network.read`` are refused (on SQLite and PostgreSQL)."""

from __future__ import annotations

import json
import re
from html import escape
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select

from palermo.db.audit import AuditEntry
from palermo.db.engine import transaction
from palermo.node import Node
from palermo.web.views.network_maps import period_range
from tests.factories import make_user
from tests.travel_world import NETWORK_ROUTE, TravelWorld, build
from tests.web.conftest import sign_in

WHY = "JIT-2026-0042"


@pytest.fixture
def world(node: Node, tmp_path: Path) -> TravelWorld:
    return build(node, tmp_path)


def signed_in(app: FastAPI, node: Node, username: str, role: str) -> TestClient:
    make_user(node, username, role)
    client = TestClient(app, base_url="https://testserver", follow_redirects=False)
    assert sign_in(client, username) == 303
    return client


def map_data(text: str) -> dict[str, Any]:
    found = re.search(r'<script type="application/json" id="travel-map-data">(.*?)</script>', text, re.S)
    assert found is not None
    data: dict[str, Any] = json.loads(found.group(1))
    return data


def test_the_route_map_asks_why_then_shows_the_network_route_first(
    app: FastAPI, node: Node, world: TravelWorld
) -> None:
    analyst = signed_in(app, node, "ana", "analyst")
    asked = analyst.get("/web/network/routes")
    assert asked.status_code == 200
    assert 'href="/web/network/routes"' in asked.text  # in the navigation
    assert "trafficking-routes" not in asked.text
    assert "travel-map-data" not in asked.text
    page = analyst.get("/web/network/routes", params={"justification": WHY})
    assert page.status_code == 200
    text = page.text
    table = text[text.index('id="trafficking-routes"') : text.index('id="ordinary-h"')]
    assert f'<th scope="row">{escape(NETWORK_ROUTE)}</th>' in table
    assert "USA &gt; MXP &gt; ITA" not in table  # three alerts among 80 travellers are what chance explains
    escort = world.escort.split(":")[1]
    assert f'href="/web/identities/{escort}?justification={WHY}"' in table
    assert "special-category crossings (victims, minors) are left out" in text  # an analyst lacks victims.read
    drawn = map_data(text)["routes"]
    network = next(r for r in drawn if r["route"] == NETWORK_ROUTE)
    assert network["trafficking"] is True
    assert (network["origin"], network["destination"]) == ("008", "380")  # Albania, Italy in the atlas
    assert network["path"] == [[41.13, 16.86]]  # Bari port
    volumes = map_data(text)["volumes"]
    assert [name for name, _ in volumes["series"]] == [NETWORK_ROUTE]
    assert sum(volumes["series"][0][1]) == 26  # 10 Albanian travellers, the escort's 6, 10 victims (2 minors hidden)
    assert volumes["periods"] == ["2026-01", "2026-02", "2026-03", "2026-04", "2026-05", "2026-06", "2026-07"]
    assert volumes["series"][0][1][3] == 0  # no crossing in April: the time axis keeps the hole
    assert 'href="/web/network/hotspots?justification=' in text


def test_the_hotspot_map_shows_bari_with_its_evidence_and_every_point(
    app: FastAPI, node: Node, world: TravelWorld
) -> None:
    supervisor = signed_in(app, node, "sup", "supervisor")
    page = supervisor.get("/web/network/hotspots", params={"justification": WHY, "period": "week"})
    assert page.status_code == 200
    text = page.text
    table = text[text.index('id="hotspots"') : text.index("The evidence behind each hotspot")]
    assert "Bari port (BRI)" in table
    assert "whole range" in table
    assert "named in a transported_by relationship" in table
    evidence = text[text.index("The evidence behind each hotspot") : text.index('id="points-h"')]
    assert "beyond what its volume explains" in evidence
    assert f'href="/web/identities/{world.escort.split(":")[1]}?justification={WHY}"' in evidence
    points = {p["code"]: p for p in map_data(text)["points"]}
    assert set(points) == {"MXP", "ATH", "BRI"}
    assert (points["BRI"]["hotspot"], points["MXP"]["hotspot"], points["ATH"]["hotspot"]) == ("range", "", "")
    assert points["MXP"]["crossings"] == 80
    assert "special-category crossings" not in text  # a supervisor holds victims.read


def test_filters_that_fail_answer_at_their_field_and_nothing_is_analysed(
    app: FastAPI, node: Node, world: TravelWorld
) -> None:
    analyst = signed_in(app, node, "ana", "analyst")
    for params, field in [
        ({"justification": WHY, "since": "2026-13-01"}, "since"),
        ({"justification": WHY, "since": "2026-05-01", "until": "2026-04-01"}, "until"),
        ({"justification": WHY, "period": "year"}, "period"),
        ({"justification": "curiosity"}, "justification"),
        ({"since": "2026-01-01"}, "justification"),
    ]:
        for path in ("/web/network/routes", "/web/network/hotspots"):
            answer = analyst.get(path, params=params)
            assert (answer.status_code, f'id="{field}-error"' in answer.text) == (422, True), (path, params)
            assert "travel-map-data" not in answer.text
    narrow = analyst.get("/web/network/routes", params={"justification": WHY, "until": "2026-01-04"})
    assert narrow.status_code == 200
    assert "No route carries flagged trips beyond what chance explains" in narrow.text  # before any crossing


def test_each_map_is_recorded_with_its_reason_and_other_roles_are_refused(
    app: FastAPI, node: Node, world: TravelWorld
) -> None:
    analyst = signed_in(app, node, "ana", "analyst")
    assert analyst.get("/web/network/routes", params={"justification": WHY}).status_code == 200
    assert analyst.get("/web/network/hotspots", params={"justification": "criminal_investigation"}).status_code == 200
    with transaction(node.engine) as session:
        query = select(AuditEntry).where(AuditEntry.actor == "user:ana").order_by(AuditEntry.seq)
        seen = [(e.objects[0]["id"] if e.objects else None, e.justification) for e in session.scalars(query)]
    assert ("routes", f"case:{WHY}") in seen
    assert ("hotspots", "legal_basis:criminal_investigation") in seen
    officer = signed_in(app, node, "bo", "border_officer")
    refused = officer.get("/web/network/routes", params={"justification": WHY})
    assert refused.status_code == 403
    assert "network.read" in refused.text
    assert "Bari" not in refused.text
    assert 'href="/web/network/routes"' not in officer.get("/web/").text


def test_the_time_axis_has_every_period_across_years() -> None:
    assert period_range("2026-11", "2027-02", "month") == ["2026-11", "2026-12", "2027-01", "2027-02"]
    assert period_range("2026-W52", "2027-W01", "week") == ["2026-W52", "2026-W53", "2027-W01"]  # 2026 has 53
    assert period_range("2026-03", "2026-03", "month") == ["2026-03"]
