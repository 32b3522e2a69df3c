"""HTCDS 2.0 exchange on both stores: records validated against the standard's field list, export only on a consent
in force (refusals named and logged), only the consented categories, and a round trip that gives the record back."""

from __future__ import annotations

import datetime as dt
import itertools
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from palermo.db.engine import transaction
from palermo.errors import InvalidInput, PermissionDenied
from palermo.node import Node
from palermo.victims.assessments import AssessmentIn, record_assessment
from palermo.victims.case_file import get_case
from palermo.victims.cases import CaseIn, CaseSubject, open_case
from palermo.victims.consent import ConsentIn, record_consent, withdraw_consent
from palermo.victims.htcds import export_case, import_cases
from palermo.victims.htcds_spec import htcds_fields, record_problems
from palermo.victims.providers import load_providers
from tests.factories import bearer, make_token, make_user, operator
from tests.victims.helpers import audit_entries, person, refused

PROVIDERS = Path(__file__).parent / "providers.csv"
TODAY = dt.date(2026, 11, 3)
USERS = itertools.count(1)
EVERYTHING = ["identity", "documents", "assessment", "circumstances"]
SIGNS = ("dr.job_nature", "dr.wages", "ec.excessive_hours", "ec.low_pay", "cd.documents", "cd.debt")


def _worker(node: Node) -> Any:
    return person(node, f"worker{next(USERS)}", "victim_support")


def _case(node: Node) -> int:
    worker = person(node, "caseworker", "victim_support")
    with transaction(node.engine) as session:
        load_providers(session, operator(node), PROVIDERS)
        subject = CaseSubject(
            names=["Ana Maria Popescu"], birth_date="1990-05-17", nationality="ROU", sex="F", document_numbers=["X1"]
        )
        case_id = open_case(session, worker, CaseIn(subject=subject)).id
        observations = [{"indicator": i} for i in SIGNS]
        assessment = {"exploitation": "labour", "population": "adult", "observations": observations}
        record_assessment(session, worker, case_id, AssessmentIn.model_validate(assessment))
    return case_id


def _consent(node: Node, case_id: int, categories: list[str], until: dt.date, today: dt.date = TODAY) -> int:
    terms = {"provider": "legal-aid-at", "data_categories": categories, "services": ["legal_aid"]}
    with transaction(node.engine) as session:
        given = ConsentIn.model_validate(terms | {"valid_until": until, "informed_in": "Romanian"})
        return record_consent(session, _worker(node), case_id, given, today=today).id


def _export(node: Node, case_id: int, on: dt.date = TODAY) -> Any:
    with transaction(node.engine) as session:
        return export_case(session, _worker(node), case_id, "legal-aid-at", agency="x", today=on)


def test_the_field_list_is_the_standards() -> None:
    fields = htcds_fields()
    assert fields["vic_TraffickingStatus"].values == (
        "PossibleVictimOfTrafficking",
        "ActualVictimOfTrafficking",
        "NotAVictimOfTrafficking",
    )
    assert fields["prs_Birthdate"].type == "Date"
    assert fields["prs_Citizenship"].code_standard == "ISO 3166"
    assert fields["con_Consent"].type == "Checkbox"
    assert "DebtBondage" in fields["vic_MethodsOfControl"].values  # the CSV's trailing space is not part of it
    assert record_problems({"prs_FirstName": "A", "con_Consent": True, "prs_Citizenship": ["RO", "ROU"]}) == []
    problems = record_problems(
        {"prs_Nickname": "x", "prs_Birthdate": "1990", "vic_TraffickingStatus": "Maybe", "con_Consent": "yes",
         "prs_Citizenship": ["XQ"], "vic_TypeOfExploitation": "ForcedLabour", "prs_NumberOfChildren": "two"}
    )  # fmt: skip
    assert problems == [
        "'prs_Nickname' is not an IOM HTCDS 2.0 field",
        "prs_Birthdate (Date) is a date YYYY-MM-DD, got '1990'",
        "vic_TraffickingStatus (Picklist) has no value 'Maybe' (one of PossibleVictimOfTrafficking, "
        "ActualVictimOfTrafficking, NotAVictimOfTrafficking)",
        "con_Consent (Checkbox) is true or false, got 'yes'",
        "prs_Citizenship (Multiselect Picklist) 'XQ' is not an ISO 3166 code",
        "vic_TypeOfExploitation (Multiselect Picklist) is a list of picklist values, got str",
        "prs_NumberOfChildren (Number) is a number, got 'two'",
    ]


def test_an_export_is_refused_without_a_consent_in_force_and_the_reason_named(node: Node) -> None:
    case_id = _case(node)
    with refused(node, PermissionDenied, "the case holds no consent for this provider"):
        _export(node, case_id)
    expiring = _consent(node, case_id, EVERYTHING, until=dt.date(2026, 11, 30), today=dt.date(2026, 11, 1))
    with refused(node, PermissionDenied, f"consent {expiring}: expired on 2026-11-30"):
        _export(node, case_id, on=dt.date(2026, 12, 5))
    withdrawn = _consent(node, case_id, EVERYTHING, until=dt.date(2099, 1, 1))
    with transaction(node.engine) as session:
        withdraw_consent(session, _worker(node), withdrawn, "changed her mind")
    today = dt.date.today().isoformat()
    with refused(node, PermissionDenied, f"consent {withdrawn}: withdrawn on {today}"):
        _export(node, case_id, on=dt.date(2026, 12, 5))  # the first consent has expired by then
    refusals = [e for e in audit_entries(node, "refusal") if e.details.get("permission") == "victims.exchange"]
    assert len(refusals) == 3
    assert "no consent in force to send victim case" in refusals[0].details["reason"]
    assert audit_entries(node, "disclosure") == []


def test_an_export_holds_only_the_consented_categories(node: Node) -> None:
    case_id = _case(node)
    consent_id = _consent(node, case_id, ["identity"], until=dt.date(2099, 1, 1))
    document = _export(node, case_id)
    [record] = document.records
    assert record == {
        "prs_FirstName": "Ana Maria",
        "prs_SecondName": "Popescu",
        "prs_Birthdate": "1990-05-17",
        "prs_Gender": "Feminine",
        "prs_Citizenship": ["ROU"],
        "con_Consent": True,
    }
    assert document.consent_id == consent_id
    assert document.omitted == ["not consented to for legal-aid-at: assessment, circumstances, documents"]
    [disclosure] = audit_entries(node, "disclosure")
    assert disclosure.objects == [{"type": "victim_case", "id": str(case_id)}]


def test_a_record_goes_out_and_comes_back_as_it_left(node: Node) -> None:
    case_id = _case(node)
    _consent(node, case_id, EVERYTHING, until=dt.date(2099, 1, 1))
    sent = _export(node, case_id)
    [record] = sent.records
    assert record_problems(record) == []
    assert set(record) <= set(htcds_fields())
    assert record["vic_TraffickingStatus"] == "PossibleVictimOfTrafficking"
    assert record["vic_TypeOfExploitation"] == ["ForcedLabour"]
    assert record["vic_MethodsOfControl"] == [
        "DebtBondage",
        "ExcessiveWorkingHours",
        "FalsePromises",
        "WithholdsDocuments",
    ]
    assert record["cas_ReferredOrganisation"] == "Legal Aid for Migrants"
    receiver = person(node, "receiver", "victim_support")
    with transaction(node.engine) as session:
        [back] = import_cases(session, receiver, sent.model_dump(mode="json"), source="partner.json").cases
        case = get_case(session, receiver, back)
    assert case.subject["names"] == ["Ana Maria Popescu"]
    assert (case.subject["nationality"], case.subject["sex"], case.subject["document_numbers"]) == ("ROU", "F", ["X1"])
    _consent(node, back, EVERYTHING, until=dt.date(2099, 1, 1))
    assert _export(node, back).records == [record]


@pytest.mark.parametrize(
    ("record", "problem"),
    [
        ({"prs_SecondName": "Popescu", "con_Consent": False}, "con_Consent is not true"),
        ({"prs_Gender": "Feminine", "con_Consent": True}, "names no one"),
        (
            {"prs_SecondName": "Popescu", "con_Consent": True, "vic_TraffickingStatus": "Victim"},
            "has no value 'Victim'",
        ),
    ],
    ids=["without consent", "without a name", "off the picklist"],
)
def test_a_document_with_a_bad_record_is_refused_whole(node: Node, record: dict[str, Any], problem: str) -> None:
    good = {"prs_FirstName": "Ion", "prs_SecondName": "Rusu", "con_Consent": True}
    with refused(node, InvalidInput, f"nothing imported: record 2: .*{problem}") as session:
        import_cases(session, _worker(node), {"records": [good, record]}, source="f")
    with transaction(node.engine) as session:
        assert import_cases(session, _worker(node), [good], source="f").cases == [1]


def test_the_api_exports_on_consent_and_imports(client: TestClient, node: Node) -> None:
    case_id = _case(node)
    make_user(node, "api-worker", "victim_support")
    headers = bearer(make_token(node, "api-worker"), "victim_protection")
    url = f"/api/v1/victims/cases/{case_id}/htcds"
    denied = client.post(url, json={"provider": "legal-aid-at"}, headers=headers)
    assert denied.status_code == 403
    assert "no consent in force" in denied.json()["message"]
    _consent(node, case_id, ["identity", "assessment"], until=dt.date(2099, 1, 1))
    sent = client.post(url, json={"provider": "legal-aid-at"}, headers=headers)
    assert sent.status_code == 200, sent.text
    assert sent.json()["records"][0]["prs_SecondName"] == "Popescu"
    back = client.post("/api/v1/victims/htcds-imports", json=sent.json(), headers=headers)
    assert back.status_code == 200, back.text
    assert back.json()["cases"] == [case_id + 1]
    bad = client.post("/api/v1/victims/htcds-imports", json={"records": [{"prs_Foo": 1}]}, headers=headers)
    assert bad.status_code == 422
    assert "'prs_Foo' is not an IOM HTCDS 2.0 field" in bad.json()["message"]
