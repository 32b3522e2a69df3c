"""Identity-aware screening: a traveller whose document belongs to a resolved identity is screened under every
name of that identity (``palermo.screening.identity_path``)."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from palermo.db.engine import transaction
from palermo.db.persons import PersonRecord
from palermo.node import Node
from palermo.resolution.cluster import Constraints
from palermo.resolution.link_features import link_feature
from palermo.resolution.model import ScoredPair
from palermo.resolution.persist import start_run, write_clustering
from palermo.screening.requests import ScreeningRequest, ScreeningResult
from palermo.screening.service import screen
from tests.factories import justified_operator, load, run, write_csv, write_list

PERSONS = (
    ["source_key", "surname", "given_names", "birth_date", "sex", "nationalities", "sensitivity"],
    [
        ["marco", "Bellini", "Marco", "1980-02-03", "M", "ITA", "ordinary"],  # the false passport's name
        ["ivan", "Petrov", "Ivan", "1980-02-03", "M", "BGR", "ordinary"],  # his police file
        ["lina", "Marin", "Lina", "2009-05-01", "F", "ROU", "ordinary"],
        ["lina-victim", "Dobre", "Anca", "2009-05-01", "F", "ROU", "special"],  # her victim record
    ],
)
DOCUMENTS = (
    ["source_key", "person_key", "document_type", "number", "issuing_state", "issue_date", "expiry_date"],
    [
        ["d1", "marco", "passport", "YA 7654321", "ITA", "2024-01-10", "2034-01-09"],
        ["d2", "lina", "passport", "058123456", "ROU", "2024-01-10", "2029-01-09"],
    ],
)
LISTED = [
    "S-1,Ivan Petrov,,1980-02-03,BGR,M,,suspect,wanted for trafficking",
    "M-1,Anca Dobre,,2009-05-01,ROU,F,,missing_person,reported missing",
]


def _pair(left: int, right: int) -> ScoredPair:
    features = (
        link_feature("prior", 0, -9.0, "chance that two random records are the same person"),
        link_feature("dob", 5, 8.5, "date of birth identical"),
        link_feature("phones", 3, 6.0, "a phone number in common"),
    )
    weight = sum(f.weight for f in features)
    return ScoredPair(left, right, weight, 2**weight / (1 + 2**weight), features)


@pytest.fixture
def resolved(node: Node, tmp_path: Path) -> Node:
    run(node, write_csv(tmp_path / "persons.csv", *PERSONS), "persons")
    run(node, write_csv(tmp_path / "documents.csv", *DOCUMENTS), "documents")
    load(node, write_list(tmp_path, LISTED, name="listed.csv"), name="listed")
    with transaction(node.engine) as session:
        ids = dict(session.execute(select(PersonRecord.source_key, PersonRecord.id)).all())
        started = start_run(session, kind="batch", engine="none", model_version=0, actor="test")
        pairs = [_pair(ids["marco"], ids["ivan"]), _pair(ids["lina"], ids["lina-victim"])]
        write_clustering(session, started, list(ids.values()), pairs, Constraints())
    return node


def _screen(node: Node, **fields: object) -> ScreeningResult:
    with transaction(node.engine) as session:
        return screen(session, justified_operator(node), ScreeningRequest(**fields), home=node.home)  # type: ignore[arg-type]


def test_a_false_passport_of_a_listed_man_hits_through_his_identity(resolved: Node) -> None:
    alone = _screen(resolved, names=["Marco Bellini"], birth_date="1980-02-03")
    assert alone.hits == []  # his passport's name is not listed
    presented = _screen(
        resolved, names=["Marco Bellini"], birth_date="1980-02-03", document_number="YA7654321", issuing_state="ITA"
    )
    [hit] = presented.hits
    assert (hit.entry_id, hit.name, hit.query_name) == ("S-1", "Ivan Petrov", "Ivan Petrov")
    assert hit.via_identity is not None
    assert "the document YA 7654321 (ITA) presented" in hit.via_identity
    assert "'Ivan Petrov'" in hit.via_identity
    assert "linked with probability 0.98" in hit.via_identity
    assert presented.decision == "refer"  # a suspect through an identity: the officer checks the link first
    assert any("through the traveller's resolved identity" in r.detail for r in presented.reasons)
    assert presented.alert_id is not None


def test_the_identity_is_found_from_the_mrz_state_and_not_across_states(resolved: Node) -> None:
    other_state = _screen(resolved, names=["Marco Bellini"], document_number="YA7654321", issuing_state="FRA")
    assert other_state.hits == []  # the same number of another state is another document


def test_special_category_records_are_not_looked_through(resolved: Node) -> None:
    result = _screen(resolved, names=["Lina Marin"], document_number="058123456", issuing_state="ROU")
    assert result.hits == []  # her victim record would name her to the booth; the booth does not learn of it
