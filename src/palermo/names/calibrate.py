"""Calibration: fit feature weights on labelled name pairs by coordinate search (pure Python, no ML runtime).

Procedure (``docs/names.md`` has the full account):

1. Compute every feature's value once per labelled pair (values do not depend on weights).
2. Start from the current weights; for each feature in turn try every weight on a grid (step ``step`` within
   ``[-bound, bound]``) and keep the one that most improves the objective: F1 at the configured threshold, ties
   broken by a smooth margin loss so that scores move away from the threshold on the right side.
3. Repeat passes until one changes nothing (or ``max_passes``). Weights of ``aligned_token_similarity``,
   ``full_name_similarity`` and ``exact_tokens`` must keep summing to at least 1, so a name compared with itself
   still scores 1.0, and every weight keeps the sign it is declared with (a penalty stays a penalty, a reward a
   reward; either may fall to 0), so the fitted weights still read as the claims the features make.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from palermo.names.compare import compare_prepared
from palermo.names.config import NameMatchingConfig
from palermo.names.tokens import prepare_name

IDENTITY_FEATURES = ("aligned_token_similarity", "full_name_similarity", "exact_tokens")


@dataclass(frozen=True, slots=True)
class LabelledPair:
    name_a: str
    name_b: str
    is_match: bool


@dataclass(frozen=True, slots=True)
class Metrics:
    precision: float
    recall: float
    f1: float
    tp: int
    fp: int
    fn: int
    tn: int


def metrics(scores: Sequence[float], labels: Sequence[bool], threshold: float) -> Metrics:
    """Precision, recall and F1 of ``score >= threshold`` against the labels."""
    tp = sum(1 for s, y in zip(scores, labels, strict=True) if s >= threshold and y)
    fp = sum(1 for s, y in zip(scores, labels, strict=True) if s >= threshold and not y)
    fn = sum(1 for s, y in zip(scores, labels, strict=True) if s < threshold and y)
    tn = len(labels) - tp - fp - fn
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return Metrics(precision, recall, f1, tp, fp, fn, tn)


def feature_values(pairs: Sequence[LabelledPair], config: NameMatchingConfig) -> list[list[float]]:
    """One row per pair: the value of each declared feature, in the config's order."""
    rows: list[list[float]] = []
    for pair in pairs:
        result = compare_prepared(prepare_name(pair.name_a), prepare_name(pair.name_b), config)
        rows.append([f.value for f in result.features])
    return rows


def _scores(rows: Sequence[Sequence[float]], weights: Sequence[float]) -> list[float]:
    return [min(1.0, max(0.0, sum(w * v for w, v in zip(weights, row, strict=True)))) for row in rows]


def _objective(rows: Sequence[Sequence[float]], labels: Sequence[bool], weights: Sequence[float], t: float) -> float:
    raw = [sum(w * v for w, v in zip(weights, row, strict=True)) for row in rows]
    f1 = metrics([min(1.0, max(0.0, r)) for r in raw], labels, t).f1
    margin = sum(math.log1p(math.exp(-12 * (r - t) * (1 if y else -1))) for r, y in zip(raw, labels, strict=True))
    return f1 - 1e-4 * margin / len(labels)


def _allowed(names: Sequence[str], weights: Sequence[float]) -> bool:
    return sum(w for n, w in zip(names, weights, strict=True) if n in IDENTITY_FEATURES) >= 1.0 - 1e-9


def _signed(grid: Sequence[float], kind: str) -> list[float]:
    return [w for w in grid if (w <= 0 if kind == "penalty" else w >= 0)]


def fit_weights(
    rows: Sequence[Sequence[float]],
    labels: Sequence[bool],
    config: NameMatchingConfig,
    *,
    step: float = 0.05,
    bound: float = 1.0,
    max_passes: int = 12,
) -> dict[str, float]:
    """Coordinate search for the weights that maximise F1 at ``config.threshold`` on these rows."""
    names = [f.name for f in config.features]
    weights = [f.weight for f in config.features]
    grid = [round(-bound + i * step, 4) for i in range(round(2 * bound / step) + 1)]
    best = _objective(rows, labels, weights, config.threshold)
    for _ in range(max_passes):
        improved = False
        for index in range(len(weights)):
            for candidate in _signed(grid, config.features[index].kind):
                trial = [*weights[:index], candidate, *weights[index + 1 :]]
                if not _allowed(names, trial):
                    continue
                value = _objective(rows, labels, trial, config.threshold)
                if value > best + 1e-12:
                    best, weights, improved = value, trial, True
        if not improved:
            break
    return dict(zip(names, weights, strict=True))


def calibrate(pairs: Sequence[LabelledPair], config: NameMatchingConfig) -> NameMatchingConfig:
    """A copy of ``config`` with weights fitted on ``pairs`` (threshold unchanged)."""
    rows = feature_values(pairs, config)
    weights = fit_weights(rows, [p.is_match for p in pairs], config)
    return config.with_weights(weights)


def evaluate(pairs: Sequence[LabelledPair], config: NameMatchingConfig) -> Metrics:
    """Precision, recall and F1 of a config on labelled pairs."""
    rows = feature_values(pairs, config)
    weights = [f.weight for f in config.features]
    return metrics(_scores(rows, weights), [p.is_match for p in pairs], config.threshold)
