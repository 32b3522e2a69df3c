"""The identity page without a browser: justification first; records with provenance, documents, the travel
timeline, alerts and explained links; special-category records and crossings hidden and counted; confirm and reject
a link through the core's judgements (CSRF, permission); roles without the permission see no personal data."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select

from palermo.auth.actor import cli_actor
from palermo.auth.justification import Justification
from palermo.db.engine import transaction
from palermo.db.identities import MatchJudgement
from palermo.node import Node
from palermo.resolution.identities import identity_of
from palermo.victims.assessments import AssessmentIn, record_assessment
from palermo.victims.cases import CaseIn, open_case
from tests.factories import bearer, make_token, make_user
from tests.web.conftest import csrf, sign_in
from tests.web.identity_world import Ana, resolved_ana

WHY = "criminal_investigation"


@pytest.fixture
def ana(node: Node, tmp_path: Path) -> Ana:
    return resolved_ana(node, tmp_path)


def signed_in(app: FastAPI, node: Node, username: str, role: str) -> TestClient:
    make_user(node, username, role)
    client = TestClient(app, base_url="https://testserver", follow_redirects=False)
    assert sign_in(client, username) == 303
    return client


def test_the_page_asks_why_first_then_shows_records_documents_travel_alerts_and_links(
    app: FastAPI, node: Node, ana: Ana
) -> None:
    analyst = signed_in(app, node, "ana", "analyst")
    asked = analyst.get(f"/web/identities/{ana.identity}")
    assert asked.status_code == 200
    assert "Say why you open it" in asked.text
    assert "Popescu" not in asked.text
    page = analyst.get(f"/web/identities/{ana.identity}", params={"justification": WHY})
    assert page.status_code == 200
    text = page.text
    assert "Popesku" in text  # the second record
    assert f'href="/web/persons/{ana.records["ana-3"]}' not in text  # the special-category record
    assert "1 special-category record is not shown" in text
    assert "1 special-category document or crossing not shown" in text
    assert "ana-persons.csv" in text  # the ingest run the records came in with
    assert "H2" in text or "Handling" in text
    assert "05 123 456" in text
    timeline = text[text.index('id="travel"') : text.index('id="alerts"')]
    assert timeline.count("HUNIK") == 2
    assert timeline.index("Entry") < timeline.index("Exit")
    assert f'href="/web/alerts/{ana.alert}?justification={WHY}"' in text
    links = text[text.index('id="links"') : text.index('id="documents"')]
    assert "Links (1)" in links  # the link to the hidden record is not shown either
    assert "surname nearly identical" in links
    assert "17 times more likely if they are the same person" in links  # 2 ** 4.1 = 17.1
    assert "2.3 times more likely if they are two different people" in links  # 2 ** 1.2
    assert "not compared: missing on one of the records" in links
    assert "1 chance in 513 of one person" in links  # the prior, 2 ** 9 + 1
    assert "Confirm the link" in links
    cohesion = text[text.index('id="cohesion"') : text.index('id="records"')]
    assert "2 records held together by 1 link." in cohesion  # the hidden record and its link are left out
    assert f"check first: #{ana.records['ana-2']}." in cohesion


def test_a_role_with_special_category_access_sees_every_record(app: FastAPI, node: Node, ana: Ana) -> None:
    supervisor = signed_in(app, node, "sue", "supervisor")
    text = supervisor.get(f"/web/identities/{ana.identity}", params={"justification": WHY}).text
    assert f'href="/web/persons/{ana.records["ana-3"]}' in text
    assert "not shown" not in text
    assert "Links (2)" in text
    assert text.count("HUNIK</abbr>") == 3
    # why the records hold together: ana-1 holds the two others, each by one link; the weaker is the misspelling
    a1, a2, a3 = (ana.records[k] for k in ("ana-1", "ana-2", "ana-3"))
    cohesion = text[text.index('id="cohesion"') : text.index('id="records"')]
    assert "3 records held together by 2 links." in cohesion
    assert f"Weakest link #{a1} and #{a2}: match weight" in cohesion
    assert "agreed on date of birth (date of birth identical, +8.5), surname (surname nearly identical" in cohesion
    assert "disagreed on phone number (no phone number in common, -1.2)" in cohesion
    assert "2 records are held to this identity by one link only" in cohesion
    assert f"Held by one link only, check first: #{a2}, #{a3}." in cohesion
    assert "The others hang together through" in cohesion
    assert text.count("Held by one link only: check first</span>") == 2  # on the records a2 and a3


def test_an_analyst_confirms_a_link_and_the_judgement_is_recorded(app: FastAPI, node: Node, ana: Ana) -> None:
    analyst = signed_in(app, node, "ana", "analyst")
    left, right = ana.records["ana-1"], ana.records["ana-2"]
    form = {"left": left, "right": right, "verdict": "confirm", "reason": "same passport photo", "justification": WHY}
    answer = analyst.post(f"/web/identities/{ana.identity}/judgements", data={**form, **csrf(analyst)})
    assert answer.status_code == 303
    page = analyst.get(answer.headers["location"])
    assert "The link is confirmed" in page.text
    judgements = page.text[page.text.index('id="judgements"') :]
    assert "Confirmed (link)" in judgements
    assert "same passport photo" in judgements
    assert "Latest judgement: confirm" in page.text
    assert "Confirmed by an analyst" in page.text
    with transaction(node.engine) as session:
        row = session.scalars(select(MatchJudgement)).one()
        assert (row.verdict, row.actor, row.left_person_id, row.right_person_id) == ("confirm", "user:ana", left, right)


def test_rejecting_a_link_splits_the_records_apart(app: FastAPI, node: Node, ana: Ana) -> None:
    analyst = signed_in(app, node, "ana", "analyst")
    left, right = ana.records["ana-1"], ana.records["ana-2"]
    form = {"left": left, "right": right, "verdict": "reject", "justification": WHY}
    answer = analyst.post(f"/web/identities/{ana.identity}/judgements", data={**form, **csrf(analyst)})
    assert answer.status_code == 303
    page = analyst.get(answer.headers["location"])
    assert "The link is rejected" in page.text
    assert "Popesku" not in page.text.split('id="judgements"')[0]
    assert "Rejected (link)" in page.text
    with transaction(node.engine) as session:
        assert identity_of(session, left) != identity_of(session, right)


def test_judgements_need_the_csrf_field_the_permission_and_a_real_verdict(app: FastAPI, node: Node, ana: Ana) -> None:
    left, right = ana.records["ana-1"], ana.records["ana-2"]
    form = {"left": left, "right": right, "verdict": "confirm", "justification": WHY}
    analyst = signed_in(app, node, "ana", "analyst")
    answer = analyst.post(f"/web/identities/{ana.identity}/judgements", data=form)
    assert (answer.status_code, "CSRF" in answer.text) == (403, True)
    answer = analyst.post(
        f"/web/identities/{ana.identity}/judgements", data={**form, "verdict": "maybe", **csrf(analyst)}
    )
    assert answer.status_code == 422
    assert f'id="verdict-{left}-{right}-error"' in answer.text
    officer = signed_in(app, node, "bo", "border_officer")
    page = officer.get(f"/web/identities/{ana.identity}", params={"justification": WHY})
    assert page.status_code == 200
    assert "Confirm the link" not in page.text
    refused = officer.post(f"/web/identities/{ana.identity}/judgements", data={**form, **csrf(officer)})
    assert (refused.status_code, "identities.judge" in refused.text) == (403, True)
    with transaction(node.engine) as session:
        assert session.scalars(select(MatchJudgement)).all() == []


def test_roles_without_the_permission_see_no_personal_data(app: FastAPI, node: Node, ana: Ana) -> None:
    for username, role in (("root", "admin"), ("vic", "victim_support")):
        client = signed_in(app, node, username, role)
        answer = client.get(f"/web/identities/{ana.identity}", params={"justification": WHY})
        assert (answer.status_code, "identities.read" in answer.text) == (403, True)
        assert not any(word in answer.text for word in ("Popescu", "Popesku", "05 123 456", "HUNIK"))


def test_the_alert_and_the_person_record_link_to_the_identity_and_the_network_around_it(
    app: FastAPI, node: Node, ana: Ana
) -> None:
    analyst = signed_in(app, node, "ana", "analyst")
    target = f'href="/web/identities/{ana.identity}?justification={WHY}"'
    assert target in analyst.get(f"/web/alerts/{ana.alert}", params={"justification": WHY}).text
    assert target in analyst.get(f"/web/persons/{ana.records['ana-1']}", params={"justification": WHY}).text
    alone = analyst.get(f"/web/persons/{ana.records['other']}", params={"justification": WHY}).text
    assert "/web/identities/" in alone  # a record alone is an identity of one
    around = f'href="/web/network/neighbourhood/identity:{ana.identity}?justification={WHY}"'
    assert around in analyst.get(f"/web/identities/{ana.identity}", params={"justification": WHY}).text
    assert around in analyst.get(f"/web/alerts/{ana.alert}", params={"justification": WHY}).text


def test_an_analyst_confirms_that_two_identities_are_one_person(app: FastAPI, node: Node, ana: Ana) -> None:
    analyst = signed_in(app, node, "ana", "analyst")
    with transaction(node.engine) as session:
        other = identity_of(session, ana.records["other"])
    assert other is not None
    path = f"/web/identities/{ana.identity}/merges"
    unknown = analyst.post(path, data={"other": "999999", "verdict": "confirm", "justification": WHY, **csrf(analyst)})
    assert (unknown.status_code, 'id="other-error"' in unknown.text) == (404, True)
    blank = analyst.post(path, data={"other": "", "verdict": "confirm", "justification": WHY, **csrf(analyst)})
    assert (blank.status_code, "Enter the number of the other identity." in blank.text) == (422, True)
    form = {"other": str(other), "verdict": "confirm", "reason": "same phone", "justification": WHY}
    answer = analyst.post(path, data={**form, **csrf(analyst)})
    assert answer.status_code == 303
    with transaction(node.engine) as session:
        assert identity_of(session, ana.records["other"]) == identity_of(session, ana.records["ana-1"])
        row = session.scalars(select(MatchJudgement)).one()
        assert (row.scope, row.verdict, row.actor) == ("merge", "confirm", "user:ana")
    merged = analyst.get(f"/web/identities/{identity_of_ana(node, ana)}", params={"justification": WHY}).text
    assert "Ionescu" in merged
    assert "Confirmed (merge)" in merged


def identity_of_ana(node: Node, ana: Ana) -> int:
    with transaction(node.engine) as session:
        found = identity_of(session, ana.records["ana-1"])
    assert found is not None
    return found


def test_an_unknown_identity_is_not_found(app: FastAPI, node: Node, ana: Ana) -> None:
    analyst = signed_in(app, node, "ana", "analyst")
    assert analyst.get("/web/identities/424242", params={"justification": WHY}).status_code == 404


def test_the_api_says_why_an_identity_holds_together_and_what_to_check_first(
    app: FastAPI, node: Node, ana: Ana
) -> None:
    client = TestClient(app, base_url="https://testserver")
    make_user(node, "sue", "supervisor")
    token = make_token(node, "sue")
    answer = client.get(f"/api/v1/identities/{ana.identity}", headers=bearer(token, "criminal_investigation"))
    assert answer.status_code == 200
    cohesion = answer.json()["cohesion"]
    a1, a2, a3 = (ana.records[k] for k in ("ana-1", "ana-2", "ana-3"))
    assert cohesion["held_by_one_link"] == [a2, a3]
    assert cohesion["hinges"] == [a1]
    assert (cohesion["weakest"]["left_person_id"], cohesion["weakest"]["right_person_id"]) == (a1, a2)
    assert (cohesion["strongest"]["left_person_id"], cohesion["strongest"]["right_person_id"]) == (a1, a3)
    assert [e["comparison"] for e in cohesion["weakest"]["disagreed"]] == ["phones"]
    assert {t["comparison"]: t["agreed"] for t in cohesion["comparisons"]}["surname"] == 2
    assert "Held by one link only, check first" in cohesion["words"]


def test_the_api_refuses_an_identity_without_justification(app: FastAPI, node: Node, ana: Ana) -> None:
    client = TestClient(app, base_url="https://testserver")
    make_user(node, "sue", "supervisor")
    answer = client.get(f"/api/v1/identities/{ana.identity}", headers=bearer(make_token(node, "sue")))
    assert answer.status_code == 403


def test_a_presumed_victims_identity_page_carries_the_non_punishment_flag(app: FastAPI, node: Node, ana: Ana) -> None:
    """A victim case on one of Ana's records, presumed by its assessment: her identity page tells the analyst to
    consider non-punishment, without the case; a supervisor (victims.read) gets the case's link."""
    officer = cli_actor("cli:officer", node.agency_code, Justification("legal_basis", "victim_protection"))
    observed = ["dr.job_nature", "dr.wages", "ec.excessive_hours", "ec.low_pay", "cd.documents", "cd.debt"]
    request = {
        "exploitation": "labour",
        "interviewed_at": dt.datetime(2026, 11, 3, 10, 0, tzinfo=dt.UTC),
        "observations": [{"indicator": i} for i in observed],
    }
    with transaction(node.engine) as session:
        case_id = open_case(session, officer, CaseIn(person_id=next(iter(ana.records.values())))).id
        record_assessment(session, officer, case_id, AssessmentIn.model_validate(request))
    analyst = signed_in(app, node, "ana", "analyst")
    page = analyst.get(f"/web/identities/{ana.identity}", params={"justification": WHY})
    assert page.status_code == 200
    assert 'id="non-punishment"' in page.text
    assert f"/web/victims/cases/{case_id}" not in page.text
    supervisor = signed_in(app, node, "sup", "supervisor")
    page = supervisor.get(f"/web/identities/{ana.identity}", params={"justification": WHY})
    assert page.status_code == 200
    assert f"/web/victims/cases/{case_id}?justification={WHY}" in page.text
