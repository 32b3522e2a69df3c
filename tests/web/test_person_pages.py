"""Person search and record pages: filters, paging, the way back to the results, and what the record shows."""

from __future__ import annotations

import datetime as dt
import html
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from palermo.api import create_app
from palermo.auth.actor import cli_actor
from palermo.auth.justification import Justification
from palermo.db.engine import transaction
from palermo.db.persons import PersonRecord
from palermo.db.travel import TravelEvent
from palermo.node import Node
from palermo.victims.assessments import AssessmentIn, record_assessment
from palermo.victims.cases import CaseIn, open_case
from tests.factories import PERSON_HEADER, make_user, run, write_csv
from tests.web.conftest import sign_in
from tests.web.identity_world import resolved_ana

JUSTIFIED = "justification=border_control"


@pytest.fixture
def analyst(client: TestClient, node: Node, tmp_path: Path) -> TestClient:
    rows = [[f"m{i}", f"Marku{i:02d}", "Ilir", "1990", "M", "ALB"] for i in range(30)]
    rows.append(["c1", "Çela", "Arben", "1985-02-01", "M", "ALB"])
    run(node, write_csv(tmp_path / "p.csv", PERSON_HEADER, rows), "persons", source="border")
    make_user(node, "ana", "analyst")
    assert sign_in(client, "ana") == 303
    return client


def links(page: str) -> list[str]:
    return [html.unescape(href) for href in re.findall(r'href="([^"]+)"', page)]


def test_pages_tell_the_true_totals_and_link_the_next_page_with_the_whole_query(analyst: TestClient) -> None:
    first = analyst.get(f"/web/persons?name=ilir+marku&nationality=alb&{JUSTIFIED}")
    assert first.status_code == 200
    assert "Persons 1–25 of 30 for “ilir marku”" in first.text
    assert "Page 1 of 2" in first.text
    [following] = [link for link in links(first.text) if "page=2" in link]
    assert "nationality=ALB" in following
    assert "name=ilir+marku" in following
    second = analyst.get(following)
    assert "Persons 26–30 of 30" in second.text


def test_a_record_opened_from_the_results_goes_back_to_the_same_page_of_the_same_search(analyst: TestClient) -> None:
    results = analyst.get(f"/web/persons?name=ilir&page=2&{JUSTIFIED}")
    record = next(link for link in links(results.text) if re.match(r"/web/persons/\d+\?", link))
    opened = analyst.get(record)
    assert opened.status_code == 200
    back = next(link for link in links(opened.text) if link.startswith("/web/persons?"))
    again = analyst.get(back)
    assert again.status_code == 200
    assert "Persons 26–30 of 30 for “ilir”" in again.text


def test_the_way_back_only_ever_leads_to_the_search(analyst: TestClient) -> None:
    opened = analyst.get(f"/web/persons/1?{JUSTIFIED}&back=name%3Dilir%26next%3Dhttps%3A%2F%2Fexample.org")
    back = [link for link in links(opened.text) if link.startswith("/web/persons?")]
    assert back
    assert all("example.org" not in link for link in back)
    assert "https://example.org" not in opened.text


def test_the_record_asks_why_first_and_keeps_the_way_back(analyst: TestClient) -> None:
    asked = analyst.get("/web/persons/1?back=name%3Dilir")
    assert 'name="back" value="name=ilir"' in asked.text


def test_a_filter_that_is_not_valid_answers_422_next_to_it(analyst: TestClient) -> None:
    answer = analyst.get(f"/web/persons?name=cela&nationality=A1&birth_year=85&{JUSTIFIED}")
    assert answer.status_code == 422
    assert 'id="nationality-error"' in answer.text
    assert "three-letter code" in answer.text
    assert 'id="birth_year-error"' in answer.text
    assert "four digits" in answer.text


def test_a_diacritic_is_found_without_it(analyst: TestClient) -> None:
    assert "Arben Çela" in analyst.get(f"/web/persons?name=cela&{JUSTIFIED}").text


@pytest.fixture
def world_client(world_node_factory: object) -> Iterator[tuple[TestClient, Node]]:
    world = world_node_factory()  # type: ignore[operator]
    make_user(world, "ana", "analyst")
    with TestClient(create_app(world, warm_up=False), base_url="https://testserver", follow_redirects=False) as client:
        assert sign_in(client, "ana") == 303
        yield client, world


def test_the_record_shows_its_documents_crossings_and_alerts(world_client: tuple[TestClient, Node]) -> None:
    client, world = world_client
    with transaction(world.engine) as session:
        person_id, crossings = session.execute(
            select(TravelEvent.person_id, func.count()).group_by(TravelEvent.person_id).order_by(TravelEvent.person_id)
        ).first()  # type: ignore[misc]
    page = client.get(f"/web/persons/{person_id}?{JUSTIFIED}")
    assert page.status_code == 200
    assert "Identity documents" in page.text
    assert "passport" in page.text
    assert f"{crossings} crossing" in page.text
    assert "No alert concerns this record." in page.text


def test_the_record_links_its_identity_and_alert_and_hides_special_category_crossings(
    client: TestClient, node: Node, tmp_path: Path
) -> None:
    ana = resolved_ana(node, tmp_path)
    make_user(node, "ana", "analyst")
    assert sign_in(client, "ana") == 303
    page = client.get(f"/web/persons/{ana.records['ana-1']}?{JUSTIFIED}").text
    assert f'href="/web/identities/{ana.identity}?{JUSTIFIED}"' in page
    assert f'href="/web/alerts/{ana.alert}?{JUSTIFIED}"' in page
    assert "1 crossing, newest first" in page  # the special-category crossing is left out ...
    assert "1 special-category document, crossing or alert of this record is not shown" in page  # ... and counted
    make_user(node, "sup", "supervisor")
    assert sign_in(client, "sup") == 303
    shown = client.get(f"/web/persons/{ana.records['ana-1']}?justification=victim_protection").text
    assert "2 crossings, newest first" in shown
    assert 'id="hidden"' not in shown


def test_records_of_one_identity_are_one_result_row(client: TestClient, node: Node, tmp_path: Path) -> None:
    ana = resolved_ana(node, tmp_path)
    make_user(node, "ana", "analyst")
    assert sign_in(client, "ana") == 303
    page = client.get(f"/web/persons?name=Ana+Popescu&{JUSTIFIED}").text
    assert "Person 1–1 of 1 for “Ana Popescu”" in page  # Popescu and Popesku, one person ...
    assert f"Identity #{ana.identity}: Ana Popescu" in page
    assert page.count('<li>\n          <a href="/web/persons/') == 2  # ... two records (the special one hidden)
    assert "2 records in all" in page


def test_a_presumed_victims_record_tells_every_reader_to_consider_non_punishment(
    analyst: TestClient, node: Node
) -> None:
    """The analyst (no victims.read) reading Çela's record is told to consider non-punishment and whom to ask, never
    the case; before the assessment presumes a victim there is no flag."""
    with transaction(node.engine) as session:
        record_id = session.scalars(select(PersonRecord.id).where(PersonRecord.source_key == "c1")).one()
    before = analyst.get(f"/web/persons/{record_id}?{JUSTIFIED}")
    assert before.status_code == 200
    assert 'id="non-punishment"' not in before.text
    officer = cli_actor("cli:officer", node.agency_code, Justification("legal_basis", "victim_protection"))
    observed = ["dr.job_nature", "dr.wages", "ec.excessive_hours", "ec.low_pay", "cd.documents", "cd.debt"]
    when = dt.datetime(2026, 11, 3, 10, 0, tzinfo=dt.UTC)
    with transaction(node.engine) as session:
        case_id = open_case(session, officer, CaseIn(person_id=record_id)).id
        request = {
            "exploitation": "labour",
            "interviewed_at": when,
            "observations": [{"indicator": i} for i in observed],
        }
        record_assessment(session, officer, case_id, AssessmentIn.model_validate(request))
    after = analyst.get(f"/web/persons/{record_id}?{JUSTIFIED}")
    assert after.status_code == 200
    assert 'id="non-punishment"' in after.text
    assert "consider non-punishment" in after.text
    assert f"/web/victims/cases/{case_id}" not in after.text
