"""The screening console without a browser: a listed traveller from an MRZ, the hit explained, form errors next to
the fields, the protect guidance, CSRF, and a role without the permission refused (on SQLite and PostgreSQL)."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from palermo.node import Node
from tests.factories import load, make_user, passport, write_list
from tests.web.conftest import csrf, sign_in
from tests.web.identity_world import resolved_ana

LISTED_PASSPORT = "FA123456"  # M-1, a missing girl, listed with this document number


@pytest.fixture
def officer(client: TestClient, node: Node, tmp_path: Path) -> TestClient:
    load(node, write_list(tmp_path))
    make_user(node, "bo", "border_officer")
    assert sign_in(client, "bo") == 303
    return client


def screen(client: TestClient, **fields: str) -> tuple[int, str]:
    answer = client.post("/web/screening", data={"justification": "border_control", **fields, **csrf(client)})
    return answer.status_code, answer.text


def test_the_console_is_in_the_navigation_with_the_legal_basis_filled_in(officer: TestClient) -> None:
    page = officer.get("/web/screening")
    assert page.status_code == 200
    assert 'href="/web/screening" aria-current="page"' in page.text
    assert 'value="border_control"' in page.text
    assert 'name="csrf_token"' in page.text


def test_a_listed_suspect_is_an_alert_with_the_hit_explained(officer: TestClient) -> None:
    status, text = screen(
        officer, names="Aleksandr Ivanov", birth_date="1975-03-14", nationality="RUS", sex="M", border_point="BP1"
    )
    assert status == 200
    assert 'class="decision decision-alert"' in text
    assert ">Alert</span>" in text  # the decision in words, not colour alone
    assert "Александр Иванов" in text or "Aleksandr Ivanov" in text
    assert "same date of birth" in text  # the birth_date feature's detail
    assert 'href="/web/alerts/' in text


def test_a_missing_girl_from_her_passport_mrz_is_protected_with_guidance(officer: TestClient) -> None:
    status, text = screen(officer, mrz="\n".join(passport(LISTED_PASSPORT)), names="Olena Shevchenko")
    assert status == 200
    assert 'class="decision decision-protect"' in text
    assert "What to do for a possible victim" in text
    assert "do not arrest" in text
    assert 'id="victim-case"' in text  # the protect decision opened a victim case and hands over to victim support
    assert "Hand the traveller over to victim support" in text
    assert "Document checks passed" in text


def test_an_unreadable_mrz_and_bad_dates_are_shown_next_to_their_fields(officer: TestClient) -> None:
    status, text = screen(officer, mrz="NOT AN MRZ", birth_date="1975-13-40", nationality="QQQ")
    assert status == 422
    assert 'id="birth_date-error"' in text
    assert 'id="nationality-error"' in text
    assert 'aria-invalid="true"' in text
    assert "There is a problem" in text
    status, text = screen(officer, mrz="NOT AN MRZ")
    assert status == 422
    assert 'id="mrz-error"' in text
    assert "NOT AN MRZ" in text  # what was typed is kept


def test_an_empty_form_and_a_bad_justification_are_refused_with_messages(officer: TestClient) -> None:
    status, text = screen(officer)
    assert (status, 'id="names-error"' in text) == (422, True)
    status, text = screen(officer, names="Anna Nowak", justification="curiosity", companions="Ivan; 1980-99")
    assert status == 422
    assert 'id="companions-error"' in text
    status, text = screen(officer, names="Anna Nowak", justification="curiosity")
    assert (status, 'id="justification-error"' in text) == (422, True)


def test_screening_without_the_csrf_field_is_refused(officer: TestClient) -> None:
    answer = officer.post("/web/screening", data={"names": "Anna Nowak", "justification": "border_control"})
    assert answer.status_code == 403
    assert "CSRF" in answer.text


def test_an_analyst_may_not_screen_and_sees_no_link(client: TestClient, node: Node) -> None:
    make_user(node, "ana", "analyst")
    sign_in(client, "ana")
    assert 'href="/web/screening"' not in client.get("/web/").text
    answer = client.post("/web/screening", data={"names": "Anna Nowak", **csrf(client)})
    assert answer.status_code == 403
    assert "screening.run" in answer.text


def test_a_hit_through_the_travellers_identity_says_so_and_refers(
    officer: TestClient, node: Node, tmp_path: Path
) -> None:
    resolved_ana(
        node, tmp_path
    )  # her passport 05 123 456 (ROU) belongs to an identity that also holds Ana Maria Popesku
    listed = ["A-9,Ana Maria Popesku,,1998-04-02,ROU,F,,suspect,forged documents"]
    load(node, write_list(tmp_path, listed, name="ana.csv"), name="ana")
    status, text = screen(officer, names="Maria Ionescu", document_number="05 123 456", issuing_state="ROU")
    assert status == 200
    assert 'class="decision decision-refer"' in text  # through an identity: the officer checks the link first
    assert (
        "Through the traveller&#39;s resolved identity:" in text or "Through the traveller's resolved identity:" in text
    )
    assert "the document 05 123 456 (ROU) presented" in text
    assert "The identity&#39;s name" in text or "The identity's name" in text
