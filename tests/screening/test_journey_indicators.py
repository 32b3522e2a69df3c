"""Indicators that see the journey: the escort's earlier crossings (over resolved identities) with other, young
travellers fire with those crossings as evidence; the look-alikes (tour guide, school trip, family) do not."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import select

from palermo.db.engine import transaction
from palermo.db.identities import Identity, IdentityMember, ResolutionRun
from palermo.db.persons import PersonRecord
from palermo.db.reference import Source
from palermo.db.travel import TravelEvent
from palermo.node import Node
from palermo.screening.measurement.replay import request_for
from palermo.screening.requests import ScreeningResult
from palermo.screening.service import screen
from tests.factories import justified_operator, run, write_csv

POINTS = (
    ["source_key", "code", "name", "country", "point_kind", "latitude", "longitude"],
    [["bp1", "BRI", "Bari port", "ITA", "sea", "41.13", "16.86"],
     ["bp2", "MXP", "Milan Malpensa", "ITA", "air", "45.63", "8.72"]],
)  # fmt: skip
PERSON = ["source_key", "surname", "given_names", "birth_date", "sex", "nationalities"]
EVENT = [
    "source_key",
    "person_key",
    "border_point",
    "direction",
    "occurred_at",
    "mode",
    "booking_ref",
    "declared_purpose",
]


def _people(rows: list[tuple[str, str, str, str]]) -> list[list[Any]]:
    return [[key, surname, given, born, "F", "ALB"] for key, surname, given, born in rows]


def _trip(booking: str, day: str, point: str, keys: list[str]) -> list[list[Any]]:
    return [[f"{booking}-{k}", k, point, "entry", f"{day}T10:00:00Z", "air", booking, "tourism"] for k in keys]


def _ingest(node: Node, tmp_path: Path, source: str, people: list[list[Any]], events: list[list[Any]]) -> None:
    run(node, write_csv(tmp_path / f"{source}-points.csv", *POINTS), "border_points", source=source)
    run(node, write_csv(tmp_path / f"{source}-persons.csv", PERSON, people), "persons", source=source)
    summary = run(node, write_csv(tmp_path / f"{source}-events.csv", EVENT, events), "travel_events", source=source)
    assert summary.rejected == 0


def _screen(node: Node, source: str, key: str) -> ScreeningResult:
    with transaction(node.engine) as session:
        source_id = session.scalar(select(Source.id).where(Source.name == source))
        event = session.scalars(
            select(TravelEvent).where(TravelEvent.source_id == source_id, TravelEvent.source_key == key)
        ).one()
        request, refs = request_for(session, event)
        return screen(session, justified_operator(node), request, home=node.home, refs=refs, persist=False)


def _escort(result: ScreeningResult) -> Any:
    return next((i for i in result.indicators if i.id == "escort_repeat_crossings"), None)


ESCORT_WORLD = [
    ("esc", "Hoxha", "Dritan", "1980-02-11"),
    ("v1", "Berisha", "Ana", "2003-05-01"),
    ("v2", "Kola", "Eva", "2005-07-12"),
    ("v3", "Dema", "Mira", "2004-01-20"),
    ("v4", "Gashi", "Lina", "2007-03-03"),
]


def test_an_escort_crossing_again_with_different_young_travellers_fires_with_the_crossings(
    node: Node, tmp_path: Path
) -> None:
    events = _trip("B1", "2025-01-10", "BRI", ["esc", "v1", "v2"]) + _trip(
        "B2", "2025-04-10", "MXP", ["esc", "v3", "v4"]
    )
    _ingest(node, tmp_path, "border", _people(ESCORT_WORLD), events)
    first = _screen(node, "border", "B1-v1")
    assert _escort(first) is None  # a first trip has no history to show
    for key in ("B2-esc", "B2-v3"):  # the escort himself, and a traveller whose companion he is
        fired = _escort(_screen(node, "border", key))
        assert fired is not None, key
        assert [c["booking_ref"] for c in fired.evidence["crossings"]] == ["B1"]
        assert fired.evidence["crossings"][0]["border_point"] == "BRI"
        assert fired.evidence["young_share"] == 1.0
        assert len(fired.evidence["companions"]) == 2  # Ana and Eva, who are not on this booking
        assert "1 earlier bookings" in fired.detail
        assert "BRI on booking B1" in fired.detail


def test_a_tour_guide_with_groups_of_all_ages_and_a_school_trip_do_not_fire(node: Node, tmp_path: Path) -> None:
    people = [("guide", "Rossi", "Marco", "1975-01-01"), ("t1", "Weber", "Hans", "1950-01-01"),
              ("t2", "Meyer", "Ute", "1955-01-01"), ("t3", "Fischer", "Karl", "1948-01-01"),
              ("t4", "Braun", "Eva", "1962-01-01"), ("teacher", "Conti", "Paola", "1970-01-01"),
              ("s1", "Bruno", "Luca", "2012-01-01"), ("s2", "Greco", "Sara", "2012-03-01")]  # fmt: skip
    events = _trip("T1", "2025-02-01", "BRI", ["guide", "t1", "t2"]) + _trip(
        "T2", "2025-06-01", "BRI", ["guide", "t3", "t4"]
    )
    events += _trip("S1", "2025-05-01", "MXP", ["teacher", "s1", "s2"])
    _ingest(node, tmp_path, "border", _people(people), events)
    assert _escort(_screen(node, "border", "T2-guide")) is None
    assert _escort(_screen(node, "border", "T2-t3")) is None
    assert _escort(_screen(node, "border", "S1-s1")) is None


def test_a_family_travelling_again_together_does_not_fire(node: Node, tmp_path: Path) -> None:
    people = [("mum", "Leka", "Drita", "1985-01-01"), ("k1", "Morina", "Arta", "2010-01-01"),
              ("k2", "Morina", "Besa", "2012-01-01")]  # fmt: skip
    events = _trip("F1", "2025-01-05", "BRI", ["mum", "k1", "k2"]) + _trip(
        "F2", "2025-07-05", "BRI", ["mum", "k1", "k2"]
    )
    _ingest(node, tmp_path, "border", _people(people), events)
    assert _escort(_screen(node, "border", "F2-mum")) is None
    assert _escort(_screen(node, "border", "F2-k1")) is None


def test_an_escort_under_two_records_is_one_traveller_once_resolved(node: Node, tmp_path: Path) -> None:
    _ingest(
        node, tmp_path, "border_a", _people(ESCORT_WORLD[:3]), _trip("B1", "2025-01-10", "BRI", ["esc", "v1", "v2"])
    )
    alias = [("esc", "Hoxa", "Dritan", "1980-02-11"), *ESCORT_WORLD[3:]]
    _ingest(node, tmp_path, "border_b", _people(alias), _trip("B2", "2025-04-10", "MXP", ["esc", "v3", "v4"]))
    assert _escort(_screen(node, "border_b", "B2-v3")) is None  # two records, two strangers
    with transaction(node.engine) as session:
        records = list(
            session.scalars(
                select(PersonRecord.id)
                .join(Source, Source.id == PersonRecord.source_id)
                .where(PersonRecord.source_key == "esc")
                .order_by(Source.name)
            )
        )
        resolution = ResolutionRun(kind="batch", engine="test", model_version=1, actor="test")
        session.add(resolution)
        session.flush()
        identity = Identity(created_run_id=resolution.id, updated_run_id=resolution.id, size=2)
        session.add(identity)
        session.flush()
        session.add_all(IdentityMember(person_id=r, identity_id=identity.id, run_id=resolution.id) for r in records)
    fired = _escort(_screen(node, "border_b", "B2-v3"))
    assert fired is not None
    assert fired.evidence["escort_records"] == sorted(records)
    assert "identity of 2 records" in fired.detail
    assert [c["booking_ref"] for c in fired.evidence["crossings"]] == ["B1"]


def test_a_child_recorded_again_under_another_record_is_not_a_new_batch(node: Node, tmp_path: Path) -> None:
    people = _people([("mum", "Leka", "Drita", "1985-01-01"), ("k1", "Morina", "Arta", "2010-01-01"),
                      ("k1b", "Morina", "Arta", "2010-01-01")])  # fmt: skip
    events = _trip("F1", "2025-01-05", "BRI", ["mum", "k1"]) + _trip("F2", "2025-07-05", "MXP", ["mum", "k1b"])
    _ingest(node, tmp_path, "border", people, events)
    assert _escort(_screen(node, "border", "F2-mum")) is None  # Arta on F1 has the birth date of Arta on F2
    assert _escort(_screen(node, "border", "F2-k1b")) is None
