"""Identity constraints: which records cannot be one person, and how clustering cuts chains that would join them."""

from __future__ import annotations

from typing import Any

import pytest

from palermo.resolution.cluster import Constraints, cluster
from palermo.resolution.conflicts import conflict, dates_conflict, facts_by_record, facts_of
from palermo.resolution.features import IssuedDocument, RawName, RawPerson, feature_row


def _row(
    record: int, birth_date: str | None, source: str = "s", documents: tuple[IssuedDocument, ...] = ()
) -> dict[str, Any]:
    person = RawPerson(
        record,
        source,
        [RawName(None, "Ervin", "Berisha")],
        birth_date,
        documents=[d.number for d in documents],
        issued=documents,
    )
    return feature_row(person)


@pytest.mark.parametrize(
    ("left", "right"),
    [
        ((1973, 12, 1), (1980, 4, 1)),  # namesakes seven years apart
        ((1979, 4, 1), (1981, 4, 1)),  # the same day two years apart (two digits differ)
        ((1980, 4, 1), (1980, 9, 23)),  # same year, day and month both differ
        ((1980, 4, 1), (1981, 5, 1)),  # a year off and another month
        ((1973, None, None), (1980, 4, 1)),  # a year-only date years away from a full one
    ],
)
def test_dates_years_apart_or_beyond_one_slip_conflict(
    left: tuple[int, int | None, int | None], right: tuple[int, int | None, int | None]
) -> None:
    assert dates_conflict(left, right)
    assert dates_conflict(right, left)


@pytest.mark.parametrize(
    ("left", "right"),
    [
        ((1980, 4, 1), (1980, 4, 1)),
        ((1980, 4, 1), (1980, 1, 4)),  # day and month swapped
        ((1980, 4, 1), (1981, 4, 1)),  # the year one off
        ((1980, 4, 1), (1980, 4, 7)),  # one digit mistyped
        ((1980, 4, 12), (1980, 4, 21)),  # two neighbouring digits transposed
        ((1983, 4, 1), (1938, 4, 1)),  # transposed in the year
        ((1980, None, None), (1981, 4, 1)),  # a year-only date a year away
        ((1980, 4, None), (1980, 11, 2)),  # partial dates conflict only on years
    ],
)
def test_one_recording_slip_is_not_a_conflict(
    left: tuple[int, int | None, int | None], right: tuple[int, int | None, int | None]
) -> None:
    assert not dates_conflict(left, right)


def test_a_conflict_is_explained_in_words() -> None:
    reason = conflict(facts_of(_row(1, "1973-12-01")), facts_of(_row(2, "1980-04-01")))
    assert reason == "dates of birth 1973-12-01 and 1980-04-01 conflict"
    assert conflict(facts_of(_row(1, "1973-12-01")), facts_of(_row(2, None))) is None


def test_two_numbers_of_one_kind_of_document_of_one_state_in_one_source_conflict() -> None:
    first = facts_of(_row(1, None, "border", (IssuedDocument("ALB", "passport", "BA1111111"),)))
    second = facts_of(_row(2, None, "border", (IssuedDocument("ALB", "passport", "BA2222222"),)))
    reason = conflict(first, second)
    assert reason is not None
    assert "border holds different passport numbers of ALB" in reason
    # another source, another state or another kind of document: no conflict
    elsewhere = facts_of(_row(3, None, "police", (IssuedDocument("ALB", "passport", "BA2222222"),)))
    other_state = facts_of(_row(4, None, "border", (IssuedDocument("ITA", "passport", "YA0000001"),)))
    visa = facts_of(_row(5, None, "border", (IssuedDocument("ALB", "visa", "V1"),)))
    assert conflict(first, elsewhere) is conflict(first, other_state) is conflict(first, visa) is None
    # the same number again is the same document
    again = facts_of(_row(6, None, "border", (IssuedDocument("ALB", "passport", "BA1111111"),)))
    assert conflict(first, again) is None


def test_a_chain_through_a_record_without_birth_date_is_cut_at_its_weakest_link() -> None:
    rows = [_row(1, "1973-12-01"), _row(2, None), _row(3, "1980-04-01")]
    constraints = Constraints(facts=facts_by_record(rows))
    links = [(1, 2, 9.0), (2, 3, 12.0)]
    # without the facts, the record without a date joins the two namesakes into one identity
    assert cluster([1, 2, 3], links, Constraints()) == [[1, 2, 3]]
    # with them, the stronger link holds and the weaker one, which would close the chain, is refused
    assert cluster([1, 2, 3], links, constraints) == [[1], [2, 3]]


def test_namesakes_with_different_birth_dates_stay_apart_even_when_linked() -> None:
    rows = [_row(1, "1973-12-01"), _row(2, "1973-12-01"), _row(3, "1980-04-01"), _row(4, "1980-04-01")]
    links = [(1, 2, 20.0), (3, 4, 20.0), (2, 3, 15.0)]
    assert cluster(range(1, 5), links, Constraints(facts=facts_by_record(rows))) == [[1, 2], [3, 4]]


def test_a_chain_across_one_source_holding_two_passports_is_split() -> None:
    passport = IssuedDocument("ALB", "passport", "BA1111111")
    other = IssuedDocument("ALB", "passport", "BA2222222")
    rows = [
        _row(1, "1980-04-01", "border", (passport,)),
        _row(2, "1980-04-01", "police"),
        _row(3, None, "border", (other,)),
    ]
    clusters = cluster([1, 2, 3], [(1, 2, 18.0), (2, 3, 10.0)], Constraints(facts=facts_by_record(rows)))
    assert clusters == [[1, 2], [3]]


def test_an_analyst_confirmation_is_kept_despite_a_conflict() -> None:
    rows = [_row(1, "1973-12-01"), _row(2, "1980-04-01")]
    constraints = Constraints(must_link=frozenset({(1, 2)}), facts=facts_by_record(rows))
    assert cluster([1, 2], [], constraints) == [[1, 2]]
