"""The watchlists page without a browser: lists with counts, categories and expiry; a file loaded with the CLI's
validation and rejects (a bad row listed, the good ones loaded); form errors instead of failures; CSRF; roles."""

from __future__ import annotations

import datetime as dt

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import update

from palermo.db.engine import transaction
from palermo.db.watchlists import WatchlistEntry
from palermo.node import Node
from palermo.screening.watchlist_upload import stored_name
from palermo.screening.watchlists import list_watchlists
from tests.factories import WATCHLIST_HEADER, WATCHLIST_ROWS, justified_operator, make_user
from tests.web.conftest import csrf, sign_in

BAD_ROW = "S-9,Bad Date,,1975-13-40,RUS,M,,suspect,a month that does not exist"
EXPIRED_ROW = "S-3,Old Entry,,1960,POL,M,,suspect,expired notice,2020-01-01"
FUTURE_ROW = "S-4,Current Entry,,1961,POL,M,,suspect,current notice,2099-06-30"


def csv_file(rows: list[str], header: str = WATCHLIST_HEADER) -> bytes:
    return (header + "\n".join(rows) + "\n").encode()


@pytest.fixture
def analyst(client: TestClient, node: Node) -> TestClient:
    make_user(node, "ana", "analyst")
    assert sign_in(client, "ana") == 303
    return client


def upload(client: TestClient, content: bytes, filename: str = "list.csv", **fields: str) -> tuple[int, str]:
    data = {"name": "sanctions", "category": "suspect", "file_format": "", **fields, **csrf(client)}
    answer = client.post("/web/watchlists", data=data, files={"file": (filename, content, "text/csv")})
    return answer.status_code, answer.text


def test_a_file_with_a_bad_row_loads_the_good_rows_and_lists_the_rejected_one(analyst: TestClient, node: Node) -> None:
    status, text = upload(analyst, csv_file([*WATCHLIST_ROWS, BAD_ROW]))
    assert status == 200
    assert "Loaded list.csv into sanctions: 1 row rejected" in text
    assert 'id="rejects"' in text
    assert "1975-13-40" in text  # the row as read, with its line and reason
    assert "<strong>3</strong> added" in text
    with transaction(node.engine) as session:
        (summary,) = list_watchlists(session, justified_operator(node))
    assert (summary.name, summary.entries) == ("sanctions", 3)
    status, text = upload(analyst, csv_file([*WATCHLIST_ROWS, BAD_ROW]))
    assert "<strong>3</strong> unchanged" in text  # idempotent, as on the command line


def test_a_protective_entry_in_a_suspects_list_is_counted_and_marked(analyst: TestClient) -> None:
    upload(analyst, csv_file(WATCHLIST_ROWS))  # a suspects' list whose M-1 row is a missing girl
    row = analyst.get("/web/watchlists").text.split('<th scope="row">sanctions')[1].split("</tr>")[0]
    assert 'Missing person 1 <span class="badge special">Protective</span>' in row
    assert "Suspect 1" in row
    assert "Wanted 1" in row


def test_the_list_shows_categories_entries_and_expiry(analyst: TestClient) -> None:
    header = WATCHLIST_HEADER.rstrip("\n") + ",expires_on\n"
    upload(analyst, csv_file([EXPIRED_ROW, FUTURE_ROW], header), name="notices")
    text = analyst.get("/web/watchlists").text
    row = text.split('<th scope="row">notices')[1].split("</tr>")[0]
    assert "Suspect" in row
    assert '<td class="num">2</td>' in row  # entries
    assert '<td class="num">1</td>' in row  # expired
    assert "2099-06-30" in row  # the next expiry


def test_form_errors_are_shown_next_to_their_fields(analyst: TestClient) -> None:
    status, text = upload(analyst, b"", filename="", name="")  # no file chosen, no name typed
    assert status == 422
    assert 'id="name-error"' in text
    assert 'id="file-error"' in text
    status, text = upload(analyst, b"")
    assert (status, "list.csv is empty" in text) == (422, True)
    status, text = upload(analyst, csv_file(WATCHLIST_ROWS), category="pirate")
    assert (status, 'id="category-error"' in text) == (422, True)
    status, text = upload(analyst, b"nothing,we,know\n1,2,3\n")
    assert status == 422
    assert 'id="file-error"' in text
    assert "palermo-upload" not in text  # the message names the upload, not the temporary file
    status, text = upload(analyst, bytes(range(256)) * 8, filename="garbage.csv")
    assert (status, 'id="file-error"' in text) == (422, True)
    status, text = upload(analyst, csv_file(["X-1,Nobody,,,,,,,"]), name="new-list", category="")
    assert (status, 'id="category-error"' in text) == (422, True)
    upload(analyst, csv_file(WATCHLIST_ROWS))
    status, text = upload(analyst, csv_file(WATCHLIST_ROWS), category="wanted")
    assert (status, "has category" in text) == (422, True)


def test_an_upload_larger_than_the_node_accepts_is_refused(analyst: TestClient, node: Node) -> None:
    status, text = upload(analyst, b"x" * (node.settings.max_request_bytes + 1))
    assert status == 413
    assert "larger than this node accepts" in text


def test_a_file_name_cannot_lead_out_of_the_upload_folder() -> None:
    assert stored_name("../../etc/passwd.csv") == "passwd.csv"
    assert stored_name("C:\\lists\\my list.csv") == "my_list.csv"
    assert stored_name("..") == "upload"


def test_loading_needs_the_csrf_field(analyst: TestClient) -> None:
    answer = analyst.post("/web/watchlists", data={"name": "x"}, files={"file": ("l.csv", b"id,name\n", "text/csv")})
    assert answer.status_code == 403
    assert "CSRF" in answer.text


def test_a_border_officer_sees_the_lists_but_no_load_form_and_may_not_load(client: TestClient, node: Node) -> None:
    make_user(node, "bo", "border_officer")
    sign_in(client, "bo")
    page = client.get("/web/watchlists")
    assert page.status_code == 200
    assert 'id="load-form"' not in page.text
    status, text = upload(client, csv_file(WATCHLIST_ROWS))
    assert status == 403
    assert "watchlists.write" in text


def test_victim_support_may_not_see_the_lists(client: TestClient, node: Node) -> None:
    make_user(node, "vs", "victim_support")
    sign_in(client, "vs")
    answer = client.get("/web/watchlists")
    assert answer.status_code == 403
    assert "watchlists.read" in answer.text


def test_the_last_change_is_the_newest_entry_change(analyst: TestClient, node: Node) -> None:
    upload(analyst, csv_file(WATCHLIST_ROWS[:1]))
    with transaction(node.engine) as session:
        session.execute(update(WatchlistEntry).values(updated_at=dt.datetime(2026, 1, 2, 3, 4, tzinfo=dt.UTC)))
    row = analyst.get("/web/watchlists").text.split('<th scope="row">sanctions')[1].split("</tr>")[0]
    assert "2026-01-02 03:04 UTC" in row
    upload(analyst, csv_file(WATCHLIST_ROWS))  # two more entries, now
    row = analyst.get("/web/watchlists").text.split('<th scope="row">sanctions')[1].split("</tr>")[0]
    assert "2026-01-02 03:04 UTC" not in row
