"""The caseworker's pages without a browser: a border protect decision routes to the case, the case list and page ask
why first, the structured interview records indicators and the case shows the rule's result with the indicators
behind it, consent and referral (refused without consent, with the reason in the form), withdrawal, and roles
without ``victims.read`` get the 403 page and no link."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from palermo.db.audit import AuditEntry
from palermo.db.engine import transaction
from palermo.node import Node
from palermo.victims.providers import load_providers
from tests.factories import load, make_user, operator, write_list
from tests.web.conftest import csrf, sign_in

PROVIDERS = Path(__file__).resolve().parents[1] / "victims" / "providers.csv"
WHY = "victim_protection"
# observed in a labour interview of an adult: deceptive recruitment, exploitative conditions, coercion at destination
ADULT_LABOUR = ["dr.job_nature", "dr.work_conditions", "ec.excessive_hours", "ec.low_pay", "cd.documents", "cd.debt"]


@pytest.fixture
def case_id(client: TestClient, node: Node, tmp_path: Path) -> int:
    """A border officer screens a missing girl's traveller: protect, and a victim case opens."""
    load(node, write_list(tmp_path))
    with transaction(node.engine) as session:
        load_providers(session, operator(node), PROVIDERS)
    make_user(node, "bo", "border_officer")
    assert sign_in(client, "bo") == 303
    data = {"justification": "border_control", "names": "Olena Shevchenko", "border_point": "BUD", **csrf(client)}
    answer = client.post("/web/screening", data=data)
    assert 'id="victim-case"' in answer.text
    assert 'id="victim-case-link"' not in answer.text  # the officer hands over; the case is not theirs to read
    found = re.search(r"Victim case (\d+) is open", answer.text)
    assert found
    client.post("/web/logout", data=csrf(client))
    client.cookies.clear()
    make_user(node, "vs", "victim_support")
    assert sign_in(client, "vs") == 303
    return int(found.group(1))


def test_the_caseworker_finds_the_case_from_the_list_and_from_the_alert(client: TestClient, case_id: int) -> None:
    first = client.get("/web/victims/cases")
    assert first.status_code == 200
    assert 'href="/web/victims/cases" aria-current="page"' in first.text
    assert 'id="cases"' not in first.text  # asks why first
    listed = client.get("/web/victims/cases", params={"justification": WHY})
    assert f'href="/web/victims/cases/{case_id}?justification={WHY}"' in listed.text
    assert "Border protect decision" in listed.text
    assert "Not assessed yet" in listed.text
    alerts = client.get("/web/alerts", params={"justification": WHY, "decision": "protect"})
    [alert_id] = re.findall(r'href="/web/alerts/(\d+)\?', alerts.text)
    alert = client.get(f"/web/alerts/{alert_id}", params={"justification": WHY})
    assert f'href="/web/victims/cases/{case_id}" id="victim-case-link"' in alert.text
    asks = client.get(f"/web/victims/cases/{case_id}")
    assert 'id="justification"' in asks.text
    assert "Olena Shevchenko" not in asks.text
    page = client.get(f"/web/victims/cases/{case_id}", params={"justification": WHY})
    assert page.status_code == 200
    assert "Olena Shevchenko" in page.text
    assert "<em>protect</em> decision" in page.text


def test_bad_status_and_missing_justification_are_form_errors(client: TestClient, case_id: int) -> None:
    answer = client.get("/web/victims/cases", params={"justification": WHY, "status": "lost"})
    assert (answer.status_code, 'id="status-error"' in answer.text) == (422, True)
    answer = client.get("/web/victims/cases", params={"status": "open"})
    assert (answer.status_code, 'id="justification-error"' in answer.text) == (422, True)
    assert client.get("/web/victims/cases/999999", params={"justification": WHY}).status_code == 404


def test_the_interview_records_indicators_and_the_case_explains_the_result(
    client: TestClient, case_id: int, node: Node
) -> None:
    form = client.get(f"/web/victims/cases/{case_id}/interview", params={"justification": WHY})
    assert form.status_code == 200
    assert "choose adult or child" in form.text  # no date of birth: the list needs adult or child stated
    form = client.get(f"/web/victims/cases/{case_id}/interview", params={"justification": WHY, "population": "adult"})
    assert 'value="dr.job_nature"' in form.text
    data = {"justification": WHY, "exploitation": "labour", "population": "adult", **csrf(client)}
    answer = client.post(f"/web/victims/cases/{case_id}/interview", data={**data, "indicators": ADULT_LABOUR})
    assert answer.status_code == 303
    assert re.search(r"done=assessed#assessment-\d+$", answer.headers["location"])
    page = client.get(answer.headers["location"])
    assert "Presumed victim of trafficking" in page.text
    assert "(strong)" in page.text
    assert "Yes (" in page.text  # a dimension met, with the combination it reached
    # a second interview is a revision: it needs a reason, shown next to its field
    revision = client.post(
        f"/web/victims/cases/{case_id}/interview", data={**data, "indicators": ["dr.work_conditions"]}
    )
    assert (revision.status_code, 'id="reason-error"' in revision.text) == (422, True)
    revised = client.post(
        f"/web/victims/cases/{case_id}/interview",
        data={**data, "indicators": ["dr.work_conditions"], "reason": "the person retracted"},
    )
    assert revised.status_code == 303
    page = client.get(revised.headers["location"])
    assert "Version 2 (the latest)" in page.text
    assert "Version 1 (revised)" in page.text
    assert "Why revised:</strong> the person retracted" in page.text


def test_an_unknown_indicator_or_a_missing_csrf_field_never_fails(client: TestClient, case_id: int) -> None:
    data = {"justification": WHY, "exploitation": "labour", "population": "adult", **csrf(client)}
    answer = client.post(f"/web/victims/cases/{case_id}/interview", data={**data, "indicators": ["no.such"]})
    assert (answer.status_code, 'id="indicators-error"' in answer.text) == (422, True)
    answer = client.post(f"/web/victims/cases/{case_id}/interview", data={**data, "csrf_token": ""})
    assert answer.status_code == 403


def test_referral_is_refused_without_consent_then_made_on_it_and_stopped_by_withdrawal(
    client: TestClient, case_id: int, node: Node
) -> None:
    base = f"/web/victims/cases/{case_id}"
    refer = {
        "justification": WHY,
        "provider": "shelter-vienna",
        "service": "shelter",
        "data_categories": ["identity"],
        **csrf(client),
    }
    refused = client.post(f"{base}/referrals", data=refer)
    assert (refused.status_code, 'id="referral-basis-error"' in refused.text) == (422, True)
    assert "the case holds no consent" in refused.text
    with transaction(node.engine) as session:
        refusals = session.scalars(select(AuditEntry).where(AuditEntry.action == "refusal")).all()
        assert any(e.details.get("permission") == "victims.refer" for e in refusals), [e.details for e in refusals]
    until = (dt.date.today() + dt.timedelta(days=90)).isoformat()
    consent = {
        "justification": WHY,
        "provider": "shelter-vienna",
        "data_categories": ["identity", "documents"],
        "services": ["shelter"],
        "valid_until": until,
        "informed_in": "Romanian",
        **csrf(client),
    }
    expired = client.post(f"{base}/consents", data={**consent, "valid_until": "2020-01-01"})
    assert (expired.status_code, 'id="consent-valid_until-error"' in expired.text) == (422, True)
    recorded = client.post(f"{base}/consents", data=consent)
    assert recorded.status_code == 303
    made = client.post(f"{base}/referrals", data=refer)
    assert made.status_code == 200
    assert 'id="referral-made"' in made.text
    assert "Olena Shevchenko" in made.text
    case = client.get(f"{base}", params={"justification": WHY})
    [consent_id] = re.findall(r'action="/web/victims/consents/(\d+)/withdrawal"', case.text)
    assert "Active" in case.text
    withdrawn = client.post(
        f"/web/victims/consents/{consent_id}/withdrawal",
        data={"justification": WHY, "case_id": str(case_id), "note": "the person asked", **csrf(client)},
    )
    assert withdrawn.status_code == 303
    case = client.get(withdrawn.headers["location"])
    assert "Withdrawn" in case.text
    assert "(consent withdrawn)" in case.text
    again = client.post(
        f"/web/victims/consents/{consent_id}/withdrawal",
        data={"justification": WHY, "case_id": str(case_id), **csrf(client)},
    )
    assert (again.status_code, f'id="withdraw-{consent_id}-error"' in again.text) == (409, True)


def test_the_case_goes_to_a_provider_as_an_htcds_record_only_on_consent(
    client: TestClient, case_id: int, node: Node
) -> None:
    base = f"/web/victims/cases/{case_id}"
    page = client.get(base, params={"justification": WHY})
    assert "nothing can be exported to a provider yet" in page.text
    refused = client.post(f"{base}/htcds", data={"justification": WHY, "provider": "shelter-vienna", **csrf(client)})
    assert (refused.status_code, 'id="htcds-provider-error"' in refused.text) == (403, True)
    assert "the case holds no consent for this provider" in refused.text
    until = (dt.date.today() + dt.timedelta(days=30)).isoformat()
    consent = {"provider": "shelter-vienna", "data_categories": ["identity"], "services": ["shelter"]}
    recorded = client.post(
        f"{base}/consents",
        data={"justification": WHY, **consent, "valid_until": until, "informed_in": "Romanian", **csrf(client)},
    )
    assert recorded.status_code == 303
    page = client.get(base, params={"justification": WHY})
    assert '<option value="shelter-vienna">' in page.text
    sent = client.post(f"{base}/htcds", data={"justification": WHY, "provider": "shelter-vienna", **csrf(client)})
    assert sent.status_code == 200
    name = f"victim-case-{case_id}-htcds-shelter-vienna.json"
    assert sent.headers["content-disposition"] == f'attachment; filename="{name}"'
    assert sent.headers["cache-control"] == "no-store"
    document = sent.json()
    assert document["recipient"] == "shelter-vienna"
    [record] = document["records"]
    assert record["prs_SecondName"] == "Shevchenko"  # identity was consented to
    assert record["con_Consent"] is True
    with transaction(node.engine) as session:
        exports = session.scalars(select(AuditEntry).where(AuditEntry.action == "disclosure")).all()
        assert any(e.objects == [{"type": "victim_case", "id": str(case_id)}] for e in exports)
    missing = client.post(f"{base}/htcds", data={"justification": "", "provider": "shelter-vienna", **csrf(client)})
    assert (missing.status_code, 'id="justification-error"' in missing.text) == (422, True)


def test_other_roles_see_no_link_and_get_the_403_page(client: TestClient, case_id: int, node: Node) -> None:
    client.post("/web/logout", data=csrf(client))
    client.cookies.clear()
    for username, role in (("an", "analyst"), ("bo2", "border_officer")):
        make_user(node, username, role)
        assert sign_in(client, username) == 303
        assert "/web/victims/cases" not in client.get("/web/").text
        answer = client.get(f"/web/victims/cases/{case_id}", params={"justification": WHY})
        assert (answer.status_code, "victims.read" in answer.text) == (403, True)
        client.post("/web/logout", data=csrf(client))
        client.cookies.clear()
