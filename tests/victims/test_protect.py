"""A border protect decision opens a victim case and routes the officer to victim support, never to an arrest."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from palermo import alerts
from palermo.db.engine import transaction
from palermo.errors import PermissionDenied
from palermo.node import Node
from palermo.screening.requests import CompanionIn, ScreeningRequest
from palermo.screening.service import screen
from palermo.victims.case_file import get_case
from palermo.victims.providers import load_providers
from tests.factories import justified_operator, load, operator, write_list
from tests.victims.helpers import person, refused

AT = dt.datetime(2026, 3, 1, 10, 0, tzinfo=dt.UTC)
PROVIDERS = Path(__file__).parent / "providers.csv"


@pytest.fixture
def listed(node: Node, tmp_path: Path) -> Node:
    load(node, write_list(tmp_path))
    with transaction(node.engine) as session:
        load_providers(session, operator(node), PROVIDERS)
    return node


def test_a_protect_decision_opens_a_case_and_routes_the_officer_to_victim_support(listed: Node) -> None:
    officer = person(listed, "officer", "border_officer", basis="border_control")
    request = ScreeningRequest(
        at=AT, names=["Olena Shevchenko"], birth_date="2009-07-05", companions=[CompanionIn(name="Ivan Petrenko")]
    )
    with transaction(listed.engine) as session:
        result = screen(session, officer, request, home=listed.home)
    assert result.decision == "protect"
    route = result.victim_case
    assert route is not None
    assert f"Victim case {route.case_id} is open" in route.handover
    assert "child protection and victim support" in route.handover  # born 2009: a minor
    assert "Do not arrest" in route.handover
    assert route.contacts[0].name == "Child Protection Vienna"
    with transaction(listed.engine) as session:
        alert = alerts.get_alert(session, officer, result.alert_id or 0)
    assert alert.subject == f"victim_case:{route.case_id}"
    assert alert.explanation[0] == {"kind": "victim_case", "case_id": route.case_id, "detail": route.handover}
    with refused(listed, PermissionDenied, "permission 'victims.read'") as session:
        get_case(session, officer, route.case_id)  # the officer who opened it does not read it
    worker = person(listed, "caseworker", "victim_support")
    with transaction(listed.engine) as session:
        case = get_case(session, worker, route.case_id)
    assert (case.origin, case.opened_by, case.alert_id) == ("screening", "user:officer", result.alert_id)
    assert case.subject["names"] == ["Olena Shevchenko"]
    assert case.subject["birth_date"] == "2009-07-05"


def test_refer_and_alert_decisions_open_no_case(listed: Node) -> None:
    request = ScreeningRequest(at=AT, names=["Aleksandr Ivanov"], birth_date="1975-03-14", nationality="RUS", sex="M")
    with transaction(listed.engine) as session:
        result = screen(session, justified_operator(listed), request, home=listed.home)
    assert result.decision == "alert"
    assert result.victim_case is None
