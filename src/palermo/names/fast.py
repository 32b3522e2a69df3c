"""The hot path of name scoring: the exact score of ``compare_prepared``, without building explanations.

Screening scores a query against many candidates, so this module:

* caches token-pair similarities by the tokens' interned ``uid`` (names share tokens: ``mohammed``, ``ivanov``);
* aligns and computes the twelve feature values inline, as plain floats (no ``Alignment``, ``Feature`` or
  detail closures);
* with a ``threshold``, stops after the token-similarity matrix when an upper bound of the score (each reward at
  its highest reachable value, each penalty at its lowest) is already below it.

The result is the same float as ``compare_prepared(a, b).score`` (the features are summed in the declared order);
the test suite checks this on every benchmark pair and on generated names.
"""

from __future__ import annotations

from rapidfuzz.fuzz import ratio

from palermo.names.align import (
    TokenMatch,
    align,
    clipped_ends,
    cut_short,
    given_name_forms,
    in_order_first,
    joined_alike,
    order_pair,
    token_match,
)
from palermo.names.config import NameMatchingConfig
from palermo.names.features import FEATURES, SWAP_FLOOR, Pair, father_and_son_reversed, swapped_before_surname
from palermo.names.tokens import NameToken, PreparedName

_CODES = {
    "exact": 0,
    "edit distance": 1,
    "equivalent name": 2,
    "initial": 3,
    "consonant skeleton": 4,
    "phonetic": 5,
    "different names": 6,
    "short form": 7,
    "Korean romanisation": 8,
    "Thai romanisation": 9,
    "Burmese romanisation": 10,
    "same reading": 11,
    "cut short": 12,
    "spelling convention": 13,
}
_EVIDENCE = {code: evidence for evidence, code in _CODES.items()}
_EXACT, _EQUIVALENT, _INITIAL, _PHONETIC, _DIFFERENT = 0, 2, 3, 5, 6
_NAMES = list(FEATURES)
(ATS, FNS, EXACT, EQUIV, PHON, TRANS, INIT, MISMATCH, SURNAME, MIDDLE, SWAPPED, SINGLE, GIVEN_SWAPPED) = range(
    len(_NAMES)
)
#: how many token pairs a scorer remembers before it starts again (about 100 MB at the limit)
CACHE_LIMIT = 1_000_000
Candidate = tuple[float, int, int, int]  # (-similarity, short index, long index, evidence code)


def _clamped(total: float) -> float:
    return round(min(1.0, max(0.0, total)), 6)


class FastScorer:
    """Scores prepared names under one config; keeps a cache of token-pair similarities."""

    def __init__(self, config: NameMatchingConfig) -> None:
        self.config = config
        self.params = config.similarity
        self.floor = config.similarity.align_floor
        self.joined_floor = config.similarity.joined_floor * 100
        self.terms = [(_NAMES.index(f.name), f.weight) for f in config.features if f.weight]
        self.cache: dict[int, tuple[float, int]] = {}
        self.given_cache: dict[int, tuple[float, int]] = {}
        self.cut_cache: dict[int, tuple[float, int]] = {}

    def _match(self, a: NameToken, b: NameToken) -> tuple[float, int]:
        if a.uid < 0 or b.uid < 0:
            m = token_match(a, b, self.params)
            return m.similarity, _CODES[m.evidence]
        key = (a.uid << 32) | b.uid
        hit = self.cache.get(key)
        if hit is None:
            m = token_match(a, b, self.params)
            hit = (m.similarity, _CODES[m.evidence])
            if len(self.cache) >= CACHE_LIMIT:
                self.cache.clear()
            self.cache[key] = hit
        return hit

    def token_similarity(self, a: NameToken, b: NameToken) -> float:
        """The similarity the alignment gives two tokens (cached)."""
        return self._match(a, b)[0]

    def _candidates(self, short: PreparedName, long: PreparedName) -> list[Candidate]:
        found: list[Candidate] = []
        floor = self.floor
        ends = clipped_ends(short, long)
        last_short, last_long = len(short.core) - 1, len(long.core) - 1
        clipped = ends != (-1, -1)
        for i, x in enumerate(short.core):
            for j, y in enumerate(long.core):
                sim, code = self._match(x, y)
                if code == _EQUIVALENT and i < last_short and j < last_long:
                    sim, code = self._given(x, y, sim, code)
                if clipped and (i == ends[0] or j == ends[1]) and sim < self.params.truncated:
                    sim, code = self._cut_short(x, y, i == ends[0], j == ends[1])
                if sim >= floor or code == _DIFFERENT:
                    found.append((-sim, i, j, code))
        return found

    def _given(self, x: NameToken, y: NameToken, sim: float, code: int) -> tuple[float, int]:
        """:func:`palermo.names.align.given_name_forms` of two given names (cached apart from other pairs: it
        depends on the parts' places in their names)."""
        key = (x.uid << 32) | y.uid
        hit = self.given_cache.get(key)
        if hit is None or x.uid < 0 or y.uid < 0:
            match = given_name_forms(TokenMatch(sim, _EVIDENCE[code]), x, y, self.params)
            hit = (match.similarity, _CODES[match.evidence])
            if len(self.given_cache) >= CACHE_LIMIT:
                self.given_cache.clear()
            self.given_cache[key] = hit
        return hit

    def _cut_short(self, x: NameToken, y: NameToken, x_clipped: bool, y_clipped: bool) -> tuple[float, int]:
        """:func:`palermo.names.align.cut_short` on a pair involving a clipped name's last part (cached apart from
        other pairs: it depends on the part's place in its name)."""
        key = (((x.uid << 32) | y.uid) << 2) | (x_clipped << 1) | y_clipped
        hit = self.cut_cache.get(key)
        if hit is None or x.uid < 0 or y.uid < 0:
            match = token_match(x, y, self.params)
            if x_clipped:
                match = cut_short(match, x, y, self.params)
            if y_clipped:
                match = cut_short(match, y, x, self.params)
            hit = (match.similarity, _CODES[match.evidence])
            if len(self.cut_cache) >= CACHE_LIMIT:
                self.cut_cache.clear()
            self.cut_cache[key] = hit
        return hit

    def score(self, a: PreparedName, b: PreparedName, threshold: float | None = None) -> float:
        """The score of the pair; with ``threshold``, a value below it may be an upper bound instead."""
        short, long = order_pair(a, b)
        ns, nl = len(short.core), len(long.core)
        if ns != nl and joined_alike(short, long, self.joined_floor):
            return self._slow(short, long)
        found = self._candidates(short, long)
        if threshold is not None:
            bound = self._upper_bound(short, long, found)
            if bound < threshold:
                return bound
        return self._exact(short, long, found)

    def _slow(self, short: PreparedName, long: PreparedName) -> float:
        pair = Pair(short, long, align(short, long, self.params))
        total = 0.0
        for index, weight in self.terms:
            total += weight * FEATURES[_NAMES[index]](pair)[0]
        return _clamped(total)

    def _upper_bound(self, short: PreparedName, long: PreparedName, found: list[Candidate]) -> float:
        ns, nl = len(short.core), len(long.core)
        best = [0.0] * ns
        by_code: dict[int, set[int]] = {}
        for neg, i, _, code in found:
            best[i] = max(best[i], -neg)
            by_code.setdefault(code, set()).add(i)
        hi = [0.0] * len(_NAMES)
        lo = [0.0] * len(_NAMES)
        hi[ATS] = sum(best) / ns
        hi[FNS] = 1.0
        hi[EXACT] = 1.0 if _EXACT in by_code else 0.0
        hi[EQUIV] = len(by_code.get(_EQUIVALENT, ())) / ns
        hi[PHON] = len(by_code.get(_PHONETIC, ())) / ns
        hi[INIT] = len(by_code.get(_INITIAL, ())) / ns
        hi[TRANS] = hi[ATS] if short.script != long.script else 0.0
        lo[MISMATCH] = hi[MISMATCH] = 1.0 - min(best)
        lo[MIDDLE] = hi[MIDDLE] = max(0, nl - ns) / nl
        lo[SINGLE] = hi[SINGLE] = 1.0 if ns == 1 and nl > 1 else 0.0
        hi[SURNAME] = hi[SWAPPED] = 1.0
        total = 0.0
        for index, weight in self.terms:
            total += weight * (hi[index] if weight > 0 else lo[index])
        return _clamped(total)

    def _exact(self, short: PreparedName, long: PreparedName, found: list[Candidate]) -> float:
        values = _values(short, long, _greedy(found))
        total = 0.0
        for index, weight in self.terms:
            total += weight * values[index]
        return _clamped(total)


def _greedy(found: list[Candidate]) -> list[Candidate]:
    """The alignment of :func:`palermo.names.align._greedy`: best similarity first, each token used once."""
    found.sort(key=in_order_first)
    used_short: set[int] = set()
    used_long: set[int] = set()
    pairs: list[Candidate] = []
    for candidate in found:
        _, i, j, _ = candidate
        if i in used_short or j in used_long:
            continue
        used_short.add(i)
        used_long.add(j)
        pairs.append(candidate)
    pairs.sort(key=lambda c: c[1])
    return pairs


def _values(short: PreparedName, long: PreparedName, pairs: list[Candidate]) -> list[float]:
    """Every feature's value, as :mod:`palermo.names.features` computes it on the (non-joined) alignment."""
    s_core, l_core = short.core, long.core
    ns, nl = len(s_core), len(l_core)
    sims = [0.0] * ns
    codes = [0] * len(_CODES)
    for neg, i, _, code in pairs:
        sims[i] = -neg
        codes[code] += 1
    values = [0.0] * len(_NAMES)
    values[ATS] = sum(sims) / ns
    values[FNS] = max(ratio(short.joined, long.joined) / 100, ratio(short.sorted_joined, long.sorted_joined) / 100)
    a, b = short.core_keys, long.core_keys
    values[EXACT] = len(a & b) / len(a | b)
    values[EQUIV] = codes[_EQUIVALENT] / ns if codes[_EQUIVALENT] else 0.0
    values[PHON] = codes[_PHONETIC] / ns if codes[_PHONETIC] else 0.0
    values[INIT] = codes[_INITIAL] / ns if codes[_INITIAL] else 0.0
    values[TRANS] = values[ATS] if short.script != long.script else 0.0
    worst = min(sims)
    values[MISMATCH] = 0.0 if worst >= 1.0 else 1.0 - worst
    values[SURNAME] = _surname(s_core, l_core, pairs)
    extra = nl - ns
    values[MIDDLE] = extra / nl if extra > 0 else 0.0
    values[SWAPPED] = _swapped([j for _, _, j, _ in pairs])
    values[SINGLE] = 1.0 if ns == 1 and nl > 1 else 0.0
    order = [(i, j) for neg, i, j, _ in pairs if -neg >= SWAP_FLOOR]
    swapped = father_and_son_reversed(order, short, long) or swapped_before_surname(order, ns, nl)
    values[GIVEN_SWAPPED] = 1.0 if swapped else 0.0
    return values


def _surname(short: tuple[NameToken, ...], long: tuple[NameToken, ...], pairs: list[Candidate]) -> float:
    if len(short) < 2 or len(long) < 2:
        return 0.0

    def similarity(short_key: str, long_key: str) -> float:
        for neg, i, j, _ in pairs:
            if short[i].key == short_key and long[j].key == long_key:
                return -neg
        return 0.0

    best = max(similarity(short[-1].key, long[-1].key), similarity(short[-1].key, long[0].key))
    best = max(best, similarity(short[0].key, long[-1].key))
    return 1.0 - best


def _swapped(order: list[int]) -> float:
    possible = len(order) * (len(order) - 1) // 2
    if possible == 0:
        return 0.0
    inversions = sum(1 for i in range(len(order)) for j in range(i + 1, len(order)) if order[i] > order[j])
    return inversions / possible


_SCORERS: dict[int, FastScorer] = {}
_MAX_SCORERS = 16


def scorer_for(config: NameMatchingConfig) -> FastScorer:
    """The process's scorer for a config (one token-pair cache per config object)."""
    scorer = _SCORERS.get(id(config))
    if scorer is None or scorer.config is not config:
        if len(_SCORERS) >= _MAX_SCORERS:  # calibration makes many configs: keep the memory bounded
            _SCORERS.clear()
        scorer = FastScorer(config)
        _SCORERS[id(config)] = scorer
    return scorer


def clear_caches() -> None:
    """Forget every cached token-pair similarity (benchmarks measure the cold path with it)."""
    _SCORERS.clear()
