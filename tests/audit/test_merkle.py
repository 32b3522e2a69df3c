"""RFC 9162 hashing and proofs against the transparency-dev/merkle vectors, plus properties."""

from __future__ import annotations

import base64
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from palermo.audit import merkle

VECTORS = json.loads((Path(__file__).parent / "data" / "merkle_vectors.json").read_text(encoding="utf-8"))
LEAVES = [merkle.leaf_hash(bytes.fromhex(x)) for x in VECTORS["leaf_inputs_hex"]]


def b64(value: str) -> bytes:
    return base64.b64decode(value)


def test_leaf_hashes_match_reference() -> None:
    assert [h.hex() for h in LEAVES] == VECTORS["leaf_hashes_hex"]


@pytest.mark.parametrize("size", range(9))
def test_roots_match_reference_for_every_size(size: int) -> None:
    assert merkle.root_of(LEAVES[:size]).hex() == VECTORS["root_hashes_hex_by_size"][size]


def test_compact_tree_resumes_from_frontier() -> None:
    tree = merkle.CompactTree()
    tree.extend(LEAVES[:5])
    resumed = merkle.CompactTree(tree.frontier, tree.size)
    resumed.extend(LEAVES[5:])
    assert resumed.root().hex() == VECTORS["root_hashes_hex_by_size"][8]


def test_frontier_ranges_match_the_frontier() -> None:
    tree = merkle.CompactTree()
    tree.extend(LEAVES[:7])
    assert merkle.frontier_ranges(7) == [(0, 4), (4, 6), (6, 7)]
    assert tree.frontier == [merkle.root_of(LEAVES[s:e]) for s, e in merkle.frontier_ranges(7)]


def test_compact_tree_refuses_a_frontier_of_the_wrong_length() -> None:
    with pytest.raises(ValueError, match="frontier"):
        merkle.CompactTree([LEAVES[0]], 3)


@pytest.mark.parametrize("case", VECTORS["inclusion"], ids=lambda c: c["file"])
def test_inclusion_vectors(case: dict[str, Any]) -> None:
    proof = [b64(p) for p in case["proof"]]
    ok = merkle.verify_inclusion(case["leafIdx"], case["treeSize"], b64(case["leafHash"]), proof, b64(case["root"]))
    assert ok is not case["wantErr"]


@pytest.mark.parametrize("case", [c for c in VECTORS["inclusion"] if not c["wantErr"]], ids=lambda c: c["file"])
def test_generated_inclusion_proofs_equal_reference(case: dict[str, Any]) -> None:
    leaves = LEAVES[: case["treeSize"]]
    assert merkle.inclusion_path(case["leafIdx"], leaves) == [b64(p) for p in case["proof"]]


@pytest.mark.parametrize("case", VECTORS["consistency"], ids=lambda c: c["file"])
def test_consistency_vectors(case: dict[str, Any]) -> None:
    proof = [b64(p) for p in case["proof"]]
    ok = merkle.verify_consistency(case["size1"], case["size2"], b64(case["root1"]), b64(case["root2"]), proof)
    assert ok is not case["wantErr"]


@pytest.mark.parametrize("case", [c for c in VECTORS["consistency"] if not c["wantErr"]], ids=lambda c: c["file"])
def test_generated_consistency_proofs_equal_reference(case: dict[str, Any]) -> None:
    leaves = LEAVES[: case["size2"]]
    assert merkle.consistency_path(case["size1"], leaves) == [b64(p) for p in case["proof"]]


def test_proof_ranges_refuse_impossible_sizes() -> None:
    with pytest.raises(ValueError, match="outside"):
        merkle.inclusion_ranges(3, 3)
    with pytest.raises(ValueError, match="old <= new"):
        merkle.consistency_ranges(4, 3)


def test_consistency_from_empty_tree_is_an_empty_proof() -> None:
    assert merkle.consistency_path(0, LEAVES) == []
    assert merkle.verify_consistency(0, 8, merkle.EMPTY_ROOT, merkle.root_of(LEAVES), [])
    assert not merkle.verify_consistency(0, 8, merkle.EMPTY_ROOT, merkle.root_of(LEAVES), [LEAVES[0]])


def flip(proof: list[bytes], at: int, bit: int) -> list[bytes]:
    """The proof with one bit of one hash flipped."""
    changed = bytearray(proof[at])
    changed[bit // 8] ^= 1 << (bit % 8)
    return [*proof[:at], bytes(changed), *proof[at + 1 :]]


def naive_mth(leaves: list[bytes]) -> bytes:
    """RFC 9162's recursive definition, written independently of the streaming code."""
    if not leaves:
        return merkle.EMPTY_ROOT
    if len(leaves) == 1:
        return leaves[0]
    k = 1
    while k * 2 < len(leaves):
        k *= 2
    return merkle.node_hash(naive_mth(leaves[:k]), naive_mth(leaves[k:]))


leaf_lists = st.lists(st.binary(max_size=8), min_size=1, max_size=70, unique=True).map(
    lambda xs: [merkle.leaf_hash(x) for x in xs]
)


@given(leaf_lists)
def test_streaming_root_equals_recursive_definition(leaves: list[bytes]) -> None:
    assert merkle.root_of(leaves) == naive_mth(leaves)


@given(leaf_lists, st.data())
def test_any_inclusion_proof_verifies_and_any_change_fails(leaves: list[bytes], data: st.DataObject) -> None:
    index = data.draw(st.integers(0, len(leaves) - 1))
    proof = merkle.inclusion_path(index, leaves)
    root = merkle.root_of(leaves)
    assert merkle.verify_inclusion(index, len(leaves), leaves[index], proof, root)
    other = data.draw(st.integers(0, len(leaves) - 1).filter(lambda i: i != index)) if len(leaves) > 1 else None
    if other is not None:
        assert not merkle.verify_inclusion(other, len(leaves), leaves[index], proof, root)
    assert not merkle.verify_inclusion(index, len(leaves), merkle.leaf_hash(b"forged"), proof, root)
    assert not merkle.verify_inclusion(index, len(leaves), leaves[index], [*proof, root], root)
    if proof:
        assert not merkle.verify_inclusion(index, len(leaves), leaves[index], proof[:-1], root)
        at = data.draw(st.integers(0, len(proof) - 1))
        bit = data.draw(st.integers(0, 8 * merkle.HASH_SIZE - 1))
        flipped = bytearray(proof[at])
        flipped[bit // 8] ^= 1 << (bit % 8)
        assert not merkle.verify_inclusion(
            index, len(leaves), leaves[index], [*proof[:at], bytes(flipped), *proof[at + 1 :]], root
        )


@given(leaf_lists, st.data())
def test_any_consistency_proof_verifies_and_any_change_fails(leaves: list[bytes], data: st.DataObject) -> None:
    old = data.draw(st.integers(1, len(leaves)))
    proof = merkle.consistency_path(old, leaves)
    old_root, new_root = merkle.root_of(leaves[:old]), merkle.root_of(leaves)
    assert merkle.verify_consistency(old, len(leaves), old_root, new_root, proof)
    if old == len(leaves):
        return
    assert not merkle.verify_consistency(old, len(leaves), new_root, old_root, proof)
    assert not merkle.verify_consistency(old, len(leaves), merkle.leaf_hash(b"x"), new_root, proof)
    assert not merkle.verify_consistency(old, len(leaves), old_root, new_root, proof[:-1])
    assert not merkle.verify_consistency(old, len(leaves), old_root, new_root, [*proof, old_root])
    at = data.draw(st.integers(0, len(proof) - 1))
    bit = data.draw(st.integers(0, 8 * merkle.HASH_SIZE - 1))
    flipped = bytearray(proof[at])
    flipped[bit // 8] ^= 1 << (bit % 8)
    assert not merkle.verify_consistency(
        old, len(leaves), old_root, new_root, [*proof[:at], bytes(flipped), *proof[at + 1 :]]
    )


@given(leaf_lists, st.data())
def test_partial_tree_proofs_equal_full_proofs(leaves: list[bytes], data: st.DataObject) -> None:
    first = data.draw(st.integers(0, len(leaves)))
    prefix = merkle.CompactTree()
    prefix.extend(leaves[:first])
    partial = merkle.PartialTree(prefix.frontier, first, leaves[first:])
    assert partial.root() == merkle.root_of(leaves)
    for index in range(first, len(leaves)):
        assert partial.inclusion_path(index) == merkle.inclusion_path(index, leaves)
    for old in range(max(first, 1), len(leaves) + 1):
        assert partial.consistency_path(old) == merkle.consistency_path(old, leaves)
