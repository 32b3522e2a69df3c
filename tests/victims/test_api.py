"""The victims API on both stores: a caseworker from case to consented referral, refusals as 403 with reasons."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

from palermo.db.engine import transaction
from palermo.node import Node
from palermo.victims.providers import load_providers
from tests.factories import bearer, load, make_token, make_user, operator, write_list

PROVIDERS = Path(__file__).parent / "providers.csv"
WHY = "victim_protection"


def token(node: Node, username: str, role: str) -> str:
    make_user(node, username, role)
    return make_token(node, username)


def test_a_caseworker_takes_a_person_from_case_to_consented_referral(client: TestClient, node: Node) -> None:
    with transaction(node.engine) as session:
        load_providers(session, operator(node), PROVIDERS)
    officer = bearer(token(node, "officer", "border_officer"), WHY)
    worker = bearer(token(node, "worker", "victim_support"), WHY)
    opened = client.post(
        "/api/v1/victims/cases", json={"subject": {"names": ["Ana Popescu"], "birth_date": "1990"}}, headers=officer
    )
    assert opened.status_code == 200, opened.text
    case_id = opened.json()["id"]
    assert client.get(f"/api/v1/victims/cases/{case_id}", headers=officer).status_code == 403
    body = {
        "exploitation": "sexual",
        "observations": [
            {"indicator": i} for i in ("dr.job_nature", "dr.travel", "ec.excessive_hours", "ec.low_pay", "cd.debt")
        ],
    }
    assessed = client.post(f"/api/v1/victims/cases/{case_id}/assessments", json=body, headers=worker)
    assert assessed.status_code == 200, assessed.text
    assert assessed.json()["presumed_victim"] is False  # one strong indicator does not meet coercion at destination
    revision = body | {
        "reason": "confinement disclosed",
        "observations": [*body["observations"], {"indicator": "cd.isolation"}],
    }
    revisions = f"/api/v1/victims/assessments/{assessed.json()['id']}/revisions"
    revised = client.post(revisions, json=revision, headers=worker)
    assert revised.status_code == 200, revised.text
    assert (revised.json()["version"], revised.json()["presumed_victim"]) == (2, True)
    assert "Presumed victim of trafficking (adult, sexual exploitation)" in revised.json()["outcome"]["conclusion"]
    again = client.post(revisions, json=revision, headers=worker)
    assert again.status_code == 409
    refer = {"provider": "legal-aid-at", "service": "legal_aid", "data_categories": ["identity", "assessment"]}
    refused = client.post(f"/api/v1/victims/cases/{case_id}/referrals", json=refer, headers=worker)
    assert refused.status_code == 403
    assert "the case holds no consent" in refused.json()["message"]
    consent = {
        "provider": "legal-aid-at",
        "data_categories": ["identity", "assessment"],
        "services": ["legal_aid"],
        "valid_until": "2099-12-31",
        "informed_in": "Romanian",
    }
    given = client.post(f"/api/v1/victims/cases/{case_id}/consents", json=consent, headers=worker)
    assert given.status_code == 200, given.text
    referred = client.post(f"/api/v1/victims/cases/{case_id}/referrals", json=refer, headers=worker)
    assert referred.status_code == 200, referred.text
    assert referred.json()["shared"]["assessment"]["presumed_victim"] is True
    withdrawn = client.post(f"/api/v1/victims/consents/{given.json()['id']}/withdrawal", json={}, headers=worker)
    assert withdrawn.json()["stopped_referrals"] == [referred.json()["id"]]
    assert client.post(f"/api/v1/victims/cases/{case_id}/referrals", json=refer, headers=worker).status_code == 403
    case = client.get(f"/api/v1/victims/cases/{case_id}", headers=worker).json()
    assert [c["withdrawn_by"] for c in case["consents"]] == ["token:worker/2"]
    assert case["referrals"][0]["stopped_at"] is not None


def test_bad_input_gets_a_clear_4xx(client: TestClient, node: Node) -> None:
    worker = bearer(token(node, "worker", "victim_support"), WHY)
    assert client.get("/api/v1/victims/indicators/adult_domestic", headers=worker).status_code == 422
    listed = client.get("/api/v1/victims/indicators/child_sexual", headers=worker)
    assert listed.json()["population"] == "child"
    missing = client.post("/api/v1/victims/cases/424242/assessments", json={"exploitation": "labour"}, headers=worker)
    assert (missing.status_code, missing.json()["message"]) == (404, "no victim case 424242")
    unjustified = client.get("/api/v1/victims/cases", headers=bearer(token(node, "w2", "victim_support")))
    assert unjustified.status_code == 403
    assert "needs a justification" in unjustified.json()["message"]


def test_a_booth_token_scoped_to_screening_opens_the_case_of_a_protect_decision(
    client: TestClient, node: Node, tmp_path: Path
) -> None:
    load(node, write_list(tmp_path))
    make_user(node, "booth", "border_officer")
    booth = bearer(make_token(node, "booth", scopes=["screening.run"]), "border_control")
    body = {"names": ["Olena Shevchenko"], "birth_date": "2009-07-05", "companions": [{"name": "Ivan Petrenko"}]}
    answer = client.post("/api/v1/screenings", json=body, headers=booth)
    assert answer.status_code == 200, answer.text
    result = answer.json()
    assert result["decision"] == "protect"
    assert result["victim_case"]["handover"].startswith(f"Victim case {result['victim_case']['case_id']} is open")
    worker = bearer(token(node, "worker", "victim_support"), WHY)
    case = client.get(f"/api/v1/victims/cases/{result['victim_case']['case_id']}", headers=worker).json()
    assert (case["origin"], case["alert_id"], case["subject"]["names"]) == (
        "screening",
        result["alert_id"],
        ["Olena Shevchenko"],
    )
