"""The documents page without a browser: an MRZ check with a broken check digit (the failed check first), the OCR
option and the check date, the lost/stolen lookup, form errors at their fields, the access recorded with its
justification, CSRF, and a role without the permission refused (on SQLite and PostgreSQL)."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from palermo.db.audit import AuditEntry
from palermo.db.engine import transaction
from palermo.documents import MrzFormatName, break_check_digit
from palermo.node import Node
from tests.factories import load_registry, make_user, passport
from tests.web.conftest import csrf, sign_in

STOLEN = "AB1234567,FRA,passport,stolen,2025-01-02,DGPN\n"


@pytest.fixture
def officer(client: TestClient, node: Node, tmp_path: Path) -> TestClient:
    load_registry(node, tmp_path, STOLEN)
    make_user(node, "bo", "border_officer")
    assert sign_in(client, "bo") == 303
    return client


def check(client: TestClient, lines: list[str] | str, **fields: str) -> tuple[int, str]:
    mrz = lines if isinstance(lines, str) else "\n".join(lines)
    data = {"mrz": mrz, "justification": "border_control", **fields, **csrf(client)}
    answer = client.post("/web/documents/check", data=data)
    return answer.status_code, answer.text


def lookup(client: TestClient, state: str, number: str, justification: str = "border_control") -> tuple[int, str]:
    data = {"state": state, "number": number, "justification": justification, **csrf(client)}
    answer = client.post("/web/documents/lookup", data=data)
    return answer.status_code, answer.text


def test_the_page_is_in_the_navigation_with_both_forms(officer: TestClient) -> None:
    page = officer.get("/web/documents")
    assert page.status_code == 200
    assert 'href="/web/documents" aria-current="page"' in page.text
    assert page.text.count('name="csrf_token"') == 3  # both forms and sign-out


def test_a_broken_check_digit_is_the_first_thing_shown(officer: TestClient) -> None:
    broken = break_check_digit(passport("CD7654321"), MrzFormatName.TD3, "birth_date_check_digit")
    status, text = check(officer, broken)
    assert status == 200
    assert "Invalid:</span> 2 checks failed" in text  # the birth date's check digit, and so the composite one
    failed = text.index("Failed document checks (2)")
    assert failed < text.index("Document checks passed")
    assert "date of birth" in text[failed : text.index("Document checks passed")].lower()


def test_a_stolen_passport_and_a_near_number_are_found(officer: TestClient) -> None:
    status, text = check(officer, passport("AB1234567"))
    assert status == 200
    assert '<span class="error">Reported stolen</span> in the lost and stolen registry' in text  # before "Valid"
    assert "<strong>stolen</strong>" in text
    status, text = lookup(officer, "fr", "AB1234576")  # two digits swapped
    assert status == 200
    assert "1 registry entry for FR AB1234576" in text
    assert "near" in text
    status, text = lookup(officer, "FRA", "ZZ0000001")
    assert (status, "is not reported lost or stolen" in text) == (200, True)


def test_ocr_confusions_are_corrected_when_asked_and_the_check_date_is_used(officer: TestClient) -> None:
    line1, line2 = passport("CD7654321")
    misread = [line1, line2.replace("9003048", "9OO3048")]  # born 1990-03-04, zeros read as O
    status, text = check(officer, misread)
    assert "Invalid" in text
    status, text = check(officer, misread, ocr="true")
    assert (status, "OCR corrections made" in text, "Valid:" in text) == (200, True, True)
    status, text = check(officer, passport("CD7654321"), at="2031-01-01")  # after its expiry
    assert "Invalid" in text
    assert "expired" in text.lower()


def test_bad_input_is_a_form_error_never_a_failure(officer: TestClient) -> None:
    for lines, fields, where in [
        ("", {}, "mrz"),
        ("NOT AN MRZ", {}, "mrz"),
        ("\n".join(["X" * 44] * 5), {}, "mrz"),
        (passport("CD7654321"), {"at": "1850-01-01"}, "at"),
        (passport("CD7654321"), {"at": "tomorrow"}, "at"),
        (passport("CD7654321"), {"justification": "curiosity"}, "justification"),
        (passport("CD7654321"), {"justification": ""}, "justification"),
    ]:
        status, text = check(officer, lines, **fields)
        assert (status, f'id="{where}-error"' in text) == (422, True), (lines, fields)
    for state, number, justification, where in [
        ("QQQ", "AB1234567", "border_control", "state"),
        ("FRA", "AB/123?", "border_control", "number"),
        ("FRA", "A" * 30, "border_control", "number"),
        ("FRA", "", "border_control", "number"),
        ("FRA", "AB1234567", "curiosity", "lookup_justification"),
    ]:
        status, text = lookup(officer, state, number, justification)
        assert (status, f'id="{where}-error"' in text) == (422, True), (state, number)


def test_every_check_and_lookup_is_recorded_with_its_justification(officer: TestClient, node: Node) -> None:
    check(officer, passport("AB1234567"), justification="JIT-2026-0042")
    lookup(officer, "FRA", "AB1234567")
    check(officer, "NOT AN MRZ")
    with transaction(node.engine) as session:
        query = select(AuditEntry).where(AuditEntry.actor == "user:bo").order_by(AuditEntry.seq)
        entries = session.scalars(query).all()
        seen = [(e.objects[0]["id"] if e.objects else None, e.justification) for e in entries]
    assert ("FRA:AB1234567", "case:JIT-2026-0042") in seen
    assert ("FRA:AB1234567", "legal_basis:border_control") in seen
    assert ("unreadable", "legal_basis:border_control") in seen


def test_checking_needs_the_csrf_field(officer: TestClient) -> None:
    answer = officer.post("/web/documents/check", data={"mrz": "\n".join(passport("AB1234567"))})
    assert answer.status_code == 403
    assert "CSRF" in answer.text


def test_victim_support_may_not_check_documents_and_sees_no_link(client: TestClient, node: Node) -> None:
    make_user(node, "vs", "victim_support")
    sign_in(client, "vs")
    assert 'href="/web/documents"' not in client.get("/web/").text
    answer = client.post("/web/documents/lookup", data={"state": "FRA", "number": "AB1234567", **csrf(client)})
    assert answer.status_code == 403
    assert "documents.check" in answer.text
    assert "AB1234567" not in answer.text
