"""Handling across hops: four real nodes on loopback, A - B - C - D, one of them dishonest.

A originates; B and C forward; D is the far end. Each registers the keys of the originator A (without URL or
token) so that it can verify A's signature on what reaches it through others (docs/sharing.md).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from palermo.cli.main import app
from palermo.db.engine import transaction
from palermo.db.persons import IdentityDocument, PersonName, PersonRecord
from palermo.db.sharing import HitQuery, ReceivedRecord
from palermo.sharing import groups, hitnohit
from palermo.sharing.envelope import Item
from palermo.sharing.keys import node_keys
from palermo.sharing.outbox import deliver_pending
from palermo.sharing.outgoing import envelope_for, seal_for, select_items, share_records
from palermo.sharing.partners import find_partner
from palermo.sharing.signatures import add_hop, originate
from tests.conftest import StoreTemplates
from tests.sharing.nodes import (
    Served,
    add_document,
    add_person,
    audit_details,
    connect,
    count,
    dishonest_bundle,
    make_node,
    operator,
    post,
    received_documents,
    received_names,
    register,
    signed_item,
    sqlite_store,
)

LATER = dt.timedelta(hours=2)
Quartet = tuple[Served, Served, Served, Served]


@pytest.fixture
def quartet(tmp_path: Path, store_url: str, templates: StoreTemplates) -> Iterator[Quartet]:
    """A, B (the middle node, on the backend under test: it stores signed items and forwards them), C and D,
    served and chained A - B - C - D as partners; C and D know A's keys; A's sharing group JIT-4 holds B and C (A is
    in its own groups), D is outside it."""
    stores = {
        agency: sqlite_store(templates, tmp_path / f"store-{agency}") for agency in ("agency-a", "agency-c", "agency-d")
    }
    stores["agency-b"] = store_url
    countries = {"agency-a": "AUT", "agency-b": "ROU", "agency-c": "ITA", "agency-d": "FRA"}
    nodes = [Served(make_node(tmp_path, agency, stores[agency]), country) for agency, country in countries.items()]
    for served in nodes:
        served.start()
    a, b, c, d = nodes
    connect(a, b)
    connect(b, c)
    connect(c, d)
    for here in (c, d):
        register(here, a)
    register(a, c)
    register(a, d)
    with transaction(a.node.engine) as session:
        groups.create_group(session, operator(a.node), "JIT-4", members=["agency-b", "agency-c"])
    yield a, b, c, d
    for served in nodes:
        served.stop()
        served.node.engine.dispose()


def forward(src: Served, to: str, name: str) -> list[str]:
    """Share the received record ``name`` as an honest node does; the rules that kept it home, if any."""
    with transaction(src.node.engine) as session:
        record_id = session.scalars(
            select(ReceivedRecord.record_id)
            .join(PersonName, PersonName.person_id == ReceivedRecord.record_id)
            .where(ReceivedRecord.record_table == "person_records", PersonName.full_name == name)
        ).one()
        refused = select_items(session, src.node, find_partner(session, to), [("person", record_id)], None).refused
        if refused:
            return [r.rule for r in refused]
        share_records(session, src.node, operator(src.node), to, [("person", record_id)])
    assert deliver_pending(src.node, now=dt.datetime.now(dt.UTC) + LATER).failed == 0
    return []


def send(src: Served, to: str, record_id: int) -> None:
    with transaction(src.node.engine) as session:
        share_records(session, src.node, operator(src.node), to, [("person", record_id)])
    assert deliver_pending(src.node, now=dt.datetime.now(dt.UTC) + LATER).failed == 0


def refused_rules(report: dict[str, object]) -> list[str]:
    return [str(r["rule"]) for r in report["refused"]]  # type: ignore[attr-defined]


def test_a_group_record_keeps_its_originators_signature_across_three_hops(quartet: Quartet) -> None:
    a, b, c, d = quartet
    with transaction(a.node.engine) as session:
        groups.add_member(session, operator(a.node), "JIT-4", "agency-d")
    send(a, "agency-b", add_person(a.node, "g1", "Sorina Lupu", distribution="group", sharing_group="JIT-4"))
    at_b = signed_item(b.node, "Sorina Lupu")
    assert forward(b, "agency-c", "Sorina Lupu") == []
    assert forward(c, "agency-d", "Sorina Lupu") == []
    at_d = signed_item(d.node, "Sorina Lupu")
    assert at_d.origin == at_b.origin  # untouched: the originator's signature over content and terms
    assert at_d.handling == at_b.handling
    assert [(h.agency, h.to) for h in at_d.chain] == [
        ("agency-a", "agency-b"),
        ("agency-b", "agency-c"),
        ("agency-c", "agency-d"),
    ]
    with transaction(d.node.engine) as session:
        row = session.scalars(select(PersonRecord)).one()
        assert (row.originator, row.distribution, row.sharing_group) == ("agency-a", "group", "JIT-4")
        assert session.scalars(select(ReceivedRecord.hops)).one() == 3


def test_a_persons_documents_travel_with_it_signed_by_the_originator(quartet: Quartet) -> None:
    """A receiver needs the issuing state with a document number to check the document: each document travels
    beside its holder (FtM Passport/Identification) under the originator's signature, across hops; a middle node that
    alters one has the whole item refused; a withdrawal removes the received documents with the person."""
    a, b, c, _ = quartet
    person = add_person(a.node, "t1", "Dorina Vlad", distribution="group", sharing_group="JIT-4")
    add_document(a.node, person, "P1234567", state="AUT")
    add_document(a.node, person, "ID-99-0042", state="ROU", document_type="id_card")
    send(a, "agency-b", person)
    issued, expires = dt.date(2020, 1, 15), dt.date(2030, 1, 14)
    expected = [("id_card", "ID-99-0042", "ROU", issued, expires), ("passport", "P1234567", "AUT", issued, expires)]
    assert received_documents(b.node, "Dorina Vlad") == expected
    assert forward(b, "agency-c", "Dorina Vlad") == []
    assert received_documents(c.node, "Dorina Vlad") == expected  # A's signature over them checked at C
    with transaction(c.node.engine) as session:
        row = session.scalars(select(IdentityDocument).where(IdentityDocument.number == "P1234567")).one()
        assert (row.originator, row.distribution, row.sharing_group) == ("agency-a", "group", "JIT-4")
        hit = session.scalars(
            select(IdentityDocument.person_id).where(IdentityDocument.number_normalised == "P1234567")
        ).one()
        assert hit == row.person_id

    at_b = signed_item(b.node, "Dorina Vlad")
    forged = [dict(at_b.documents[0]), *at_b.documents[1:]]
    forged[0]["properties"] = {**forged[0]["properties"], "number": ["X0000001"]}
    keys_b = node_keys(b.node.home)
    altered = add_hop(
        keys_b, at_b.model_copy(update={"documents": forged}), sender="agency-b", recipient="agency-c", legal_basis=None
    )
    report = post(b, c, dishonest_bundle(b, "agency-c", [altered]))
    assert refused_rules(report) == ["originator_signature_invalid"]


def test_an_honest_node_forwards_nothing_the_originators_terms_forbid(quartet: Quartet) -> None:
    a, b, c, _ = quartet
    send(a, "agency-b", add_person(a.node, "w1", "Ana Ionescu", distribution="partners"))
    with transaction(b.node.engine) as session:  # an operator at B widens its copy: the signed terms still rule
        row = session.scalars(select(PersonRecord)).one()
        assert row.distribution == "agency"
        row.distribution = "partners"
    assert forward(b, "agency-c", "Ana Ionescu") == ["own_agency_only"]
    assert received_names(c.node) == []


def test_a_dishonest_middle_node_cannot_relabel_shorten_or_forge(quartet: Quartet) -> None:
    a, b, c, _ = quartet
    send(a, "agency-b", add_person(a.node, "d1", "Ana Ionescu", distribution="partners"))
    send(
        a,
        "agency-b",
        add_person(a.node, "d2", "Maria Stan", distribution="group", sharing_group="JIT-4", handling="H2"),
    )
    victim = add_person(a.node, "d3", "Alina Marin", distribution="group", sharing_group="JIT-4", sensitivity="special")
    with transaction(a.node.engine) as session:
        share_records(
            session, a.node, operator(a.node), "agency-b", [("person", victim)], legal_basis="victim_protection"
        )
    assert deliver_pending(a.node, now=dt.datetime.now(dt.UTC) + LATER).failed == 0
    partners_only, secret = signed_item(b.node, "Ana Ionescu"), signed_item(b.node, "Maria Stan")
    keys_b = node_keys(b.node.home)

    def hop(item: Item) -> Item:  # B signs its own hop to C, as any sender must
        return add_hop(keys_b, item, sender="agency-b", recipient="agency-c", legal_basis=None)

    relabelled = partners_only.handling.model_copy(
        update={
            "distribution": "group",
            "sharing_group": "JIT-4",
            "group_members": ["agency-a", "agency-b", "agency-c"],
        }
    )
    forged_origin = originate(keys_b, "person", None, partners_only.entity, relabelled)
    items = [
        hop(partners_only),  # untouched, but partners means one hop
        hop(partners_only.model_copy(update={"handling": relabelled})),  # A's signature kept over new terms
        hop(partners_only.model_copy(update={"handling": relabelled, "origin": forged_origin})),  # B signs as A
        hop(partners_only.model_copy(update={"chain": []})),  # A's hop to B dropped
        add_hop(  # A's hop to B rewritten as a hop from A to C, signed by B
            keys_b,
            partners_only.model_copy(update={"chain": []}),
            sender="agency-a",
            recipient="agency-c",
            legal_basis=None,
        ),
        hop(secret),  # H2 is never forwarded
        hop(signed_item(b.node, "Alina Marin")),  # a victim's record forwarded without B's own legal basis
    ]
    report = post(b, c, dishonest_bundle(b, "agency-c", items))
    assert report["imported"] == 0
    assert refused_rules(report) == [
        "partners_one_hop",
        "originator_signature_invalid",
        "originator_key_mismatch",
        "hop_chain_invalid",
        "hop_chain_invalid",
        "h2_no_forwarding",
        "special_needs_legal_basis",
    ]
    assert all(r["detail"] for r in report["refused"])
    assert received_names(c.node) == []


def test_the_far_node_refuses_a_group_record_a_dishonest_member_forwards_outside_the_group(quartet: Quartet) -> None:
    a, b, c, d = quartet
    send(a, "agency-b", add_person(a.node, "o1", "Ioana Dumitru", distribution="group", sharing_group="JIT-4"))
    assert forward(b, "agency-c", "Ioana Dumitru") == []
    assert forward(c, "agency-d", "Ioana Dumitru") == ["not_a_group_member"]  # honest C
    dishonest = add_hop(  # a dishonest C sends it anyway, signed with its own key
        node_keys(c.node.home),
        signed_item(c.node, "Ioana Dumitru"),
        sender="agency-c",
        recipient="agency-d",
        legal_basis=None,
    )
    report = post(c, d, dishonest_bundle(c, "agency-d", [dishonest]))
    assert refused_rules(report) == ["not_a_group_member"]
    assert "agency-d" in report["refused"][0]["detail"]
    assert received_names(d.node) == []


def test_a_record_from_an_originator_the_receiver_does_not_know_is_refused(quartet: Quartet) -> None:
    _, b, c, d = quartet
    person = add_person(b.node, "u1", "Vera Ilie", distribution="group", sharing_group="JIT-B")
    with transaction(b.node.engine) as session:
        groups.create_group(session, operator(b.node), "JIT-B", members=["agency-c"])
    send(b, "agency-c", person)
    item = add_hop(
        node_keys(c.node.home),
        signed_item(c.node, "Vera Ilie"),
        sender="agency-c",
        recipient="agency-d",
        legal_basis=None,
    )
    report = post(c, d, dishonest_bundle(c, "agency-d", [item]))  # D has never seen B's keys
    assert refused_rules(report) == ["unknown_originator"]


def test_an_echo_of_the_originators_own_record_is_dropped(quartet: Quartet) -> None:
    a, b, _, _ = quartet
    persons_before = count(a.node, PersonRecord)
    send(a, "agency-b", add_person(a.node, "e1", "Lia Nistor", distribution="group", sharing_group="JIT-4"))
    item = signed_item(b.node, "Lia Nistor")
    keys_b = node_keys(b.node.home)
    honest = add_hop(keys_b, item, sender="agency-b", recipient="agency-a", legal_basis=None)
    tampered = add_hop(
        keys_b,
        item.model_copy(
            update={"handling": item.handling.model_copy(update={"handling": "H0", "sensitivity": "special"})}
        ),
        sender="agency-b",
        recipient="agency-a",
        legal_basis=None,
    )
    report = post(b, a, dishonest_bundle(b, "agency-a", [honest, tampered]))
    assert (report["imported"], report["echoes"]) == (0, 1)
    assert refused_rules(report) == ["originator_signature_invalid"]
    assert count(a.node, PersonRecord) == persons_before + 1  # the original only, no partner copy
    assert received_names(a.node) == []
    # the honest path: B's own sending code may return a group record to its originator, which drops it
    assert forward(b, "agency-a", "Lia Nistor") == []
    assert received_names(a.node) == []
    assert count(a.node, PersonRecord) == persons_before + 1


def test_a_record_received_before_items_were_signed_is_not_forwarded(quartet: Quartet) -> None:
    a, b, c, _ = quartet
    send(a, "agency-b", add_person(a.node, "n1", "Nora Tudor", distribution="group", sharing_group="JIT-4"))
    with transaction(b.node.engine) as session:
        session.scalars(select(ReceivedRecord)).one().signed_item = None
    assert forward(b, "agency-c", "Nora Tudor") == ["no_originator_signature"]
    assert received_names(c.node) == []


def test_details_whose_signature_does_not_hold_are_set_aside(quartet: Quartet) -> None:
    a, b, _, _ = quartet
    with transaction(a.node.engine) as session:
        reference = hitnohit.ask(session, a.node, operator(a.node), "agency-b", "person", name="Irina Pop").reference
    own = add_person(b.node, "q1", "Irina Pop", distribution="partners", handling="H3", handling_note="no copies")
    with transaction(b.node.engine) as session:
        honest = select_items(session, b.node, find_partner(session, "agency-a"), [("person", own)], None).items[0]
    relabelled = honest.model_copy(update={"handling": honest.handling.model_copy(update={"handling": "H0"})})
    with transaction(b.node.engine) as session:
        partner = find_partner(session, "agency-a")
        message = {"reference": reference, "approved": True, "reason": None}
        envelope = envelope_for(b.node, partner, "detail_reply", items=[honest, relabelled], message=message)
        bundle = seal_for(b.node, partner, envelope)
    post(b, a, bundle)
    with transaction(a.node.engine) as session:
        detail = session.scalars(select(HitQuery.detail).where(HitQuery.reference == reference)).one()
    assert detail is not None
    assert [item["handling"]["handling"] for item in detail["items"]] == ["H3"]
    assert [(r["item"], r["rule"]) for r in detail["refused"]] == [(1, "originator_signature_invalid")]


def test_a_record_sent_back_to_a_node_it_passed_is_an_echo_there_too(quartet: Quartet) -> None:
    a, b, c, _ = quartet
    send(a, "agency-b", add_person(a.node, "e2", "Ema Voicu", distribution="group", sharing_group="JIT-4"))
    assert forward(b, "agency-c", "Ema Voicu") == []
    assert forward(c, "agency-b", "Ema Voicu") == []  # C may send it to B, a member; B already holds it
    assert received_names(b.node) == ["Ema Voicu"]
    collections = [d for d in audit_details(b.node) if d.get("status") == "imported"]
    assert [d["echoes"] for d in collections] == [0, 1]


def test_share_import_prints_each_refused_item_with_its_rule(tmp_path: Path, quartet: Quartet) -> None:
    a, b, c, _ = quartet
    send(a, "agency-b", add_person(a.node, "f1", "Ana Ionescu", distribution="partners"))
    forwarded = add_hop(
        node_keys(b.node.home),
        signed_item(b.node, "Ana Ionescu"),
        sender="agency-b",
        recipient="agency-c",
        legal_basis=None,
    )
    bundle = tmp_path / "bundle.jwe"
    bundle.write_text(dishonest_bundle(b, "agency-c", [forwarded]), encoding="ascii")
    settings = c.node.settings
    env = {"PALERMO_HOME": str(settings.home), "PALERMO_AGENCY": settings.agency}
    if settings.database_url:
        env["PALERMO_DATABASE_URL"] = settings.database_url
    result = CliRunner().invoke(app, ["share", "import", str(bundle)], env=env)
    assert result.exit_code == 0, result.output
    printed = " ".join(result.stdout.split())  # the console wraps long lines
    assert "imported, 0 imported, 0 echo(es)" in printed
    assert "refused: item 0 (plm-" in printed
    assert "partners_one_hop (distribution partners: agency-a's direct partners only" in printed
