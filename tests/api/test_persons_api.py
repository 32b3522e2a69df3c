"""Personal data over HTTP: refused without a justification (403 saying how), recorded with it."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select, update

from palermo.db.audit import AuditEntry
from palermo.db.engine import transaction
from palermo.db.persons import PersonRecord
from palermo.node import Node
from tests.factories import add_persons, bearer, make_token, make_user, recorded_access


@pytest.fixture
def analyst(node: Node, tmp_path: Path) -> str:
    make_user(node, "ana", "analyst")
    add_persons(node, tmp_path, [["k1", "Kowalska", "Anna"], ["k2", "Kowalski", "Jan"], ["k3", "Novak", "Petra"]])
    return make_token(node, "ana")


def person_id(client: TestClient, token: str, name: str) -> int:
    found = client.get("/api/v1/persons", params={"name": name}, headers=bearer(token, "border_control")).json()
    return int(found[0]["id"])


def test_a_person_without_justification_is_refused_saying_how_to_give_one(client: TestClient, analyst: str) -> None:
    answer = client.get("/api/v1/persons/1", headers=bearer(analyst))
    assert answer.status_code == 403
    assert answer.json()["error"] == "permission_denied"
    assert "X-Palermo-Justification" in answer.json()["message"]


def test_search_without_justification_is_refused(client: TestClient, analyst: str) -> None:
    answer = client.get("/api/v1/persons", params={"name": "kowal"}, headers=bearer(analyst))
    assert answer.status_code == 403


def test_a_malformed_justification_is_refused(client: TestClient, analyst: str) -> None:
    answer = client.get("/api/v1/persons", params={"name": "kowal"}, headers=bearer(analyst, "curiosity"))
    assert answer.status_code == 403
    assert "neither a legal-basis code nor a case reference" in answer.json()["message"]


def test_a_justified_view_returns_names_nationalities_and_provenance(client: TestClient, analyst: str) -> None:
    pid = person_id(client, analyst, "novak")
    with recorded_access() as seen:
        answer = client.get(f"/api/v1/persons/{pid}", headers=bearer(analyst, "JIT-2026-0042"))
    assert answer.status_code == 200
    person = answer.json()
    assert [n["full_name"] for n in person["names"]] == ["Petra Novak"]
    assert person["nationalities"] == ["AUT"]
    assert person["source"] == "src"
    assert {"handling", "distribution", "source_reliability", "sensitivity", "delete_at"} <= set(person["provenance"])
    [record] = [r for r in seen if r.permission == "persons.read"]
    assert (record.actor, str(record.justification), record.subject) == (
        "token:ana/1",
        "case:JIT-2026-0042",
        f"person_records:{pid}",
    )


def test_search_by_the_beginning_of_a_word_any_case(client: TestClient, analyst: str) -> None:
    found = client.get("/api/v1/persons", params={"name": "KOWAL"}, headers=bearer(analyst, "criminal_investigation"))
    assert sorted(p["names"][0]["full_name"] for p in found.json()) == ["Anna Kowalska", "Jan Kowalski"]


def test_a_search_answers_each_record_exactly_as_reading_it_does(client: TestClient, analyst: str) -> None:
    headers = bearer(analyst, "criminal_investigation")
    found = client.get("/api/v1/persons", params={"name": "kowal"}, headers=headers).json()
    assert len(found) >= 2
    for person in found:
        read = client.get(f"/api/v1/persons/{person['id']}", headers=headers).json()
        assert read.pop("non_punishment") is None  # reading one record adds the flag of a presumed victim
        assert read == person


def test_special_category_records_are_hidden_from_roles_without_victims_read(
    client: TestClient, node: Node, analyst: str
) -> None:
    with transaction(node.engine) as session:
        session.execute(update(PersonRecord).where(PersonRecord.source_key == "k3").values(sensitivity="special"))
    headers = bearer(analyst, "border_control")
    assert client.get("/api/v1/persons", params={"name": "novak"}, headers=headers).json() == []
    make_user(node, "sup", "supervisor")
    supervisor = bearer(make_token(node, "sup"), "victim_protection")
    assert len(client.get("/api/v1/persons", params={"name": "novak"}, headers=supervisor).json()) == 1


def test_roles_without_the_permission_are_refused_even_with_a_justification(client: TestClient, node: Node) -> None:
    make_user(node, "root", "admin")
    answer = client.get("/api/v1/persons/1", headers=bearer(make_token(node, "root"), "oversight"))
    assert answer.status_code == 403
    assert "does not hold permission 'persons.read'" in answer.json()["message"]


def test_a_missing_person_is_404(client: TestClient, analyst: str) -> None:
    assert client.get("/api/v1/persons/999999", headers=bearer(analyst, "border_control")).status_code == 404


def test_reads_over_http_land_in_the_audit_log_and_refusals_too(client: TestClient, analyst: str, node: Node) -> None:
    pid = person_id(client, analyst, "novak")
    assert client.get(f"/api/v1/persons/{pid}", headers=bearer(analyst, "JIT-2026-0042")).status_code == 200
    assert client.get(f"/api/v1/persons/{pid}", headers=bearer(analyst)).status_code == 403
    with transaction(node.engine) as session:
        entries = list(session.scalars(select(AuditEntry).order_by(AuditEntry.seq)))
    consultations = [e for e in entries if e.action == "consultation"]
    search, view = consultations[-2:]
    assert (search.justification, search.result_count) == ("legal_basis:border_control", 1)
    assert view.justification == "case:JIT-2026-0042"
    assert view.objects == [{"type": "person_records", "id": str(pid)}]
    assert view.client_address
    [refusal] = [e for e in entries if e.action == "refusal"]
    assert refusal.objects == [{"type": "person_records", "id": str(pid)}]


def test_a_nul_character_in_a_search_is_a_clear_422(client: TestClient, analyst: str) -> None:
    answer = client.get("/api/v1/persons", params={"name": "ko\x00wal"}, headers=bearer(analyst, "border_control"))
    assert answer.status_code == 422
    assert "NUL" in answer.json()["message"]


def test_a_nul_character_anywhere_in_a_body_is_a_clear_422(client: TestClient, analyst: str) -> None:
    answer = client.post(
        "/api/v1/documents/check", json={"mrz": ["P<UTO\x00"]}, headers=bearer(analyst, "border_control")
    )
    assert answer.status_code == 422
    assert "NUL" in answer.json()["message"]
