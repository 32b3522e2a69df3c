"""Namesakes, chains and one source's two passports on both store backends: hand-made records beside a world."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from palermo.db.engine import transaction
from palermo.db.persons import PersonRecord
from palermo.db.reference import Source
from palermo.node import Node
from palermo.resolution import batch, incremental
from palermo.resolution.identities import identity_of
from tests.factories import PERSON_HEADER, run, write_csv

pytestmark = pytest.mark.xdist_group("world-tiny-11")  # the world is ingested once per backend, on one worker

BORDER, POLICE = "handmade_border", "handmade_police"
DOCUMENT_HEADER = ["source_key", "person_key", "document_type", "number", "issuing_state"]


def _persons(node: Node, folder: Path, source: str, rows: list[list[str]]) -> None:
    run(node, write_csv(folder / f"{source}-persons.csv", PERSON_HEADER, rows), "persons", source=source)


def _passports(node: Node, folder: Path, rows: list[list[str]]) -> None:
    rows = [[f"D-{person}", person, "passport", number, "ALB"] for person, number in rows]
    run(node, write_csv(folder / "documents.csv", DOCUMENT_HEADER, rows), "documents", source=BORDER)


def _record(node: Node, source: str, key: str) -> int:
    query = select(PersonRecord.id).join(Source, Source.id == PersonRecord.source_id)
    with transaction(node.engine) as session:
        return session.scalars(query.where(Source.name == source, PersonRecord.source_key == key)).one()


def _identity(node: Node, source: str, key: str) -> int | None:
    record = _record(node, source, key)
    with transaction(node.engine) as session:
        return identity_of(session, record)


def test_namesakes_chains_and_two_passports_of_one_source_stay_apart(world_node: Node, tmp_path: Path) -> None:
    _persons(
        world_node,
        tmp_path,
        BORDER,
        [
            ["B-1", "Berisha", "Ervin", "1973-12-01", "M", "ALB"],
            ["B-2", "Berisha", "Ervin", "1980-04-01", "M", "ALB"],
            ["B-3", "Hoxha", "Mergim", "1988-02-14", "M", "ALB"],
            ["B-4", "Hoxha", "Mergim", "1988-02-14", "M", "ALB"],
        ],
    )
    _passports(world_node, tmp_path, [["B-1", "BA1111111"], ["B-2", "BA2222222"], ["B-3", "BA3333333"],
                                      ["B-4", "BA4444444"]])  # fmt: skip
    _persons(
        world_node,
        tmp_path,
        POLICE,
        [
            ["P-1", "Berisha", "Ervin", "1973-12-01", "M", "ALB"],
            ["P-2", "Berisha", "Ervin", "", "M", "ALB"],  # no date of birth: links to both namesakes
            ["P-3", "Berisha", "Ervin", "1980-04-01", "M", "ALB"],
        ],
    )
    batch.resolve(world_node, actor="cli:test", retrain=True)

    # one person's records join; the namesake born seven years later is another identity
    assert _identity(world_node, BORDER, "B-1") == _identity(world_node, POLICE, "P-1")
    assert _identity(world_node, BORDER, "B-2") == _identity(world_node, POLICE, "P-3")
    assert _identity(world_node, BORDER, "B-1") != _identity(world_node, BORDER, "B-2")
    # the record without a date joins one of them, never both: the chain is cut at its weakest link
    assert _identity(world_node, POLICE, "P-2") in {
        _identity(world_node, BORDER, "B-1"),
        _identity(world_node, BORDER, "B-2"),
    }
    # one source holding the same name and date under two passports of one state: two persons
    assert _identity(world_node, BORDER, "B-3") != _identity(world_node, BORDER, "B-4")


def test_a_new_record_does_not_join_an_identity_it_conflicts_with(world_node: Node, tmp_path: Path) -> None:
    _persons(world_node, tmp_path, BORDER, [["B-3", "Hoxha", "Mergim", "1988-02-14", "M", "ALB"]])
    _passports(world_node, tmp_path, [["B-3", "BA3333333"]])
    batch.resolve(world_node, actor="cli:test", retrain=True)
    known = _identity(world_node, BORDER, "B-3")

    later = tmp_path / "later"
    later.mkdir()
    _persons(world_node, later, BORDER, [["B-5", "Hoxha", "Mergim", "1988-02-14", "M", "ALB"]])
    _passports(world_node, later, [["B-5", "BA5555555"]])
    _persons(world_node, later, POLICE, [["P-4", "Hoxha", "Mergim", "1988-02-14", "M", "ALB"]])
    other_passport, same_person = _record(world_node, BORDER, "B-5"), _record(world_node, POLICE, "P-4")
    outcomes = incremental.link_records(world_node, [other_passport, same_person], actor="cli:test")

    # B-5 links strongly to B-3 (same name, same date) but the border source holds B-3 under another passport
    assert outcomes[0].candidates >= 1
    assert outcomes[0].new_identity
    assert outcomes[0].identity_id != known
    # a record with nothing conflicting joins its strongest identity
    assert outcomes[1].identity_id in {known, outcomes[0].identity_id}
