"""Inclusion and consistency proofs over the stored log (RFC 9162), computed in one streaming pass.

A proof's nodes are hashes of disjoint leaf ranges (:mod:`palermo.audit.merkle`); they are hashed while the stored
leaf hashes of ``[0, tree size)`` stream past once, so memory stays O(log n) whatever the log's size. Each proof
says which signed tree head (if any) has the same size, so it can be checked against a signature.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from palermo.audit import merkle
from palermo.audit.log import log_size, stored_leaf_hashes
from palermo.audit.tree_heads import SignedHead
from palermo.db.audit import TreeHead
from palermo.errors import InvalidInput


def _signed_head(session: Session, size: int) -> SignedHead | None:
    row = session.scalars(select(TreeHead).where(TreeHead.tree_size == size).order_by(TreeHead.id.desc())).first()
    return SignedHead.from_row(row) if row is not None else None


def _default_size(session: Session) -> int:
    """The size of the latest signed head, or the whole log when none was signed."""
    row = session.scalars(select(TreeHead).order_by(TreeHead.tree_size.desc(), TreeHead.id.desc())).first()
    return row.tree_size if row is not None else log_size(session)


def _check_size(session: Session, size: int) -> None:
    available = log_size(session)
    if not 0 < size <= available:
        raise InvalidInput(f"tree size {size} is not between 1 and the log's {available} entries")


def _roots_while(leaves: Iterator[bytes], marks: dict[int, bytes]) -> Iterator[bytes]:
    """Pass leaves through, recording the root after each size named in ``marks``."""
    tree = merkle.CompactTree()
    for leaf in leaves:
        tree.append(leaf)
        if tree.size in marks:
            marks[tree.size] = tree.root()
        yield leaf


def _hash_in_one_pass(
    session: Session, ranges: list[merkle.Range], size: int, marks: dict[int, bytes]
) -> dict[merkle.Range, bytes]:
    leaves = _roots_while(stored_leaf_hashes(session, 0, size), marks)
    hashes = merkle.hash_ranges(ranges, leaves)
    for _ in leaves:  # drain: the roots at the marks need every leaf
        pass
    return hashes


def inclusion_proof(session: Session, seq: int, tree_size: int | None = None) -> dict[str, Any]:
    """The proof that entry ``seq`` is in the tree of ``tree_size`` entries (default: the latest signed head)."""
    size = _default_size(session) if tree_size is None else tree_size
    _check_size(session, size)
    if not 0 <= seq < size:
        raise InvalidInput(f"entry {seq} is not in a tree of {size} entries")
    ranges = merkle.inclusion_ranges(seq, size)
    marks = {size: b""}
    hashes = _hash_in_one_pass(session, [*ranges, (seq, seq + 1)], size, marks)
    head = _signed_head(session, size)
    return {
        "seq": seq,
        "tree_size": size,
        "leaf_hash": hashes[(seq, seq + 1)].hex(),
        "root_hash": marks[size].hex(),
        "proof": [hashes[r].hex() for r in ranges],
        "tree_head": head.to_dict() if head else None,
    }


def consistency_proof(session: Session, old_size: int, new_size: int) -> dict[str, Any]:
    """The proof that the tree of ``old_size`` entries is a prefix of the tree of ``new_size`` entries."""
    _check_size(session, new_size)
    if not 0 < old_size <= new_size:
        raise InvalidInput(f"no consistency proof from {old_size} to {new_size} entries; need 0 < old <= new")
    ranges = merkle.consistency_ranges(old_size, new_size)
    marks = {old_size: b"", new_size: b""}
    hashes = _hash_in_one_pass(session, ranges, new_size, marks)
    old_head, new_head = _signed_head(session, old_size), _signed_head(session, new_size)
    return {
        "old_size": old_size,
        "new_size": new_size,
        "old_root_hash": marks[old_size].hex(),
        "new_root_hash": marks[new_size].hex(),
        "proof": [hashes[r].hex() for r in ranges],
        "old_tree_head": old_head.to_dict() if old_head else None,
        "new_tree_head": new_head.to_dict() if new_head else None,
    }
