"""The token vocabulary of the candidate index: every distinct name token stored, and how to find similar ones.

A query token finds stored tokens by the same evidence the name scorer uses (``palermo.names.align``): identical
key or native form, shared equivalent-name symbol (``Bill``/``William``, ``محمد``/``Muhammad``), consonant
skeleton, metaphone code, an initial of it, and edit-distance neighbours (rapidfuzz over the vocabulary keys that
``edit_neighbours`` cannot rule out).
Each found token is then scored with the scorer's own token similarity, so retrieval and scoring agree.
The vocabulary grows far slower than the entries (names share tokens), which keeps retrieval sub-linear.
"""

from __future__ import annotations

import threading
from collections import defaultdict

from palermo.names.conventions import readings
from palermo.names.fast import FastScorer
from palermo.names.tokens import NameToken, intern_token
from palermo.screening.candidate_index.edit_neighbours import EditNeighbours


class Vocabulary:
    """Distinct tokens with lookup tables by each kind of evidence."""

    def __init__(self) -> None:
        self.tokens: list[NameToken] = []
        self.keys: list[str] = []
        self._ids: dict[int, int] = {}
        self._lookup: dict[str, list[int]] = defaultdict(list)
        self._neighbours: EditNeighbours | None = None  # built at the first lookup after tokens were added
        self._neighbours_lock = threading.Lock()

    def __len__(self) -> int:
        return len(self.tokens)

    def add(self, token: NameToken) -> int:
        """The vocabulary index of ``token`` (added when new)."""
        index = self._ids.get(token.uid)
        if index is not None:
            return index
        index = len(self.tokens)
        self.tokens.append(token)
        self.keys.append(token.key)
        self._ids[token.uid] = index
        for lookup in _lookup_keys(token):
            self._lookup[lookup].append(index)
        return index

    @classmethod
    def from_contents(cls, contents: list[tuple[object, ...]]) -> Vocabulary:
        vocabulary = cls()
        for content in contents:
            vocabulary.add(intern_token(*content))  # type: ignore[arg-type]
        return vocabulary

    def contents(self) -> list[tuple[object, ...]]:
        return [token.content() for token in self.tokens]

    def exact(self, key: str) -> list[int]:
        """The stored tokens whose key is exactly ``key``."""
        return self._lookup.get(f"k:{key}", [])

    def similar(self, query: NameToken, scorer: FastScorer, edit_floor: float, limit: int) -> list[tuple[int, float]]:
        """Stored tokens the scorer aligns with ``query`` (similarity >= its align floor), with that similarity."""
        found: set[int] = set()
        for lookup in _query_keys(query):
            found.update(self._lookup.get(lookup, ()))
        if not query.is_initial and self.keys:
            found.update(index for index, _ in self._edit_neighbours().within(query.key, edit_floor, limit))
        floor = scorer.floor
        similar = []
        for index in found:
            similarity = scorer.token_similarity(query, self.tokens[index])
            if similarity >= floor:
                similar.append((index, similarity))
        return similar

    def _edit_neighbours(self) -> EditNeighbours:
        neighbours = self._neighbours
        if neighbours is None or neighbours.size != len(self.keys):
            with self._neighbours_lock:
                neighbours = self._neighbours
                if neighbours is None or neighbours.size != len(self.keys):
                    neighbours = self._neighbours = EditNeighbours(self.keys)
        return neighbours


def _token_keys(token: NameToken) -> list[str]:
    """The keys a token is both stored and looked up under: its key, native form, symbols, skeleton, phonetic, and a
    Latin part's readings under the spelling conventions (``saizew`` and ``zaytsev`` share ``tsaitsev``)."""
    keys = [f"k:{token.key}", f"n:{token.native}", *(f"y:{s}" for s in token.symbols)]
    if token.skeleton:
        keys.append(f"s:{token.skeleton}")
    if token.phonetic:
        keys.append(f"p:{token.phonetic}")
    if token.script == "Latn" and not token.is_initial:
        keys.extend(f"c:{reading}" for reading in readings(token.key))
    return keys


def _lookup_keys(token: NameToken) -> list[str]:
    keys = _token_keys(token)
    if token.is_initial:  # under its first letter, as full names look them up (Yu. under y)
        keys.append(f"i:{token.key[0]}")
    return keys


def _query_keys(token: NameToken) -> list[str]:
    keys = _token_keys(token)
    if not token.is_initial and token.key:
        keys.append(f"i:{token.key[0]}")  # stored initials of this name
    return keys
