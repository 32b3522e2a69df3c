"""A hand-built world for the network tests: a small trafficking network (special-category victims) beside a
family that travels together, ingested through the real pipeline into a node on each store."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from palermo.auth.actor import Actor
from palermo.auth.justification import Justification
from palermo.db.engine import transaction
from palermo.db.persons import PersonRecord
from palermo.node import Node
from tests.factories import run, write_csv

HANDLING = ["originator", "handling", "handling_note", "distribution", "sharing_group", "source_reliability"]
HANDLING += ["information_credibility", "sensitivity", "review_at", "delete_at"]
PERSONS = ["source_key", *HANDLING, "given_names", "surname", "birth_date", "sex", "nationalities"]
RELATIONSHIPS = ["source_key", *HANDLING, "relationship_kind", "subject_key", "subject_type", "object_key"]
RELATIONSHIPS += ["object_type"]
TRANSACTIONS = ["source_key", *HANDLING, "occurred_at", "amount", "currency", "payer_key", "payee_key"]
BORDER_POINTS = ["source_key", *HANDLING, "code", "name", "country", "point_kind"]
TRAVEL = ["source_key", *HANDLING, "person_key", "border_point", "direction", "occurred_at", "mode", "booking_ref"]
TRAVEL += ["contact_phone"]

VICTIMS = ("V1", "V2", "V3", "V4")
NETWORK = ("R", "E", "F", *VICTIMS)
FAMILY = ("M1", "M2")


def _h(sensitivity: str = "") -> list[str]:
    return ["", "", "", "", "", "", "", sensitivity, "", ""]


def ingest_network(node: Node, folder: Path) -> None:
    """Recruiter R, escort E, financier F and victims V1-V4 (special); a family M1, M2; a lone traveller X."""
    people = [
        ["R", *_h(), "Rado", "Recruiter", "1970-01-01", "M", "BGR"],
        ["E", *_h(), "Emil", "Escort", "1975-02-02", "M", "BGR"],
        ["F", *_h(), "Filip", "Financier", "1965-03-03", "M", "BGR"],
        *[[v, *_h("special"), "Vera", f"Victim{v}", "2000-04-04", "F", "MDA"] for v in VICTIMS],
        ["M1", *_h(), "Maria", "Family", "1980-05-05", "F", "GRC"],
        ["M2", *_h(), "Nikos", "Family", "1979-06-06", "M", "GRC"],
        ["X", *_h(), "Xenia", "Alone", "1990-07-07", "F", "GRC"],
    ]
    run(node, write_csv(folder / "persons.csv", PERSONS, people), "persons")
    relationships = [[f"RR{v}", *_h(), "recruited_by", v, "person", "R", "person"] for v in VICTIMS]
    relationships += [[f"RT{v}", *_h(), "transported_by", v, "person", "E", "person"] for v in VICTIMS]
    relationships += [["RF", *_h(), "financed_by", "R", "person", "F", "person"]]
    run(node, write_csv(folder / "relationships.csv", RELATIONSHIPS, relationships), "relationships")
    payments = [[f"T{i}", *_h(), f"2025-0{i}-01T10:00:00Z", "900.00", "EUR", "F", "R"] for i in (1, 2)]
    run(node, write_csv(folder / "transactions.csv", TRANSACTIONS, payments), "transactions")
    run(
        node,
        write_csv(folder / "points.csv", BORDER_POINTS, [["BP", *_h(), "FCO", "Rome", "ITA", "air"]]),
        "border_points",
    )
    crossings = [
        ["C1", *_h(), "E", "FCO", "entry", "2025-03-01T10:00:00Z", "air", "BK1", ""],
        ["C2", *_h("special"), "V1", "FCO", "entry", "2025-03-01T10:00:00Z", "air", "BK1", "+393471234567"],
        ["C3", *_h("special"), "V2", "FCO", "entry", "2025-03-01T10:00:00Z", "air", "BK1", "+393471234567"],
        ["C4", *_h(), "E", "FCO", "entry", "2025-04-01T10:00:00Z", "air", "BK2", ""],
        ["C5", *_h("special"), "V3", "FCO", "entry", "2025-04-01T10:00:00Z", "air", "BK2", "+393471234567"],
        ["C6", *_h("special"), "V4", "FCO", "entry", "2025-04-01T10:00:00Z", "air", "BK2", ""],
        ["C7", *_h(), "M1", "FCO", "entry", "2025-05-01T10:00:00Z", "air", "FAM1", "+306912438485"],
        ["C8", *_h(), "M2", "FCO", "entry", "2025-05-01T10:00:00Z", "air", "FAM1", "+306912438485"],
        ["C9", *_h(), "X", "FCO", "entry", "2025-05-01T10:00:00Z", "air", "", ""],
    ]
    run(node, write_csv(folder / "travel.csv", TRAVEL, crossings), "travel_events")


def person_keys(node: Node) -> dict[str, str]:
    """Source key (``R``, ``V1`` ...) -> the graph's node key of the record (``person:<id>``)."""
    with transaction(node.engine) as session:
        rows = session.execute(select(PersonRecord.source_key, PersonRecord.id))
        return {key: f"person:{rid}" for key, rid in rows}


def actor(role: str, node: Node) -> Actor:
    """A signed-in user of ``role`` with a case reference."""
    return Actor(
        name=f"user:{role}-1",
        kind="user",
        role=role,
        user_id=1,
        agency_code=node.agency_code,
        justification=Justification("case", "CASE-25"),
    )


@pytest.fixture
def network_node(node: Node, tmp_path: Path) -> Node:
    ingest_network(node, tmp_path)
    return node
