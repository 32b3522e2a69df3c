"""The watchlist candidate index: from a query person to the few watchlist entries worth scoring.

Each stored name is a *row*; each distinct token of the stored names is in the :class:`Vocabulary`; postings list
the rows of each token. A query token finds similar vocabulary tokens (same key, native form, equivalent-name
symbol, skeleton, metaphone code, initial, edit-distance neighbours), each weighted by the scorer's token
similarity times the token's IDF; a row's retrieval weight is the sum over query tokens of their best match in
it, minus a penalty per token of length difference. Tokens listed in more than ``max_postings`` rows (``mohammed``)
are *common*: they add weight only to rows found through another token, so they never flood the candidates.
Exact document numbers always rank first. The top ``top_k`` entries are returned, and :meth:`search` scores them
with :func:`palermo.names.score_prepared`.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

from palermo.errors import InvalidInput
from palermo.logs import get_logger
from palermo.names import NameMatchingConfig, PreparedName, default_config, prepare_name, score_prepared
from palermo.names.fast import FastScorer, scorer_for
from palermo.names.tokens import NameToken, intern_token
from palermo.names.variants import with_variants
from palermo.screening.candidate_index.columns import Column, Postings, Ragged
from palermo.screening.candidate_index.entry_rows import EntryRows
from palermo.screening.candidate_index.parameters import IndexConfig, default_index_config
from palermo.screening.candidate_index.vocabulary import Vocabulary

log = get_logger(__name__)
NO_YEAR = 0
#: the shortest name part looked for inside a query whose letters run together
MIN_PART = 4


@dataclass(frozen=True, slots=True)
class IndexEntry:
    """One watchlist person as the index needs it (independent of the store)."""

    entry_id: int
    names: list[str]
    birth_year: int | None = None
    document_numbers: list[str] = field(default_factory=list)
    weak_names: list[str] = field(default_factory=list)  # weak aliases: candidates only when a name equals one


@dataclass(frozen=True, slots=True)
class ScoredCandidate:
    """A retrieved entry scored by name: the best pair of query name and stored name."""

    entry_id: int
    score: float
    query_name: str
    entry_name: str
    pair: tuple[PreparedName, PreparedName] | None = None  # the best pair as prepared, for the explanation
    weak: bool = False  # the name equals one of the entry's weak aliases (scored as such, not compared)


def normalise_document(number: str) -> str:
    """Document numbers compare without case, spaces or punctuation (``AB 12-345`` = ``ab12345``)."""
    return "".join(c for c in number.casefold() if c.isalnum())


class CandidateIndex:
    """Rows (stored names), their tokens and postings; add and remove entries at any time."""

    def __init__(self, config: IndexConfig | None = None, names_config: NameMatchingConfig | None = None) -> None:
        self.config = config or default_index_config()
        self.scorer: FastScorer = scorer_for(names_config or default_config())
        self.vocabulary = Vocabulary()
        self.postings = Postings()
        self.row_tokens = Ragged()  # every token of the name, in order (vocabulary indexes)
        self.row_entry = Column(np.int64)
        self.row_alive = Column(np.bool_)
        self.row_year = Column(np.int16)
        self.row_length = Column(np.int16)  # core tokens
        self.row_script = Column(np.int16)
        self.row_joined = Column(np.int64)  # stable hash of the core keys run together
        self.scripts: list[str | None] = [None]
        self.names = NameStore()
        self.documents: dict[str, set[int]] = {}
        #: weak aliases by their joined core keys (``abu``): entry id -> the alias as listed
        self.weak: dict[str, dict[int, str]] = {}
        self.removed: set[int] = set()
        self.alive_entries = 0
        self._prepared: dict[int, PreparedName] = {}
        self._token_rows = TokenRowsCache(self.config.cache_token_rows)
        self.entry_rows = EntryRows()

    # -- building and updating -------------------------------------------------------------------------------

    @classmethod
    def build(cls, entries: Iterable[IndexEntry], config: IndexConfig | None = None) -> CandidateIndex:
        index = cls(config)
        for entry in entries:
            index.add(entry)
        log.info("candidate_index_built", entries=index.alive_entries, rows=len(index.row_entry))
        return index

    def add(self, entry: IndexEntry) -> None:
        """Index one entry (names that cannot be prepared, e.g. without letters, are skipped and logged)."""
        if self.contains(entry.entry_id):
            raise InvalidInput(f"entry {entry.entry_id} is already in the candidate index; remove it first")
        first = len(self.row_entry)
        for name in entry.names:
            prepared = _try_prepare(name)
            if prepared is not None:
                for variant in with_variants([prepared], syllables=False):  # queries bring theirs
                    self.add_row(entry.entry_id, entry.birth_year, variant)
        self.entry_rows.added(entry.entry_id, first, len(self.row_entry))
        if entry.entry_id in self.removed:  # added again: forget its old document numbers and weak aliases
            self.removed.discard(entry.entry_id)
            for holders in self.documents.values():
                holders.discard(entry.entry_id)
            for listed in self.weak.values():
                listed.pop(entry.entry_id, None)
        for number in entry.document_numbers:
            self.documents.setdefault(normalise_document(number), set()).add(entry.entry_id)
        for alias in entry.weak_names:
            prepared = _try_prepare(alias)
            if prepared is not None and prepared.joined:
                self.weak.setdefault(prepared.joined, {})[entry.entry_id] = alias
        self.alive_entries += 1

    def add_row(self, entry_id: int, birth_year: int | None, prepared: PreparedName) -> None:
        """Index one prepared name of an entry (``add`` calls it per name; saving reuses it to compact)."""
        row = len(self.row_entry)
        self._token_rows.clear()  # the vocabulary, postings and IDF change
        tokens = [self.vocabulary.add(t) for t in prepared.tokens]
        for token in {self.vocabulary.add(t) for t in prepared.core}:
            self.postings.add(token, row)
        self.row_tokens.append(tokens)
        self.row_entry.append(entry_id)
        self.row_alive.append(True)
        self.row_year.append(birth_year or NO_YEAR)
        self.row_length.append(len(prepared.core))
        self.row_script.append(self._script_code(prepared.script))
        self.row_joined.append(joined_hash(prepared.joined))
        self.names.append(prepared.original)

    def _script_code(self, script: str | None) -> int:
        if script not in self.scripts:
            self.scripts.append(script)
        return self.scripts.index(script)

    def remove(self, entry_id: int) -> None:
        """Drop an entry (its rows stay in the arrays, marked dead, until the index is saved and loaded)."""
        rows = self._rows_of(entry_id)
        if not len(rows):
            raise InvalidInput(f"entry {entry_id} is not in the candidate index")
        self.row_alive.view()[rows] = False
        self.entry_rows.removed(entry_id)
        self.removed.add(entry_id)  # its document numbers stop counting (see _document_hits)
        self.alive_entries -= 1

    def contains(self, entry_id: int) -> bool:
        return entry_id in self.entry_rows

    def _rows_of(self, entry_id: int) -> NDArray[np.intp]:
        return self.entry_rows.rows(entry_id)

    def __len__(self) -> int:
        return self.alive_entries

    # -- retrieval ---------------------------------------------------------------------------------------------

    def candidates(
        self,
        names: Sequence[str | PreparedName],
        birth_year: int | None = None,
        document_numbers: Sequence[str] = (),
        k: int | None = None,
    ) -> list[int]:
        """Entry ids of the top ``k`` (default ``top_k``) candidates for a person, best first."""
        return self._candidates(with_variants(names), birth_year, document_numbers, k)

    def _candidates(
        self,
        prepared: list[PreparedName],
        birth_year: int | None,
        document_numbers: Sequence[str],
        k: int | None,
    ) -> list[int]:
        """:meth:`candidates` for names already prepared with their variants (each query expands them once)."""
        rows, weights = self._row_weights(prepared)
        if birth_year and len(rows):
            years = self.row_year.view()[rows]
            weights = weights + self.config.birth_year_boost * (np.abs(years - birth_year) <= 1) * (years != NO_YEAR)
        entries = self.row_entry.view()[rows]
        documents = self._document_hits(document_numbers)
        if documents:
            extra = np.fromiter(documents, dtype=np.int64)
            entries = np.concatenate([entries, extra])
            weights = np.concatenate([weights, np.full(len(extra), self.config.document_boost)])
        return _top_entries(entries, weights, k or self.config.top_k)

    def weak_alias_hits(self, names: Sequence[str]) -> list[tuple[int, str, str]]:
        """``(entry id, query name, weak alias)`` for each weak alias a query name equals (case, accents, script
        and spacing aside): the only way a weak alias makes a candidate."""
        if not self.weak:  # most lists have none: no query name is prepared again
            return []
        found = []
        for name in names:
            prepared = _try_prepare(name)
            listed = self.weak.get(prepared.joined, {}) if prepared is not None else {}
            found += [(entry_id, name, alias) for entry_id, alias in listed.items() if entry_id not in self.removed]
        return found

    def _document_hits(self, numbers: Sequence[str]) -> set[int]:
        hits: set[int] = set()
        for number in numbers:
            hits |= self.documents.get(normalise_document(number), set())
        return hits - self.removed

    def _row_weights(self, names: list[PreparedName]) -> tuple[NDArray[np.int64], NDArray[np.float64]]:
        """Best retrieval weight per alive row over the query's names."""
        parts = [self._name_weights(name) for name in names]
        rows = np.concatenate([p[0] for p in parts]) if parts else np.zeros(0, dtype=np.int64)
        weights = np.concatenate([p[1] for p in parts]) if parts else np.zeros(0)
        rows, weights = _best_per_key(rows, weights)
        alive = self.row_alive.view()[rows]
        return rows[alive], weights[alive]

    def _name_weights(self, name: PreparedName) -> tuple[NDArray[np.int64], NDArray[np.float64]]:
        total_rows = max(len(self.row_entry), 1)
        rare: list[tuple[NDArray[np.int64], NDArray[np.float64]]] = []
        common: list[list[tuple[NDArray[np.int64], float]]] = []
        read_joined: tuple[NDArray[np.int64], NDArray[np.float64]] | None = None
        for query_token in _query_tokens(name):
            parts = None if query_token in name.core else name.core  # the joined letters stand for these
            found, frequent = self._token_postings(query_token, total_rows, parts)
            if found is not None and query_token not in name.core:  # the joined letters stand for every token
                read_joined = (found[0], found[1] * len(name.core))
            elif found is not None:
                rare.append(found)
            if frequent:
                common.append(frequent)
        joined = self._joined_rows(name)
        if len(joined):
            rare.append((joined, np.full(len(joined), float(len(name.core)) * math.log(1 + total_rows))))
        elif len(name.core) == 1:
            rare.extend(self._run_together_parts(name.joined, total_rows))
        if len(common) >= 2 or not rare:  # rows holding two common tokens (or one, when nothing else matched)
            rare.append(_intersect_common(common))
        rows, weights = _sum_per_key(rare)
        weights = weights + _common_weights(rows, common)
        if read_joined is not None:  # another reading of the whole query, not more evidence: the better one counts
            rows, weights = _best_per_key(
                np.concatenate([rows, read_joined[0]]), np.concatenate([weights, read_joined[1]])
            )
        weights -= self.config.length_penalty * np.abs(self.row_length.view()[rows] - len(name.core))
        return rows, weights

    def _run_together_parts(self, letters: str, total_rows: int) -> list[tuple[NDArray[np.int64], NDArray[np.float64]]]:
        """Rows holding a stored name part that begins or ends a one-token query whose letters run together
        (``FridrichLindenberg``: ``lindenberg``), so that a typo in the other part (``fridrich``) still retrieves
        ``Friedrich Lindenberg``. Exact parts only: two dictionary lookups per letter, no similarity search."""
        found = []
        for cut in range(MIN_PART, len(letters) - MIN_PART + 1):
            for part in (letters[:cut], letters[cut:]):
                for token in self.vocabulary.exact(part):
                    count = self.postings.count(token)
                    if count and count <= self.config.max_postings:
                        rows = self.postings.get(token)
                        found.append((rows, np.full(len(rows), math.log(1 + total_rows / count))))
        return found

    def _joined_rows(self, name: PreparedName) -> NDArray[np.int64]:
        """Rows whose letters run together equal the query's (``VladimirPutin`` = ``Vladimir Putin``)."""
        if len(name.core) != 1:
            return np.zeros(0, dtype=np.int64)
        return np.flatnonzero(self.row_joined.view() == joined_hash(name.joined)).astype(np.int64)

    def _token_postings(
        self, query: NameToken, total_rows: int, parts: tuple[NameToken, ...] | None = None
    ) -> TokenRows:
        """Rows holding a token similar to ``query``: rare tokens as (rows, best weight), common ones apart. With
        ``parts``, ``query`` is those parts' letters run together, which say no more than the parts do: its IDF is
        capped by the mean of theirs (the joined ``yubin`` of ``余彬`` is not the rare ``yudin``).

        Remembered per query token until the index changes (:class:`TokenRowsCache`): travellers share name
        parts (``liu``, ``mohammed``, ``maria``), and a short one is similar to a thousand stored tokens."""
        key = query.uid if parts is None else (query.uid, *(t.uid for t in parts))
        found = self._token_rows.get(key)
        if found is None:
            ceiling = None if parts is None else sum(self._ceiling(t, total_rows) for t in parts) / len(parts)
            found = self._similar_rows(query, total_rows, ceiling)
            self._token_rows.put(key, found)
        return found

    def _ceiling(self, query: NameToken, total_rows: int) -> float:
        """The IDF of the query token's own key among the stored rows (infinite when no row holds it): a match says
        no more about the person than the query's own name part does."""
        held = sum(self.postings.counts(self.vocabulary.exact(query.key))) if query.key else 0
        return math.log(1 + total_rows / held) if held else math.inf

    def _similar_rows(self, query: NameToken, total_rows: int, ceiling: float | None = None) -> TokenRows:
        cfg = self.config
        similar = self.vocabulary.similar(query, self.scorer, cfg.edit_floor, cfg.max_similar_tokens)
        rare_tokens, rare_counts, rare_weights = [], [], []
        frequent: list[tuple[NDArray[np.int64], float]] = []
        tokens = self.vocabulary.tokens
        counts = self.postings.counts([t for t, _ in similar])
        key_counts = self._key_counts([t for t, _ in similar], counts)
        # a common query part (kun) meeting a rare stored one through weak evidence (a Hebrew name's consonant
        # skeleton) must not outweigh its exact namesakes (陈坤 fell out of the top 50 behind Hebrew names sharing kn)
        ceiling = self._ceiling(query, total_rows) if ceiling is None else ceiling
        for (token, similarity), count, key_count in zip(similar, counts, key_counts, strict=True):
            if not count:
                continue
            idf = min(math.log(1 + total_rows / key_count), ceiling)
            if query.is_initial or tokens[token].is_initial:  # an initial says little, rare or not
                idf = min(idf, cfg.initial_weight)
            weight = similarity * idf
            if count > cfg.max_postings:
                frequent.append((np.sort(self.postings.get(token)), weight))
                continue
            rare_tokens.append(token)
            rare_counts.append(count)
            rare_weights.append(weight)
        if not rare_tokens:
            return None, frequent
        # the rows of every rare token in one gather (best_per_key does not depend on their order)
        rows = self.postings.get_many(rare_tokens)
        return _best_per_key(rows, np.repeat(np.asarray(rare_weights, dtype=np.float64), rare_counts)), frequent

    def _key_counts(self, similar: list[int], counts: list[int]) -> list[int]:
        """The rows holding each token's key, whatever its other evidence: one key is stored as several tokens when
        the name's symbols differ (``龙`` of ``马龙`` carries the symbols of that whole name), and a rare such token
        must not weigh more than the common key it spells (``马龙`` above ``杜龙`` for ``杜龙``)."""
        exact = self.vocabulary.exact
        tokens = self.vocabulary.tokens
        siblings = {t: exact(tokens[t].key) for t in similar}
        shared = {t: s for t, s in siblings.items() if len(s) > 1}
        if not shared:
            return counts
        every = sorted({s for group in shared.values() for s in group})
        by_token = dict(zip(every, self.postings.counts(every), strict=True))
        return [
            sum(by_token[s] for s in shared[t]) if t in shared else count
            for t, count in zip(similar, counts, strict=True)
        ]

    # -- scoring -----------------------------------------------------------------------------------------------

    def search(
        self,
        names: Sequence[str],
        birth_year: int | None = None,
        document_numbers: Sequence[str] = (),
        k: int | None = None,
        threshold: float | None = None,
    ) -> list[ScoredCandidate]:
        """Candidates scored by name with :func:`palermo.names.score_prepared`, best first.

        With ``threshold``, candidates scoring below it are dropped (and scored with the early-exit bound).
        """
        prepared = with_variants(names)
        found = self._candidates(prepared, birth_year, document_numbers, k)
        ranges = self.entry_rows.row_ranges(found)
        results = [
            self._score_entry(entry_id, rows, prepared, threshold) for entry_id, rows in zip(found, ranges, strict=True)
        ]
        kept = [r for r in results if threshold is None or r.score >= threshold]
        return sorted(kept, key=lambda r: (-r.score, r.entry_id))

    def _score_entry(
        self, entry_id: int, rows: range, query: list[PreparedName], threshold: float | None
    ) -> ScoredCandidate:
        best = ScoredCandidate(entry_id, -1.0, "", "")
        for row in rows:
            stored = self.prepared(row)
            for name in query:
                score = score_prepared(name, stored, self.scorer.config, threshold)
                if score > best.score:
                    best = ScoredCandidate(entry_id, score, name.original, stored.original, (name, stored))
        return best

    def entry_names(self, entry_id: int) -> list[PreparedName]:
        """The prepared names of an entry (what the explainable ``compare_prepared`` takes)."""
        return [self.prepared(row) for row in self._rows_of(entry_id).tolist()]

    def prepared(self, row: int) -> PreparedName:
        """The prepared name of a row, rebuilt from the vocabulary (no normalisation or transliteration redone)."""
        cached = self._prepared.get(row)
        if cached is None:
            tokens = tuple(self.vocabulary.tokens[i] for i in self.row_tokens.get(row).tolist())
            script = self.scripts[int(self.row_script.data[row])]
            cached = PreparedName.build(self.names.get(row), tokens, script)
            if len(self._prepared) >= self.config.cache_prepared:
                self._prepared.clear()
            self._prepared[row] = cached
        return cached


TokenRows = tuple[tuple[NDArray[np.int64], NDArray[np.float64]] | None, list[tuple[NDArray[np.int64], float]]]


class TokenRowsCache:
    """:meth:`CandidateIndex._token_postings` by query token, up to ``limit`` rows in all (then started again).

    Entries are replaced whole and never changed, so threads share it without a lock (a lost insertion from a race
    is only a recomputation). Tokens not interned (``uid`` < 0) are not kept."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self._found: dict[int | tuple[int, ...], TokenRows] = {}
        self._rows = 0

    def get(self, key: int | tuple[int, ...]) -> TokenRows | None:
        return self._found.get(key)

    def put(self, key: int | tuple[int, ...], found: TokenRows) -> None:
        """``key``: the query token's ``uid``, followed by its parts' when it is their letters run together."""
        if (key if isinstance(key, int) else key[0]) < 0:
            return
        rows = (len(found[0][0]) if found[0] is not None else 0) + sum(len(p) for p, _ in found[1])
        if rows > self.limit:
            return
        if self._rows + rows > self.limit:
            self.clear()
        self._found[key] = found
        self._rows += rows

    def clear(self) -> None:
        if self._found:  # building an index adds rows by the million: nothing to drop then
            self._found = {}
            self._rows = 0


class NameStore:
    """The stored names' text: one UTF-8 buffer with offsets as loaded, plus names appended since."""

    def __init__(self, buffer: bytes = b"", offsets: NDArray[np.int64] | None = None) -> None:
        self.buffer = buffer
        self.offsets = offsets if offsets is not None else np.zeros(1, dtype=np.int64)
        self.appended: list[str] = []

    def append(self, name: str) -> None:
        self.appended.append(name)

    def get(self, row: int) -> str:
        loaded = len(self.offsets) - 1
        if row >= loaded:
            return self.appended[row - loaded]
        return self.buffer[int(self.offsets[row]) : int(self.offsets[row + 1])].decode("utf-8")

    def packed(self) -> tuple[bytes, NDArray[np.int64]]:
        """All names as one buffer and offsets (what is saved)."""
        if not self.appended:
            return self.buffer, self.offsets
        encoded = [name.encode("utf-8") for name in self.appended]
        lengths = np.fromiter((len(e) for e in encoded), dtype=np.int64, count=len(encoded))
        offsets = np.concatenate([self.offsets, self.offsets[-1] + np.cumsum(lengths)])
        return self.buffer + b"".join(encoded), offsets


def joined_hash(joined: str) -> int:
    """A process-independent 63-bit hash of a joined key (saved with the index)."""
    return int.from_bytes(hashlib.blake2b(joined.encode("utf-8"), digest_size=8).digest(), "big") >> 1


def _query_tokens(name: PreparedName) -> list[NameToken]:
    """The query's core tokens, plus its letters run together when it has several (meets ``양영호`` = yangyeongho)."""
    tokens = list(name.core)
    if len(tokens) > 1:
        tokens.append(intern_token(name.joined, name.joined, name.script, "", "", frozenset(), None, False, False))
    return tokens


def _try_prepare(name: str) -> PreparedName | None:
    try:
        return prepare_name(name)
    except InvalidInput as exc:
        log.warning("candidate_index_name_skipped", name=name, reason=str(exc))
        return None


def _best_per_key(
    keys: NDArray[np.int64], weights: NDArray[np.float64]
) -> tuple[NDArray[np.int64], NDArray[np.float64]]:
    """Distinct keys (ascending) with the highest weight each: one sort of the keys and a maximum per run of equal
    keys (sorting by key and weight together, ``lexsort``, took five times as long on a common name's rows)."""
    if not len(keys):
        return keys.astype(np.int64), weights.astype(np.float64)
    order = np.argsort(keys)
    keys, weights = keys[order], weights[order]
    first = np.ones(len(keys), dtype=bool)
    first[1:] = keys[1:] != keys[:-1]
    starts = np.flatnonzero(first)
    return keys[starts], np.maximum.reduceat(weights, starts).astype(np.float64)


def _sum_per_key(
    parts: list[tuple[NDArray[np.int64], NDArray[np.float64]]],
) -> tuple[NDArray[np.int64], NDArray[np.float64]]:
    keys = np.concatenate([p[0] for p in parts])
    weights = np.concatenate([p[1] for p in parts])
    unique, inverse = np.unique(keys, return_inverse=True)
    sums: NDArray[np.float64] = np.bincount(inverse, weights=weights, minlength=len(unique)).astype(np.float64)
    return unique.astype(np.int64), sums


def _common_weights(
    rows: NDArray[np.int64], common: list[list[tuple[NDArray[np.int64], float]]]
) -> NDArray[np.float64]:
    """Per query token, the best weight among its common tokens that each row holds."""
    total = np.zeros(len(rows))
    for frequent in common:
        best = np.zeros(len(rows))
        for postings, weight in frequent:
            position = np.searchsorted(postings, rows).clip(max=len(postings) - 1)
            held = postings[position] == rows
            best = np.maximum(best, held * weight)
        total += best
    return total


def _intersect_common(
    common: list[list[tuple[NDArray[np.int64], float]]],
) -> tuple[NDArray[np.int64], NDArray[np.float64]]:
    """Only common tokens in the query: rows holding a match for two query tokens (or the first rows of one)."""
    if not common:
        return np.zeros(0, dtype=np.int64), np.zeros(0)
    unions = [np.unique(np.concatenate([p for p, _ in frequent])) for frequent in common]
    if len(unions) == 1:
        rows = unions[0]
    else:
        unions.sort(key=len)
        rows = np.intersect1d(unions[0], unions[1], assume_unique=True)
    return rows, np.zeros(len(rows))


def _top_entries(entries: NDArray[np.int64], weights: NDArray[np.float64], k: int) -> list[int]:
    """The ``k`` entries with the highest weight (their best row's), best first (ties broken by entry id)."""
    if not len(entries):
        return []
    entries, weights = _best_per_key(entries, weights)
    if len(entries) > k:  # only those at or above the k-th highest weight can be in the top k (ties included)
        kth = np.partition(weights, len(weights) - k)[len(weights) - k]
        keep = weights >= kth
        entries, weights = entries[keep], weights[keep]
    order = np.lexsort((entries, -weights))
    return [int(e) for e in entries[order][:k]]
