"""Person search through the name engine, on both stores: accents, scripts, variants, filters, identities, paging."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import delete, func, select

from palermo.db.engine import transaction
from palermo.db.identities import Identity, IdentityMember, ResolutionRun
from palermo.db.persons import PersonNameKey, PersonRecord
from palermo.errors import InvalidInput, PermissionDenied
from palermo.node import Node
from palermo.persons.lookup import search_persons
from palermo.persons.search import PersonFilters, SearchPage, search_page
from tests.factories import PERSON_HEADER, justified_operator, operator, recorded_access, run, write_csv

PEOPLE = [
    ["a1", "Çela", "Arben", "1985-02-01", "M", "ALB"],
    ["a2", "Ben Ali", "Rachid", "1979", "M", "TUN"],
    ["a3", "Иванов", "Александр", "1975-03-14", "M", "RUS"],
    ["a4", "Kowalska", "Anna", "1990-05-17", "F", "POL"],
    ["a5", "Kowalski", "Jan", "1962-11-30", "M", "POL"],
    ["a6", "Sol", "Bala", "1985-02-01", "M", "ALB"],
]


@pytest.fixture
def people(node: Node, tmp_path: Path) -> Node:
    run(node, write_csv(tmp_path / "border.csv", PERSON_HEADER, PEOPLE), "persons", source="border")
    second = [["b1", "Cela", "Arben", "1985", "M", "ALB"], ["b2", "Benali", "Rashid", "1979-07-02", "M", "TUN"]]
    run(node, write_csv(tmp_path / "police.csv", PERSON_HEADER, second), "persons", source="police")
    return node


def ids(node: Node, *keys: str) -> list[int]:
    with transaction(node.engine) as session:
        rows = session.execute(select(PersonRecord.source_key, PersonRecord.id)).all()
    found = {row.source_key: row.id for row in rows}
    return [found[key] for key in keys]


def found(node: Node, name: str, **filters: object) -> list[str]:
    with transaction(node.engine) as session:
        people = search_persons(session, justified_operator(node), name, filters=PersonFilters.model_validate(filters))
        return [p.names[0].full_name for p in people]


def page_of(node: Node, name: str, page: int = 1) -> SearchPage:
    with transaction(node.engine) as session:
        return search_page(session, justified_operator(node), name, page=page)


def test_ingest_writes_search_keys_with_the_names_and_replaces_them_with_the_names(people: Node) -> None:
    [pid] = ids(people, "a2")
    with transaction(people.engine) as session:
        keys = set(session.scalars(select(PersonNameKey.key).where(PersonNameKey.person_id == pid)))
    assert {"k:rachid", "k:ali", "k:benali"} <= keys


def test_accents_fold_both_ways(people: Node) -> None:
    assert set(found(people, "Cela")) == {"Arben Çela", "Arben Cela"}
    assert set(found(people, "Çela Arben")) == {"Arben Çela", "Arben Cela"}


def test_a_name_in_another_script_is_found_by_its_transliteration(people: Node) -> None:
    assert found(people, "Alexander Ivanov") == ["Александр Иванов"]


def test_particles_written_together_or_apart_find_each_other(people: Node) -> None:
    assert set(found(people, "Rachid Benali")) == {"Rachid Ben Ali", "Rashid Benali"}
    assert set(found(people, "Rachid Ben Ali")) == {"Rachid Ben Ali", "Rashid Benali"}


def test_a_word_finds_the_names_it_begins_in_any_case(people: Node) -> None:
    assert set(found(people, "KOWAL")) == {"Anna Kowalska", "Jan Kowalski"}


def test_a_phonetic_neighbour_that_scores_low_is_not_found(people: Node) -> None:
    assert "Bala Sol" not in found(people, "Cela")


def test_the_best_match_comes_first(people: Node) -> None:
    assert found(people, "Jan Kowalski")[0] == "Jan Kowalski"


def test_filters_narrow_by_birth_year_nationality_and_source(people: Node) -> None:
    assert found(people, "Cela", source="police") == ["Arben Cela"]
    assert found(people, "kowal", birth_year=1962) == ["Jan Kowalski"]
    assert set(found(people, "kowal", nationality="POL")) == {"Anna Kowalska", "Jan Kowalski"}
    assert found(people, "kowal", nationality="ALB") == []


def test_records_of_one_identity_are_one_row_with_each_source(people: Node) -> None:
    border, police = ids(people, "a1", "b1")
    with transaction(people.engine) as session:
        session.add(ResolutionRun(id=1, kind="batch", engine="duckdb", model_version=1, actor="test"))
        session.flush()
        session.add(Identity(id=7, created_run_id=1, updated_run_id=1, size=2))
        session.flush()
        session.add_all([IdentityMember(person_id=p, identity_id=7, run_id=1) for p in (border, police)])
    result = page_of(people, "Arben Cela")
    assert (result.total_rows, result.total_records) == (1, 2)
    [row] = result.rows
    assert row.identity_id == 7
    assert {hit.person.source for hit in row.hits} == {"border", "police"}


def test_paging_tells_the_true_totals(node: Node, tmp_path: Path) -> None:
    rows = [[f"m{i}", f"Marku{i:02d}", "Ilir", "1990", "M", "ALB"] for i in range(30)]
    run(node, write_csv(tmp_path / "many.csv", PERSON_HEADER, rows), "persons")
    first, second = page_of(node, "Ilir Marku"), page_of(node, "Ilir Marku", page=2)
    assert (first.total_rows, first.pages, first.first, first.last) == (30, 2, 1, 25)
    assert (second.page, second.first, second.last, len(second.rows)) == (2, 26, 30, 5)
    assert page_of(node, "Ilir Marku", page=9).page == 2


def test_a_search_needs_a_justification_and_is_recorded_with_its_count(people: Node) -> None:
    with transaction(people.engine) as session, pytest.raises(PermissionDenied):
        search_page(session, operator(people), "Cela")
    with recorded_access() as seen:
        page_of(people, "Cela")
    [record] = [r for r in seen if r.permission == "persons.search"]
    assert record.subject == "name~cela"


def test_initials_alone_cannot_be_searched(people: Node) -> None:
    with pytest.raises(InvalidInput, match="initials"):
        page_of(people, "A. K.")


def test_a_deleted_record_takes_its_keys_with_it(people: Node) -> None:
    [pid] = ids(people, "a4")
    with transaction(people.engine) as session:
        session.execute(delete(PersonRecord).where(PersonRecord.id == pid))
        left = session.scalar(select(func.count()).select_from(PersonNameKey).where(PersonNameKey.person_id == pid))
    assert left == 0
