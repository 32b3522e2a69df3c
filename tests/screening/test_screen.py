"""Screening one traveller: hits across scripts with reasons, namesakes not referred, victims protected, alerts."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from palermo import alerts
from palermo.db.engine import transaction
from palermo.documents import LostStolenRegistry
from palermo.errors import Conflict, PermissionDenied
from palermo.node import Node
from palermo.screening.person_score import birth_date_level
from palermo.screening.requests import CompanionIn, ScreeningRequest, ScreeningResult
from palermo.screening.service import screen
from tests.factories import justified_operator, load, load_registry, operator, passport, write_list

AT = dt.datetime(2026, 3, 1, 10, 0, tzinfo=dt.UTC)


def run(node: Node, **fields: object) -> ScreeningResult:
    with transaction(node.engine) as session:
        return screen(session, justified_operator(node), ScreeningRequest(at=AT, **fields), home=node.home)  # type: ignore[arg-type]


@pytest.fixture
def listed(node: Node, tmp_path: Path) -> Node:
    load(node, write_list(tmp_path))
    return node


def test_a_transliterated_alias_is_an_alert_with_explained_features(listed: Node) -> None:
    result = run(listed, names=["Aleksandr Ivanov"], birth_date="1975-03-14", nationality="RUS", sex="M")
    assert result.decision == "alert"
    [hit] = result.hits
    assert (hit.watchlist, hit.entry_id, hit.category) == ("mixed", "S-1", "suspect")
    features = {f.name: f for f in hit.features}
    assert features["birth_date"].value == 1.0
    assert "same date of birth" in features["birth_date"].detail
    assert result.alert_id is not None


def test_a_namesake_born_on_another_date_is_not_referred(listed: Node) -> None:
    result = run(listed, names=["Aleksandr Ivanov"], birth_date="1991-11-02", nationality="RUS", sex="M")
    assert result.decision == "clear"
    assert result.alert_id is None


def test_a_missing_girl_is_protected_not_arrested(listed: Node) -> None:
    result = run(
        listed, names=["Olena Shevchenko"], birth_date="2009-07-05", companions=[CompanionIn(name="Ivan Petrenko")]
    )
    assert result.decision == "protect"
    assert result.hits[0].entry_id == "M-1"
    assert any(f.name == "birth_date" and "swapped" in f.detail for f in result.hits[0].features)
    assert "minor_without_guardian" in {i.id for i in result.indicators}


def test_a_minor_with_a_parent_of_the_same_surname_raises_no_indicator(listed: Node) -> None:
    result = run(listed, names=["Maria Rossi"], birth_date="2015-01-01", companions=[CompanionIn(name="Luca Rossi")])
    assert result.decision == "clear"
    assert result.indicators == []


def test_screening_without_a_justification_is_refused(listed: Node) -> None:
    with transaction(listed.engine) as session, pytest.raises(PermissionDenied):
        screen(session, operator(listed), ScreeningRequest(names=["Anna Nowak"]), home=listed.home)


def test_an_alert_keeps_an_append_only_history_and_feeds_precision(listed: Node) -> None:
    alert_id = run(listed, names=["Mohammed Al-Hassan"], birth_date="1980", nationality="SYR").alert_id
    assert alert_id is not None
    with transaction(listed.engine) as session:
        alerts.assign_alert(session, justified_operator(listed), alert_id, "officer.b")
        closed = alerts.dispose_alert(
            session, justified_operator(listed), alert_id, "false_positive", "different person"
        )
        assert [h["action"] for h in closed.history] == ["opened", "assigned", "closed"]
        with pytest.raises(Conflict):
            alerts.dispose_alert(session, justified_operator(listed), alert_id, "confirmed")
        assert alerts.alert_precision(session, justified_operator(listed))["precision"] == 0.0


def test_a_shared_phone_is_not_an_indicator_without_earlier_travellers(listed: Node) -> None:
    result = run(listed, names=["Anna Nowak"], phone="+393401234567", payer="Mario Bianchi")
    assert result.indicators == []


@given(st.dates(dt.date(1950, 1, 1), dt.date(2020, 12, 31)))
def test_birth_date_levels_are_symmetric_and_a_date_matches_itself(day: dt.date) -> None:
    text = day.isoformat()
    assert birth_date_level(text, text)[0] == "exact"
    assert birth_date_level(text, text[:4])[0] == "compatible"
    swapped = f"{day.year}-{day.day:02d}-{day.month:02d}" if day.day <= 12 else None
    if swapped and swapped != text:
        assert birth_date_level(text, swapped)[0] == "day_month_swapped"
    other = day.replace(year=day.year + 1) if not (day.month == 2 and day.day == 29) else day
    assert birth_date_level(text, other.isoformat())[0] == birth_date_level(other.isoformat(), text)[0]


def test_a_stolen_passport_gets_one_answer_whether_read_from_the_mrz_or_typed(node: Node, tmp_path: Path) -> None:
    load_registry(node, tmp_path, "AB1234567,FRA,passport,stolen,2025-01-02,DGPN\n")
    from_mrz = run(node, mrz=passport("AB1234567"))
    typed = run(node, names=["Claire Martin"], document_number="AB1234567", issuing_state="FRA")
    assert from_mrz.decision == typed.decision == "alert"
    assert any(
        r.decision == "alert" and "exact registry hit: AB1234567 (FRA) stolen" in r.detail for r in typed.reasons
    )
    near = run(node, names=["Claire Martin"], document_number="AB1234566", issuing_state="FRA")
    assert near.decision == "refer"  # a near hit on a typed number refers, as it does from an MRZ


def test_a_stolen_number_typed_without_its_issuing_state_is_still_found(node: Node, tmp_path: Path) -> None:
    load_registry(
        node, tmp_path, "AB1234567,FRA,passport,stolen,2025-01-02,DGPN\nZZ0000001,D,passport,lost,2025-02-03,BKA\n"
    )
    typed = run(node, names=["Claire Martin"], document_number="ab 1234567")
    assert typed.decision == run(node, mrz=passport("AB1234567")).decision == "alert"
    [reason] = [r for r in typed.reasons if r.kind == "document"]
    assert "AB1234567 (FRA) stolen" in reason.detail
    assert "issuing state was not given" in reason.detail
    assert run(node, names=["Claire Martin"], document_number="AB1234566").decision == "clear"  # no near hits
    registry = LostStolenRegistry.open(node.home)
    assert registry.issuing_states == ("DEU", "FRA")  # kept with the snapshot: no scan at the first lookup


def test_a_date_of_birth_in_the_same_year_supports_a_little_and_is_no_conflict(tmp_path: Path, node: Node) -> None:
    assert birth_date_level("1952-02-10", "1952-05-01")[0] == "same_year"
    assert birth_date_level("1952-02-10", "1953-05-01")[0] == "conflict"
    write_list(tmp_path, ["P-1,Vladimir Putin,,1952-05-01,RUS,M,,suspect,sanctioned"], name="putin.csv")
    load(node, tmp_path / "putin.csv")
    [hit] = run(node, names=["Vladimir Putin"], birth_date="1952-02-10").hits
    features = {f.name: f for f in hit.features}
    assert 0 < features["birth_date"].value < 1
    assert features["birth_date_conflict"].value == 0
    assert "same year" in features["birth_date"].detail


def test_between_namesakes_the_one_whose_other_facts_agree_ranks_first(tmp_path: Path, node: Node) -> None:
    rows = [
        "N-1,Ahmed Hassan,,,,M,,suspect,listed first",
        "N-2,Ahmed Hassan,,1980-04-02,SDN,M,,suspect,listed second",
    ]
    load(node, write_list(tmp_path, rows, name="namesakes.csv"))
    hits = run(node, names=["Ahmed Hassan"], birth_date="1980-04-02", nationality="SDN").hits
    assert [h.score for h in hits] == [1.0, 1.0]  # the same exact name: both at the cap
    assert [h.entry_id for h in hits] == ["N-2", "N-1"]  # date of birth and nationality agree with N-2


def test_a_listed_name_is_found_from_its_arabic_spelling_without_long_vowels(tmp_path: Path, node: Node) -> None:
    load(node, write_list(tmp_path, ["P-1,Vladimir Putin,,1952-10-07,RUS,M,,suspect,sanctioned"], name="p.csv"))
    [hit] = run(node, names=["فلادمير بوتن"], birth_date="1952-10-07").hits
    assert hit.entry_id == "P-1"
