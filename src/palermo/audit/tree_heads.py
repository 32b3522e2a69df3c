"""Signed tree heads: the node's Ed25519 signature over (tree size, root hash, time).

The signed message is the canonical JSON (see :func:`palermo.audit.entries.canonical_json`) of
``{"v": 1, "type": "palermo-audit-tree-head", "tree_size": n, "root_hash": "<hex>", "signed_at": "<UTC>"}``.
A new head is computed incrementally: from the frontier stored with the largest earlier head (checked against that
head's root first) over the entries appended since, each recomputed from its stored fields.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from sqlalchemy import select
from sqlalchemy.orm import Session

from palermo.audit.entries import canonical_json, utc_text
from palermo.audit.keys import SigningKey, verify_signature
from palermo.audit.log import log_size, recomputed_leaf_hashes
from palermo.audit.merkle import CompactTree
from palermo.db.audit import TreeHead
from palermo.logs import get_logger

log = get_logger(__name__)

HEAD_TYPE = "palermo-audit-tree-head"


@dataclass(frozen=True)
class SignedHead:
    """A tree head as it travels (export) or is checked; independent of the database row."""

    tree_size: int
    root_hash: bytes
    signed_at: str
    key_id: str
    signature: bytes

    def message(self) -> bytes:
        return head_message(self.tree_size, self.root_hash, self.signed_at)

    def to_dict(self) -> dict[str, Any]:
        return {
            "tree_size": self.tree_size,
            "root_hash": self.root_hash.hex(),
            "signed_at": self.signed_at,
            "key_id": self.key_id,
            "signature": self.signature.hex(),
        }

    @classmethod
    def from_dict(cls, raw: dict[str, Any]) -> SignedHead:
        return cls(
            tree_size=int(raw["tree_size"]),
            root_hash=bytes.fromhex(raw["root_hash"]),
            signed_at=str(raw["signed_at"]),
            key_id=str(raw["key_id"]),
            signature=bytes.fromhex(raw["signature"]),
        )

    @classmethod
    def from_row(cls, row: TreeHead) -> SignedHead:
        return cls(
            tree_size=row.tree_size,
            root_hash=bytes(row.root_hash),
            signed_at=utc_text(row.signed_at),
            key_id=row.key_id,
            signature=bytes(row.signature),
        )

    def signature_valid(self, public_key: Ed25519PublicKey) -> bool:
        return verify_signature(public_key, self.signature, self.message())


def head_message(tree_size: int, root_hash: bytes, signed_at: str) -> bytes:
    """The exact bytes a tree head signature covers."""
    return canonical_json(
        {"v": 1, "type": HEAD_TYPE, "tree_size": tree_size, "root_hash": root_hash.hex(), "signed_at": signed_at}
    )


def heads_in_order(session: Session) -> list[TreeHead]:
    """Every stored head, by tree size then by id."""
    return list(session.scalars(select(TreeHead).order_by(TreeHead.tree_size, TreeHead.id)))


def _resume_point(session: Session, size: int) -> CompactTree:
    """A compact tree from the largest head not beyond ``size`` whose stored frontier matches its root."""
    candidates = session.scalars(
        select(TreeHead).where(TreeHead.tree_size <= size).order_by(TreeHead.tree_size.desc(), TreeHead.id.desc())
    )
    for head in candidates:
        try:
            tree = CompactTree([bytes.fromhex(h) for h in head.frontier], head.tree_size)
        except ValueError:
            continue
        if tree.root() == bytes(head.root_hash):
            return tree
        log.warning("audit_head_frontier_mismatch", head_id=head.id, tree_size=head.tree_size)
    return CompactTree()


def current_tree(session: Session, size: int | None = None) -> CompactTree:
    """The compact tree of the first ``size`` entries (default: all), recomputed from their stored fields."""
    size = log_size(session) if size is None else size
    tree = _resume_point(session, size)
    tree.extend(recomputed_leaf_hashes(session, tree.size, size))
    return tree


def sign_tree_head(session: Session, key: SigningKey, *, note: str | None = None) -> TreeHead:
    """Compute the root of the whole log now and store a head signed with ``key`` (in the caller's transaction)."""
    tree = current_tree(session)
    signed_at = dt.datetime.now(dt.UTC)
    root = tree.root()
    signature = key.sign(head_message(tree.size, root, utc_text(signed_at)))
    head = TreeHead(
        tree_size=tree.size,
        root_hash=root,
        signed_at=signed_at,
        key_id=key.key_id,
        signature=signature,
        frontier=[h.hex() for h in tree.frontier],
        note=note,
    )
    session.add(head)
    session.flush()
    if key.journal is not None:
        from palermo.audit.witness import witness_on_commit  # witness builds on this module

        witness_on_commit(session, key.journal, SignedHead.from_row(head))
    log.info("audit_tree_head_signed", tree_size=tree.size, root_hash=root.hex(), key_id=key.key_id)
    return head
