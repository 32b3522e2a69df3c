"""Merkle tree hashing, inclusion and consistency proofs exactly as RFC 9162 (Certificate Transparency 2.0), 2.1.

Pure functions over bytes; no database. A tree of ``n`` leaves is the RFC's left-balanced tree: the left subtree
holds the largest power of two smaller than ``n`` leaves. Hashes are SHA-256 with domain separation: a leaf is
``SHA-256(0x00 || data)``, an interior node ``SHA-256(0x01 || left || right)``, the empty tree ``SHA-256("")``.

Every node of a proof is the hash of a contiguous range of leaves. The path functions therefore first compute
*which* ranges a proof needs (:func:`inclusion_ranges`, :func:`consistency_ranges`: no hashing), and then hash each
range; over a large log the ranges are hashed in one streaming pass (:func:`hash_ranges`) with O(log n) memory.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator, Sequence

HASH_SIZE = 32
LEAF_PREFIX = b"\x00"
NODE_PREFIX = b"\x01"
EMPTY_ROOT = hashlib.sha256(b"").digest()

Range = tuple[int, int]


def leaf_hash(data: bytes) -> bytes:
    """``SHA-256(0x00 || data)``: the hash of one leaf (RFC 9162 2.1.1)."""
    return hashlib.sha256(LEAF_PREFIX + data).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    """``SHA-256(0x01 || left || right)``: the hash of an interior node."""
    return hashlib.sha256(NODE_PREFIX + left + right).digest()


def split_point(n: int) -> int:
    """The largest power of two strictly smaller than ``n`` (``n >= 2``): the size of the left subtree."""
    return 1 << ((n - 1).bit_length() - 1)


class CompactTree:
    """Streaming root computation: one hash per set bit of the size (the perfect subtrees on the left edge).

    Appending is amortised O(1) hashes; memory is O(log n). ``frontier`` and ``size`` restore the state, so a root
    can be extended from an earlier one without re-reading the leaves before it.
    """

    __slots__ = ("_stack", "size")

    def __init__(self, frontier: Sequence[bytes] = (), size: int = 0) -> None:
        if len(frontier) != size.bit_count():
            raise ValueError(
                f"a compact tree of size {size} has {size.bit_count()} frontier hashes, not {len(frontier)}"
            )
        self._stack = list(frontier)
        self.size = size

    @property
    def frontier(self) -> list[bytes]:
        """Hashes of the perfect subtrees covering ``[0, size)``, largest (leftmost) first."""
        return list(self._stack)

    def append(self, leaf: bytes) -> None:
        """Add the next leaf hash."""
        stack = self._stack
        h = leaf
        s = self.size
        while s & 1:
            h = node_hash(stack.pop(), h)
            s >>= 1
        stack.append(h)
        self.size += 1

    def extend(self, leaves: Iterable[bytes]) -> None:
        for leaf in leaves:
            self.append(leaf)

    def root(self) -> bytes:
        """The RFC 9162 root (MTH) of the leaves appended so far."""
        if not self._stack:
            return EMPTY_ROOT
        h = self._stack[-1]
        for left in reversed(self._stack[:-1]):
            h = node_hash(left, h)
        return h


def frontier_ranges(size: int) -> list[Range]:
    """The leaf ranges of :attr:`CompactTree.frontier` for a tree of ``size`` leaves, leftmost first."""
    ranges: list[Range] = []
    start = 0
    for bit in reversed(range(size.bit_length())):
        if size >> bit & 1:
            ranges.append((start, start + (1 << bit)))
            start += 1 << bit
    return ranges


def root_of(leaves: Iterable[bytes]) -> bytes:
    """MTH of a sequence of leaf hashes, streamed."""
    tree = CompactTree()
    tree.extend(leaves)
    return tree.root()


def inclusion_ranges(index: int, size: int) -> list[Range]:
    """Leaf ranges whose hashes form the inclusion path of leaf ``index`` in a tree of ``size`` (PATH, 2.1.3.1).

    Bottom-up order: the sibling of the leaf first, the sibling nearest the root last.
    """
    if not 0 <= index < size:
        raise ValueError(f"leaf index {index} is outside a tree of size {size}")
    ranges: list[Range] = []
    start, end = 0, size
    while end - start > 1:
        k = split_point(end - start)
        if index - start < k:
            ranges.append((start + k, end))
            end = start + k
        else:
            ranges.append((start, start + k))
            start += k
    ranges.reverse()
    return ranges


def consistency_ranges(old: int, new: int) -> list[Range]:
    """Leaf ranges whose hashes form the consistency proof from ``old`` to ``new`` leaves (PROOF, 2.1.4.1)."""
    if not 0 <= old <= new:
        raise ValueError(f"no consistency proof from size {old} to size {new}; need 0 <= old <= new")
    if old in (0, new):
        return []
    ranges: list[Range] = []
    start, end, m, complete = 0, new, old, True
    while m != end - start:
        k = split_point(end - start)
        if m <= k:
            ranges.append((start + k, end))
            end = start + k
        else:
            ranges.append((start, start + k))
            m -= k
            start += k
            complete = False
    if not complete:
        ranges.append((start, end))
    ranges.reverse()
    return ranges


def hash_ranges(ranges: Sequence[Range], leaves: Iterator[bytes], first: int = 0) -> dict[Range, bytes]:
    """Hash disjoint leaf ranges in one pass over ``leaves`` (which yields leaf hashes from index ``first``)."""
    hashes: dict[Range, bytes] = {}
    position = first
    for start, end in sorted(ranges):
        if start < position:
            raise ValueError(f"range {start}..{end} overlaps an earlier one or starts before leaf {first}")
        for _ in range(start - position):
            next(leaves)
        tree = CompactTree()
        for _ in range(end - start):
            tree.append(next(leaves))
        hashes[(start, end)] = tree.root()
        position = end
    return hashes


def _path(ranges: list[Range], leaves: Sequence[bytes]) -> list[bytes]:
    hashes = hash_ranges(ranges, iter(leaves))
    return [hashes[r] for r in ranges]


def inclusion_path(index: int, leaves: Sequence[bytes]) -> list[bytes]:
    """The inclusion proof of leaf ``index`` in the tree of all ``leaves`` (leaf hashes)."""
    return _path(inclusion_ranges(index, len(leaves)), leaves)


def consistency_path(old: int, leaves: Sequence[bytes]) -> list[bytes]:
    """The consistency proof from the first ``old`` leaves to all ``leaves``."""
    return _path(consistency_ranges(old, len(leaves)), leaves)


def _well_formed(*hashes: bytes) -> bool:
    return all(len(h) == HASH_SIZE for h in hashes)


def verify_inclusion(index: int, size: int, leaf: bytes, proof: Sequence[bytes], root: bytes) -> bool:
    """RFC 9162 2.1.3.2: does ``proof`` show that ``leaf`` is leaf ``index`` of the tree of ``size`` with ``root``?"""
    return _well_formed(root) and root_from_inclusion(index, size, leaf, proof) == root


def root_from_inclusion(index: int, size: int, leaf: bytes, proof: Sequence[bytes]) -> bytes | None:
    """The root an inclusion proof leads to (RFC 9162 2.1.3.2), or ``None`` when the proof has the wrong shape."""
    if not 0 <= index < size or not _well_formed(leaf, *proof):
        return None
    fn, sn, r = index, size - 1, leaf
    for p in proof:
        if sn == 0:
            return None
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            while not fn & 1 and fn != 0:
                fn >>= 1
                sn >>= 1
        else:
            r = node_hash(r, p)
        fn >>= 1
        sn >>= 1
    return r if sn == 0 else None


def verify_consistency(old: int, new: int, old_root: bytes, new_root: bytes, proof: Sequence[bytes]) -> bool:
    """RFC 9162 2.1.4.2: does ``proof`` show that the tree of ``old`` leaves is a prefix of the one of ``new``?"""
    if not 0 <= old <= new or not _well_formed(old_root, new_root, *proof):
        return False
    if old == new:
        return not proof and old_root == new_root
    if old == 0:
        return not proof
    if not proof:
        return False
    path = list(proof)
    if old & (old - 1) == 0:
        path.insert(0, old_root)
    fn, sn = old - 1, new - 1
    while fn & 1:
        fn >>= 1
        sn >>= 1
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            fr = node_hash(c, fr)
            sr = node_hash(c, sr)
            while not fn & 1 and fn != 0:
                fn >>= 1
                sn >>= 1
        else:
            sr = node_hash(sr, c)
        fn >>= 1
        sn >>= 1
    return fr == old_root and sr == new_root and sn == 0


class PartialTree:
    """Hashes of tree nodes over leaves ``[first, size)`` held in memory, given the frontier of ``[0, first)``.

    Every node an inclusion proof of a leaf at or after ``first`` needs, or a consistency proof from a size at or
    after ``first``, is either made of those leaves or is one of the frontier's perfect subtrees; nodes are cached.
    """

    def __init__(self, frontier: Sequence[bytes], first: int, leaves: Sequence[bytes]) -> None:
        self.first = first
        self.size = first + len(leaves)
        self._leaves = leaves
        self._cache: dict[Range, bytes] = dict(zip(frontier_ranges(first), frontier, strict=True))

    def node(self, start: int, end: int) -> bytes:
        cached = self._cache.get((start, end))
        if cached is not None:
            return cached
        if end - start == 1:
            if self.first <= start < self.size:
                return self._leaves[start - self.first]
            raise ValueError(f"leaf {start} is neither held nor under a frontier subtree of size {self.first}")
        k = split_point(end - start)
        value = node_hash(self.node(start, start + k), self.node(start + k, end))
        self._cache[(start, end)] = value
        return value

    def root(self) -> bytes:
        return self.node(0, self.size) if self.size else EMPTY_ROOT

    def inclusion_path(self, index: int) -> list[bytes]:
        return [self.node(s, e) for s, e in inclusion_ranges(index, self.size)]

    def consistency_path(self, old: int) -> list[bytes]:
        return [self.node(s, e) for s, e in consistency_ranges(old, self.size)]
