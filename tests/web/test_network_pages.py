"""The network pages on a real node (both stores): an analyst walks from an alert to the network behind it (the
neighbourhood, its community, the key players explained), each page asking why first; what a role may not see
stays out; a role without ``network.read`` gets the 403 page."""

from __future__ import annotations

import re
from pathlib import Path

from fastapi import FastAPI
from fastapi.testclient import TestClient

from palermo.alerts import AlertSubject, open_alert
from palermo.auth.actor import cli_actor
from palermo.auth.justification import Justification
from palermo.db.engine import transaction
from palermo.network.alerts import raise_network_alerts
from palermo.node import Node
from tests.factories import make_user
from tests.web.conftest import sign_in
from tests.web.network_world import build_network_world

WHY = "JIT-2026-0025"


def _links(html: str, pattern: str) -> list[str]:
    return [link.replace("&amp;", "&") for link in re.findall(rf'href="({pattern}[^"]*)"', html)]


def test_an_analyst_walks_from_an_alert_to_the_network_behind_it(app: FastAPI, node: Node, tmp_path: Path) -> None:
    world = build_network_world(node, tmp_path)
    make_user(node, "sue", "supervisor")
    with TestClient(app, base_url="https://testserver", follow_redirects=False) as client:
        assert sign_in(client, "sue") == 303
        alert = client.get(f"/web/alerts/{world.alert}", params={"justification": WHY})
        assert alert.status_code == 200, alert.text
        [around] = _links(alert.text, "/web/network/neighbourhood/")
        assert around.startswith(f"/web/network/neighbourhood/{world.keys['R']}?justification=")
        asked = client.get(around.split("?")[0])
        assert asked.status_code == 200
        assert "Say why you look at it" in asked.text
        page = client.get(around)
        assert page.status_code == 200, page.text
        assert "Rado Recruiter" in page.text
        assert "looks like a trafficking network" in page.text
        assert "recruited by" in page.text
        assert 'id="network-data"' in page.text
        assert "/web/static/vendor/cytoscape.min.js" in page.text
        [community] = _links(page.text, "/web/network/communities/")
        detail = client.get(community)
        assert detail.status_code == 200, detail.text
        assert "Key players" in detail.text
        assert "removing" in detail.text
        assert "Vera" in detail.text  # the supervisor may see the victims (victims.read)
        assert "exploitation_relationships" in detail.text
        listed = client.get("/web/network/communities", params={"justification": WHY})
        assert listed.status_code == 200
        assert community in _links(listed.text, "/web/network/communities/")


def test_the_pages_keep_out_what_a_role_may_not_see(app: FastAPI, node: Node, tmp_path: Path) -> None:
    world = build_network_world(node, tmp_path)
    make_user(node, "ana", "analyst")
    make_user(node, "bo", "border_officer")
    with TestClient(app, base_url="https://testserver", follow_redirects=False) as client:
        assert sign_in(client, "ana") == 303
        page = client.get(f"/web/network/neighbourhood/{world.keys['R']}", params={"justification": WHY})
        assert page.status_code == 200, page.text
        assert "Rado Recruiter" in page.text
        assert "Vera" not in page.text
        assert "Special-category ties (victims, minors) are left out for your role" in page.text
        refused = client.get(f"/web/network/neighbourhood/{world.keys['R']}", params={"justification": "curious"})
        assert refused.status_code == 422
        wrong = client.get("/web/network/neighbourhood/phone:1", params={"justification": WHY})
        assert wrong.status_code == 422
        assert "identity:&lt;id&gt;" in wrong.text
        missing = client.get("/web/network/communities/99", params={"justification": WHY})
        assert missing.status_code == 404
        assert "no community 99" in missing.text
    with TestClient(app, base_url="https://testserver", follow_redirects=False) as client:
        assert sign_in(client, "bo") == 303
        denied = client.get("/web/network/communities", params={"justification": WHY})
        assert denied.status_code == 403
        assert "network.read" in denied.text


def test_a_network_alert_shows_what_the_analysis_found(app: FastAPI, node: Node, tmp_path: Path) -> None:
    world = build_network_world(node, tmp_path)
    make_user(node, "ana", "analyst")
    builder = cli_actor("cli:tester", node.agency_code, Justification("legal_basis", "criminal_investigation"))
    with transaction(node.engine) as session:
        raised = raise_network_alerts(session, builder)
    assert raised.findings == ()  # the hand-built world alone shows none of the patterns
    with transaction(node.engine) as session:
        alert = open_alert(
            session,
            "test",
            kind="network",
            subject=AlertSubject(person_id=int(world.keys["F"].split(":")[1]), ref=f"network:test:{world.keys['F']}"),
            decision=None,
            score=0.9,
            explanation=[
                {
                    "kind": "network_pattern",
                    "pattern": "corrupt_official",
                    "actor": world.keys["F"],
                    "detail": "Filip Financier pays an associate",
                    "records": ["transactions:1"],
                }
            ],
        ).id
    with TestClient(app, base_url="https://testserver", follow_redirects=False) as client:
        assert sign_in(client, "ana") == 303
        page = client.get(f"/web/alerts/{alert}", params={"justification": WHY})
        assert page.status_code == 200, page.text
        assert "What the network analysis found" in page.text
        assert "Filip Financier pays an associate" in page.text
        assert f"/web/network/neighbourhood/{world.keys['F']}?justification=" in page.text
