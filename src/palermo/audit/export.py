"""Exports for an oversight body, and a standalone verifier for them.

An export (format ``palermo-audit-export/1``, see ``docs/audit.md``) holds every entry from the first one logged at
or after ``since`` up to the latest signed tree head, each with its record and an inclusion proof against that
head, plus the heads signed in that window with consistency proofs to the latest. :func:`verify_export` needs only
the export, the node's pinned public key, :mod:`palermo.audit.merkle` and canonical JSON: no database.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from sqlalchemy import select
from sqlalchemy.orm import Session

from palermo.audit import merkle
from palermo.audit.entries import record_leaf_hash, utc_text
from palermo.audit.keys import key_id, public_key_bytes
from palermo.audit.log import row_record, stored_leaf_hashes, stream_rows
from palermo.audit.tree_heads import SignedHead
from palermo.db.audit import AuditEntry, TreeHead
from palermo.errors import InvalidInput, NotFound, StoreError

FORMAT = "palermo-audit-export/1"


def _first_seq_since(session: Session, since: dt.datetime, size: int) -> int:
    first = session.execute(
        select(AuditEntry.seq).where(AuditEntry.logged_at >= since, AuditEntry.seq < size).order_by(AuditEntry.seq)
    ).first()
    return size if first is None else int(first[0])


def _latest_head(session: Session) -> TreeHead:
    head = session.scalars(select(TreeHead).order_by(TreeHead.tree_size.desc(), TreeHead.id.desc())).first()
    if head is None:
        raise NotFound("no signed tree head yet; run `palermo audit sign` before exporting")
    return head


def export_since(session: Session, since: dt.datetime, public_key: Ed25519PublicKey | None = None) -> dict[str, Any]:
    """Entries logged since ``since`` (up to the latest signed head) with the proofs to verify them independently."""
    head = _latest_head(session)
    size = head.tree_size
    first = _first_seq_since(session, since, size)
    prefix = merkle.CompactTree()
    prefix.extend(stored_leaf_hashes(session, 0, first))
    records = [row_record(row) for row in stream_rows(session, first, size)]
    if [r["seq"] for r in records] != list(range(first, size)):
        raise StoreError(f"audit entries {first}..{size - 1} are not all present once; run `palermo audit verify`")
    tree = merkle.PartialTree(prefix.frontier, first, [record_leaf_hash(r) for r in records])
    window_heads = session.scalars(
        select(TreeHead).where(TreeHead.tree_size >= max(first, 1), TreeHead.id != head.id).order_by(TreeHead.id)
    )
    return {
        "format": FORMAT,
        "since": utc_text(since),
        "exported_at": utc_text(dt.datetime.now(dt.UTC)),
        "public_key": _public_key_dict(public_key),
        "tree_head": SignedHead.from_row(head).to_dict(),
        "entries": [
            {"record": record, "inclusion_proof": [h.hex() for h in tree.inclusion_path(record["seq"])]}
            for record in records
        ],
        "earlier_heads": [
            {
                "tree_head": SignedHead.from_row(h).to_dict(),
                "consistency_proof": [x.hex() for x in tree.consistency_path(h.tree_size)],
            }
            for h in window_heads
        ],
    }


def _public_key_dict(public_key: Ed25519PublicKey | None) -> dict[str, str] | None:
    if public_key is None:
        return None
    return {"algorithm": "Ed25519", "key_id": key_id(public_key), "raw_hex": public_key_bytes(public_key).hex()}


@dataclass
class ExportCheck:
    """Outcome of :func:`verify_export`: ``ok`` when every signature and proof holds."""

    entries_verified: int = 0
    heads_verified: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def to_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "entries_verified": self.entries_verified,
            "heads_verified": self.heads_verified,
            "problems": self.problems,
        }


def _check_head(head: SignedHead, public_key: Ed25519PublicKey, what: str, check: ExportCheck) -> bool:
    if head.key_id != key_id(public_key):
        check.problems.append(f"{what} is signed by key {head.key_id}, not the pinned {key_id(public_key)}")
        return False
    if not head.signature_valid(public_key):
        check.problems.append(f"{what} (size {head.tree_size}) has an invalid signature")
        return False
    return True


def _check_entries(export: dict[str, Any], head: SignedHead, check: ExportCheck) -> None:
    for item in export["entries"]:
        record = item["record"]
        seq = record["seq"]
        proof = [bytes.fromhex(h) for h in item["inclusion_proof"]]
        if merkle.verify_inclusion(seq, head.tree_size, record_leaf_hash(record), proof, head.root_hash):
            check.entries_verified += 1
        else:
            check.problems.append(f"entry {seq} is not in the signed tree of size {head.tree_size} as exported")
    seqs = [item["record"]["seq"] for item in export["entries"]]
    if seqs and seqs != list(range(seqs[0], head.tree_size)):
        check.problems.append(f"entries are not the contiguous range {seqs[0]}..{head.tree_size - 1}")


def _check_earlier_heads(export: dict[str, Any], head: SignedHead, key: Ed25519PublicKey, check: ExportCheck) -> None:
    for item in export["earlier_heads"]:
        earlier = SignedHead.from_dict(item["tree_head"])
        what = f"earlier head of size {earlier.tree_size}"
        if not _check_head(earlier, key, what, check):
            continue
        proof = [bytes.fromhex(h) for h in item["consistency_proof"]]
        if merkle.verify_consistency(earlier.tree_size, head.tree_size, earlier.root_hash, head.root_hash, proof):
            check.heads_verified += 1
        else:
            check.problems.append(f"{what} is not consistent with the latest head (the log was rewritten)")


def verify_export(export: dict[str, Any], public_key: Ed25519PublicKey) -> ExportCheck:
    """Verify an export with the node's public key obtained independently (pinned), not the one inside it."""
    if export.get("format") != FORMAT:
        raise InvalidInput(f"not a Palermo audit export: format {export.get('format')!r}, expected {FORMAT!r}")
    check = ExportCheck()
    head = SignedHead.from_dict(export["tree_head"])
    if not _check_head(head, public_key, "the latest tree head", check):
        return check
    check.heads_verified += 1
    _check_entries(export, head, check)
    _check_earlier_heads(export, head, public_key, check)
    return check
