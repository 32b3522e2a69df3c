"""Two and three real nodes (separate stores and keys) exchanging over real HTTP on loopback."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import httpx
import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from palermo.auth import tokens
from palermo.cli.main import app
from palermo.db.engine import transaction
from palermo.db.persons import PersonRecord
from palermo.db.sharing import HitQuery
from palermo.db.watchlists import Watchlist, WatchlistEntry
from palermo.errors import InvalidInput, PermissionDenied
from palermo.persons.search import PersonFilters, find_records
from palermo.screening.requests import ScreeningRequest
from palermo.screening.service import screen
from palermo.sharing import groups, hitnohit, partners
from palermo.sharing.inbox import receive
from palermo.sharing.outbox import deliver_pending
from palermo.sharing.outgoing import share_records
from tests.factories import justified_operator as booth
from tests.sharing.nodes import (
    LATER,
    Served,
    add_notice,
    add_person,
    audit_actions,
    audit_details,
    connect,
    deliver,
    operator,
    received_id,
    received_names,
    register,
    share,
)


def test_records_travel_with_originator_handling_and_grading(trio: tuple[Served, Served, Served]) -> None:
    a, b, _ = trio
    person = add_person(a.node, "p1", "Elena Popescu", handling="H1")
    bundle_id = share(a, "agency-b", [("person", person)])
    deliver(a)
    assert received_names(b.node) == ["Elena Popescu"]
    with transaction(b.node.engine) as session:
        row = session.get(PersonRecord, received_id(b, "Elena Popescu"))
        assert row is not None
        assert (row.originator, row.handling, row.source_reliability, row.information_credibility) == (
            "agency-a",
            "H1",
            "B",
            "2",
        )
        assert row.distribution == "agency"  # one hop: never wider, never forwarded
        assert "judicial proceedings" in (row.handling_note or "")
    assert ("transfer", bundle_id) in audit_actions(a.node)
    assert ("collection", bundle_id) in audit_actions(b.node)


def test_distribution_is_honoured_across_hops(trio: tuple[Served, Served, Served]) -> None:
    a, b, c = trio
    with transaction(a.node.engine) as session:
        groups.create_group(session, operator(a.node), "JIT-1", members=["agency-b"])
    # A's group knows B only; C is added as a member agency by A's JIT definition below.
    with transaction(a.node.engine) as session:
        a_public = partners.find_partner(session, "agency-b")
        assert a_public.agency_code == "agency-b"
    everyone = add_person(a.node, "p-all", "Ana Ionescu", distribution="partners")
    team = add_person(a.node, "p-team", "Ioana Dumitru", distribution="group", sharing_group="JIT-1")
    secret = add_person(a.node, "p-h2", "Maria Stan", distribution="group", sharing_group="JIT-1", handling="H2")
    home = add_person(a.node, "p-home", "Irina Pop", distribution="agency")
    with transaction(a.node.engine) as session:
        result = share_records(
            session, a.node, operator(a.node), "agency-b", [("person", i) for i in (everyone, team, secret, home)]
        )
    assert [(r.record_id, r.rule) for r in result.refused] == [(home, "own_agency_only")]
    deliver(a)
    assert received_names(b.node) == ["Ana Ionescu", "Ioana Dumitru", "Maria Stan"]
    forwarded = [("person", received_id(b, n)) for n in ("Ana Ionescu", "Ioana Dumitru", "Maria Stan")]
    with transaction(b.node.engine) as session, pytest.raises(PermissionDenied) as refused:
        share_records(session, b.node, operator(b.node), "agency-c", forwarded)
    # partners-distribution arrived downgraded (own agency only); C is not in JIT-1; H2 is never forwarded
    assert "own_agency_only" in refused.value.message
    assert "not_a_group_member" in refused.value.message
    assert "h2_no_forwarding" in refused.value.message
    assert received_names(c.node) == []


def test_group_records_reach_members_through_a_recipient(tmp_path: Path, trio: tuple[Served, Served, Served]) -> None:
    a, b, c = trio
    with transaction(a.node.engine) as session:
        groups.create_group(session, operator(a.node), "JIT-2", members=["agency-b"])
    # A and C are not partners: each registers the other's keys alone, A to list C in its group, C to verify
    # A's signature on what reaches it through B
    register(a, c)
    register(c, a)
    with transaction(a.node.engine) as session:
        groups.add_member(session, operator(a.node), "JIT-2", "agency-c")
    team = add_person(a.node, "p-team2", "Sorina Lupu", distribution="group", sharing_group="JIT-2")
    share(a, "agency-b", [("person", team)])
    deliver(a)
    share(b, "agency-c", [("person", received_id(b, "Sorina Lupu"))])
    deliver(b)
    assert received_names(c.node) == ["Sorina Lupu"]
    with transaction(c.node.engine) as session:
        row = session.get(PersonRecord, received_id(c, "Sorina Lupu"))
        assert row is not None
        assert (row.originator, row.distribution) == ("agency-a", "group")


def test_tampered_replayed_unsigned_and_misaddressed_bundles_are_refused(trio: tuple[Served, Served, Served]) -> None:
    a, b, c = trio
    person = add_person(a.node, "p2", "Daria Rusu")
    token = share(a, "agency-b", [("person", person)], queue=False)
    head, key, iv, ciphertext, tag = token.split(".")
    tampered = ".".join([head, key, iv, ("A" if ciphertext[0] != "A" else "B") + ciphertext[1:], tag])
    with transaction(b.node.engine) as session, pytest.raises(InvalidInput):
        receive(session, b.node, tampered, transport="file")
    with transaction(b.node.engine) as session:
        assert receive(session, b.node, token, transport="file").status == "imported"
    with transaction(b.node.engine) as session:
        replay = receive(session, b.node, token, transport="file")
    assert (replay.status, replay.imported) == ("duplicate", 0)
    assert received_names(b.node) == ["Daria Rusu"]
    # C cannot read (or import) a bundle addressed to B
    with transaction(c.node.engine) as session, pytest.raises(InvalidInput):
        receive(session, c.node, token, transport="file")
    from jwcrypto import jwe
    from jwcrypto.common import json_encode

    from palermo.sharing.keys import node_keys

    unsigned = jwe.JWE(
        b'{"kind": "records", "items": []}',
        recipient=node_keys(b.node.home).public.encryption_jwk(),
        protected=json_encode({"alg": "ECDH-ES+A256KW", "enc": "A256GCM"}),
    )
    with transaction(b.node.engine) as session, pytest.raises(PermissionDenied, match="not signed"):
        receive(session, b.node, unsigned.serialize(compact=True), transport="file")


def test_a_bundle_delivered_with_another_partners_token_is_refused_before_import(
    trio: tuple[Served, Served, Served],
) -> None:
    a, b, c = trio
    connect(a, c)  # A now knows B and C
    bundle = share(b, "agency-a", [("person", add_person(b.node, "p9", "Ilinca Popa"))], queue=False)
    with transaction(a.node.engine) as session:  # a token of C's service account on A
        secret = tokens.create_token(
            session, operator(a.node), username="partner-agency-c", name="inbox", scopes=None, days=1
        ).secret
    answer = httpx.post(
        f"{a.url}/api/v1/exchange/inbox",
        json={"bundle": bundle},
        headers={"Authorization": f"Bearer {secret}"},
        timeout=60,
    )
    assert answer.status_code == 403
    assert "does not belong to partner 'agency-b'" in answer.json()["message"]
    assert received_names(a.node) == []
    assert [action for action, _ in audit_actions(a.node)] == ["refusal"]
    with transaction(a.node.engine) as session:  # refused, not ledgered: B's own delivery still imports it
        assert receive(session, a.node, bundle, transport="file").status == "imported"
    assert received_names(a.node) == ["Ilinca Popa"]


def test_unknown_and_removed_partners_are_refused(tmp_path: Path, trio: tuple[Served, Served, Served]) -> None:
    a, b, c = trio
    person = add_person(c.node, "p3", "Vera Ilie")
    # C knows B, but A does not know C: a bundle from C to A has an unknown sender
    public_a = __import__("palermo.sharing.keys", fromlist=["node_keys"]).node_keys(a.node.home).public
    with transaction(c.node.engine) as session:
        partners.add_partner(
            session,
            operator(c.node),
            name="agency-a",
            agency_code="agency-a",
            country="AUT",
            signing_key=public_a.signing_key,
            encryption_key=public_a.encryption_key,
        )
    token = share(c, "agency-a", [("person", person)], queue=False)
    with transaction(a.node.engine) as session, pytest.raises(PermissionDenied, match="unknown node"):
        receive(session, a.node, token, transport="file")
    with transaction(b.node.engine) as session:
        partners.remove_partner(session, operator(b.node), "agency-a")
    token = share(a, "agency-b", [("person", add_person(a.node, "p4", "Oana Matei"))], queue=False)
    with transaction(b.node.engine) as session, pytest.raises(PermissionDenied, match="removed partner"):
        receive(session, b.node, token, transport="file")
    share(a, "agency-b", [("person", add_person(a.node, "p5", "Nora Tudor"))])
    report = deliver_pending(a.node, now=dt.datetime.now(dt.UTC) + LATER)
    assert (report.delivered, report.failed) == (0, 1)  # B disabled A's service account: 401
    assert received_names(b.node) == []


def test_victim_data_never_leaves_without_its_legal_basis(trio: tuple[Served, Served, Served]) -> None:
    a, b, _ = trio
    victim = add_person(a.node, "v1", "Alina Marin", sensitivity="special")
    with transaction(a.node.engine) as session, pytest.raises(PermissionDenied, match="special_needs_legal_basis"):
        share_records(session, a.node, operator(a.node), "agency-b", [("person", victim)])
    share(a, "agency-b", [("person", victim)], legal_basis="victim_protection")
    deliver(a)
    assert received_names(b.node) == ["Alina Marin"]
    with transaction(b.node.engine) as session:
        row = session.get(PersonRecord, received_id(b, "Alina Marin"))
        assert row is not None
        assert row.sensitivity == "special"


def test_a_partner_down_during_sending_receives_everything_after_restart(trio: tuple[Served, Served, Served]) -> None:
    a, b, _ = trio
    b.stop()
    first = share(a, "agency-b", [("person", add_person(a.node, "d1", "Lia Nistor"))])
    second = share(a, "agency-b", [("person", add_person(a.node, "d2", "Ema Voicu"))])
    report = deliver_pending(a.node)
    assert (report.delivered, report.failed, report.waiting) == (0, 2, 2)
    assert deliver_pending(a.node).failed == 0  # backing off: nothing due yet
    b.start()
    deliver(a)
    assert received_names(b.node) == ["Ema Voicu", "Lia Nistor"]
    actions = audit_actions(b.node)
    assert ("collection", first) in actions
    assert ("collection", second) in actions


def test_a_missing_girl_notice_lands_in_the_partners_watchlist(trio: tuple[Served, Served, Served]) -> None:
    a, b, _ = trio
    with transaction(b.node.engine) as session:  # B screens before the notice exists: its index is built, empty
        before = screen(session, booth(b.node), ScreeningRequest(names=["Bianca Stoica"]), home=b.node.home)
    assert before.hits == []
    notice = add_notice(a.node, "m1", "Bianca Stoica", "missing_person")
    share(a, "agency-b", [("notice", notice)])
    deliver(a)
    with transaction(b.node.engine) as session:
        entry = session.scalars(
            select(WatchlistEntry).join(Watchlist).where(Watchlist.name == "partners-missing_person")
        ).one()
        assert (entry.originator, entry.category, entry.names[0]["full_name"]) == (
            "agency-a",
            "missing_person",
            "Bianca Stoica",
        )
        assert entry.document_numbers == ["RO1234567"]
        assert (entry.birth_date, entry.other_birth_dates) == ("2009-03-01", ["2008-03-01"])  # every listed date
    with transaction(b.node.engine) as session:  # screened at once: the candidate index followed the import
        result = screen(session, booth(b.node), ScreeningRequest(names=["Bianca Stoica"]), home=b.node.home)
    assert [(h.watchlist, h.category) for h in result.hits] == [("partners-missing_person", "missing_person")]
    assert result.decision == "protect"


def test_hit_no_hit_then_approved_details_audited_on_both_sides(trio: tuple[Served, Served, Served]) -> None:
    a, b, _ = trio
    add_notice(b.node, "n1", "Bianca Stoica", "potential_victim")
    with transaction(a.node.engine) as session:
        miss = hitnohit.ask(session, a.node, operator(a.node), "agency-b", "document", document="XX0000000").reference
        hit = hitnohit.ask(session, a.node, operator(a.node), "agency-b", "document", document="RO 1234567").reference
    deliver(a)
    deliver(b)
    with transaction(a.node.engine) as session:
        answers = {q.reference: (q.hit, q.status, q.detail) for q in session.scalars(select(HitQuery))}
    assert answers[miss] == (False, "answered", None)
    assert answers[hit] == (True, "answered", None)  # hit, reference, nothing else
    with transaction(a.node.engine) as session:
        hitnohit.request_details(session, a.node, operator(a.node), hit)
    deliver(a)
    with transaction(b.node.engine) as session:
        waiting = hitnohit.pending_requests(session, operator(b.node))
        assert [q.reference for q in waiting] == [hit]
        hitnohit.decide(session, b.node, operator(b.node), hit, approve=True)
    deliver(b)
    with transaction(a.node.engine) as session:
        query = session.scalars(select(HitQuery).where(HitQuery.reference == hit)).one()
        assert query.status == "detail_received"
        assert query.detail is not None
        assert query.detail["items"][0]["entity"]["properties"]["name"] == ["Bianca Stoica"]
        assert query.detail["refused"] == []  # B's signature over the notice and its terms verified at A
        assert query.detail["items"][0]["chain"][0]["agency"] == "agency-b"
    a_actions = {action for action, _ in audit_actions(a.node)}
    b_actions = {action for action, _ in audit_actions(b.node)}
    assert {"transfer", "collection"} <= a_actions
    assert {"consultation", "disclosure", "collection"} <= b_actions


def test_hit_no_hit_tells_a_partner_only_what_it_could_have_been_sent(trio: tuple[Served, Served, Served]) -> None:
    a, b, _ = trio
    add_person(b.node, "o1", "Ana Ionescu", distribution="agency")  # originating agency only
    add_person(b.node, "v1", "Alina Marin", sensitivity="special")  # a victim: leaves only with a legal basis
    add_person(b.node, "p1", "Maria Pop")  # for every partner
    asked = {}
    with transaction(a.node.engine) as session:
        for name in ("Ana Ionescu", "Alina Marin", "Maria Pop"):
            asked[name] = hitnohit.ask(session, a.node, operator(a.node), "agency-b", "person", name=name).reference
        protection = operator(a.node, "victim_protection")
        asked["victim, asked for her protection"] = hitnohit.ask(
            session, a.node, protection, "agency-b", "person", name="Alina Marin"
        ).reference
    deliver(a)
    deliver(b)
    with transaction(a.node.engine) as session:
        hits = {q.reference: q.hit for q in session.scalars(select(HitQuery))}
    assert {name: hits[reference] for name, reference in asked.items()} == {
        "Ana Ionescu": False,  # exists at B, but A may not learn so
        "Alina Marin": False,
        "Maria Pop": True,
        "victim, asked for her protection": True,
    }
    details = [e for e in audit_details(b.node) if e.get("step") == "answer"]  # B's own log: what it withheld, why
    assert sorted(rule.rsplit(":", 1)[1] for d in details for rule in d.get("withheld", [])) == [
        "own_agency_only",
        "special_needs_legal_basis",
    ]


def test_share_deliver_exits_non_zero_while_deliveries_fail(trio: tuple[Served, Served, Served]) -> None:
    a, b, _ = trio
    settings = a.node.settings
    env = {"PALERMO_HOME": str(settings.home), "PALERMO_AGENCY": settings.agency}
    if settings.database_url:
        env["PALERMO_DATABASE_URL"] = settings.database_url
    b.stop()
    share(a, "agency-b", [("person", add_person(a.node, "f1", "Lia Nistor"))])
    failed = CliRunner().invoke(app, ["share", "deliver"], env=env)
    assert failed.exit_code == 75, failed.output  # a timer or cron job sees it
    assert "delivered 0, failed 1, waiting 1" in failed.stdout
    assert "1 deliveries failed; they stay in the outbox" in failed.stderr
    b.start()
    report = deliver_pending(a.node, now=dt.datetime.now(dt.UTC) + LATER)  # past the back-off
    assert (report.delivered, report.failed) == (1, 0)
    assert CliRunner().invoke(app, ["share", "deliver"], env=env).exit_code == 0  # nothing due, nothing failed


def test_a_received_person_is_found_by_person_search(trio: tuple[Served, Served, Served]) -> None:
    a, b, _ = trio
    share(a, "agency-b", [("person", add_person(a.node, "s1", "Elena Popescu"))])
    deliver(a)
    with transaction(b.node.engine) as session:
        hits = find_records(session, booth(b.node), "Elena Popesku", PersonFilters(source="partner:agency-a"))
    assert [(h.person.id, h.matched_name) for h in hits] == [(received_id(b, "Elena Popescu"), "Elena Popescu")]


def test_an_item_the_store_refuses_is_refused_alone(backend: str, trio: tuple[Served, Served, Served]) -> None:
    a, b, _ = trio  # A on the backend under test: PostgreSQL keeps names to 400 characters, SQLite does not check
    refs = [
        ("person", add_person(b.node, "l1", "Ana Ionescu")),
        ("person", add_person(b.node, "l2", "Ana " + "x" * 500)),
    ]
    share(b, "agency-a", refs)
    deliver(b)
    with transaction(a.node.engine) as session:
        refused = [r["refused"] for r in (e for e in audit_details(a.node) if e.get("status") == "imported")]
        stored = session.scalars(select(PersonRecord.id).where(PersonRecord.originator == "agency-b")).all()
    assert refused == ([[]] if backend == "sqlite" else [["item 1:malformed_item"]])
    assert len(stored) == (2 if backend == "sqlite" else 1)


def test_a_minors_record_is_special_data_whatever_its_source_said(trio: tuple[Served, Served, Served]) -> None:
    a, b, _ = trio
    born = f"{dt.date.today().year - 15}-01-01"
    child = add_person(a.node, "c1", "Ionela Radu", birth_date=born)  # stored ordinary, as older code stored it
    with transaction(a.node.engine) as session, pytest.raises(PermissionDenied, match="special_needs_legal_basis"):
        share_records(session, a.node, operator(a.node), "agency-b", [("person", child)])
    with transaction(b.node.engine) as session:  # nor does a hit/no-hit tell of her without a legal basis
        asked = hitnohit.ask(session, b.node, operator(b.node), "agency-a", "person", name="Ionela Radu").reference
    deliver(b)
    deliver(a)
    with transaction(b.node.engine) as session:
        assert session.scalars(select(HitQuery.hit).where(HitQuery.reference == asked)).one() is False
    share(a, "agency-b", [("person", child)], legal_basis="victim_protection")
    deliver(a)
    with transaction(b.node.engine) as session:
        row = session.get(PersonRecord, received_id(b, "Ionela Radu"))
        assert row is not None
        assert row.sensitivity == "special"
