"""The vocabulary's edit-distance lookup finds exactly what comparing the query with every stored key finds."""

from __future__ import annotations

import random

import pytest
from rapidfuzz import process
from rapidfuzz.distance import OSA

from palermo.screening.candidate_index.edit_neighbours import EditNeighbours

LETTERS = "aeioubcdklmnrstvyzšćğıøäαβγдлмн"


def _exhaustive(query: str, keys: list[str], floor: float, limit: int) -> list[tuple[int, float]]:
    found = process.extract(query, keys, scorer=OSA.normalized_similarity, score_cutoff=floor, limit=limit)
    return [(index, score) for _, score, index in found]


def _word(rnd: random.Random) -> str:
    if rnd.random() < 0.1:  # repeated letters: the letter masks count up to two of each
        return rnd.choice(["an", "ana", "lo", "ab"]) * rnd.randint(2, 5)
    return "".join(rnd.choice(LETTERS) for _ in range(rnd.randint(1, 14)))


def _edited(word: str, rnd: random.Random) -> str:
    for _ in range(rnd.randint(1, 3)):
        i = rnd.randrange(len(word) + 1)
        kind = rnd.choice(["sub", "ins", "del", "swap"])
        if kind == "ins" or not word:
            word = word[:i] + rnd.choice(LETTERS) + word[i:]
        elif kind == "del" and i < len(word):
            word = word[:i] + word[i + 1 :]
        elif kind == "swap" and i + 1 < len(word):
            word = word[:i] + word[i + 1] + word[i] + word[i + 2 :]
        elif i < len(word):
            word = word[:i] + rnd.choice(LETTERS) + word[i + 1 :]
    return word


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("floor", [0.6, 0.75, 0.9])
def test_the_filtered_lookup_equals_the_exhaustive_scan_ties_and_limit_included(seed: int, floor: float) -> None:
    rnd = random.Random(seed)
    keys = sorted({_word(rnd) for _ in range(3000)})
    neighbours = EditNeighbours(keys)
    queries = [rnd.choice(keys) for _ in range(60)] + [_edited(rnd.choice(keys), rnd) for _ in range(120)]
    queries += ["", "a", "zzzzzzzzzzzzzzzzzzzz"]
    for query in queries:
        for limit in (5, 60):
            assert neighbours.within(query, floor, limit) == _exhaustive(query, keys, floor, limit), query


def test_a_transposition_is_found_though_it_changes_three_bigrams() -> None:
    neighbours = EditNeighbours(["ivanov", "petrov", "iavnov"])
    found = dict(neighbours.within("ivanov", 0.6, 10))
    assert set(found) == {0, 2}
    assert found[0] == 1.0


def test_long_keys_and_letters_sharing_a_mask_class_are_not_ruled_out() -> None:
    # 'a' and 'A' and 'á' fall in mask classes with other letters; keys of 70+ letters allow more edits than the mask
    # can count at floor 0
    keys = ["a" * 70 + "b", "A" * 71, "ab", "áb", "ba", "aab", "x" * 90, ""]
    neighbours = EditNeighbours(keys)
    for query in ["a" * 71, "ab", "aáb", "", "x" * 80]:
        for floor in (0.0, 0.3, 0.6):
            assert neighbours.within(query, floor, 20) == _exhaustive(query, keys, floor, 20), (query, floor)


def test_an_empty_vocabulary_finds_nothing() -> None:
    assert EditNeighbours([]).within("ivanov", 0.6, 10) == []
