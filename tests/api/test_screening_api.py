"""Screening and alerts over HTTP: a justified screening answers with the documented JSON; dispositions close."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

from palermo.node import Node
from tests.factories import bearer, load, make_token, make_user, write_list


def test_screen_then_dispose_the_alert(client: TestClient, node: Node, tmp_path: Path) -> None:
    load(node, write_list(tmp_path))
    make_user(node, "bo", "border_officer")
    token = make_token(node, "bo")
    body = {"names": ["Sasha Ivanov"], "birth_date": "1975-03-14", "nationality": "RUS", "border_point": "FCO"}
    assert client.post("/api/v1/screenings", json=body, headers=bearer(token)).status_code == 403
    answer = client.post("/api/v1/screenings", json=body, headers=bearer(token, "border_control"))
    assert answer.status_code == 200, answer.text
    result = answer.json()
    assert result["decision"] == "alert"
    assert {"watchlist", "entry_id", "name", "score", "features"} <= set(result["hits"][0])
    assert {"indicators", "document_checks", "score"} <= set(result)
    listed = client.get("/api/v1/alerts", headers=bearer(token, "border_control")).json()
    assert [a["id"] for a in listed] == [result["alert_id"]]
    closed = client.post(
        f"/api/v1/alerts/{result['alert_id']}/disposition",
        json={"disposition": "confirmed"},
        headers=bearer(token, "border_control"),
    )
    assert closed.status_code == 200
    assert closed.json()["status"] == "closed"
    bad = client.post(
        f"/api/v1/alerts/{result['alert_id']}/disposition",
        json={"disposition": "maybe"},
        headers=bearer(token, "border_control"),
    )
    assert bad.status_code in (400, 409, 422)


def test_an_invalid_request_is_a_4xx(client: TestClient, node: Node) -> None:
    make_user(node, "bo", "border_officer")
    token = make_token(node, "bo")
    answer = client.post("/api/v1/screenings", json={"birth_date": "1975-13"}, headers=bearer(token, "border_control"))
    assert 400 <= answer.status_code < 500
