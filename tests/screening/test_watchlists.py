"""Loading watchlists: the documented CSV, FollowTheMoney entities, idempotence, rejects, list/remove/stats."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import Engine, select, text
from sqlalchemy.exc import IntegrityError

from palermo.db.engine import transaction
from palermo.db.watchlists import PROTECTIVE_CATEGORIES, WatchlistEntry
from palermo.errors import InvalidInput, NotFound
from palermo.node import Node
from palermo.screening.candidate_index.files import index_folder, load_index
from palermo.screening.candidate_index.node_cache import refresh_index
from palermo.screening.entries import build_entry, partial_date
from palermo.screening.watchlists import (
    LoadReport,
    Sharing,
    legacy_row_digest,
    list_watchlists,
    load_watchlist,
    remove_watchlist,
    watchlist_stats,
)
from palermo.taxonomies import taxonomy
from tests.factories import WATCHLIST_ROWS, justified_operator, load, write_list


def test_a_csv_loads_once_and_a_rerun_changes_nothing(node: Node, tmp_path: Path) -> None:
    path = write_list(tmp_path)
    first = load(node, path)
    assert (first.inserted, first.rejected) == (3, 0)
    again = load(node, path)
    assert (again.inserted, again.updated, again.unchanged) == (0, 0, 3)
    assert len(load_index(index_folder(node.home))) == 3


def test_entries_stored_with_the_earlier_digest_reload_unchanged(node: Node, tmp_path: Path) -> None:
    """Lists loaded before the row digest changed (JSON and MD5) are recognised unchanged on their next load,
    and a real change is still seen."""
    path = write_list(tmp_path)
    load(node, path)
    with transaction(node.engine) as session:
        entries = session.scalars(select(WatchlistEntry)).all()
        for entry in entries:
            values = {
                "category": entry.category,
                "names": entry.names,
                "birth_date": entry.birth_date,
                "nationalities": entry.nationalities,
                "sex": entry.sex,
                "document_numbers": entry.document_numbers,
                "reason": entry.reason,
                "expires_on": entry.expires_on,
            }
            values |= {"other_birth_dates": entry.other_birth_dates} if entry.other_birth_dates else {}
            entry.row_hash = legacy_row_digest(values)
    again = load(node, path)
    assert (again.inserted, again.updated, again.unchanged) == (0, 0, 3)
    changed = path.read_text(encoding="utf-8").replace("1975-03-14", "1975-03")
    path.write_text(changed, encoding="utf-8")
    assert load(node, path).updated == 1


def test_a_changed_row_is_updated_and_bad_rows_go_to_the_rejects_file(node: Node, tmp_path: Path) -> None:
    load(node, write_list(tmp_path))
    rows = [
        WATCHLIST_ROWS[0].replace("1975-03-14", "1975-03"),
        "S-9,,,,,,,suspect,",
        "S-8,Anna Nowak,,1975-13-40,POL,F,,,",
    ]
    report = load(node, write_list(tmp_path, rows, "second.csv"))
    assert (report.updated, report.rejected) == (1, 2)
    rejects = [json.loads(line) for line in Path(str(report.rejects_path)).read_text().splitlines()]
    assert [r["line"] for r in rejects] == [3, 4]
    assert "name is required" in rejects[0]["reason"]
    assert "calendar date" in rejects[1]["reason"]


def test_an_unknown_column_refuses_the_whole_file(node: Node, tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text("id,name,colour\nX-1,Anna,blue\n", encoding="utf-8")
    with pytest.raises(InvalidInput, match="colour"):
        load(node, path)


def test_followthemoney_person_entities_load_and_other_schemata_are_skipped(node: Node, tmp_path: Path) -> None:
    entities = [
        {
            "id": "os-1",
            "schema": "Person",
            "properties": {
                "name": ["Viktor Petrov"],
                "alias": ["Виктор Петров"],
                "birthDate": ["1970-02-03"],
                "nationality": ["ru", "suhh"],
                "gender": ["male"],
                "topics": ["crime.traffick"],
                "identification": [{"schema": "Passport", "properties": {"number": ["P123"]}}],
            },
        },
        {"id": "os-2", "schema": "Company", "properties": {"name": ["Petrov Ltd"]}},
    ]
    path = tmp_path / "entities.ftm.json"
    path.write_text("\n".join(json.dumps(e, ensure_ascii=False) for e in entities) + "\n", encoding="utf-8")
    report = load(node, path, name="opensanctions", category="suspect")
    assert (report.inserted, report.skipped, report.rejected) == (1, 1, 0)
    with transaction(node.engine) as session:
        stats = watchlist_stats(session, justified_operator(node), "opensanctions")
    assert stats["per_category"] == {"suspect": 1}
    assert stats["with_field"]["document_numbers"] == 1


def test_remove_drops_the_list_and_its_entries_from_the_index(node: Node, tmp_path: Path) -> None:
    load(node, write_list(tmp_path))
    with transaction(node.engine) as session:
        removed = remove_watchlist(session, justified_operator(node), "mixed")
        refresh_index(session, node.home, [], removed)
        assert list_watchlists(session, justified_operator(node)) == []
    assert len(load_index(index_folder(node.home))) == 0
    with transaction(node.engine) as session, pytest.raises(NotFound):
        remove_watchlist(session, justified_operator(node), "mixed")


def test_a_new_list_without_any_category_is_refused(node: Node, tmp_path: Path) -> None:
    path = tmp_path / "plain.csv"
    path.write_text("id,name\nX-1,Anna Nowak\n", encoding="utf-8")
    with pytest.raises(InvalidInput, match="--category"):
        load(node, path, category=None)


@given(st.integers(1900, 2030), st.integers(1, 12), st.integers(1, 28))
def test_partial_dates_keep_their_precision(year: int, month: int, day: int) -> None:
    assert partial_date(f"{year}") == f"{year}"
    assert partial_date(f"{year}-{month:02d}") == f"{year}-{month:02d}"
    assert partial_date(f"{year}-{month:02d}-{day:02d}") == f"{year}-{month:02d}-{day:02d}"


@given(st.text(max_size=30))
def test_entry_building_never_fails_other_than_invalid_input(text: str) -> None:
    try:
        entry = build_entry({"id": "x", "name": text, "birth_date": text, "sex": text})
    except InvalidInput:
        return
    assert entry.names


def test_the_store_accepts_exactly_the_watchlist_categories_of_the_taxonomy(engine: Engine) -> None:
    """Adding a category to the taxonomy needs a migration: the watchlists table checks its category."""
    insert = text("INSERT INTO watchlists (name, category) VALUES (:name, :category)")
    for category in taxonomy("watchlist_categories").ids:
        with engine.begin() as connection:
            connection.execute(insert, {"name": f"list-{category}", "category": category})
    with pytest.raises(IntegrityError), engine.begin() as connection:
        connection.execute(insert, {"name": "smugglers", "category": "smuggler"})
    assert {"missing_person", "potential_victim"} == PROTECTIVE_CATEGORIES


def test_a_csv_cell_may_give_several_birth_dates_most_precise_first() -> None:
    spec = build_entry({"id": "e1", "name": "Ana Petrović", "birth_date": "1981; 1980-05-17 ;1980"})
    assert (spec.birth_date, spec.other_birth_dates) == ("1980-05-17", ["1981"])
    with pytest.raises(InvalidInput, match="'1980-13' is not a calendar date"):
        build_entry({"id": "e2", "name": "Ana Petrović", "birth_date": "1980;1980-13"})


def _distributions(node: Node) -> set[tuple[str, str | None]]:
    with transaction(node.engine) as session:
        rows = session.execute(select(WatchlistEntry.distribution, WatchlistEntry.sharing_group))
        return {(distribution, group) for distribution, group in rows}


def _load_shared(node: Node, path: Path, sharing: Sharing | None) -> LoadReport:
    with transaction(node.engine) as session:
        return load_watchlist(
            session,
            justified_operator(node),
            path,
            name="shared",
            agency_code=node.agency_code,
            list_category="suspect",
            sharing=sharing,
        )


def test_a_list_is_loaded_shareable_and_its_distribution_changed_on_a_later_load(node: Node, tmp_path: Path) -> None:
    path = write_list(tmp_path)
    assert _load_shared(node, path, Sharing("partners")).inserted == 3
    assert _distributions(node) == {("partners", None)}
    _load_shared(node, path, None)  # a reload without the option keeps what the list has
    assert _distributions(node) == {("partners", None)}
    again = _load_shared(node, path, Sharing("agency"))
    assert (again.inserted, again.unchanged) == (0, 3)
    assert _distributions(node) == {("agency", None)}  # every entry of the list, not only new ones
    with pytest.raises(InvalidInput, match="needs the sharing group's name"):
        _load_shared(node, path, Sharing("group"))
    with pytest.raises(InvalidInput, match="expected one of: agency, group, partners"):
        _load_shared(node, path, Sharing("everyone"))
