"""Statistics releases over HTTP on both stores: a supervisor gets a k-anonymous release, others a 403, k < 11 a 422."""

from __future__ import annotations

from fastapi.testclient import TestClient

from palermo.api import create_app
from palermo.db.engine import transaction
from palermo.node import Node
from palermo.stats.kanon import check_k
from palermo.stats.release import VARIABLES
from palermo.victims.cases import CaseSubject, new_case
from tests.factories import bearer, make_token, make_user


def test_a_release_over_http(node: Node) -> None:
    with transaction(node.engine) as session:
        for i in range(12):
            subject = CaseSubject(names=[f"Ana Popescu{i}"], birth_date="2001", nationality="ROU", sex="F")
            new_case(session, "test", origin="manual", subject=subject)
    make_user(node, "boss", "supervisor")
    make_user(node, "ana", "analyst")
    boss, analyst = bearer(make_token(node, "boss"), "oversight"), bearer(make_token(node, "ana"), "oversight")
    with TestClient(create_app(node, warm_up=False), base_url="https://testserver") as client:
        answer = client.post("/api/v1/stats/releases", json={"epsilon": 0.5}, headers=boss)
        assert answer.status_code == 200, answer.text
        release = answer.json()
        assert release["microdata"]["records_in"] == 12
        assert check_k(release["microdata"]["rows"], VARIABLES, 11) == 12
        assert release["epsilon_total"] == 0.5
        assert "Popescu" not in answer.text
        assert client.post("/api/v1/stats/releases", json={}, headers=analyst).status_code == 403
        assert client.post("/api/v1/stats/releases", json={"k": 10}, headers=boss).status_code == 422
