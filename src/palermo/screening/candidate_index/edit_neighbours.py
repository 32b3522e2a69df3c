"""Stored keys within an edit similarity of a query key, without comparing the query with every key.

The vocabulary looks up each query token's edit-distance neighbours (OSA, normalised by the longer string, at the
index's ``edit_floor``). Compared with every stored key, that scan grew with the vocabulary: 3-4 ms of CPU a query
token at 31k distinct tokens, most of a screening's time on a large list. Two filters that can never drop a
neighbour narrow the keys compared first (the q-gram lemma for q = 2):

* **length**: a distance ``d`` changes the length by at most ``d``;
* **shared bigrams**: padded with a start and an end mark, a key of ``n`` letters has ``n + 1`` bigrams, and one
  edit changes at most three of them (a transposition of ``xy`` in ``axyb`` changes ``ax``, ``xy`` and ``yb``), so
  two keys within distance ``d`` share at least ``max(n, m) + 1 - 3d`` bigrams counted with repeats; counted as
  distinct bigrams, as the index below does, at least that less the query's repeated bigrams.

The survivors (about a tenth of a large vocabulary) are scored with rapidfuzz exactly as before, in vocabulary order,
so the result, ties included, is the exhaustive scan's (``tests/screening/test_edit_neighbours.py`` holds it so).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray
from rapidfuzz import process
from rapidfuzz.distance import OSA

_START, _END = "\x02", "\x03"
_EPSILON = 1e-9  # (1 - floor) * length in floating point: round the allowed distance up, never down
# one OSA operation changes at most this many padded bigrams (a transposition three, any other two)
_BIGRAMS_PER_EDIT = 3


def bigrams(key: str) -> list[str]:
    padded = f"{_START}{key}{_END}"
    return [padded[i : i + 2] for i in range(len(padded) - 1)]


class EditNeighbours:
    """An inverted index of ``keys`` by distinct padded bigram, with their lengths (built once, read by any thread)."""

    def __init__(self, keys: list[str]) -> None:
        self.size = len(keys)
        self._keys = np.array(keys, dtype=object)
        self._lengths = np.fromiter((len(k) for k in keys), dtype=np.int32, count=len(keys))
        ids: dict[str, int] = {}
        gram_of, key_of = [], []
        for index, key in enumerate(keys):
            for gram in set(bigrams(key)):
                gram_of.append(ids.setdefault(gram, len(ids)))
                key_of.append(index)
        grams = np.array(gram_of, dtype=np.int32)
        order = np.argsort(grams, kind="stable")  # keys of one bigram in vocabulary order
        self._postings = np.array(key_of, dtype=np.int32)[order]
        self._starts = np.searchsorted(grams[order], np.arange(len(ids) + 1)).astype(np.int64)
        self._ids = ids

    def within(self, query: str, floor: float, limit: int) -> list[tuple[int, float]]:
        """``(key index, similarity)`` of the ``limit`` most similar keys with similarity >= ``floor``, best first."""
        if not self.size:
            return []
        grams = bigrams(query)
        distinct = set(grams)
        parts = [
            self._postings[self._starts[g] : self._starts[g + 1]]
            for b in distinct
            if (g := self._ids.get(b)) is not None
        ]
        shared = np.bincount(np.concatenate(parts), minlength=self.size) if parts else np.zeros(self.size, np.int64)
        longer = np.maximum(self._lengths, len(query))
        allowed = np.floor((1.0 - floor) * longer + _EPSILON)
        needed = longer + 1 - _BIGRAMS_PER_EDIT * allowed - (len(grams) - len(distinct))
        kept = np.flatnonzero((shared >= needed) & (np.abs(self._lengths - len(query)) <= allowed))
        found = process.extract(
            query, self._keys[kept].tolist(), scorer=OSA.normalized_similarity, score_cutoff=floor, limit=limit
        )
        chosen: NDArray[np.int64] = kept[[position for _, _, position in found]] if found else kept[:0]
        return [(int(index), float(score)) for index, (_, score, _) in zip(chosen, found, strict=True)]
