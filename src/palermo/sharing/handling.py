"""Handling enforcement: what may leave this node for a partner, and what a received record becomes.

Pure functions over small value objects, so every rule is tested in a table (``tests/sharing/test_handling.py``).
The hop semantics follow MISP's distribution model (see ``docs/sharing.md``):

* ``agency`` (MISP "your organisation only") never leaves the node.
* ``partners`` (MISP "this community only") goes to any partner of the *originator*; on arrival it is downgraded
  to ``agency``, so the recipient never forwards it (one hop, as MISP downgrades community-only data on sync).
* ``group`` (MISP "sharing group") goes only to members of the group; the member list travels with the record and
  a recipient may forward to those members and nobody else.

On top of distribution: an H2 record is never forwarded by a recipient (Europol H2: no dissemination without the
provider's permission); H1 travels with its judicial-use restriction; special-category data (victims, minors)
leaves only with a recorded legal basis; a record past its deletion date never leaves.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from palermo.taxonomies import taxonomy

JUDICIAL_RESTRICTION = "H1: not to be disclosed in judicial proceedings without the permission of {originator}"


@dataclass(frozen=True)
class RecordHandling:
    """The handling facts of one record, as this node holds it."""

    originator: str
    handling: str
    distribution: str
    sensitivity: str = "ordinary"
    handling_note: str | None = None
    sharing_group: str | None = None
    group_members: frozenset[str] = frozenset()
    delete_at: dt.date | None = None
    hops: int = 0

    def received_by(self, agency: str) -> bool:
        """Whether ``agency`` holds this record as a recipient rather than as its originator."""
        return self.originator != agency


@dataclass(frozen=True)
class Decision:
    """Whether a record may go, the rule that decided, and why in words."""

    allowed: bool
    rule: str
    detail: str


def _refuse(rule: str, detail: str) -> Decision:
    return Decision(False, rule, detail)


def may_send(
    record: RecordHandling,
    *,
    sender_agency: str,
    recipient_agency: str,
    legal_basis: str | None,
    today: dt.date,
) -> Decision:
    """Whether ``sender_agency`` may send ``record`` to the partner ``recipient_agency``; the first rule that
    refuses decides."""
    if record.delete_at is not None and record.delete_at <= today:
        return _refuse("retention_expired", f"the record was due for deletion on {record.delete_at.isoformat()}")
    if record.distribution == "agency" and record.received_by(sender_agency):
        return _refuse(
            "own_agency_only",
            f"{sender_agency} holds {record.originator}'s record for its own use only "
            f"({record.originator}'s partners distribution is one hop); it is not forwarded",
        )
    if record.distribution == "agency":
        return _refuse("own_agency_only", f"distribution is limited to {record.originator} (originating agency only)")
    if record.received_by(sender_agency) and record.handling == "H2":
        return _refuse(
            "h2_no_forwarding", f"H2: a recipient never forwards it without {record.originator}'s permission"
        )
    if record.distribution == "group" and recipient_agency not in record.group_members:
        return _refuse(
            "not_a_group_member",
            f"{recipient_agency} is not a member of {record.originator}'s sharing group {record.sharing_group!r}",
        )
    if record.sensitivity == "special" and legal_basis is None:
        return _refuse("special_needs_legal_basis", "victim or minor data leaves only with a recorded legal basis")
    if legal_basis is not None:
        taxonomy("legal_bases").require(legal_basis)
    return Decision(True, "within_distribution", f"distribution {record.distribution} allows {recipient_agency}")


def outgoing_note(record: RecordHandling) -> str | None:
    """The handling note that travels: H1 always carries its judicial-use restriction."""
    if record.handling != "H1":
        return record.handling_note
    restriction = JUDICIAL_RESTRICTION.format(originator=record.originator)
    if record.handling_note and restriction in record.handling_note:
        return record.handling_note
    return f"{restriction}; {record.handling_note}" if record.handling_note else restriction


def check_received(
    record: RecordHandling, *, path: Sequence[str], own_agency: str, legal_basis: str | None, today: dt.date
) -> Decision:
    """Whether a received record may be kept, judged on the originator's terms and the path it travelled
    (``path``: the originator first, this node last, as the signed hop chain gives it); the first refusing rule
    decides."""
    sender, forwarded = path[-2], len(path) > 2
    route = " > ".join(path)
    if record.delete_at is not None and record.delete_at <= today:
        return _refuse(
            "retention_expired",
            f"{record.originator} set its deletion for {record.delete_at.isoformat()}; {sender} sent it after",
        )
    if record.distribution == "agency":
        return _refuse("own_agency_only", f"{record.originator} limited the record to its own agency ({route})")
    if record.handling == "H2" and forwarded:
        return _refuse(
            "h2_no_forwarding", f"{sender} forwarded an H2 record of {record.originator} ({route}); never forwarded"
        )
    if record.distribution == "partners" and forwarded:
        return _refuse(
            "partners_one_hop",
            f"distribution partners: {record.originator}'s direct partners only, one hop; it came {route}",
        )
    outsiders = [agency for agency in path if agency not in record.group_members]
    if record.distribution == "group" and outsiders:
        return _refuse(
            "not_a_group_member",
            f"{', '.join(outsiders)} not in {record.originator}'s sharing group {record.sharing_group!r} ({route})",
        )
    if record.sensitivity == "special" and legal_basis is None:
        return _refuse("special_needs_legal_basis", f"{sender} sent special-category data without a legal basis")
    if record.handling == "H3" and not record.handling_note:
        return _refuse("h3_needs_note", "an H3 record arrived without its handling note")
    return Decision(True, "within_terms", f"{record.originator}'s terms allow {own_agency} by {route}")


def as_received(record: RecordHandling) -> RecordHandling:
    """What the recipient stores: originator, handling, note and grading kept; distribution never wider.

    ``partners`` becomes ``agency`` (one hop); ``group`` stays ``group`` with the same members.
    """
    distribution = "agency" if record.distribution == "partners" else record.distribution
    return RecordHandling(
        originator=record.originator,
        handling=record.handling,
        distribution=distribution,
        sensitivity=record.sensitivity,
        handling_note=outgoing_note(record),
        sharing_group=record.sharing_group,
        group_members=record.group_members,
        delete_at=record.delete_at,
        hops=record.hops + 1,
    )


DISTRIBUTION_RANK = {"agency": 0, "group": 1, "partners": 2}


def narrower_or_equal(received: str, sent: str) -> bool:
    """Whether distribution ``received`` is no wider than ``sent`` (the import invariant)."""
    return DISTRIBUTION_RANK[received] <= DISTRIBUTION_RANK[sent]
