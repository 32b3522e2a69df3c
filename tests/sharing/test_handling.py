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


def test_a_refusal_names_the_originator_not_the_holder() -> None:
    received = as_received(record(originator=PARTNER))
    decision = may_send(received, sender_agency=OWN, recipient_agency=OTHER, legal_basis=None, today=TODAY)
    assert decision.rule == "own_agency_only"
    assert f"{PARTNER}'s record" in decision.detail
    own = may_send(
        record(distribution="agency"), sender_agency=OWN, recipient_agency=PARTNER, legal_basis=None, today=TODAY
    )
    assert f"limited to {OWN}" in own.detail


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


DIRECT, FORWARDED = (PARTNER, OWN), (PARTNER, OTHER, OWN)  # paths: originator first, this node last
WIDE_TEAM = frozenset({OWN, PARTNER, OTHER})

RECEIVED_IMPORTS = [
    # (originator's terms, path, legal basis, allowed, rule)
    (record(originator=PARTNER), DIRECT, None, True, "within_terms"),
    (record(originator=PARTNER, distribution="agency"), DIRECT, None, False, "own_agency_only"),
    (record(originator=PARTNER, handling="H2"), DIRECT, None, True, "within_terms"),
    (
        record(originator=PARTNER, handling="H2", distribution="group", group_members=WIDE_TEAM),
        FORWARDED,
        None,
        False,
        "h2_no_forwarding",
    ),
    (record(originator=PARTNER), FORWARDED, None, False, "partners_one_hop"),
    (record(originator=PARTNER, distribution="group", group_members=WIDE_TEAM), FORWARDED, None, True, "within_terms"),
    (
        record(originator=PARTNER, distribution="group", group_members=frozenset({PARTNER, OWN})),
        FORWARDED,
        None,
        False,
        "not_a_group_member",
    ),  # the forwarder is outside the group
    (
        record(originator=PARTNER, distribution="group", group_members=frozenset({PARTNER, OTHER})),
        FORWARDED,
        None,
        False,
        "not_a_group_member",
    ),  # this node is outside the group
    (record(originator=PARTNER, sensitivity="special"), DIRECT, None, False, "special_needs_legal_basis"),
    (record(originator=PARTNER, sensitivity="special"), DIRECT, "victim_protection", True, "within_terms"),
    (record(originator=PARTNER, handling="H3"), DIRECT, None, False, "h3_needs_note"),
    (record(originator=PARTNER, delete_at=TODAY), DIRECT, None, False, "retention_expired"),
    (record(originator=PARTNER, delete_at=TODAY + dt.timedelta(days=1)), DIRECT, None, True, "within_terms"),
]


@pytest.mark.parametrize(("facts", "route", "basis", "allowed", "rule"), RECEIVED_IMPORTS)
def test_imports_are_judged_on_the_originators_terms_and_the_path(
    facts: RecordHandling, route: tuple[str, ...], basis: str | None, allowed: bool, rule: str
) -> None:
    decision = check_received(facts, path=route, own_agency=OWN, legal_basis=basis, today=TODAY)
    assert (decision.allowed, decision.rule) == (allowed, rule)
    assert decision.detail
