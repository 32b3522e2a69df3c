"""Screening and alerts over HTTP: a justified screening answers with the documented JSON; dispositions close."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
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


def test_the_screening_answer_is_typed_in_openapi_down_to_each_feature(app: FastAPI) -> None:
    schema = app.openapi()

    def component(holder: dict[str, Any]) -> dict[str, Any]:
        ref = holder["$ref"] if "$ref" in holder else holder["items"]["$ref"]
        found: dict[str, Any] = schema["components"]["schemas"][ref.rsplit("/", 1)[1]]
        return found

    answer = schema["paths"]["/api/v1/screenings"]["post"]["responses"]["200"]["content"]["application/json"]
    result = component(answer["schema"])
    hit = component(result["properties"]["hits"])
    explained = {"id", "value", "weight", "contribution", "detail"}
    for feature in (component(hit["properties"]["features"]), component(hit["properties"]["name_features"])):
        assert explained <= set(feature["required"])
        assert feature["properties"]["value"]["type"] == "number"
    indicator = component(result["properties"]["indicators"])
    assert explained | {"label", "protective"} <= set(indicator["properties"])
    assert set(component(result["properties"]["reasons"])["required"]) == {"kind", "decision", "detail"}
    documents = [component(choice) for choice in result["properties"]["document_checks"]["anyOf"] if "$ref" in choice]
    assert {"registry_hits"} <= set.intersection(*(set(d["properties"]) for d in documents))


def test_a_hit_explains_each_feature_with_its_contribution(client: TestClient, node: Node, tmp_path: Path) -> None:
    load(node, write_list(tmp_path))
    make_user(node, "bo", "border_officer")
    body = {"names": ["Sasha Ivanov"], "birth_date": "1975-03-14", "nationality": "RUS"}
    headers = bearer(make_token(node, "bo"), "border_control")
    [hit] = client.post("/api/v1/screenings", json=body, headers=headers).json()["hits"]
    features = {f["id"]: f for f in hit["features"]}
    assert features["birth_date"] == {
        "id": "birth_date",
        "name": "birth_date",  # the key answers used before the shared model; still there for clients
        "value": 1.0,
        "weight": features["birth_date"]["weight"],
        "contribution": features["birth_date"]["weight"],
        "detail": "same date of birth 1975-03-14",
    }
    assert hit["score"] == pytest.approx(min(1.0, sum(f["contribution"] for f in hit["features"])), abs=1e-6)
