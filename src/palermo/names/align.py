"""Token similarity and alignment: which token of one name corresponds to which token of the other, and why.

Each aligned pair carries its similarity and the kind of evidence behind it (exact, edit distance, equivalent
name, phonetic code, consonant skeleton, initial). Features in :mod:`palermo.names.features` read the alignment.
"""

from __future__ import annotations

from dataclasses import dataclass

from rapidfuzz.distance import OSA
from rapidfuzz.fuzz import ratio

from palermo.names.config import TokenSimilarity
from palermo.names.tokens import NameToken, PreparedName


@dataclass(frozen=True, slots=True)
class TokenMatch:
    """How similar two tokens are, and by which evidence."""

    similarity: float
    evidence: str


@dataclass(frozen=True, slots=True)
class AlignedPair:
    short_index: int
    long_index: int
    short: NameToken
    long: NameToken
    match: TokenMatch

    def describe(self) -> str:
        sign = "=" if self.match.evidence == "exact" else "~"
        return f"{self.short.key}{sign}{self.long.key} {self.match.similarity:.2f} ({self.match.evidence})"


@dataclass(frozen=True, slots=True)
class Alignment:
    """The alignment of the shorter name's core tokens onto the longer name's core tokens."""

    short: tuple[NameToken, ...]
    long: tuple[NameToken, ...]
    pairs: tuple[AlignedPair, ...]
    joined: bool
    #: similarity of each short token to its counterpart (0.0 when it has none), by short index
    similarities: tuple[float, ...]

    @property
    def unaligned_short(self) -> tuple[NameToken, ...]:
        used = {p.short_index for p in self.pairs}
        return tuple(t for i, t in enumerate(self.short) if i not in used)

    @property
    def unaligned_long(self) -> tuple[NameToken, ...]:
        used = {p.long_index for p in self.pairs}
        return tuple(t for i, t in enumerate(self.long) if i not in used)

    def similarity_of(self, short_index: int) -> float:
        return self.similarities[short_index]


def _alignment(
    short: tuple[NameToken, ...], long: tuple[NameToken, ...], pairs: list[AlignedPair], joined: bool
) -> Alignment:
    similarities = [0.0] * len(short)
    for p in pairs:
        similarities[p.short_index] = p.match.similarity
    return Alignment(short, long, tuple(pairs), joined, tuple(similarities))


def _evidence_match(a: NameToken, b: NameToken, params: TokenSimilarity) -> TokenMatch | None:
    if a.symbols and not a.symbols.isdisjoint(b.symbols):
        return TokenMatch(params.equivalent_name, "equivalent name")
    if a.is_initial != b.is_initial:
        initial, full = (a, b) if a.is_initial else (b, a)
        if full.key.startswith(initial.key):
            return TokenMatch(params.initial, "initial")
    if (a.sparse_vowels or b.sparse_vowels) and a.skeleton and a.skeleton == b.skeleton:
        return TokenMatch(params.skeleton, "consonant skeleton")
    short_enough = min(len(a.key), len(b.key)) < params.min_phonetic_length
    if a.phonetic and a.phonetic == b.phonetic and not short_enough:
        return TokenMatch(params.phonetic, "phonetic")
    return None


def token_match(a: NameToken, b: NameToken, params: TokenSimilarity) -> TokenMatch:
    """The best evidence that two tokens are the same name part."""
    if a.key == b.key or a.native == b.native or (a.particle is not None and a.particle == b.particle):
        return _EXACT
    edit = 0.0 if a.is_initial or b.is_initial else OSA.normalized_similarity(a.key, b.key)
    other = _evidence_match(a, b, params)
    if other is not None and other.similarity > edit:
        return other
    return TokenMatch(edit, "edit distance")


def _joined_token(name: PreparedName) -> tuple[NameToken, ...]:
    first = name.core[0]
    key = name.joined
    return (
        NameToken(
            native=key,
            key=key,
            script=first.script,
            phonetic="",
            skeleton="",
            symbols=frozenset(),
            particle=None,
            is_initial=False,
            sparse_vowels=False,
        ),
    )


_EXACT = TokenMatch(1.0, "exact")


def _greedy(short: tuple[NameToken, ...], long: tuple[NameToken, ...], params: TokenSimilarity) -> list[AlignedPair]:
    candidates: list[tuple[float, int, int, TokenMatch]] = []
    for i, a in enumerate(short):
        for j, b in enumerate(long):
            match = token_match(a, b, params)
            if match.similarity >= params.align_floor:
                candidates.append((-match.similarity, i, j, match))
    candidates.sort(key=lambda c: (c[0], c[1], c[2]))
    used_short: set[int] = set()
    used_long: set[int] = set()
    pairs: list[AlignedPair] = []
    for _, i, j, match in candidates:
        if i in used_short or j in used_long:
            continue
        used_short.add(i)
        used_long.add(j)
        pairs.append(AlignedPair(i, j, short[i], long[j], match))
    return sorted(pairs, key=lambda p: p.short_index)


def order_pair(a: PreparedName, b: PreparedName) -> tuple[PreparedName, PreparedName]:
    """Put the name with fewer core tokens first; break ties by content, so comparison is symmetric."""
    return (a, b) if a.order_key <= b.order_key else (b, a)


def align(a: PreparedName, b: PreparedName, params: TokenSimilarity) -> Alignment:
    """Align two prepared names (``a`` must be the shorter; see :func:`order_pair`).

    When the names have different token counts but the same letters run together (``VladimirPutin``), both are
    compared as one joined token.
    """
    short, long = a.core, b.core
    if len(short) != len(long) and ratio(a.joined, b.joined) >= params.joined_floor * 100:
        short, long = _joined_token(a), _joined_token(b)
        return _alignment(short, long, _greedy(short, long, params), joined=True)
    return _alignment(short, long, _greedy(short, long, params), joined=False)
