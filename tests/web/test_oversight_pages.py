"""The oversight report's findings and the access log in pages: the entries behind each finding, filters by actor,
permission, action, days and subject, honest paging, form errors instead of failures, and who may see what (on
SQLite and PostgreSQL)."""

from __future__ import annotations

import re

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from palermo.audit.entries import AuditEvent, ObjectRef
from palermo.audit.log import append
from palermo.db.engine import transaction
from palermo.node import Node
from tests.factories import make_user
from tests.web.conftest import csrf, sign_in


def consult(client: TestClient, number: str, justification: str = "border_control") -> None:
    data = {"state": "FRA", "number": number, "justification": justification, **csrf(client)}
    assert client.post("/web/documents/lookup", data=data).status_code == 200


@pytest.fixture
def officer_activity(app: FastAPI, node: Node) -> None:
    """An officer looks up three documents, two on a bare legal basis and one for a case."""
    make_user(node, "bo", "border_officer")
    with TestClient(app, base_url="https://testserver", follow_redirects=False) as officer:
        assert sign_in(officer, "bo") == 303
        consult(officer, "AB1234567")
        consult(officer, "CD7654321")
        consult(officer, "EF1111111", "JIT-2026-0042")


@pytest.fixture
def olga(client: TestClient, node: Node, officer_activity: None) -> TestClient:
    make_user(node, "olga", "oversight")
    assert sign_in(client, "olga") == 303
    return client


def test_the_report_shows_each_finding_with_the_entries_behind_it(olga: TestClient) -> None:
    page = olga.get("/web/oversight/report")
    assert page.status_code == 200
    text = page.text
    assert "Consultations without a case reference: user:bo: 2 consultations without a case reference" in text
    finding = text.split("Consultations without a case reference")[1].split("</article>")[0]
    assert "document:FRA:AB1234567" in finding
    assert "document:FRA:CD7654321" in finding
    assert "EF1111111" not in finding  # that one named a case
    assert "/web/oversight/log?actor=user%3Abo" in finding


def test_the_log_filters_by_actor_permission_action_days_and_subject(olga: TestClient) -> None:
    def shown(**query: str) -> str:
        answer = olga.get("/web/oversight/log", params=query)
        assert answer.status_code == 200
        return re.search(r'<h2 id="log-h">([^<]*)</h2>', answer.text).group(1)  # type: ignore[union-attr]

    assert shown(actor="bo", permission="documents.check") == "Entries 1–3 of 3"
    assert shown(actor="user:bo", action="consultation") == "Entries 1–3 of 3"
    assert shown(subject="document:FRA:CD7654321") == "Entries 1–1 of 1"
    assert shown(subject="FRA:EF1111111") == "Entries 1–1 of 1"
    assert shown(actor="bo", permission="persons.search") == "No entry matches these filters"
    assert shown(actor="bo", since="2000-01-01", until="2000-12-31") == "No entry matches these filters"
    today = olga.get("/web/oversight/log", params={"actor": "bo"}).text
    assert "case:JIT-2026-0042" in today


def test_the_log_pages_honestly(olga: TestClient, node: Node) -> None:
    with transaction(node.engine) as session:
        for n in range(60):
            event = AuditEvent(
                actor="cli:batch", agency="test", action="collection", objects=(ObjectRef(type="run", id=str(n)),)
            )
            append(session, event)
    first = olga.get("/web/oversight/log", params={"actor": "cli:batch"}).text
    assert "Entries 1–50 of 60" in first
    assert "Page 1 of 2" in first
    following = re.search(r'rel="next" href="([^"]+)"', first).group(1).replace("&amp;", "&")  # type: ignore[union-attr]
    assert following.startswith("/web/oversight/log?actor=cli%3Abatch&upto=")
    with transaction(node.engine) as session:  # the log grows while it is read
        for _ in range(5):
            append(session, AuditEvent(actor="cli:batch", agency="test", action="collection"))
    second = olga.get(following).text
    assert "Entries 51–60 of 60" in second  # the same 60 entries: none repeated, none skipped
    assert 'rel="next"' not in second
    assert "Entries 1–50 of 65" in olga.get("/web/oversight/log", params={"actor": "cli:batch"}).text
    beyond = olga.get("/web/oversight/log", params={"actor": "cli:batch", "page": "9"}).text
    assert "No entries on page 9: there are 65" in beyond


def test_bad_filters_are_form_errors(olga: TestClient) -> None:
    for query, field in [
        ({"since": "last week"}, "since"),
        ({"since": "2026-05-02", "until": "2026-05-01"}, "until"),
        ({"permission": "everything"}, "permission"),
        ({"action": "peek"}, "action"),
    ]:
        answer = olga.get("/web/oversight/log", params=query)
        assert (answer.status_code, f'id="{field}-error"' in answer.text) == (422, True), query
    answer = olga.get("/web/oversight/report", params={"until": "soon"})
    assert (answer.status_code, 'id="until-error"' in answer.text) == (422, True)
    assert olga.get("/web/oversight/log", params={"page": "0"}).status_code == 422


def test_an_administrator_reads_the_log_but_not_the_report(client: TestClient, node: Node) -> None:
    make_user(node, "root", "admin")
    sign_in(client, "root")
    assert client.get("/web/oversight/log").status_code == 200
    assert 'href="/web/oversight/report"' not in client.get("/web/oversight").text
    answer = client.get("/web/oversight/report")
    assert (answer.status_code, "audit.report" in answer.text) == (403, True)


def test_a_border_officer_may_read_neither(client: TestClient, node: Node, officer_activity: None) -> None:
    sign_in(client, "bo")
    for path in ("/web/oversight/log?actor=bo", "/web/oversight/report"):
        answer = client.get(path)
        assert answer.status_code == 403
        assert "AB1234567" not in answer.text


def test_every_entry_behind_a_large_finding_is_paged(olga: TestClient, node: Node) -> None:
    with transaction(node.engine) as session:
        for n in range(55):
            objects = (ObjectRef(type="person_records", id=str(n)),)
            details = {"permission": "persons.read", "role": "analyst"}
            event = AuditEvent(
                actor="user:zed",
                agency="test",
                action="consultation",
                objects=objects,
                justification="legal_basis:border_control",
                details=details,
            )
            append(session, event)
    report = olga.get("/web/oversight/report").text
    finding = report.split("user:zed: 55 consultations without a case reference")[1].split("</article>")[0]
    assert "the first 20 shown" in finding
    link = "/web/oversight/report/entries?kind=consultation_without_case&amp;actor=user%3Azed"
    assert link in finding
    query = {"kind": "consultation_without_case", "actor": "user:zed"}
    first = olga.get("/web/oversight/report/entries", params=query)
    assert first.status_code == 200
    assert "Entries 1–50 of 55" in first.text
    second = olga.get("/web/oversight/report/entries", params={**query, "page": "2"}).text
    assert "Entries 51–55 of 55" in second
    assert "person_records:54" in second
    assert olga.get("/web/oversight/report/entries", params={**query, "kind": "gossip"}).status_code == 422
    assert olga.get("/web/oversight/report/entries", params={**query, "actor": "user:nobody"}).status_code == 404
    assert olga.get("/web/oversight/report/entries", params={**query, "since": "later"}).status_code == 422
