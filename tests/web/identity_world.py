"""A small resolved identity for the identity page's tests: three records of Ana Popescu (one of them
special-category), her passport, two crossings and an alert, clustered by the store's own writer from synthetic
explained links (Splink's predictions are tested in tests/resolution; the page shows what is stored)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select

from palermo.alerts import AlertSubject, open_alert
from palermo.db.engine import transaction
from palermo.db.persons import PersonRecord
from palermo.node import Node
from palermo.resolution.cluster import Constraints
from palermo.resolution.identities import identity_of
from palermo.resolution.link_features import link_feature
from palermo.resolution.model import ScoredPair
from palermo.resolution.persist import start_run, write_clustering
from tests.factories import run, write_csv

PERSONS = (
    ["source_key", "surname", "given_names", "birth_date", "sex", "nationalities", "sensitivity"],
    [
        ["ana-1", "Popescu", "Ana", "1998-04-02", "F", "ROU", "ordinary"],
        ["ana-2", "Popesku", "Ana Maria", "1998-04-02", "F", "ROU", "ordinary"],
        ["ana-3", "Popescu", "Ana", "1998-04-02", "F", "ROU", "special"],
        ["other", "Ionescu", "Mihai", "1979", "M", "ROU", "ordinary"],
    ],
)
BORDER_POINTS = (
    ["source_key", "code", "name", "country", "point_kind", "latitude", "longitude"],
    [["bp1", "HUNIK", "Nickelsdorf-Hegyeshalom", "AUT", "land", "47.9386", "17.0911"]],
)
DOCUMENTS = (
    ["source_key", "person_key", "document_type", "number", "issuing_state", "issue_date", "expiry_date"],
    [["d1", "ana-1", "passport", "05 123 456", "ROU", "2024-01-10", "2029-01-09"]],
)
TRAVEL = (
    ["source_key", "person_key", "document_key", "border_point", "direction", "occurred_at", "mode", "sensitivity"],
    [
        ["t1", "ana-1", "d1", "HUNIK", "entry", "2026-06-01T22:10:00+02:00", "land", "ordinary"],
        ["t2", "ana-2", "", "HUNIK", "exit", "2026-06-20T08:00:00+02:00", "land", "ordinary"],
        ["t3", "ana-1", "", "HUNIK", "exit", "2026-07-02T09:00:00+02:00", "land", "special"],
    ],
)


@dataclass(frozen=True)
class Ana:
    identity: int
    records: dict[str, int]  # source key -> person record id
    alert: int


def _pair(left: int, right: int, surname: tuple[int, float, str]) -> ScoredPair:
    features = (
        link_feature("prior", 0, -9.0, "chance that two random records are the same person"),
        link_feature("surname", surname[0], surname[1], surname[2]),
        link_feature("dob", 5, 8.5, "date of birth identical"),
        link_feature("sex", 1, 0.6, "sex identical"),
        link_feature("documents", -1, 0.0, "documents is NULL"),
        link_feature("phones", 0, -1.2, "no phone number in common"),
    )
    weight = sum(f.weight for f in features)
    return ScoredPair(left, right, weight, 2**weight / (1 + 2**weight), features)


def resolved_ana(node: Node, folder: Path) -> Ana:
    """Ingest Ana's records through the real pipeline, cluster them into one identity, and open an alert on her."""
    for kind, (header, rows) in (
        ("border_points", BORDER_POINTS),
        ("persons", PERSONS),
        ("documents", DOCUMENTS),
        ("travel_events", TRAVEL),
    ):
        summary = run(node, write_csv(folder / f"ana-{kind}.csv", header, rows), kind)
        assert summary.rejected == 0, kind
    with transaction(node.engine) as session:
        ids = dict(session.execute(select(PersonRecord.source_key, PersonRecord.id)).all())
        pairs = [
            _pair(ids["ana-1"], ids["ana-2"], (3, 4.1, "surname nearly identical (Jaro-Winkler >= 0.92)")),
            _pair(ids["ana-1"], ids["ana-3"], (1, 7.3, "surname identical")),
        ]
        started = start_run(session, kind="batch", engine="none", model_version=0, actor="test")
        write_clustering(session, started, list(ids.values()), pairs, Constraints())
        alert = open_alert(
            session,
            "test",
            kind="screening",
            subject=AlertSubject(person_id=ids["ana-1"], border_point="HUNIK"),
            decision="refer",
            score=0.7,
            explanation=[],
        )
        alert_id = alert.id
    with transaction(node.engine) as session:
        identity = identity_of(session, ids["ana-1"])
    assert identity is not None
    return Ana(identity=identity, records=ids, alert=alert_id)
