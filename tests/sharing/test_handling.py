"""Every handling rule, table-driven: what may leave, what a recipient stores, what an import refuses."""

from __future__ import annotations

import datetime as dt

import pytest

from palermo.errors import InvalidInput
from palermo.sharing.handling import (
    RecordHandling,
    as_received,
    check_received,
    may_send,
    narrower_or_equal,
    outgoing_note,
)

TODAY = dt.date(2026, 6, 1)
OWN, PARTNER, OTHER = "at-bk", "ro-igpr", "it-ps"
TEAM = frozenset({OWN, PARTNER})


def record(**changes: object) -> RecordHandling:
    values: dict[str, object] = {"originator": OWN, "handling": "H0", "distribution": "partners"}
    return RecordHandling(**{**values, **changes})  # type: ignore[arg-type]


SEND_CASES = [
    # (record, sender, recipient, legal basis, allowed, rule)
    (record(), OWN, PARTNER, None, True, "within_distribution"),
    (record(distribution="agency"), OWN, PARTNER, None, False, "own_agency_only"),
    (record(delete_at=TODAY), OWN, PARTNER, None, False, "retention_expired"),
    (record(delete_at=TODAY + dt.timedelta(days=1)), OWN, PARTNER, None, True, "within_distribution"),
    (
        record(distribution="group", sharing_group="JIT", group_members=TEAM),
        OWN,
        PARTNER,
        None,
        True,
        "within_distribution",
    ),
    (
        record(distribution="group", sharing_group="JIT", group_members=TEAM),
        OWN,
        OTHER,
        None,
        False,
        "not_a_group_member",
    ),
    (record(handling="H2"), OWN, PARTNER, None, True, "within_distribution"),  # the originator may send H2
    (
        record(
            handling="H2",
            originator=PARTNER,
            distribution="group",
            sharing_group="JIT",
            group_members=frozenset({PARTNER, OWN, OTHER}),
        ),
        OWN,
        OTHER,
        None,
        False,
        "h2_no_forwarding",
    ),
    (
        record(
            handling="H1",
            originator=PARTNER,
            distribution="group",
            sharing_group="JIT",
            group_members=frozenset({PARTNER, OWN, OTHER}),
        ),
        OWN,
        OTHER,
        None,
        True,
        "within_distribution",
    ),
    (record(sensitivity="special"), OWN, PARTNER, None, False, "special_needs_legal_basis"),
    (record(sensitivity="special"), OWN, PARTNER, "victim_protection", True, "within_distribution"),
]


@pytest.mark.parametrize(("facts", "sender", "recipient", "basis", "allowed", "rule"), SEND_CASES)
def test_may_send(
    facts: RecordHandling, sender: str, recipient: str, basis: str | None, allowed: bool, rule: str
) -> None:
    decision = may_send(facts, sender_agency=sender, recipient_agency=recipient, legal_basis=basis, today=TODAY)
    assert (decision.allowed, decision.rule) == (allowed, rule)
    assert decision.detail


def test_an_unknown_legal_basis_is_refused() -> None:
    with pytest.raises(InvalidInput):
        may_send(
            record(sensitivity="special"),
            sender_agency=OWN,
            recipient_agency=PARTNER,
            legal_basis="because",
            today=TODAY,
        )


RECEIVED_CASES = [
    # distribution as sent -> as stored by the recipient
    (record(), "agency"),
    (record(distribution="group", sharing_group="JIT", group_members=TEAM), "group"),
]


@pytest.mark.parametrize(("sent", "stored"), RECEIVED_CASES)
def test_received_records_keep_originator_and_handling_and_never_widen(sent: RecordHandling, stored: str) -> None:
    kept = as_received(sent)
    assert (kept.originator, kept.handling, kept.sensitivity, kept.group_members) == (
        sent.originator,
        sent.handling,
        sent.sensitivity,
        sent.group_members,
    )
    assert kept.distribution == stored
    assert narrower_or_equal(kept.distribution, sent.distribution)
    assert kept.hops == sent.hops + 1


def test_h1_travels_with_its_judicial_restriction_once() -> None:
    note = outgoing_note(record(handling="H1", handling_note="ask first"))
    assert note is not None
    assert "judicial proceedings" in note
    assert "ask first" in note
    assert outgoing_note(as_received(record(handling="H1"))) == as_received(record(handling="H1")).handling_note
    assert outgoing_note(record(handling="H3", handling_note="no copies")) == "no copies"


REFUSED_IMPORTS = [
    (record(distribution="agency"), PARTNER, None, "own agency"),
    (record(handling="H2", originator=OTHER), PARTNER, None, "forwarded an H2"),
    (
        record(distribution="group", sharing_group="JIT", group_members=frozenset({PARTNER})),
        PARTNER,
        None,
        "not a member",
    ),
    (record(sensitivity="special"), PARTNER, None, "legal basis"),
    (record(handling="H3"), PARTNER, None, "handling note"),
]


@pytest.mark.parametrize(("facts", "sender", "basis", "message"), REFUSED_IMPORTS)
def test_imports_refuse_what_the_sender_had_no_right_to_send(
    facts: RecordHandling, sender: str, basis: str | None, message: str
) -> None:
    with pytest.raises(InvalidInput, match=message):
        check_received(facts, sender_agency=sender, own_agency=OWN, legal_basis=basis)


def test_a_lawful_import_passes() -> None:
    check_received(record(originator=PARTNER, handling="H2"), sender_agency=PARTNER, own_agency=OWN, legal_basis=None)
