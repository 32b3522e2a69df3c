"""The postings read for many tokens at once are the rows read token by token, appended rows included."""

from __future__ import annotations

import numpy as np

from palermo.screening.candidate_index.columns import Postings, Ragged


def _postings() -> Postings:
    base = Ragged()
    for rows in ([3, 7], [], [1], [0, 2, 4, 9]):
        base.append(rows)
    return Postings(base)


def test_many_tokens_read_at_once_are_read_as_one_by_one() -> None:
    postings = _postings()
    for tokens in ([0, 3], [3, 0, 2], [1], [], [2, 2, 3], [5]):
        one_by_one = [postings.get(t) for t in tokens]
        expected = np.concatenate(one_by_one) if one_by_one else np.zeros(0, dtype=np.int64)
        assert postings.get_many(tokens).tolist() == expected.tolist()
        assert postings.counts(tokens) == [postings.count(t) for t in tokens]


def test_rows_appended_since_the_build_are_read_too() -> None:
    postings = _postings()
    postings.add(2, 11)
    postings.add(6, 12)  # a token new since the build
    tokens = [3, 2, 6, 0]
    assert postings.get_many(tokens).tolist() == [0, 2, 4, 9, 1, 11, 12, 3, 7]
    assert postings.counts(tokens) == [4, 2, 1, 2]
    assert postings.get_many([0, 3]).tolist() == [3, 7, 0, 2, 4, 9]
