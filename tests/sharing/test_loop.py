"""The loop closed, on real nodes over loopback: answers come back by themselves and are read where they were
asked, approved details become records, every bundle is receipted under the receiver's signature, a shared record
can be withdrawn along every path it took, and what arrives raises an alert."""

from __future__ import annotations

import base64
import datetime as dt
import json
from pathlib import Path

import httpx
import pytest
from sqlalchemy import select

from palermo.alerts import list_alerts
from palermo.audit.log import stream_rows
from palermo.db.engine import transaction
from palermo.db.persons import IdentityDocument
from palermo.db.sharing import DeliveryReceipt, Withdrawal
from palermo.db.watchlists import Watchlist, WatchlistEntry
from palermo.errors import InvalidInput, PermissionDenied
from palermo.screening.requests import ScreeningRequest
from palermo.screening.service import screen
from palermo.sharing import answers, groups, hitnohit, outbox, receipts, withdrawals
from palermo.sharing.answers import AnswerView
from palermo.sharing.keys import node_keys
from palermo.sharing.outbox import deliver_pending, enqueue
from palermo.sharing.outgoing import envelope_for, seal_for, select_items, share_records
from palermo.sharing.partners import find_partner
from palermo.sharing.signatures import add_hop
from tests.factories import bearer, make_token, make_user
from tests.factories import justified_operator as booth
from tests.sharing.nodes import (
    LATER,
    Served,
    add_document,
    add_notice,
    add_person,
    audit_details,
    cli,
    deliver,
    dishonest_bundle,
    eventually,
    operator,
    post,
    received_documents,
    received_id,
    received_names,
    register,
    share,
    signed_item,
)

Trio = tuple[Served, Served, Served]
CASE = "JIT-2026-0042"
AS_STORED = f"case:{CASE}"  # a justification as stored and logged


def answer_of(served: Served, reference: str) -> AnswerView:
    with transaction(served.node.engine) as session:
        return answers.get_answer(session, operator(served.node), reference)


def ask(src: Served, to: str, justification: str = CASE, **criteria: str) -> str:
    kind = "document" if "document" in criteria else "person"
    with transaction(src.node.engine) as session:
        return hitnohit.ask(session, src.node, operator(src.node, justification), to, kind, **criteria).reference


def receipt_kinds(served: Served) -> list[str]:
    with transaction(served.node.engine) as session:
        return sorted(r.kind for r in receipts.list_receipts(session, operator(served.node)))


def test_an_answer_comes_back_without_anyone_delivering_at_the_answering_node(trio: Trio) -> None:
    a, b, _ = trio
    add_notice(b.node, "n1", "Bianca Stoica", "potential_victim")
    reference = ask(a, "agency-b", document="RO 1234567")
    assert answer_of(a, reference).status == "pending"
    deliver(a)  # the query reaches B; nobody runs `share deliver` at B
    eventually(lambda: answer_of(a, reference).hit is not None, "B's answer pushed back to A")
    answer = answer_of(a, reference)
    assert (answer.partner, answer.criteria, answer.justification, answer.hit, answer.status) == (
        "agency-b",
        {"document_number": "RO1234567"},
        AS_STORED,
        True,
        "answered",
    )
    eventually(lambda: receipt_kinds(b) == ["answer"], "A's receipt for the answer, kept at B")
    assert receipt_kinds(a) == ["query"]  # and B's for the query, kept at A


def test_an_answer_for_an_asker_that_is_down_waits_for_share_deliver(trio: Trio) -> None:
    a, b, _ = trio
    add_person(b.node, "p1", "Maria Pop")
    reference = ask(a, "agency-b", name="Maria Pop")
    a.stop()
    deliver(a)  # A's outbox works without A's server: the query reaches B, whose answer finds A down

    def answer_waiting() -> bool:
        with transaction(b.node.engine) as session:
            return any(e.kind == "answer" and e.attempts and not e.delivered for e in outbox.list_outbox(session))

    eventually(answer_waiting, "B's answer tried and queued")
    assert answer_of(a, reference).hit is None
    a.start()
    deliver(b)
    assert answer_of(a, reference).hit is True


def test_approved_details_come_back_as_records_read_by_cli_and_api(trio: Trio) -> None:
    a, b, _ = trio
    notice = add_notice(b.node, "n2", "Bianca Stoica", "missing_person")
    reference = ask(a, "agency-b", document="RO1234567")
    deliver(a)
    eventually(lambda: answer_of(a, reference).hit is True, "the hit at A")
    with transaction(a.node.engine) as session:
        hitnohit.request_details(session, a.node, operator(a.node, "JIT-2026-0099"), reference)
    deliver(a)
    pending = cli(b, "share", "requests", "--justification", CASE)
    assert pending.exit_code == 0, pending.output
    assert (
        f"{reference} from agency-a: document query (document_number=RO1234567); justification {AS_STORED}; "
        f"details asked for case:JIT-2026-0099; matched notice {notice}"
    ) in pending.stdout
    decided = cli(b, "share", "decide", reference, "--approve", "--justification", CASE)
    assert decided.exit_code == 0, decided.output
    assert f"Query {reference}: approved, 1 record(s) for agency-a" in decided.stdout
    assert "detail_reply to agency-a" in decided.stdout  # sent at once, and receipted:
    assert "1 accepted" in decided.stdout
    shown = cli(a, "share", "answers", reference, "--justification", CASE)
    assert shown.exit_code == 0, shown.output
    assert f"{reference} agency-b document (document_number=RO1234567): hit, detail_received" in shown.stdout
    with transaction(a.node.engine) as session:
        entry = session.scalars(
            select(WatchlistEntry).join(Watchlist).where(Watchlist.name == "partners-missing_person")
        ).one()
        assert (entry.originator, entry.category, entry.distribution) == ("agency-b", "missing_person", "agency")
        entry_id = entry.id
    assert f"documents RO1234567 (agency-b, H0, partners, ordinary): imported as watchlist_entries:{entry_id}" in (
        shown.stdout
    )
    make_user(a.node, "ana", "analyst")
    token = make_token(a.node, "ana")
    one = httpx.get(f"{a.url}/api/v1/exchange/answers/{reference}", headers=bearer(token, CASE), timeout=60)
    assert one.status_code == 200, one.text
    assert [(d["names"], d["record"]) for d in one.json()["details"]] == [
        (["Bianca Stoica"], f"watchlist_entries:{entry_id}")
    ]
    listed = httpx.get(
        f"{a.url}/api/v1/exchange/answers", params={"status": "detail_received"}, headers=bearer(token, CASE)
    )
    assert [q["reference"] for q in listed.json()] == [reference]
    unjustified = httpx.get(f"{a.url}/api/v1/exchange/answers/{reference}", headers=bearer(token), timeout=60)
    assert unjustified.status_code == 403
    with transaction(a.node.engine) as session:
        read = [
            row.justification
            for row in stream_rows(session)
            if row.action == "consultation"
            and row.actor.startswith("token:ana/")
            and row.details.get("permission") == "sharing.query"
        ]
    assert read == [AS_STORED, AS_STORED]


def test_an_approval_that_sends_nothing_names_the_rule(trio: Trio) -> None:
    a, b, _ = trio
    victim = add_person(b.node, "v1", "Alina Marin", sensitivity="special")
    reference = ask(a, "agency-b", justification="victim_protection", name="Alina Marin")
    deliver(a)
    eventually(lambda: answer_of(a, reference).hit is True, "the hit at A")
    with transaction(a.node.engine) as session:
        hitnohit.request_details(session, a.node, operator(a.node, "victim_protection"), reference)
    deliver(a)
    decided = cli(b, "share", "decide", reference, "--approve", "--justification", CASE)
    assert decided.exit_code == 0, decided.output
    assert (
        f"kept home: person {victim}: special_needs_legal_basis (victim or minor data leaves only with a recorded "
        "legal basis)"
    ) in decided.stdout
    assert f"Query {reference}: refused, 0 record(s) for agency-a" in decided.stdout
    eventually(lambda: answer_of(a, reference).status == "refused", "the refusal at A")


def _tampered_payload(token: str) -> str:
    head, payload, signature = token.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    claims["refused"] = []
    forged = base64.urlsafe_b64encode(json.dumps(claims).encode()).decode().rstrip("=")
    return ".".join([head, forged, signature])


def test_a_signed_receipt_lists_what_was_accepted_and_what_was_refused(trio: Trio) -> None:
    a, b, _ = trio
    good, other = add_person(a.node, "r1", "Ana Ionescu"), add_person(a.node, "r2", "Maria Stan")
    with transaction(a.node.engine) as session:
        partner = find_partner(session, "agency-b")
        items = select_items(session, a.node, partner, [("person", good), ("person", other)], None).items
        entity = {**items[1].entity, "properties": {**items[1].entity["properties"], "name": ["Someone Else"]}}
        envelope = envelope_for(
            a.node, partner, "records", items=[items[0], items[1].model_copy(update={"entity": entity})]
        )
        sealed = seal_for(a.node, partner, envelope)
        enqueue(session, partner, envelope, sealed)
    report = deliver_pending(a.node, now=dt.datetime.now(dt.UTC) + LATER)
    [receipt] = report.receipts
    assert (receipt.bundle_id, receipt.partner, receipt.imported, receipt.accepted) == (
        envelope.bundle_id,
        "agency-b",
        1,
        [items[0].entity["id"]],
    )
    assert [(r.item, r.rule) for r in receipt.refused] == [(1, "originator_signature_invalid")]
    shown = cli(a, "share", "receipts")
    assert f"{envelope.bundle_id} records to agency-b" in shown.stdout
    assert "1 accepted, 0 echo(es), 1 refused" in shown.stdout
    assert "refused: item 1" in shown.stdout
    assert "originator_signature_invalid" in shown.stdout
    assert f"{envelope.bundle_id} agency-b records: delivered; receipt: 1 accepted" in cli(a, "share", "outbox").stdout
    resent = post(a, b, sealed)  # a resend after a lost answer: the same receipt again
    with transaction(a.node.engine) as session:
        kept = session.scalars(select(DeliveryReceipt.receipt)).one()
    assert (resent["status"], resent["receipt"]) == ("duplicate", kept)
    with transaction(a.node.engine) as session, pytest.raises(PermissionDenied, match="does not verify"):
        receipts.store_receipt(session, a.node, _tampered_payload(kept), partner=partner)


def test_a_bundle_file_is_receipted_by_file(trio: Trio, tmp_path: Path) -> None:
    a, b, _ = trio
    bundle = tmp_path / "to-b.jwe"
    bundle.write_text(share(a, "agency-b", [("person", add_person(a.node, "f1", "Lia Nistor"))], queue=False))
    imported = cli(b, "share", "import", str(bundle))
    assert imported.exit_code == 0, imported.output
    assert f"Receipt for agency-a in {bundle}.receipt" in imported.stdout
    kept = cli(a, "share", "import", f"{bundle}.receipt")
    assert kept.exit_code == 0, kept.output
    assert "records to agency-b" in kept.stdout
    assert "1 accepted, 0 echo(es), 0 refused" in kept.stdout
    assert receipt_kinds(a) == ["records"]


def test_records_and_notices_that_arrive_raise_alerts(trio: Trio) -> None:
    a, b, _ = trio
    ana, alina = add_person(a.node, "a1", "Ana Ionescu"), add_person(a.node, "a2", "Alina Marin", sensitivity="special")
    notice = add_notice(a.node, "a3", "Bianca Stoica", "missing_person")
    refs = [("person", ana), ("person", alina), ("notice", notice)]
    bundle = share(a, "agency-b", refs, legal_basis="victim_protection")
    deliver(a)
    with transaction(b.node.engine) as session:
        alerts = {alert.kind: alert for alert in list_alerts(session, booth(b.node))}
        entry_id = session.scalars(select(WatchlistEntry.id).where(WatchlistEntry.originator == "agency-a")).one()
    assert sorted(alerts) == ["partner_notice", "partner_records"]
    records = alerts["partner_records"]
    assert (records.subject, records.sensitivity, records.decision, records.status) == (
        f"bundle:{bundle}",
        "special",
        None,
        "open",
    )
    assert [e["detail"] for e in records.explanation] == [
        "agency-a shared a person record of agency-a (H0): Ana Ionescu",
        "agency-a shared a person record of agency-a (H0): Alina Marin",
    ]
    notice_alert = alerts["partner_notice"]
    assert (notice_alert.watchlist_entry_id, notice_alert.subject) == (entry_id, f"partner_notice:agency-a/{entry_id}")


def test_a_withdrawn_record_is_removed_along_every_path_it_took(trio: Trio) -> None:
    a, b, c = trio
    register(a, c)
    register(c, a)
    with transaction(a.node.engine) as session:
        groups.create_group(session, operator(a.node), "JIT-W", members=["agency-b", "agency-c"])
    person = add_person(a.node, "w1", "Sorina Lupu", distribution="group", sharing_group="JIT-W")
    add_document(a.node, person, "P7654321")
    notice = add_notice(a.node, "w2", "Bianca Stoica", "missing_person", distribution="group", sharing_group="JIT-W")
    share(a, "agency-b", [("person", person), ("notice", notice)])
    deliver(a)
    with transaction(b.node.engine) as session:
        at_b = session.scalars(select(WatchlistEntry.id).where(WatchlistEntry.originator == "agency-a")).one()
    share(b, "agency-c", [("person", received_id(b, "Sorina Lupu")), ("notice", at_b)])
    deliver(b)
    assert received_names(c.node) == ["Sorina Lupu"]
    assert [d[1] for d in received_documents(c.node, "Sorina Lupu")] == ["P7654321"]
    request = ScreeningRequest(names=["Bianca Stoica"])
    with transaction(c.node.engine) as session:
        assert screen(session, booth(c.node), request, home=c.node.home).hits != []
    kept_by_b = signed_item(b.node, "Sorina Lupu")  # what a dishonest B could send again later

    withdrawn = cli(
        a, "share", "withdraw", "--person", str(person), "--notice", str(notice), "--reason", "wrong person",
        "--justification", CASE,
    )  # fmt: skip
    assert withdrawn.exit_code == 0, withdrawn.output
    assert "withdrawal for agency-b" in withdrawn.stdout
    assert "withdrawal to agency-b" in withdrawn.stdout
    assert "2 accepted" in withdrawn.stdout  # B's receipt: both records withdrawn there
    assert received_names(b.node) == []
    eventually(lambda: received_names(c.node) == [], "the withdrawal passed on by B to C")
    with transaction(c.node.engine) as session:
        assert screen(session, booth(c.node), request, home=c.node.home).hits == []  # the index followed
        assert session.scalars(select(WatchlistEntry).where(WatchlistEntry.originator == "agency-a")).all() == []
    for served in (b, c):
        with transaction(served.node.engine) as session:
            assert sorted(w.kind for w in session.scalars(select(Withdrawal))) == ["notice", "person"]
            assert session.scalars(select(IdentityDocument.number)).all() == []  # gone with the person
        erased = [d for d in audit_details(served.node) if d.get("operation") == "withdrawal"]
        assert sorted((d["reason"], len(d["removed"])) for d in erased) == [("wrong person", 1)] * 2
    with transaction(a.node.engine) as session:
        logged = [r.action for r in stream_rows(session) if (r.details or {}).get("operation") == "withdrawal"]
    assert logged == ["alteration", "alteration"]
    with transaction(a.node.engine) as session, pytest.raises(PermissionDenied, match="withdrawn"):
        share_records(session, a.node, operator(a.node), "agency-b", [("person", person)])
    late = add_hop(node_keys(b.node.home), kept_by_b, sender="agency-b", recipient="agency-c", legal_basis=None)
    report = post(b, c, dishonest_bundle(b, "agency-c", [late]))
    assert [(r["rule"], r["entity_id"]) for r in report["refused"]] == [("withdrawn", late.entity["id"])]
    assert received_names(c.node) == []


def test_only_the_originator_withdraws(trio: Trio) -> None:
    a, b, _ = trio
    share(a, "agency-b", [("person", add_person(a.node, "o1", "Ana Ionescu"))])
    deliver(a)
    with transaction(b.node.engine) as session, pytest.raises(InvalidInput, match="only its originator withdraws"):
        withdrawals.withdraw(
            session, b.node, operator(b.node), [("person", received_id(b, "Ana Ionescu"))], reason="not ours"
        )


def test_a_notice_from_abroad_screens_at_the_partners_border_at_once_and_stops_when_withdrawn(trio: Trio) -> None:
    a, b, _ = trio
    make_user(b.node, "bo", "border_officer")
    booth_token = make_token(b.node, "bo")

    def screened() -> dict[str, object]:
        body = {"names": ["Bianca Stoica"], "birth_date": "2009-03-01", "border_point": "OTP"}
        answer = httpx.post(
            f"{b.url}/api/v1/screenings", json=body, headers=bearer(booth_token, "border_control"), timeout=60
        )
        assert answer.status_code == 200, answer.text
        result: dict[str, object] = answer.json()
        return result

    assert screened()["hits"] == []  # B's server holds its (empty) index in memory
    notice = add_notice(a.node, "m9", "Bianca Stoica", "missing_person")
    share(a, "agency-b", [("notice", notice)])
    deliver(a)  # into B's inbox over HTTP; the next traveller at B's booth is screened against it
    result = screened()
    assert (result["decision"], [h["watchlist"] for h in result["hits"]]) == ("protect", ["partners-missing_person"])
    with transaction(a.node.engine) as session:
        withdrawals.withdraw(session, a.node, operator(a.node), [("notice", notice)], reason="found, safe")
    deliver(a)
    assert screened()["hits"] == []
