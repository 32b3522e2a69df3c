"""POST /api/v1/documents/check: the document checks and the node's lost/stolen registry over HTTP."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from palermo.documents import break_check_digit
from palermo.documents.mrz_formats import MrzFormatName
from palermo.node import Node
from tests.factories import bearer, load_registry, make_token, make_user, passport, recorded_access

CHECK = "/api/v1/documents/check"
DAY = "2025-06-01"


@pytest.fixture
def officer(node: Node) -> dict[str, str]:
    make_user(node, "olga", "border_officer")
    return bearer(make_token(node, "olga"), "border_control")


def test_a_genuine_unreported_passport_is_valid(client: TestClient, officer: dict[str, str]) -> None:
    answer = client.post(CHECK, json={"mrz": passport("AB1234567"), "at": DAY}, headers=officer)
    assert answer.status_code == 200
    result = answer.json()
    assert (result["valid"], result["document_number"], result["registry_hits"]) == (True, "AB1234567", [])
    assert {c["id"] for c in result["checks"]} >= {"registry_exact", "registry_near"}


def test_a_stolen_passport_is_found_exactly_and_an_altered_number_nearly(
    client: TestClient, node: Node, tmp_path: Path, officer: dict[str, str]
) -> None:
    load_registry(node, tmp_path, "AB1234567,FRA,passport,stolen,2025-01-02,DGPN\n")
    exact = client.post(CHECK, json={"mrz": passport("AB1234567"), "at": DAY}, headers=officer).json()
    assert [(h["match"], h["status"]) for h in exact["registry_hits"]] == [("exact", "stolen")]
    assert exact["valid"] is False
    near = client.post(CHECK, json={"mrz": passport("AB1234568"), "at": DAY}, headers=officer).json()
    assert [(h["match"], h["document_number"]) for h in near["registry_hits"]] == [("near", "AB1234567")]


def test_the_registry_is_cached_and_reopened_when_a_load_replaces_it(
    client: TestClient, app: FastAPI, node: Node, tmp_path: Path, officer: dict[str, str]
) -> None:
    body = {"mrz": passport("CD7654321"), "at": DAY}
    assert client.post(CHECK, json=body, headers=officer).json()["registry_hits"] == []
    assert client.post(CHECK, json=body, headers=officer).json()["registry_hits"] == []
    assert app.state.document_registry.opened == 1
    load_registry(node, tmp_path, "CD7654321,FRA,passport,lost,2025-02-03,DGPN\n")
    hits = client.post(CHECK, json=body, headers=officer).json()["registry_hits"]
    assert [(h["match"], h["status"]) for h in hits] == [("exact", "lost")]
    assert app.state.document_registry.opened == 2


def test_the_visual_zone_is_compared_with_the_mrz(client: TestClient, officer: dict[str, str]) -> None:
    body = {"mrz": passport("AB1234567"), "at": DAY, "visual": {"document_number": "AB1234561", "surname": "MARTIN"}}
    result = client.post(CHECK, json=body, headers=officer).json()
    failed = [c["id"] for c in result["checks"] if not c["passed"]]
    assert failed != []
    assert all(c.startswith("visual") for c in failed)
    assert result["valid"] is False


def test_a_wrong_check_digit_is_a_200_with_the_failed_check(client: TestClient, officer: dict[str, str]) -> None:
    broken = break_check_digit(passport("AB1234567"), MrzFormatName.TD3, "document_number_check_digit")
    result = client.post(CHECK, json={"mrz": broken, "at": DAY}, headers=officer).json()
    assert (result["valid"], result["mrz_valid"]) == (False, False)
    assert "document_number_check_digit" in [c["id"] for c in result["checks"] if not c["passed"]]


def test_an_unreadable_mrz_is_a_422_saying_what_was_expected(client: TestClient, officer: dict[str, str]) -> None:
    lines = passport("AB1234567")
    with recorded_access() as seen:
        answer = client.post(CHECK, json={"mrz": [*lines, lines[0]]}, headers=officer)
    assert answer.status_code == 422
    assert answer.json()["error"] == "mrz_unreadable"
    assert answer.json()["message"] == (
        "3 lines of 44 characters; expected 2 lines of 36 or 44 characters, or 3 lines of 30 characters"
    )
    assert [r.subject for r in seen if r.permission == "documents.check"] == ["document:unreadable"]


def test_each_check_is_recorded_with_the_document_as_subject(client: TestClient, officer: dict[str, str]) -> None:
    with recorded_access() as seen:
        client.post(CHECK, json={"mrz": passport("AB1234567"), "at": DAY}, headers=officer)
    [record] = [r for r in seen if r.permission == "documents.check"]
    assert (record.actor, record.granted, record.subject) == ("token:olga/1", True, "document:FRA:AB1234567")


def test_roles_without_the_permission_are_refused(client: TestClient, node: Node) -> None:
    make_user(node, "vic", "victim_support")
    answer = client.post(CHECK, json={"mrz": passport("AB1234567")}, headers=bearer(make_token(node, "vic")))
    assert answer.status_code == 403
    assert "documents.check" in answer.json()["message"]


def test_too_many_lines_are_refused_by_validation(client: TestClient, officer: dict[str, str]) -> None:
    answer = client.post(CHECK, json={"mrz": ["A"] * 4}, headers=officer)
    assert answer.status_code == 422
    assert answer.json()["details"]["fields"][0]["field"] == "body.mrz"


@pytest.mark.parametrize("day", ["9990-01-01", "1066-10-14"])
def test_an_out_of_range_check_date_is_a_422_naming_the_field(
    client: TestClient, officer: dict[str, str], day: str
) -> None:
    """Issue 17: ``"at": "9990-01-01"`` crashed with a 500 before the justification check."""
    answer = client.post(CHECK, json={"mrz": passport("AB1234567"), "at": day}, headers=officer)
    assert answer.status_code == 422, answer.text
    assert "check date" in answer.json()["message"]
    assert answer.json()["details"]["fields"][0]["field"] == "body.at"


def test_an_out_of_range_crossing_time_is_a_422_for_screenings(client: TestClient, officer: dict[str, str]) -> None:
    body = {"mrz": passport("AB1234567"), "at": "9990-01-01T10:00:00Z"}
    answer = client.post("/api/v1/screenings", json=body, headers=officer)
    assert answer.status_code == 422, answer.text
    assert "check date" in answer.json()["message"]
