"""The dashboard page without a browser: a number of days out of range is a form error on the page; what raised
alerts counts signals and decisions (protective ones marked) and names nobody; one window for every figure; a legend
for the map."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from palermo.node import Node
from tests.factories import load, make_user, write_list
from tests.web.conftest import csrf, sign_in

LISTED = ("Olena", "Shevchenko", "Ivanov", "Иванов", "Hassan")


@pytest.fixture
def screened(app: FastAPI, node: Node, tmp_path: Path) -> None:
    """A border officer screened a listed suspect and a missing girl (two alerts: alert, protect)."""
    load(node, write_list(tmp_path))
    make_user(node, "bo", "border_officer")
    with TestClient(app, base_url="https://testserver", follow_redirects=False) as officer:
        assert sign_in(officer, "bo") == 303
        for fields in (
            {"names": "Aleksandr Ivanov", "birth_date": "1975-03-14", "nationality": "RUS"},
            {"names": "Olena Shevchenko", "document_number": "FA123456", "border_point": "BUD"},
        ):
            data = {"justification": "border_control", **fields, **csrf(officer)}
            assert officer.post("/web/screening", data=data).status_code == 200


@pytest.mark.parametrize("days", ["0", "367", "a week", "-3"])
def test_days_out_of_range_is_a_form_error_next_to_the_field(client: TestClient, node: Node, days: str) -> None:
    make_user(node, "root", "admin")
    assert sign_in(client, "root") == 303
    answer = client.get("/web/", params={"days": days})
    assert answer.status_code == 422
    assert 'id="days-error"' in answer.text
    assert "Enter a whole number of days from 1 to 366" in answer.text
    assert 'aria-invalid="true"' in answer.text
    assert 'class="error-summary"' in answer.text
    assert 'id="totals-h"' in answer.text  # the dashboard itself, with the default window
    assert client.get("/web/", params={"days": "7"}).status_code == 200


def test_what_raised_alerts_counts_signals_and_decisions_and_names_nobody(
    screened: None, app: FastAPI, node: Node
) -> None:
    make_user(node, "root", "admin")
    with TestClient(app, base_url="https://testserver", follow_redirects=False) as root:
        assert sign_in(root, "root") == 303
        page = root.get("/web/").text
    assert not [name for name in LISTED if name in page]
    signals = page[page.index('id="table-indicators"') : page.index('id="map-h"')]
    assert "Watchlist hit: missing person" in signals
    assert "Yes: points to a possible victim" in signals
    assert "Watchlist hit: suspect" in signals
    decisions = page[page.index('id="table-decisions"') : page.index('id="indicators-h"')]
    assert [word in decisions for word in ("Refer", "Alert", "Protect")] == [True] * 3
    assert "Watchlist hit: missing person (protective)" in page  # the chart's label says it in words
    assert 'id="map-legend"' in page
    assert "Every figure below covers the same 30 days" in page
