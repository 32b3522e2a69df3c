"""Explainable comparison of person names: ``compare_names`` and its fast path ``compare_prepared``.

The score is declared, not hidden: ``score = round(clamp(sum(weight * value for each feature), 0, 1), 6)`` with the
features and weights of the config. Each :class:`FeatureScore` says its value, weight and why.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from palermo.errors import ConfigurationError, InvalidInput
from palermo.names.align import align, order_pair
from palermo.names.config import NameMatchingConfig, default_config
from palermo.names.fast import scorer_for
from palermo.names.features import FEATURES, Feature, Pair
from palermo.names.tokens import PreparedName, prepare_name
from palermo.names.variants import with_variants


@dataclass(frozen=True, slots=True)
class FeatureScore:
    """One feature's verdict on a pair: its value in [0, 1], its declared weight, and a readable detail."""

    name: str
    value: float
    weight: float
    explain_detail: Callable[[], str]

    @property
    def detail(self) -> str:
        """Why the feature has this value, in words (built only when asked for: the hot path never formats it)."""
        return self.explain_detail()

    @property
    def contribution(self) -> float:
        return self.value * self.weight

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "value": self.value, "weight": self.weight, "detail": self.detail}


@dataclass(frozen=True, slots=True)
class NameComparison:
    """The best-scoring pair of names between two sides, with the features that produced its score."""

    score: float
    threshold: float
    features: tuple[FeatureScore, ...]
    name_a: str
    name_b: str

    @property
    def is_match(self) -> bool:
        return self.score >= self.threshold

    def explain(self) -> str:
        lines = [f"{self.name_a!r} vs {self.name_b!r}: {self.score:.3f} (threshold {self.threshold:.2f})"]
        lines += [f"  {f.name} {f.value:.2f} x {f.weight:+.2f}: {f.detail}" for f in self.features if f.value]
        return "\n".join(lines)

    def to_dict(self) -> dict[str, Any]:
        return {
            "score": self.score,
            "threshold": self.threshold,
            "is_match": self.is_match,
            "name_a": self.name_a,
            "name_b": self.name_b,
            "features": [f.to_dict() for f in self.features],
        }


def _feature(name: str) -> Feature:
    feature = FEATURES.get(name)
    if feature is None:
        raise ConfigurationError(f"name-matching config declares unknown feature {name!r}; known: {sorted(FEATURES)}")
    return feature


def _feature_scores(pair: Pair, config: NameMatchingConfig) -> tuple[FeatureScore, ...]:
    scores: list[FeatureScore] = []
    for declared in config.features:
        value, detail = _feature(declared.name)(pair)
        scores.append(FeatureScore(declared.name, value, declared.weight, detail))
    return tuple(scores)


def declared_score(features: Sequence[FeatureScore]) -> float:
    """``clamp(sum(weight * value), 0, 1)``, rounded to 6 decimals so float noise cannot move a verdict."""
    total = sum(f.contribution for f in features)
    return round(min(1.0, max(0.0, total)), 6)


def compare_prepared(a: PreparedName, b: PreparedName, config: NameMatchingConfig | None = None) -> NameComparison:
    """Compare two prepared names (the fast path: no normalisation or transliteration happens here)."""
    config = config or default_config()
    short, long = order_pair(a, b)
    pair = Pair(short, long, align(short, long, config.similarity))
    features = _feature_scores(pair, config)
    return NameComparison(declared_score(features), config.threshold, features, a.original, b.original)


def score_prepared(
    a: PreparedName, b: PreparedName, config: NameMatchingConfig | None = None, threshold: float | None = None
) -> float:
    """The score of :func:`compare_prepared` without explanation objects (screening's hot loop).

    With ``threshold``, a pair whose best reachable score is below it returns early with that upper bound (a value
    below ``threshold``, not the exact score): use it when only pairs at or above the threshold matter.
    """
    return scorer_for(config or default_config()).score(a, b, threshold)


def _prepared(side: str | Sequence[str] | PreparedName | Sequence[PreparedName], label: str) -> list[PreparedName]:
    items: Sequence[Any] = [side] if isinstance(side, str | PreparedName) else side
    if not items:
        raise InvalidInput(f"side {label} of a name comparison has no names; expected a name or a list of names")
    return [item if isinstance(item, PreparedName) else prepare_name(item) for item in items]


def compare_names(
    a: str | Sequence[str] | PreparedName | Sequence[PreparedName],
    b: str | Sequence[str] | PreparedName | Sequence[PreparedName],
    config: NameMatchingConfig | None = None,
) -> NameComparison:
    """Compare two persons by name. Each side is one name or all its names (aliases); the best pair wins."""
    left, right = with_variants(_prepared(a, "a")), with_variants(_prepared(b, "b"))
    best: NameComparison | None = None
    for x in left:
        for y in right:
            result = compare_prepared(x, y, config)
            if best is None or result.score > best.score:
                best = result
    assert best is not None
    return best


def best_matches(
    query: PreparedName, candidates: Sequence[PreparedName], config: NameMatchingConfig | None = None
) -> list[NameComparison]:
    """Compare one prepared query against many prepared candidates, best first (screening's hot loop)."""
    results = [compare_prepared(query, c, config) for c in candidates]
    return sorted(results, key=lambda r: -r.score)
