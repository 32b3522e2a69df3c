"""Every documented kind ingests from CSV, JSON Lines and Parquet, with references resolved to real rows."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
from sqlalchemy import select

from palermo.db.engine import transaction
from palermo.db.tables import Address, Contact, IdentityDocument, Relationship, Transaction, TravelEvent
from palermo.node import Node
from tests.factories import run, write_csv
from tests.ingest.helpers import rejects, write_jsonl

WORLD = {
    "border_points": (
        ["source_key", "code", "name", "country", "point_kind", "latitude", "longitude"],
        [
            ["bp1", "VIE", "Vienna International Airport", "AUT", "air", "48.1103", "16.5697"],
            ["bp2", "HUNIK", "Nickelsdorf-Hegyeshalom", "AUT", "land", "47.9386", "17.0911"],
        ],
    ),
    "persons": (
        ["source_key", "surname", "given_names", "birth_date", "sex", "nationalities", "aliases"],
        [
            ["p1", "Popescu", "Ana", "2008-04-02", "F", "ROU", ""],
            ["p2", "Ionescu", "Mihai", "1979", "M", "ROU", "Mihai Ion"],
        ],
    ),
    "organisations": (
        ["source_key", "name", "organisation_kind", "country"],
        [["o1", "Golden Future Jobs SRL", "recruitment_agency", "ROU"]],
    ),
    "documents": (
        ["source_key", "person_key", "document_type", "number", "issuing_state", "issue_date", "expiry_date"],
        [["d1", "p1", "passport", "05 123 456", "ROU", "2024-01-10", "2029-01-09"]],
    ),
    "travel_events": (
        [
            "source_key",
            "person_key",
            "document_key",
            "border_point",
            "direction",
            "occurred_at",
            "mode",
            "payer_name",
            "contact_phone",
            "group_ref",
            "declared_purpose",
        ],
        [
            [
                "t1",
                "p1",
                "d1",
                "HUNIK",
                "entry",
                "2026-06-01T22:10:00+02:00",
                "land",
                "Mihai Ionescu",
                "+40 722 123 456",
                "G7",
                "work",
            ]
        ],
    ),
    "contacts": (
        ["source_key", "person_key", "organisation_key", "contact_kind", "value", "platform"],
        [["c1", "p2", "", "phone", "+40 722 123 456", ""], ["c2", "", "o1", "email", "Jobs@Example.org", ""]],
    ),
    "addresses": (
        ["source_key", "person_key", "address_kind", "street", "postcode", "city", "country"],
        [["a1", "p1", "declared_destination", "Hauptstraße 5", "1010", "Wien", "AUT"]],
    ),
    "relationships": (
        ["source_key", "relationship_kind", "subject_key", "subject_type", "object_key", "object_type"],
        [
            ["r1", "recruited_by", "p1", "person", "p2", "person"],
            ["r2", "employed_by", "p2", "person", "o1", "organisation"],
        ],
    ),
    "transactions": (
        ["source_key", "occurred_at", "amount", "currency", "payer_key", "payee_key", "payee_type", "channel"],
        [["x1", "2026-05-20T10:00:00Z", "250.00", "EUR", "p2", "o1", "organisation", "money_transfer"]],
    ),
}


def test_every_kind_ingests_from_csv_with_references_resolved(node: Node, tmp_path: Path) -> None:
    for kind, (header, rows) in WORLD.items():
        summary = run(node, write_csv(tmp_path / f"{kind}.csv", header, rows), kind)
        assert (summary.inserted, summary.rejected) == (len(rows), 0), (kind, rejects(tmp_path / f"{kind}.csv"))
    with transaction(node.engine) as session:
        event = session.scalars(select(TravelEvent)).one()
        document = session.scalars(select(IdentityDocument)).one()
        assert event.document_id == document.id
        assert document.person_id == event.person_id
        assert document.number_normalised == "05123456"
        assert event.contact_phone == "+40722123456"
        assert event.occurred_at.replace(tzinfo=None).isoformat() in ("2026-06-01T20:10:00", "2026-06-01T22:10:00")
        contacts = {c.source_key: c for c in session.scalars(select(Contact))}
        assert contacts["c1"].value == "+40722123456"
        assert contacts["c2"].value == "jobs@example.org"
        assert contacts["c2"].organisation_id is not None
        assert contacts["c2"].person_id is None
        address = session.scalars(select(Address)).one()
        assert address.full == "Hauptstraße 5, 1010, Wien, AUT"
        assert address.normalised == "hauptstrasse 5 1010 wien aut"  # casefolded for matching
        edges = {r.source_key: r for r in session.scalars(select(Relationship))}
        assert edges["r2"].object_organisation_id is not None
        assert edges["r2"].object_person_id is None
        payment = session.scalars(select(Transaction)).one()
        assert payment.amount == Decimal("250.00")
        assert payment.payee_organisation_id is not None


def test_unresolved_references_are_rejected_with_the_missing_key(node: Node, tmp_path: Path) -> None:
    header, rows = WORLD["relationships"]
    path = write_csv(tmp_path / "r.csv", header, rows)
    summary = run(node, path, "relationships")
    assert (summary.inserted, summary.rejected) == (0, 2)
    assert rejects(path)[0]["reason"].startswith("subject_key 'p1' matches no person in source 'src'")


def test_jsonl_and_parquet_carry_the_same_format(node: Node, tmp_path: Path) -> None:
    rows = [
        {
            "source_key": "j1",
            "surname": "Nguyễn",
            "given_names": "Thị Lan",
            "nationalities": ["VNM"],
            "sex": "F",
            "names": [{"full_name": "Nguyen Thi Lan", "kind": "transliteration"}],
        },
    ]
    assert run(node, write_jsonl(tmp_path / "p.jsonl", rows), "persons").inserted == 1
    table = pa.table(
        {
            "source_key": ["q1", "q2"],
            "full_name": ["Олена Коваленко", "Olena Kovalenko"],
            "nationalities": [["UKR"], ["UKR", "POL"]],
            "birth_date": ["1999-11", None],
        }
    )
    pq.write_table(table, tmp_path / "p.parquet", row_group_size=1)
    summary = run(node, tmp_path / "p.parquet", "persons")
    assert (summary.inserted, summary.rejected) == (2, 0)


def test_damaged_parquet_is_refused(node: Node, tmp_path: Path) -> None:
    path = tmp_path / "bad.parquet"
    path.write_bytes(b"PAR1 this is not parquet")
    import pytest

    from palermo.errors import InvalidInput

    with pytest.raises(InvalidInput, match="not a readable Parquet file"):
        run(node, path, "persons")


def test_a_child_among_a_sources_travellers_is_stored_as_special_data(node: Node, tmp_path: Path) -> None:
    from palermo.db.persons import PersonRecord
    from tests.factories import PERSON_HEADER

    year = dt.date.today().year
    rows = [
        ["adult", "Popescu", "Elena", "1990-05-17", "F", "ROU"],
        ["child", "Radu", "Ionela", str(year - 15), "F", "ROU"],
    ]
    run(node, write_csv(tmp_path / "crossings.csv", PERSON_HEADER, rows), "persons")  # the source's default: ordinary
    with transaction(node.engine) as session:
        stored = dict(session.execute(select(PersonRecord.source_key, PersonRecord.sensitivity)).all())
    assert stored == {"adult": "ordinary", "child": "special"}
