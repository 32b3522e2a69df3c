"""Search keys of person names: the blocking keys person search looks up instead of scanning every name.

Each name of a record (and its fused-particle variant, ``Ben Ali`` -> ``Benali``) is prepared by the name engine
(``palermo.names.prepare_name``) and every token gives the keys the engine's own evidence rests on:

* ``k:`` its folded, transliterated key (``Çela`` -> ``k:cela``, ``Иванов`` -> ``k:ivanov``); a query word also
  finds the keys it begins (``kowal`` -> ``k:kowalska``), as one range of the index;
* ``p:`` its metaphone code, ``y:`` its equivalent-name symbols (``Bill``/``William``, ``محمد``/``Muhammad``), and
  ``s:`` its consonant skeleton for scripts written without vowels (Arabic, Hebrew).

The keys are children of the person record, written by ingest with the names (``palermo.ingest.kinds``), so they
change exactly when the names do. A query word's keys select the records that have one of them; every word of
the query must select a record for it to be a candidate (``palermo.persons.search`` then scores the candidates
with the name engine).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from palermo.errors import InvalidInput
from palermo.names.tokens import NameToken, PreparedName, prepare_name
from palermo.names.variants import with_variants

KEY_LENGTH = 100  # the column's length; longer keys are cut, the same way on both sides


def _cut(key: str) -> str:
    return key[:KEY_LENGTH]


def token_keys(token: NameToken) -> set[str]:
    """The keys a stored token is written under (a particle, ``al``, ``ben``, ``van``, keeps only its own key)."""
    if token.particle:
        return {_cut(f"k:{token.key}")}
    keys = {f"k:{token.key}", *(f"y:{s}" for s in token.symbols)}
    if token.phonetic:
        keys.add(f"p:{token.phonetic}")
    if token.skeleton and token.sparse_vowels:
        keys.add(f"s:{token.skeleton}")
    return {_cut(k) for k in keys}


def prepared_names(names: Iterable[str]) -> list[PreparedName]:
    """Each name with letters prepared, followed by its fused-particle variant; names without letters are skipped."""
    prepared: list[PreparedName] = []
    for name in names:
        try:
            prepared.extend(with_variants([prepare_name(name)]))
        except InvalidInput:
            continue
    return prepared


def name_keys(names: Iterable[str]) -> list[str]:
    """Every search key of a record with these names, sorted and without repeats."""
    keys: set[str] = set()
    for name in prepared_names(names):
        for token in name.tokens:
            keys |= token_keys(token)
    return sorted(keys)


@dataclass(frozen=True)
class WordLookup:
    """How one query word finds stored keys: any of ``exact``, or a key beginning with ``prefix``."""

    word: str
    exact: frozenset[str]
    prefix: str


def word_lookup(token: NameToken) -> WordLookup:
    """The keys a query word looks up: its own keys (the skeleton always: stored Arabic names keep theirs); a
    particle (``ben``, ``al``) only its folded key, as stored particles have no other."""
    if token.particle:
        return WordLookup(token.key, frozenset(), _cut(f"k:{token.key}"))
    exact = {f"y:{s}" for s in token.symbols}
    if token.phonetic:
        exact.add(f"p:{token.phonetic}")
    if token.skeleton:
        exact.add(f"s:{token.skeleton}")
    return WordLookup(token.key, frozenset(_cut(k) for k in exact), _cut(f"k:{token.key}"))


def query_lookups(query: PreparedName) -> list[WordLookup]:
    """One lookup per word of the query that narrows the search (words of one letter are initials: they only rank)."""
    return [word_lookup(t) for t in query.tokens if len(t.key) > 1 and not t.is_initial]


def prefix_end(prefix: str) -> str:
    """The smallest string above every string beginning with ``prefix`` (the range's open end)."""
    return prefix[:-1] + chr(ord(prefix[-1]) + 1)
