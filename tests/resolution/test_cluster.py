"""Clustering under judgements and stable ids across runs (pure functions)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from palermo.resolution.cluster import Constraints, assign_ids, cluster
from palermo.resolution.features import RawName, RawPerson, date_parts, feature_row
from palermo.resolution.metrics import b_cubed, pairwise


def test_links_join_records_into_components() -> None:
    assert cluster([1, 2, 3, 4], [(1, 2, 10.0), (2, 3, 5.0)], Constraints()) == [[1, 2, 3], [4]]


def test_a_rejected_pair_stays_apart_whatever_path_joins_it() -> None:
    constraints = Constraints(cannot_link=frozenset({(1, 3)}))
    clusters = cluster([1, 2, 3], [(1, 2, 10.0), (2, 3, 5.0)], constraints)
    assert clusters == [[1, 2], [3]]


def test_a_confirmed_pair_is_joined_without_a_link() -> None:
    assert cluster([1, 2], [], Constraints(must_link=frozenset({(1, 2)}))) == [[1, 2]]


def test_ids_are_kept_when_membership_changes_a_little() -> None:
    previous = {1: 10, 2: 10, 3: 10, 4: 11}
    assignment = assign_ids([[1, 2, 3, 5], [4]], previous)
    assert assignment.kept == {0: 10, 1: 11}
    assert assignment.retired == {}


def test_a_merged_identity_is_retired_into_the_one_that_took_its_records() -> None:
    assignment = assign_ids([[1, 2, 3]], {1: 10, 2: 10, 3: 11})
    assert assignment.kept == {0: 10}
    assert assignment.retired == {11: 0}


@given(st.lists(st.tuples(st.integers(0, 20), st.integers(0, 20), st.floats(-5, 30)), max_size=40))
def test_every_record_is_in_exactly_one_cluster(links: list[tuple[int, int, float]]) -> None:
    clusters = cluster(range(21), links, Constraints())
    members = [m for c in clusters for m in c]
    assert sorted(members) == list(range(21))


@given(st.dictionaries(st.integers(0, 30), st.integers(0, 5)))
def test_clustering_against_itself_scores_one(truth: dict[int, int]) -> None:
    assert pairwise(truth, truth).f1 == 1.0
    assert b_cubed(truth, truth).f1 == 1.0


def test_partial_dates_keep_their_precision() -> None:
    assert date_parts("1980") == {"dob": None, "dob_year": "1980", "dob_month": None, "dob_day": None}
    assert date_parts("1980-04-02")["dob"] == "1980-04-02"


def test_names_in_other_scripts_share_keys_with_their_romanisation() -> None:
    cyrillic = feature_row(RawPerson(1, "s", [RawName("Иван Петров")]))
    latin = feature_row(RawPerson(2, "s", [RawName(None, "Ivan", "Petrov")]))
    assert cyrillic["surname"] == latin["surname"] == "petrov"
    assert set(cyrillic["name_keys"]) == set(latin["name_keys"])
