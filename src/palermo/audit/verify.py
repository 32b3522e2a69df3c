"""Verify the whole audit log: every leaf recomputed from its fields, the tree, every signed tree head.

One pass over the entries in sequence order (bounded memory). Findings, each naming a sequence number:

* ``deletion``: a sequence number is missing (a gap, fewer entries than the counter or a signed head says), or an
  entry carries the leaf hash of the entry after it (an entry was deleted and later ones renumbered);
* ``insertion``: a sequence number appears twice, more entries exist than the counter says, or an entry carries
  the leaf hash of the entry before it (an entry was inserted and later ones renumbered: the finding names the
  inserted position);
* ``reordering``: both of the above at the same position (two neighbours swapped);
* ``modification``: the leaf recomputed from the stored fields differs from the stored leaf hash, or the root of a
  signed head differs from the recomputed root while every leaf matches its stored hash (someone rewrote fields and
  hashes together: the finding names the first entry after the last head that still matches);
* ``head``: a tree head whose signature does not verify, whose key is not the given one, or whose size goes back;
  only authentic heads are compared with the recomputed roots. Also a head that was *witnessed* (kept outside the
  store: the node's heads journal, an oversight body's export, see :mod:`palermo.audit.witness`) but is missing
  from the store: heads were deleted;
* ``deletion`` also when a signed or witnessed head committed to more entries than the store now holds (the log
  was truncated, or rolled back with its counter rewound: the finding names the first missing entry and says which);
* ``journal``: the heads journal was edited (its hash chain breaks at the named line).

Witnessed heads are checked exactly like stored ones: a log rewritten after its heads were deleted, even with every
leaf hash recomputed, no longer matches the witnessed roots, and the finding names where it stops matching.

The report's ``first`` is the finding with the lowest sequence number: where the log stops being what was logged.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from sqlalchemy.orm import Session

from palermo.audit.entries import record_leaf_hash
from palermo.audit.keys import journal_path, key_id
from palermo.audit.log import log_size, row_record, stream_rows
from palermo.audit.merkle import CompactTree
from palermo.audit.tree_heads import SignedHead, heads_in_order
from palermo.audit.witness import read_journal, unique_heads
from palermo.db.audit import TreeHead

MAX_FINDINGS = 100


@dataclass(frozen=True)
class Checkpoint:
    """A root the log must reproduce at a size: an authentic stored head (with its id) or a witnessed one."""

    tree_size: int
    root_hash: bytes
    head_id: int | None
    witnessed_only: bool = False

    def label(self) -> str:
        return (
            f"a head witnessed outside the store at size {self.tree_size}"
            if self.witnessed_only
            else (f"the head signed at size {self.tree_size}")
        )


@dataclass(frozen=True)
class Finding:
    kind: str
    seq: int | None
    detail: str
    head_id: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "seq": self.seq, "head_id": self.head_id, "detail": self.detail}


@dataclass
class VerificationReport:
    entries: int = 0
    heads: int = 0
    heads_matched: int = 0
    witnessed: int = 0
    findings: list[Finding] = field(default_factory=list)
    truncated: bool = False

    @property
    def ok(self) -> bool:
        return not self.findings

    @property
    def first(self) -> Finding | None:
        """The earliest problem in the log (lowest sequence number); else the first head problem."""
        located = [f for f in self.findings if f.seq is not None]
        if located:
            return min(located, key=lambda f: f.seq or 0)
        return self.findings[0] if self.findings else None

    def add(self, finding: Finding) -> None:
        if len(self.findings) < MAX_FINDINGS:
            self.findings.append(finding)
        else:
            self.truncated = True

    def to_dict(self) -> dict[str, Any]:
        first = self.first
        return {
            "ok": self.ok,
            "entries": self.entries,
            "heads": self.heads,
            "heads_matched": self.heads_matched,
            "heads_witnessed": self.witnessed,
            "first": first.to_dict() if first else None,
            "findings": [f.to_dict() for f in self.findings],
            "findings_truncated": self.truncated,
        }


def _check_head_signatures(
    heads: list[TreeHead], public_key: Ed25519PublicKey, report: VerificationReport
) -> list[Checkpoint]:
    """Report heads with a foreign key, a bad signature or a size going back; return the authentic ones."""
    expected_key = key_id(public_key)
    previous: TreeHead | None = None
    authentic: list[TreeHead] = []
    for head in sorted(heads, key=lambda h: h.id):
        signed = SignedHead.from_row(head)
        if head.key_id != expected_key:
            report.add(Finding("head", None, f"signed with key {head.key_id}, not {expected_key}", head.id))
        elif not signed.signature_valid(public_key):
            report.add(Finding("head", None, f"signature invalid for tree size {head.tree_size}", head.id))
        else:
            authentic.append(head)
        if previous is not None and head.tree_size < previous.tree_size:
            report.add(
                Finding(
                    "head", None, f"tree size {head.tree_size} is smaller than earlier {previous.tree_size}", head.id
                )
            )
        previous = head
    return [
        Checkpoint(h.tree_size, bytes(h.root_hash), h.id) for h in sorted(authentic, key=lambda h: (h.tree_size, h.id))
    ]


def _witnessed_checkpoints(
    witnessed: Sequence[SignedHead], stored: list[Checkpoint], public_key: Ed25519PublicKey, report: VerificationReport
) -> list[Checkpoint]:
    """Authentic witnessed heads the store lacks: each is a deleted head, and a checkpoint for the walk."""
    expected_key = key_id(public_key)
    have = {(c.tree_size, c.root_hash) for c in stored}
    extra: dict[tuple[int, bytes], Checkpoint] = {}
    for head in witnessed:
        if head.key_id != expected_key or not head.signature_valid(public_key):
            continue  # not ours: an export of another node, or a forged line (the journal's chain says which)
        if (head.tree_size, head.root_hash) in have or (head.tree_size, head.root_hash) in extra:
            continue
        extra[(head.tree_size, head.root_hash)] = Checkpoint(head.tree_size, head.root_hash, None, witnessed_only=True)
        report.add(
            Finding(
                "head",
                None,
                f"the head signed at size {head.tree_size} on {head.signed_at} was witnessed outside the store but "
                "is missing from it: tree heads were deleted",
            )
        )
    return sorted([*stored, *extra.values()], key=lambda c: (c.tree_size, c.head_id is None, c.head_id or 0))


def _moved(record: dict[str, Any], stored: bytes) -> int | None:
    """The sequence number (seq - 1 or seq + 1) under which these fields hash to the stored leaf, if any."""
    seq = record["seq"]
    for other in (seq - 1, seq + 1):
        if other >= 0 and record_leaf_hash({**record, "seq": other}) == stored:
            return int(other)
    return None


class _Walker:
    """State of the single pass: expected next seq, the recomputed tree, the heads still to match."""

    def __init__(self, heads: list[Checkpoint], report: VerificationReport) -> None:
        self.report = report
        self.tree = CompactTree()
        self.heads: Iterator[Checkpoint] = iter(heads)
        self.next_head = next(self.heads, None)
        self.last_good_size = 0
        self.explained = False  # a leaf finding since the last matching head explains a root mismatch
        self.broken = False  # after a gap or duplicate the recomputed tree no longer means anything

    def match_heads(self) -> None:
        while self.next_head is not None and self.next_head.tree_size <= self.tree.size and not self.broken:
            head = self.next_head
            if self.tree.root() == head.root_hash:
                self.report.heads_matched += 1
                self.last_good_size = head.tree_size
                self.explained = False
            elif not self.explained:
                self.report.add(
                    Finding(
                        "modification",
                        self.last_good_size,
                        f"entries {self.last_good_size}..{head.tree_size - 1} differ from what {head.label()} "
                        "committed to, though each matches its stored hash (fields and hashes rewritten together, "
                        "or the log rolled back and written anew)",
                        head.head_id,
                    )
                )
            self.next_head = next(self.heads, None)

    def entry(self, row: Any) -> None:
        record = row_record(row)
        stored = bytes(row.leaf_hash)
        leaf = record_leaf_hash(record)
        if leaf != stored:
            self._leaf_mismatch(record, stored)
        self.tree.append(leaf)
        self.match_heads()

    def _leaf_mismatch(self, record: dict[str, Any], stored: bytes) -> None:
        self.explained = True
        seq = record["seq"]
        moved = _moved(record, stored)
        if moved == seq - 1:
            detail = f"entry {seq} was logged as {seq - 1}: an entry was inserted at or before {seq - 1}"
            self.report.add(Finding("insertion", seq - 1, detail))
        elif moved == seq + 1:
            detail = f"entry {seq} was logged as {seq + 1}: an entry at or before {seq} was deleted or moved"
            self.report.add(Finding("deletion", seq, detail))
        else:
            self.report.add(
                Finding("modification", seq, f"fields of entry {seq} do not hash to its leaf hash (altered or swapped)")
            )


def _merge_swaps(report: VerificationReport) -> None:
    """A deletion and an insertion found at the same position are two neighbours swapped."""
    deleted = {f.seq for f in report.findings if f.kind == "deletion" and "was logged as" in f.detail}
    inserted = {f.seq for f in report.findings if f.kind == "insertion" and "was logged as" in f.detail}
    for seq in sorted(s for s in deleted & inserted if s is not None):
        report.findings = [f for f in report.findings if f.seq != seq or f.kind not in ("deletion", "insertion")]
        report.add(Finding("reordering", seq, f"entries {seq} and {seq + 1} were swapped"))


def verify_log(
    session: Session, public_key: Ed25519PublicKey, witnessed: Sequence[SignedHead] = ()
) -> VerificationReport:
    """Check every entry, the tree, every signed head and every ``witnessed`` head (see the module documentation)."""
    report = VerificationReport()
    heads = heads_in_order(session)
    report.heads = len(heads)
    authentic = _check_head_signatures(heads, public_key, report)
    walker = _Walker(_witnessed_checkpoints(witnessed, authentic, public_key, report), report)
    walker.match_heads()
    expected = 0
    for row in stream_rows(session):
        report.entries += 1
        if row.seq < expected:
            report.add(Finding("insertion", row.seq, f"sequence number {row.seq} appears more than once"))
            walker.broken = True
            continue
        if row.seq > expected:
            report.add(Finding("deletion", expected, f"entries {expected}..{row.seq - 1} are missing"))
            walker.broken = True
            expected = row.seq
        walker.entry(row)
        expected += 1
    _check_end(session, walker, expected, report)
    _merge_swaps(report)
    return report


def _check_end(session: Session, walker: _Walker, expected: int, report: VerificationReport) -> None:
    counter = log_size(session)
    if counter > expected:
        report.add(Finding("deletion", expected, f"the log counted {counter} entries, only {expected} are stored"))
    elif counter < expected:
        report.add(Finding("insertion", counter, f"the log counted {counter} entries, {expected} are stored"))
    if walker.next_head is not None and not walker.broken:
        head = walker.next_head
        cut = "and the counter was rewound with it" if counter == expected else "though the counter says otherwise"
        report.add(
            Finding(
                "deletion",
                expected,
                f"{head.label()} committed to {head.tree_size} entries, only {expected} are stored ({cut}): the log "
                f"was cut or rolled back after entry {expected - 1}",
                head.head_id,
            )
        )


def verify_node_log(
    session: Session, public_key: Ed25519PublicKey, home: Path, other_heads: Sequence[SignedHead] = ()
) -> VerificationReport:
    """:func:`verify_log` against the node's heads journal and ``other_heads`` (e.g. an oversight body's export)."""
    journal = read_journal(journal_path(home))
    report = verify_log(session, public_key, unique_heads([*journal.heads, *other_heads]))
    for problem in journal.problems:
        report.add(Finding("journal", None, problem.detail))
    report.witnessed = len(journal.heads) + len(other_heads)
    return report
