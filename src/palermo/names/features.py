"""The features of a name comparison: small functions, each named as a claim about a pair of names.

Each feature reads the two prepared names and their alignment and returns a value in [0, 1] and a detail
string an officer can read. Which features count, and how much, is declared in the config
(:mod:`palermo.names.config`); positive weights reward, negative weights penalise.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from rapidfuzz.fuzz import ratio

from palermo.names.align import Alignment
from palermo.names.tokens import PreparedName


@dataclass(frozen=True, slots=True)
class Pair:
    """What every feature sees: both names (shorter first) and their alignment."""

    short: PreparedName
    long: PreparedName
    alignment: Alignment


Detail = Callable[[], str]
FeatureResult = tuple[float, Detail]
FeatureFunction = Callable[[Pair], FeatureResult]


def _keys(tokens: tuple[object, ...]) -> str:
    return " ".join(getattr(t, "key", "") for t in tokens)


def _fraction_by(pair: Pair, evidence: str) -> FeatureResult:
    hits = [p for p in pair.alignment.pairs if p.match.evidence == evidence]
    if not hits:
        return 0.0, lambda: f"no token pair aligned by {evidence}"
    value = len(hits) / len(pair.alignment.short)
    return value, lambda: ", ".join(p.describe() for p in hits)


def aligned_token_similarity(pair: Pair) -> FeatureResult:
    """Mean similarity of each token of the shorter name to its counterpart in the longer one."""
    al = pair.alignment
    value = sum(al.similarities) / len(al.short)
    return (
        value,
        lambda: (
            ("joined letters: " if al.joined else "")
            + ("; ".join(p.describe() for p in al.pairs) or "no tokens aligned")
        ),
    )


def full_name_similarity(pair: Pair) -> FeatureResult:
    """Similarity of the whole names' letters, in written order or sorted (whichever is higher)."""
    in_order = ratio(pair.short.joined, pair.long.joined) / 100
    by_sorted = ratio(pair.short.sorted_joined, pair.long.sorted_joined) / 100
    value = max(in_order, by_sorted)
    return value, lambda: f"{pair.short.joined!r} vs {pair.long.joined!r}: {value:.2f}"


def exact_tokens(pair: Pair) -> FeatureResult:
    """Share of distinct tokens the names have in common exactly (after transliteration)."""
    a, b = pair.short.core_keys, pair.long.core_keys
    common = a & b
    value = len(common) / len(a | b)
    return value, lambda: f"{len(common)} of {len(a | b)} distinct tokens identical: {' '.join(sorted(common)) or '-'}"


def name_equivalence(pair: Pair) -> FeatureResult:
    """Tokens that are the same name in another form (``Bill``/``William``, ``محمد``/``Muhammad``)."""
    return _fraction_by(pair, "equivalent name")


def phonetic_match(pair: Pair) -> FeatureResult:
    """Tokens that differ in spelling but sound alike (same metaphone code)."""
    return _fraction_by(pair, "phonetic")


def initials_match(pair: Pair) -> FeatureResult:
    """Initials on one side that agree with the first letter of a name on the other."""
    return _fraction_by(pair, "initial")


def transliteration_match(pair: Pair) -> FeatureResult:
    """The names are written in different scripts and agree once transliterated."""
    if pair.short.script == pair.long.script:
        return 0.0, lambda: f"both written in {pair.short.script or 'no script'}"
    value = sum(pair.alignment.similarities) / len(pair.alignment.short)
    return (
        value,
        lambda: f"{pair.short.script} vs {pair.long.script}: {_keys(pair.short.core)!r} ~ {_keys(pair.long.core)!r}",
    )


def token_mismatch(pair: Pair) -> FeatureResult:
    """A token of the shorter name has no good counterpart: a different name part, not a spelling variant."""
    al = pair.alignment
    worst_index = min(range(len(al.short)), key=al.similarity_of)
    worst = al.similarity_of(worst_index)
    token = al.short[worst_index].key
    if worst >= 1.0:
        return 0.0, lambda: "every token has an identical counterpart"
    return 1.0 - worst, lambda: f"weakest token {token!r} aligns at {worst:.2f}"


def surname_mismatch(pair: Pair) -> FeatureResult:
    """The family name (last token, or first when the other side puts it first) does not match."""
    al = pair.alignment
    if len(al.short) < 2 or len(al.long) < 2:
        return 0.0, lambda: "a single-token name has no separate surname"
    best = max(
        _similarity(pair, al.short[-1].key, al.long[-1].key), _similarity(pair, al.short[-1].key, al.long[0].key)
    )
    best = max(best, _similarity(pair, al.short[0].key, al.long[-1].key))
    return 1.0 - best, lambda: f"surname {al.short[-1].key!r} vs {al.long[-1].key!r}: best similarity {best:.2f}"


def _similarity(pair: Pair, short_key: str, long_key: str) -> float:
    for p in pair.alignment.pairs:
        if p.short.key == short_key and p.long.key == long_key:
            return p.match.similarity
    return 0.0


def missing_middle_name(pair: Pair) -> FeatureResult:
    """The longer name has extra tokens that the shorter one simply lacks (middle names, patronymics)."""
    al = pair.alignment
    extra = len(al.unaligned_long) - len(al.unaligned_short)
    if extra <= 0:
        return 0.0, lambda: "no extra tokens"
    return extra / len(al.long), lambda: f"only in the longer name: {_keys(al.unaligned_long)}"


def token_order_swapped(pair: Pair) -> FeatureResult:
    """Aligned tokens appear in a different order (given and family name swapped)."""
    order = [p.long_index for p in pair.alignment.pairs]
    possible = len(order) * (len(order) - 1) // 2
    if possible == 0:
        return 0.0, lambda: "fewer than two aligned tokens"
    inversions = sum(1 for i in range(len(order)) for j in range(i + 1, len(order)) if order[i] > order[j])
    return inversions / possible, lambda: f"{inversions} of {possible} token pairs in a different order"


def single_token_name(pair: Pair) -> FeatureResult:
    """One name is a single token while the other has several: weak evidence either way."""
    short, long = len(pair.alignment.short), len(pair.alignment.long)
    if short == 1 and long > 1 and not pair.alignment.joined:
        return 1.0, lambda: f"{pair.short.core[0].key!r} against {long} tokens"
    return 0.0, lambda: "both names have the same kind of structure"


def given_names_swapped(pair: Pair) -> FeatureResult:
    """The surnames agree and the names before them are the same names in another order: another person's name
    (``José María García`` / ``María José García``, ``Jean-Pierre`` / ``Pierre-Jean``, ``Salman bin Muhammad`` /
    ``Muhammad bin Salman``: a son and his father)."""
    alignment = pair.alignment
    pairs = [(p.short_index, p.long_index) for p in alignment.pairs if p.match.similarity >= SWAP_FLOOR]
    if not alignment.joined and father_and_son_reversed(pairs, pair.short, pair.long):
        return (
            1.0,
            lambda: (
                f"{pair.short.describe()!r} and {pair.long.describe()!r}: the one's own name is the other's father's"
                " (the names either side of bin / ibn / ben are swapped): father and son, not one person"
            ),
        )
    if not swapped_before_surname(pairs, len(alignment.short), len(alignment.long)):
        return 0.0, lambda: "the names before the surname are in the same order (or the surnames differ)"
    return (
        1.0,
        lambda: f"the surnames agree and {_keys(alignment.short[:-1])!r} is {_keys(alignment.long[:-1])!r} reordered",
    )


#: aligned tokens at least this similar count as the same name when order is checked
SWAP_FLOOR = 0.8


def swapped_before_surname(pairs: list[tuple[int, int]], n_short: int, n_long: int) -> bool:
    """Whether the last tokens of both names are aligned together and the short name's first token is aligned with
    a later one of the long name, whose first token is aligned with a later one of the short name: the name a
    person is called by is another (middle names in another order, ``Gregorio Lenin`` / ``Lenin Gregorio`` after the
    same first name, are left to the other features). ``pairs`` are (short index, long index)."""
    if n_short < 3 or (n_short - 1, n_long - 1) not in pairs:
        return False
    first = dict(pairs)
    by_long = {j: i for i, j in pairs}
    return first.get(0, 0) not in (0, n_long - 1) and by_long.get(0, 0) not in (0, n_short - 1)


def own_name_length(name: PreparedName) -> int | None:
    """How many core tokens come before the first ``bin`` (son of; ``ibn``, ``ben``, ``bint`` ...) of a name that
    has one: the person's own name; the core tokens after it are the father's and forefathers' (the nasab). None
    without a ``bin`` after a name."""
    before = 0
    for token in name.tokens:
        if token.particle == "bin":
            return before or None
        if token.particle is None:
            before += 1
    return None


def father_and_son_reversed(pairs: list[tuple[int, int]], short: PreparedName, long: PreparedName) -> bool:
    """Whether both names spell out a ``bin`` and one's own name is aligned only with the other's father's names and
    the other way round (``Salman bin Muhammad`` / ``Muhammad bin Salman``): the particle says which name is whose,
    so, unlike a surname written first, the swap cannot be the same person. ``pairs`` are aligned (short index, long
    index) of core tokens."""
    if len(short.core) == len(short.tokens) or len(long.core) == len(long.tokens):  # a name without particles
        return False
    own_short, own_long = own_name_length(short), own_name_length(long)
    if own_short is None or own_long is None:
        return False
    own_to_father = father_to_own = False
    for i, j in pairs:
        if i < own_short and j < own_long:
            return False
        own_to_father = own_to_father or (i < own_short and j >= own_long)
        father_to_own = father_to_own or (j < own_long and i >= own_short)
    return own_to_father and father_to_own


#: Every feature Palermo knows, by name; the config declares which are used and their weights.
FEATURES: dict[str, FeatureFunction] = {
    f.__name__: f
    for f in (
        aligned_token_similarity,
        full_name_similarity,
        exact_tokens,
        name_equivalence,
        phonetic_match,
        transliteration_match,
        initials_match,
        token_mismatch,
        surname_mismatch,
        missing_middle_name,
        token_order_swapped,
        single_token_name,
        given_names_swapped,
    )
}
