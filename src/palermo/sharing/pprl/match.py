"""Matching encoded persons: blocking on keyed block keys, weighted Dice per field over packed bits, a threshold,
and one-to-one assignment; every match explained by the fields that agreed and by how much (never a clear value).

Dice per field is ``2 |a AND b| / (|a| + |b|)`` over that field's bits; the score is the mean of the fields known
on both sides, weighted as ``config.yaml`` says. Pairs are scored from the packed 64-bit words: AND, then
``np.bitwise_count`` (numpy >= 2) per word, summed per field (``field_dice``). A block is first bounded from above
by one matrix product (``cosine_bound``), so only its pairs that may reach the threshold are scored so.

A pair known by no address on both sides must have names that agree beyond chance (``name_floor`` in config.yaml,
:func:`name_beyond_chance`): two folded name filters agree on about a third of their bits by chance alone, so
without the floor the same birth date and sex carried strangers over the threshold (docs/pprl.md).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from palermo.explanation import Feature, Score
from palermo.sharing.pprl.config import pprl_config
from palermo.sharing.pprl.encode import EncodedSet, Layout

Index = npt.NDArray[np.int64]
Floats = npt.NDArray[np.float64]
CHUNK_PAIRS = 65_536  # pairs scored at once from packed bits
BLOCK_ROWS = 1024  # rows of a block bounded at once by a matrix product (rows x columns floats)
MATRIX_MIN_PAIRS = 65_536  # smaller blocks are pooled and scored pair by pair (unpacking a block costs more)
BOUND_SLACK = 1e-4  # float32 rounding of the bound: a pair this close under the threshold is still scored exactly
ADDRESS_FIELDS = ("street", "postcode", "city")


@dataclass(frozen=True)
class Match:
    left: int
    right: int
    score: float


@dataclass(frozen=True)
class Scored:
    """Candidate pairs and their scores (``compared``: how many pairs were scored)."""

    left: Index
    right: Index
    scores: Floats
    compared: int


def candidate_pairs(a: EncodedSet, b: EncodedSet) -> tuple[Index, Index]:
    """Every pair sharing at least one block key, once."""
    right_of: dict[str, list[int]] = defaultdict(list)
    for j, keys in enumerate(b.blocks):
        for k in keys:
            right_of[k].append(j)
    lefts: list[Index] = []
    rights: list[Index] = []
    for i, keys in enumerate(a.blocks):
        found = [right_of[k] for k in keys if k in right_of]
        if found:
            js = np.unique(np.concatenate([np.asarray(f, dtype=np.int64) for f in found]))
            lefts.append(np.full(len(js), i, dtype=np.int64))
            rights.append(js)
    if not lefts:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    return np.concatenate(lefts), np.concatenate(rights)


def field_intersections(a: EncodedSet, b: EncodedSet, left: Index, right: Index) -> npt.NDArray[np.int32]:
    """Bits set in both filters, per field (pairs x fields): AND of the packed words, popcount, sums per field."""
    both = np.take(a.filters, left, axis=0)
    np.bitwise_and(both, np.take(b.filters, right, axis=0), out=both)
    ones = np.bitwise_count(both)
    sums: npt.NDArray[np.int32] = np.add.reduceat(ones, list(a.layout.starts), axis=1, dtype=np.int32)
    return sums


def _dice(shared: npt.NDArray[np.int32], total: npt.NDArray[np.int32]) -> Floats:
    out: Floats = np.divide(2.0 * shared, total, out=np.zeros(shared.shape), where=total > 0)
    return out


def field_dice(a: EncodedSet, b: EncodedSet, left: Index, right: Index) -> tuple[Floats, npt.NDArray[np.bool_]]:
    """Dice per field (pairs x fields) and whether the field is known on both sides."""
    shared = field_intersections(a, b, left, right)
    return _dice(shared, a.counts[left] + b.counts[right]), a.present[left] & b.present[right]


def weighted(dice: Floats, known: npt.NDArray[np.bool_], layout: Layout) -> Floats:
    weights = np.asarray(layout.weights) * known
    mass = weights.sum(axis=1)
    out: Floats = np.divide((dice * weights).sum(axis=1), mass, out=np.zeros(len(dice)), where=mass > 0)
    return out


def name_beyond_chance(
    layout: Layout, shared: npt.NDArray[np.int32], left: npt.NDArray[np.int32], right: npt.NDArray[np.int32]
) -> Floats:
    """How far two name filters agree beyond chance (Cohen's kappa of their bits): ``(s - E) / (m - E)``, where
    ``s`` is the bits set in both, ``m`` the mean bits set and ``E = |a| |b| / bits`` what two unrelated filters
    share. 1 for the same name, about 0 (plus or minus 0.08) for unrelated names whatever their length; Dice of
    unrelated folded names is 0.3-0.5, growing with length. ``shared``, ``left``, ``right``: bits set per field."""
    n = layout.fields.index("name")
    bits = 64.0 * (layout.ends[n] - layout.starts[n])
    ones_a, ones_b = left[:, n].astype(np.float64), right[:, n].astype(np.float64)
    chance = ones_a * ones_b / bits
    room = (ones_a + ones_b) / 2 - chance
    out: Floats = np.divide(shared[:, n] - chance, room, out=np.ones(len(chance)), where=room > 0)
    return out


def _below_name_floor(
    layout: Layout,
    shared: npt.NDArray[np.int32],
    counts: tuple[npt.NDArray[np.int32], npt.NDArray[np.int32]],
    known: npt.NDArray[np.bool_],
) -> npt.NDArray[np.bool_]:
    """Pairs that cannot match: names known on both sides agreeing less than ``name_floor`` beyond chance, and no
    address field known on both sides to outweigh them."""
    if "name" not in layout.fields:
        return np.zeros(len(shared), dtype=np.bool_)
    address = [layout.fields.index(f) for f in ADDRESS_FIELDS if f in layout.fields]
    no_address = ~known[:, address].any(axis=1) if address else np.ones(len(shared), dtype=np.bool_)
    weak = name_beyond_chance(layout, shared, *counts) < pprl_config().name_floor
    out: npt.NDArray[np.bool_] = known[:, layout.fields.index("name")] & no_address & weak
    return out


def pair_scores(a: EncodedSet, b: EncodedSet, left: Index, right: Index) -> Floats:
    """Weighted Dice of each pair ``(left[i], right[i])`` from the packed bits; 0 for a pair under the name floor."""
    shared = field_intersections(a, b, left, right)
    counts = (a.counts[left], b.counts[right])
    known = a.present[left] & b.present[right]
    scores = weighted(_dice(shared, counts[0] + counts[1]), known, a.layout)
    scores[_below_name_floor(a.layout, shared, counts, known)] = 0.0
    return scores


def _chunks(n: int) -> Iterator[slice]:
    for start in range(0, n, CHUNK_PAIRS):
        yield slice(start, min(start + CHUNK_PAIRS, n))


def score_pairs(a: EncodedSet, b: EncodedSet, left: Index, right: Index, *, threads: int = 2) -> Floats:
    """:func:`pair_scores` of many pairs, on ``threads`` threads (numpy releases the GIL)."""
    _same_scheme(a, b)
    out = np.zeros(len(left))

    def run(part: slice) -> None:
        out[part] = pair_scores(a, b, left[part], right[part])

    with ThreadPoolExecutor(max_workers=threads) as pool:
        list(pool.map(run, _chunks(len(left))))
    return out


def _same_scheme(a: EncodedSet, b: EncodedSet) -> None:
    if a.layout != b.layout:
        raise ValueError("encodings of different schemes cannot be compared")


def _scaled_bits(encoded: EncodedSet, rows: Index) -> npt.NDArray[np.float32]:
    """Records' bits as floats, each field's bits scaled by ``sqrt(weight / bits set)`` (0 where the field is not
    known): the dot product of two such rows is the weighted sum of the fields' cosine similarities."""
    layout = encoded.layout
    bits = np.unpackbits(np.ascontiguousarray(encoded.filters[rows]).view(np.uint8), axis=1, bitorder="little")
    counts = encoded.counts[rows].astype(np.float32)
    weights = np.asarray(layout.weights, dtype=np.float32) * encoded.present[rows]
    scale = np.sqrt(np.divide(weights, counts, out=np.zeros_like(counts), where=counts > 0))
    widths = [64 * (e - s) for s, e in zip(layout.starts, layout.ends, strict=True)]
    out: npt.NDArray[np.float32] = bits.astype(np.float32) * np.repeat(scale, widths, axis=1)
    return out


def cosine_bound(a: EncodedSet, b: EncodedSet, rows: Index, cols: Index) -> npt.NDArray[np.float32]:
    """An upper bound of the weighted Dice of every pair of ``rows`` x ``cols`` (a matrix), in two matrix products.

    Per field, Dice ``2s/(|a|+|b|)`` is at most the cosine ``s/sqrt(|a||b|)`` (the arithmetic mean is at least the
    geometric one), so the weighted mean of cosines bounds the weighted mean of Dice from above; and the weighted
    sum of cosines is one dot product of bits scaled per field (:func:`_scaled_bits`), so a whole block is one
    BLAS matrix product on every core. A pair under the threshold by this bound is under it by Dice too; the few
    above it are scored exactly from the packed bits.
    """
    dots = _scaled_bits(a, rows) @ _scaled_bits(b, cols).T
    weights = np.asarray(a.layout.weights, dtype=np.float32)
    mass = a.present[rows].astype(np.float32) @ (b.present[cols].astype(np.float32) * weights).T
    out: npt.NDArray[np.float32] = np.divide(dots, mass, out=np.zeros_like(dots), where=mass > 0)
    return out


def _blocks(a: EncodedSet, b: EncodedSet) -> Iterator[tuple[Index, Index]]:
    """Members of each block key on both sides."""
    left_of: dict[str, list[int]] = defaultdict(list)
    right_of: dict[str, list[int]] = defaultdict(list)
    for i, keys in enumerate(a.blocks):
        for k in keys:
            left_of[k].append(i)
    for j, keys in enumerate(b.blocks):
        for k in keys:
            right_of[k].append(j)
    for k, rows in left_of.items():
        if k in right_of:
            yield np.asarray(rows, dtype=np.int64), np.asarray(right_of[k], dtype=np.int64)


def _kept(a: EncodedSet, b: EncodedSet, rows: Index, cols: Index, threshold: float) -> tuple[Index, Index, Floats]:
    """Pairs of ``rows`` x ``cols`` at or above the threshold: bounded by a matrix product (:func:`cosine_bound`,
    compared as ``dots >= threshold * mass`` without dividing), then scored exactly."""
    weights = np.asarray(a.layout.weights, dtype=np.float32)
    right_bits = _scaled_bits(b, cols).T.copy()
    right_present = b.present[cols]
    floor = np.float32(threshold - BOUND_SLACK)
    lefts, rights = [], []
    for start in range(0, len(rows), BLOCK_ROWS):
        part = rows[start : start + BLOCK_ROWS]
        dots = _scaled_bits(a, part) @ right_bits
        left_present = a.present[part]
        if left_present.all() and right_present.all():  # every field known on both sides: one mass for all pairs
            keep = dots >= floor * weights.sum()
        else:
            mass = left_present.astype(np.float32) @ (right_present.astype(np.float32) * weights).T
            mass[mass == 0] = np.inf  # no field known on both sides: never a match
            keep = dots >= floor * mass
        i, j = np.nonzero(keep)
        lefts.append(part[i])
        rights.append(cols[j])
    left, right = np.concatenate(lefts), np.concatenate(rights)
    return _exact(a, b, left, right, threshold)


def _exact(a: EncodedSet, b: EncodedSet, left: Index, right: Index, threshold: float) -> tuple[Index, Index, Floats]:
    scores = pair_scores(a, b, left, right)
    keep = scores >= threshold
    return left[keep], right[keep], scores[keep]


def _scored(parts: list[tuple[Index, Index, Floats]], width: int, compared: int) -> Scored:
    """Pairs found in several blocks kept once."""
    if not parts:
        empty = np.zeros(0, dtype=np.int64)
        return Scored(empty, empty, np.zeros(0), compared)
    left, right, scores = (np.concatenate(p) for p in zip(*parts, strict=True))
    _, first = np.unique(left * width + right, return_index=True)
    return Scored(left[first], right[first], scores[first], compared)


def score_blocked(a: EncodedSet, b: EncodedSet, threshold: float) -> Scored:
    """Pairs sharing a block key, scored block by block; those at or above ``threshold`` kept (``compared``
    counts a pair once per block it shares)."""
    _same_scheme(a, b)
    parts, compared = [], 0
    small_left: list[Index] = []
    small_right: list[Index] = []
    for rows, cols in _blocks(a, b):
        compared += len(rows) * len(cols)
        if len(rows) * len(cols) >= MATRIX_MIN_PAIRS:
            parts.append(_kept(a, b, rows, cols, threshold))
        else:
            small_left.append(np.repeat(rows, len(cols)))
            small_right.append(np.tile(cols, len(rows)))
    if small_left:
        left, right = np.concatenate(small_left), np.concatenate(small_right)
        _, first = np.unique(left * len(b) + right, return_index=True)
        left, right = left[first], right[first]
        scores = score_pairs(a, b, left, right)
        keep = scores >= threshold
        parts.append((left[keep], right[keep], scores[keep]))
    return _scored(parts, len(b), compared)


def score_all(a: EncodedSet, b: EncodedSet, threshold: float) -> Scored:
    """Every pair of ``a`` x ``b`` scored, no blocking (small sets, and the measure of raw comparison speed); pairs
    at or above ``threshold`` kept."""
    _same_scheme(a, b)
    rows, cols = np.arange(len(a), dtype=np.int64), np.arange(len(b), dtype=np.int64)
    parts = [_kept(a, b, rows, cols, threshold)] if len(a) and len(b) else []
    return _scored(parts, len(b), len(a) * len(b))


def one_to_one(scored: Scored) -> list[Match]:
    """Greedy assignment by score: the best pair first, each record in at most one match (ties: lower ids first)."""
    order = np.lexsort((scored.right, scored.left, -scored.scores))
    used_left: set[int] = set()
    used_right: set[int] = set()
    matches = []
    for k in order:
        i, j = int(scored.left[k]), int(scored.right[k])
        if i in used_left or j in used_right:
            continue
        used_left.add(i)
        used_right.add(j)
        matches.append(Match(i, j, round(float(scored.scores[k]), 6)))
    return matches


def match(a: EncodedSet, b: EncodedSet, threshold: float) -> list[Match]:
    """Blocked, thresholded, one-to-one matches between two encoded sets."""
    return one_to_one(score_blocked(a, b, threshold))


def _detail(field: str, dice: float, known: bool) -> str:
    if not known:
        return f"{field}: not known on both sides, not counted"
    if dice >= 0.999:
        return f"{field}: encodings identical (Dice {dice:.2f})"
    if dice >= 0.8:
        return f"{field}: encodings largely agree (Dice {dice:.2f}), a small difference such as a typo"
    if dice >= 0.5:
        return f"{field}: encodings partly agree (Dice {dice:.2f})"
    return f"{field}: encodings disagree (Dice {dice:.2f})"


def _name_floor_feature(beyond: float, below: bool, evidence: float) -> Feature:
    floor = pprl_config().name_floor
    if below:
        detail = (
            f"names agree no more than chance allows ({beyond:.2f} beyond chance, under {floor:.2f}) and no address"
            " is known on both sides: birth date, sex and nationality alone do not make a match"
        )
    else:
        detail = f"names agree {beyond:.2f} beyond chance (an address known on both sides, or at least {floor:.2f})"
    return Feature(
        id="name_beyond_chance",
        value=round(beyond, 6),
        weight=0.0,
        contribution=-evidence if below else 0.0,
        detail=detail,
    )


def explain(a: EncodedSet, b: EncodedSet, left: int, right: int) -> Score:
    """Which encoded fields agreed and by how much: Dice per field, its share of the score, and whether the names
    agree beyond chance (:func:`_below_name_floor`, which sets the total to 0); no clear value."""
    rows, cols = np.asarray([left]), np.asarray([right])
    shared = field_intersections(a, b, rows, cols)
    counts = (a.counts[rows], b.counts[cols])
    dice, known = _dice(shared, counts[0] + counts[1]), a.present[rows] & b.present[cols]
    weights = np.asarray(a.layout.weights) * known[0]
    mass = float(weights.sum()) or 1.0
    features = [
        Feature.weighted(
            f"{field}_dice",
            round(float(dice[0, n]), 6),
            round(float(weights[n]) / mass, 6),
            _detail(field, float(dice[0, n]), bool(known[0, n])),
        )
        for n, field in enumerate(a.layout.fields)
    ]
    if "name" in a.layout.fields and known[0, a.layout.fields.index("name")]:
        below = bool(_below_name_floor(a.layout, shared, counts, known)[0])
        beyond = float(name_beyond_chance(a.layout, shared, *counts)[0])
        features.append(_name_floor_feature(beyond, below, sum(f.contribution for f in features)))
    return Score.clamped(features)
