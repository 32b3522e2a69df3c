"""Why an identity holds together: strongest and weakest link, comparisons for and against, bridges and hinges."""

from __future__ import annotations

from palermo.resolution.cohesion import Link, bridges_and_hinges, cohesion, summarise
from palermo.resolution.link_features import link_feature


def _link(left: int, right: int, surname: float, *, dob: float = -2.0, basis: str = "model") -> Link:
    features = (
        link_feature("prior", 0, -9.0, "chance that two random records are the same person"),
        link_feature("surname", 4, surname, "surname identical"),
        link_feature("dob", 1, dob, "years apart" if dob < 0 else "date of birth identical"),
        link_feature("phones", -1, 0.0, "phones is NULL"),
    )
    weight = sum(f.weight for f in features)
    return Link(left_person_id=left, right_person_id=right, match_weight=weight, basis=basis, features=features)


def test_a_link_names_what_agreed_and_what_disagreed() -> None:
    summary = summarise(_link(1, 2, 12.0))
    assert [e.comparison for e in summary.agreed] == ["surname"]
    assert [e.comparison for e in summary.disagreed] == ["dob"]  # the missing phone is neither
    assert "agreed on surname (surname identical, +12.0)" in summary.words
    assert "disagreed on date of birth (years apart, -2.0)" in summary.words


def test_a_chain_is_held_by_one_link_at_its_tail() -> None:
    # 1-2-3 is a triangle; 3-4 and 4-5 hang off it, each by one link
    links = [_link(1, 2, 30), _link(2, 3, 25), _link(1, 3, 20), _link(3, 4, 15), _link(4, 5, 14)]
    found = cohesion([1, 2, 3, 4, 5], links)
    assert found.held_by_one_link == (4, 5)
    assert found.hinges == (3, 4)
    assert [(b.left_person_id, b.right_person_id, b.held) for b in found.bridges] == [(4, 5, (5,)), (3, 4, (4, 5))]
    assert found.strongest is not None
    assert (found.strongest.left_person_id, found.strongest.right_person_id) == (1, 2)
    assert found.weakest is not None
    assert (found.weakest.left_person_id, found.weakest.right_person_id) == (4, 5)
    assert "Held by one link only, check first: #4, #5." in found.words
    surname = next(t for t in found.comparisons if t.comparison == "surname")
    dob = next(t for t in found.comparisons if t.comparison == "dob")
    assert (surname.agreed, surname.disagreed, dob.agreed, dob.disagreed) == (5, 0, 0, 5)
    assert next(t for t in found.comparisons if t.comparison == "phones").neutral == 5


def test_a_ring_has_no_record_held_by_one_link() -> None:
    found = cohesion([1, 2, 3, 4], [_link(1, 2, 20), _link(2, 3, 19), _link(3, 4, 18), _link(4, 1, 17)])
    assert found.bridges == ()
    assert found.held_by_one_link == ()
    assert found.hinges == ()
    assert "Every record is held by at least two links." in found.words


def test_a_confirmed_link_is_never_the_weakest() -> None:
    found = cohesion([1, 2, 3], [_link(1, 2, 20), _link(2, 3, 0, dob=-9, basis="confirmed")])
    assert found.weakest is not None
    assert found.weakest.basis == "model"
    assert found.held_by_one_link == (1, 3)  # a chain: each end hangs on one link, the analyst's included


def test_records_linked_only_through_hidden_ones_are_named() -> None:
    found = cohesion([1, 2, 7], [_link(1, 2, 20)])
    assert found.unconnected == (7,)
    assert "only through records not shown: #7" in found.words


def test_one_record_needs_no_explanation() -> None:
    found = cohesion([5], [])
    assert found.words == "One record: nothing to hold together."
    assert found.strongest is None
    assert found.weakest is None


def test_bridges_of_two_triangles_joined_by_one_link() -> None:
    graph = {1: [2, 3], 2: [1, 3], 3: [1, 2, 4], 4: [3, 5, 6], 5: [4, 6], 6: [4, 5]}
    bridges, hinges = bridges_and_hinges(graph)
    assert bridges == [(3, 4)]
    assert hinges == {3, 4}
