"""Quality of a clustering against ground truth: pairwise and cluster (B-cubed) precision, recall and F1."""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Mapping
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Scores:
    precision: float
    recall: float
    f1: float


def _scores(precision: float, recall: float) -> Scores:
    f1 = 0.0 if precision + recall == 0 else 2 * precision * recall / (precision + recall)
    return Scores(round(precision, 6), round(recall, 6), round(f1, 6))


def _pairs(sizes: Counter[Any]) -> int:
    return sum(n * (n - 1) // 2 for n in sizes.values())


def pairwise(predicted: Mapping[int, Hashable], truth: Mapping[int, Hashable]) -> Scores:
    """Over record pairs: a predicted pair (same cluster) is right when both records are the same true entity."""
    records = [r for r in predicted if r in truth]
    both = Counter((predicted[r], truth[r]) for r in records)
    together = _pairs(both)
    found = _pairs(Counter(predicted[r] for r in records))
    true = _pairs(Counter(truth[r] for r in records))
    return _scores(together / found if found else 1.0, together / true if true else 1.0)


def b_cubed(predicted: Mapping[int, Hashable], truth: Mapping[int, Hashable]) -> Scores:
    """Per record: share of its cluster that is its entity (precision) and of its entity in its cluster (recall)."""
    records = [r for r in predicted if r in truth]
    if not records:
        return _scores(1.0, 1.0)
    both = Counter((predicted[r], truth[r]) for r in records)
    cluster = Counter(predicted[r] for r in records)
    entity = Counter(truth[r] for r in records)
    precision = sum(both[(predicted[r], truth[r])] / cluster[predicted[r]] for r in records) / len(records)
    recall = sum(both[(predicted[r], truth[r])] / entity[truth[r]] for r in records) / len(records)
    return _scores(precision, recall)
