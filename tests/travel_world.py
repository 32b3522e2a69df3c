"""A hand-built travel world for the routes and hotspots tests (tests/network) and their pages (tests/web).

- MXP (Milan, air) is busy: 80 ordinary travellers from the USA, 3 of them named by screening alerts.
- ATH (Athens, air): 20 ordinary travellers from Turkey. BRI (Bari, sea): 10 ordinary travellers from Albania.
- A network brings 12 victims (two by two) with one escort from Albania through Bari on 6 bookings, a month and
  more apart. The police source names each victim ``transported_by`` the escort; resolution has linked the police
  records to the border records (identities inserted as ``palermo resolve`` would). Two victims are minors: their
  crossings are special category.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import select

from palermo.alerts.lifecycle import AlertSubject, open_alert
from palermo.auth import users
from palermo.auth.actor import Actor, user_actor
from palermo.auth.justification import Justification
from palermo.db.accounts import User
from palermo.db.engine import transaction
from palermo.db.identities import Identity, IdentityMember, ResolutionRun
from palermo.db.persons import PersonRecord
from palermo.db.reference import Source
from palermo.db.travel import TravelEvent
from palermo.node import Node
from tests.factories import make_user, run, write_csv

POINTS = (
    ["source_key", "code", "name", "country", "point_kind", "latitude", "longitude"],
    [["bp1", "MXP", "Milan Malpensa", "ITA", "air", "45.63", "8.72"],
     ["bp2", "ATH", "Athens airport", "GRC", "air", "37.94", "23.94"],
     ["bp3", "BRI", "Bari port", "ITA", "sea", "41.13", "16.86"]],
)  # fmt: skip
PERSON = ["source_key", "surname", "given_names", "birth_date", "sex", "nationalities"]
EVENT = ["source_key", "person_key", "border_point", "direction", "occurred_at", "mode", "origin_country",
         "destination_country", "booking_ref", "sensitivity"]  # fmt: skip
RELATION = ["source_key", "relationship_kind", "subject_key", "object_key"]
START = dt.date(2026, 1, 5)
NETWORK_ROUTE = "ALB > BRI > ITA"
MINORS = ("v10", "v11")


@dataclass(frozen=True)
class TravelWorld:
    flagged_alert_events: list[int]  # the MXP crossings named by alerts
    network_events: list[int]  # every crossing of the escort and the victims
    escort: str  # the escort's identity key


def _day(n: int) -> str:
    return f"{START + dt.timedelta(days=n)}T09:30:00Z"


def _ordinary(prefix: str, count: int, point: str, origin: str, country: str) -> tuple[list[Any], list[Any]]:
    people = [[f"{prefix}{i}", f"Traveller{prefix}{i}", "Pat", "1980-01-01", "M", origin] for i in range(count)]
    events = [
        [f"e-{prefix}{i}", f"{prefix}{i}", point, "entry", _day(i % 120), "air", origin, country, f"B{prefix}{i}", ""]
        for i in range(count)
    ]
    return people, events


def _network() -> tuple[list[Any], list[Any]]:
    people = [["esc", "Hoxha", "Dritan", "1980-02-11", "M", "ALB"]]
    events: list[Any] = []
    for i in range(12):
        born = "2010-03-01" if f"v{i}" in MINORS else "2002-06-01"
        people.append([f"v{i}", f"Victim{i}", "Ana", born, "F", "ALB"])
    for trip in range(6):
        day, ref = trip * 40 + 3, f"NET{trip}"
        events.append([f"n-esc-{trip}", "esc", "BRI", "entry", _day(day), "sea", "ALB", "ITA", ref, ""])
        events.append([f"x-esc-{trip}", "esc", "BRI", "exit", _day(day + 2), "sea", "ITA", "ALB", ref, ""])
        for v in (2 * trip, 2 * trip + 1):
            special = "special" if f"v{v}" in MINORS else ""
            events.append([f"n-v{v}", f"v{v}", "BRI", "entry", _day(day), "sea", "ALB", "ITA", ref, special])
    return people, events


def build(node: Node, tmp_path: Path) -> TravelWorld:
    """Ingest the world through the real pipeline, link police and border records, open the MXP alerts."""
    people, events = [], []
    for part in (_ordinary("m", 80, "MXP", "USA", "ITA"), _ordinary("a", 20, "ATH", "TUR", "GRC"),
                 _ordinary("b", 10, "BRI", "ALB", "ITA"), _network()):  # fmt: skip
        people += part[0]
        events += part[1]
    run(node, write_csv(tmp_path / "points.csv", *POINTS), "border_points", source="border")
    run(node, write_csv(tmp_path / "people.csv", PERSON, people), "persons", source="border")
    assert run(node, write_csv(tmp_path / "events.csv", EVENT, events), "travel_events", source="border").rejected == 0
    police = [p for p in people if p[0] == "esc" or p[0].startswith("v")]
    run(node, write_csv(tmp_path / "police.csv", PERSON, police), "persons", source="police")
    relations = [[f"r{i}", "transported_by", f"v{i}", "esc"] for i in range(12)]
    assert (
        run(node, write_csv(tmp_path / "rel.csv", RELATION, relations), "relationships", source="police").rejected == 0
    )
    with transaction(node.engine) as session:
        ids = _records(session)
        resolution = ResolutionRun(kind="batch", engine="test", model_version=1, actor="test")
        session.add(resolution)
        session.flush()
        identities = {}
        for key in [p[0] for p in police]:
            identity = Identity(created_run_id=resolution.id, updated_run_id=resolution.id, size=2)
            session.add(identity)
            session.flush()
            identities[key] = f"identity:{identity.id}"
            for source in ("border", "police"):
                session.add(IdentityMember(person_id=ids[(source, key)], identity_id=identity.id, run_id=resolution.id))
        events_by_key = dict(session.execute(select(TravelEvent.source_key, TravelEvent.id)).all())
        alerted = [events_by_key[f"e-m{i}"] for i in (5, 40, 70)]
        for event in alerted:
            subject = AlertSubject(travel_event_id=event, border_point="MXP")
            open_alert(session, "test", kind="screening", subject=subject, decision="refer", score=0.8, explanation=[])
    network = [i for key, i in events_by_key.items() if key.startswith(("n-", "x-"))]
    return TravelWorld(alerted, network, identities["esc"])


def _records(session: Any) -> dict[tuple[str, str], int]:
    rows = session.execute(
        select(Source.name, PersonRecord.source_key, PersonRecord.id).join(Source, Source.id == PersonRecord.source_id)
    )
    return {(source, key): rid for source, key, rid in rows}


def actor_of(node: Node, username: str, role: str) -> Actor:
    """A real user account of ``role`` acting with a case reference."""
    with transaction(node.engine) as session:
        known = session.scalar(select(User.id).where(User.username == username)) is not None
    if not known:
        make_user(node, username, role)
    with transaction(node.engine) as session:
        user = users.find_user(session, username)
        return user_actor(user, node.agency_code, justification=Justification("case", "JIT-2026-0042"))
