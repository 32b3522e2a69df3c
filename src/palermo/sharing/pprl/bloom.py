"""Keyed Bloom filters of token sets, and the hardening transforms applied to them.

*Random hashing*: a token sets the ``k`` positions read from one HMAC-SHA512 of it under the field's key (32 16-bit
values); double hashing (``h1 + i*h2``, the classic construction) leaves a pattern that lets an attacker find the
positions of frequent q-grams (Kroll & Steinmetzer 2015), so it is kept only to measure what random hashing costs
(nothing). *Balancing* (Schnell & Borgs 2016) appends the filter's complement and permutes the result under the
key: every filter then has exactly half its bits set, so the number of bits set no longer tells how long a name
is. *XOR-folding* (Schnell, Borgs & Encheva 2016) folds a filter onto itself: a set bit no longer tells which
q-gram set it. Both cost accuracy, measured in benchmarks/pprl.py.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterable
from functools import lru_cache

import numpy as np
import numpy.typing as npt

Bits = npt.NDArray[np.bool_]


def random_positions(key: bytes, token: str, hashes: int, bits: int) -> list[int]:
    digest = hmac.new(key, token.encode(), hashlib.sha512).digest()
    return [int.from_bytes(digest[2 * i : 2 * i + 2], "little") % bits for i in range(hashes)]


def double_hash_positions(key: bytes, token: str, hashes: int, bits: int) -> list[int]:
    digest = hmac.new(key, token.encode(), hashlib.sha256).digest()
    h1, h2 = int.from_bytes(digest[:8], "little"), int.from_bytes(digest[8:16], "little")
    return [(h1 + i * h2) % bits for i in range(hashes)]


@lru_cache(maxsize=1_000_000)
def positions(key: bytes, token: str, hashes: int, bits: int, random_hashing: bool) -> tuple[int, ...]:
    """The positions a token sets (cached: the same letter pairs recur in every name)."""
    compute = random_positions if random_hashing else double_hash_positions
    return tuple(compute(key, token, hashes, bits))


def bloom_filter(key: bytes, tokens: Iterable[str], hashes: int, bits: int, *, random_hashing: bool = True) -> Bits:
    out = np.zeros(bits, dtype=np.bool_)
    out[[p for token in tokens for p in positions(key, token, hashes, bits, random_hashing)]] = True
    return out


def _permutation(key: bytes, length: int) -> npt.NDArray[np.intp]:
    seed = int.from_bytes(hmac.new(key, b"balance-permutation", hashlib.sha256).digest(), "little")
    return np.random.Generator(np.random.PCG64(seed)).permutation(length)


def balanced(key: bytes, bloom: Bits) -> Bits:
    """The filter and its complement, permuted under the key: always exactly half the bits set."""
    return np.concatenate([bloom, ~bloom])[_permutation(key, 2 * len(bloom))]


def xor_folded(bloom: Bits) -> Bits:
    """The two halves of the filter XORed together (half the length); a filter under 128 bits stays as it is (its
    half would not fill a 64-bit word)."""
    half = len(bloom) // 2
    return bloom if half < 64 else bloom[:half] ^ bloom[half:]
