"""Stored keys within an edit similarity of a query key, without comparing the query with every key.

The vocabulary looks up each query token's edit-distance neighbours (OSA, normalised by the longer string, at the
index's ``edit_floor``). Compared with every stored key, that scan grew with the vocabulary: 3-4 ms of CPU a query
token at 31k distinct tokens, most of a screening's time on a large list. Two lower bounds on the distance that can
never drop a neighbour narrow the keys compared first:

* **length**: a distance ``d`` changes the length by at most ``d``. The keys are kept in buckets by length, so a query
  reads only the buckets of the lengths it can reach (about 60% of a large vocabulary at ``edit_floor`` 0.6);
* **letters**: a substitution takes one letter out of a key's multiset of letters and puts one in, an insertion or a
  deletion changes one letter, a transposition none, so ``d`` is at least the bag distance: the larger of the
  letters one key has beyond the other's, counted with repeats. Each key holds its letters as a 64-bit mask, two
  bits per letter class (``ord % 32``; the 26 Latin letters of a key each their own): the first bit for one
  occurrence, the second for two or more. Letters folded into one class and counts capped at two can only shrink
  the bag distance, so the bound stays a lower bound, and over a bucket it costs one AND and one popcount a key:
  ``popcount(key & ~query) = popcount(key) - popcount(key & query)`` and the same for the query.

The earlier filter, a shared-bigram count (the q-gram lemma), needed at most two shared bigrams at ``edit_floor`` 0.6
for any length and kept about 30% of the vocabulary at an O(vocabulary) cost a query token; the letter bound keeps
about 1.5% (470 of 32k keys, 63 of them real neighbours, on the screening benchmark's list of 100k persons).
The survivors are scored with rapidfuzz exactly as before, in vocabulary order, so the result, ties included, is the
exhaustive scan's (``tests/screening/test_edit_neighbours.py`` holds it so).
"""

from __future__ import annotations

from itertools import pairwise

import numpy as np
from numpy.typing import NDArray
from rapidfuzz import process
from rapidfuzz.distance import OSA

_EPSILON = 1e-9  # (1 - floor) * length in floating point: round the allowed distance up, never down
_CLASSES = 32  # letter classes of the mask: 2 bits each in 64
_MASK_BITS = 2 * _CLASSES  # a bag distance over the masks is at most this


def letter_mask(key: str) -> int:
    """Bit ``2c`` when the key has a letter of class ``c`` (``ord % 32``), bit ``2c + 1`` when it has two or more."""
    mask = 0
    for char in key:
        bit = 1 << (2 * (ord(char) % _CLASSES))
        mask |= bit << 1 if mask & bit else bit
    return mask


class _Bucket:
    """The keys of one length: their letter masks, the masks' popcounts and the keys' vocabulary indexes."""

    __slots__ = ("counts", "ids", "masks")

    def __init__(self, masks: NDArray[np.uint64], ids: NDArray[np.int64]) -> None:
        self.masks = masks
        self.counts: NDArray[np.uint8] = np.bitwise_count(masks)
        self.ids = ids


class EditNeighbours:
    """``keys`` in buckets by length with their letter masks (built once, read by any thread)."""

    def __init__(self, keys: list[str]) -> None:
        self.size = len(keys)
        self._keys = np.array(keys, dtype=object)  # rapidfuzz reads a gathered object array as a list, without one
        lengths = np.fromiter((len(k) for k in keys), dtype=np.int64, count=len(keys))
        order = np.argsort(lengths, kind="stable")  # vocabulary order within a length
        masks = np.fromiter((letter_mask(k) for k in keys), dtype=np.uint64, count=len(keys))[order]
        top = int(lengths.max()) if len(keys) else -1
        starts = np.searchsorted(lengths[order], np.arange(top + 2)).tolist()
        self._buckets = [_Bucket(masks[start:end], order[start:end]) for start, end in pairwise(starts)]

    def within(self, query: str, floor: float, limit: int) -> list[tuple[int, float]]:
        """``(key index, similarity)`` of the ``limit`` most similar keys with similarity >= ``floor``, best first."""
        kept = self._candidates(query, floor)
        if not len(kept):
            return []
        found = process.extract(
            query, self._keys[kept], scorer=OSA.normalized_similarity, score_cutoff=floor, limit=limit
        )
        return [(int(kept[position]), float(score)) for _, score, position in found]

    def _candidates(self, query: str, floor: float) -> NDArray[np.int64]:
        """Vocabulary indexes, ascending, of the keys the length and letter bounds leave within reach of ``query``."""
        length = len(query)
        mask = letter_mask(query)
        query_mask, query_count = np.uint64(mask), mask.bit_count()
        parts = []
        for key_length, bucket in enumerate(self._buckets):
            allowed = int((1.0 - floor) * max(key_length, length) + _EPSILON)
            if abs(key_length - length) > allowed:
                if key_length > length:  # the length gap grows faster than the allowed distance from here on
                    break
                continue
            if not len(bucket.ids):
                continue
            if allowed >= _MASK_BITS:  # the letter bound cannot rule out a key of this length
                parts.append(bucket.ids)
                continue
            common = np.bitwise_count(bucket.masks & query_mask)
            # bag distance <= allowed, on both sides: count(key) - common and count(query) - common
            keep = common + np.uint8(allowed) >= bucket.counts
            if query_count > allowed:
                keep &= common >= query_count - allowed
            parts.append(bucket.ids[keep])
        if not parts:
            return np.zeros(0, dtype=np.int64)
        return np.sort(np.concatenate(parts))
