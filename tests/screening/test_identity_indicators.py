"""Indicators that count people, not records: a phone or a payer shared by "several travellers" counts each resolved
identity once, the traveller's own aliases are not "others", and a first trip is first under every record."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import delete, select

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
    [["bp1", "BRI", "Bari port", "ITA", "sea", "41.13", "16.86"]],
)
PERSON = ["source_key", "surname", "given_names", "birth_date", "sex", "nationalities"]
EVENT = ["source_key", "person_key", "border_point", "direction", "occurred_at", "mode", "booking_ref",
         "contact_phone", "payer_name"]  # fmt: skip
PHONE = "+355 69 123 4567"
PAYER = "Arben Kastrati"
# four records of travellers who are two people (each under two spellings), and the traveller screened
PEOPLE = [
    ["a1", "Berisha", "Ana", "2003-05-01", "F", "ALB"],
    ["a2", "Berisa", "Ana", "2003-05-01", "F", "ALB"],
    ["e1", "Kola", "Eva", "2005-07-12", "F", "ALB"],
    ["e2", "Kolla", "Eva", "2005-07-12", "F", "ALB"],
    ["m1", "Dema", "Mira", "2004-01-20", "F", "ALB"],
    ["m2", "Demaj", "Mira", "2004-01-20", "F", "ALB"],
]


def _event(key: str, person: str, day: str, booking: str) -> list[Any]:
    return [key, person, "BRI", "entry", f"2025-{day}T10:00:00Z", "sea", booking, PHONE, PAYER]


def _ingest(node: Node, tmp_path: Path, events: list[list[Any]]) -> None:
    run(node, write_csv(tmp_path / "points.csv", *POINTS), "border_points", source="border")
    run(node, write_csv(tmp_path / "persons.csv", PERSON, PEOPLE), "persons", source="border")
    summary = run(node, write_csv(tmp_path / "events.csv", EVENT, events), "travel_events", source="border")
    assert summary.rejected == 0


def _resolve(node: Node, groups: list[list[str]]) -> None:
    """Write identities as a resolution run would (Splink itself is tested in tests/resolution)."""
    with transaction(node.engine) as session:
        ids = dict(session.execute(select(PersonRecord.source_key, PersonRecord.id)).all())
        session.execute(delete(IdentityMember))  # a new run replaces the memberships
        resolution = ResolutionRun(kind="batch", engine="test", model_version=1, actor="test")
        session.add(resolution)
        session.flush()
        for keys in groups:
            identity = Identity(created_run_id=resolution.id, updated_run_id=resolution.id, size=len(keys))
            session.add(identity)
            session.flush()
            session.add_all(
                IdentityMember(person_id=ids[k], identity_id=identity.id, run_id=resolution.id) for k in keys
            )


def _screen(node: Node, key: str) -> ScreeningResult:
    with transaction(node.engine) as session:
        source_id = session.scalar(select(Source.id).where(Source.name == "border"))
        event = session.scalars(
            select(TravelEvent).where(TravelEvent.source_id == source_id, TravelEvent.source_key == key)
        ).one()
        request, refs = request_for(session, event)
        return screen(session, justified_operator(node), request, home=node.home, refs=refs, persist=False)


def _fired(result: ScreeningResult, indicator: str) -> Any:
    return next((i for i in result.indicators if i.id == indicator), None)


# four earlier bookings by the four records of Ana and Eva; then Mira (m1) gives the same phone and payer
EARLIER = [
    _event("x1", "a1", "01-10", "B1"),
    _event("x2", "e1", "02-10", "B2"),
    _event("x3", "a2", "03-10", "B3"),
    _event("x4", "e2", "04-10", "B4"),
]


def test_two_people_under_four_records_are_two_travellers_once_resolved(node: Node, tmp_path: Path) -> None:
    _ingest(node, tmp_path, [*EARLIER, _event("now", "m1", "05-01", "B5")])
    before = _screen(node, "now")
    for indicator in ("shared_contact_phone", "third_party_payer"):
        fired = _fired(before, indicator)
        assert fired is not None, indicator  # four records look like four travellers (min_travellers 4)
        assert (fired.evidence["travellers"], fired.evidence["records"]) == (4, 4)
    _resolve(node, [["a1", "a2"], ["e1", "e2"]])
    after = _screen(node, "now")
    assert _fired(after, "shared_contact_phone") is None  # Ana and Eva: two people
    assert _fired(after, "third_party_payer") is None


def test_the_travellers_own_aliases_are_not_others(node: Node, tmp_path: Path) -> None:
    # Mira under her other record, then Ana, Eva and Ana again: once resolved, "others" are Ana and Eva only
    events = [*EARLIER, _event("x5", "m2", "04-20", "B6"), _event("now", "m1", "05-01", "B5")]
    _ingest(node, tmp_path, events)
    fired = _fired(_screen(node, "now"), "shared_contact_phone")
    assert fired is not None
    assert fired.evidence["travellers"] == 5
    _resolve(node, [["m1", "m2"], ["a1"], ["a2"], ["e1"], ["e2"]])  # Mira is one; the others unresolved apart
    fired = _fired(_screen(node, "now"), "shared_contact_phone")
    assert fired is not None
    assert fired.evidence == {"phone": "+355691234567", "travellers": 4, "records": 4, "bookings": 4}
    _resolve(node, [["a1", "a2"], ["e1", "e2"]])
    fired = _fired(_screen(node, "now"), "shared_contact_phone")
    assert fired is None  # Mira's alias left out, and Ana and Eva are two


def test_the_detail_names_people_and_records_when_they_differ(node: Node, tmp_path: Path) -> None:
    people_events = [*EARLIER, _event("x5", "m2", "04-20", "B6"), _event("now", "m1", "05-01", "B5")]
    _ingest(node, tmp_path, people_events)
    _resolve(node, [["a1", "a2"]])  # Ana is one; Eva's records and Mira's alias are not resolved
    fired = _fired(_screen(node, "now"), "third_party_payer")
    assert fired is not None
    assert (fired.evidence["travellers"], fired.evidence["records"]) == (4, 5)
    assert "paid for 4 other travellers (under 5 records) on 5 other bookings" in fired.detail
