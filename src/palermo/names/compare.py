"""Explainable comparison of person names: ``compare_names`` and its fast path ``compare_prepared``.

The score is declared, not hidden: ``score = round(clamp(sum(weight * value for each feature), 0, 1), 6)`` with the
features and weights of the config. The comparison is a :class:`palermo.explanation.Score`: each feature says its
value, weight, contribution and why.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from pydantic import computed_field

from palermo.errors import ConfigurationError, InvalidInput
from palermo.explanation import Feature, Score, clamped_total
from palermo.names.align import align, order_pair
from palermo.names.config import NameMatchingConfig, default_config
from palermo.names.fast import scorer_for
from palermo.names.features import FEATURES, FeatureFunction, Pair
from palermo.names.tokens import PreparedName, prepare_name
from palermo.names.variants import with_variants


class NameComparison(Score):
    """The best-scoring pair of names between two sides: its score (``total``), the features that produced it, and
    the threshold it is judged against."""

    threshold: float
    name_a: str
    name_b: str

    @property
    def score(self) -> float:
        return self.total

    @computed_field  # type: ignore[prop-decorator]
    @property
    def is_match(self) -> bool:
        return self.total >= self.threshold

    def explain(self) -> str:
        lines = [f"{self.name_a!r} vs {self.name_b!r}: {self.total:.3f} (threshold {self.threshold:.2f})"]
        lines += [f"  {f.id} {f.value:.2f} x {f.weight:+.2f}: {f.detail}" for f in self.features if f.value]
        return "\n".join(lines)


def _feature(name: str) -> FeatureFunction:
    feature = FEATURES.get(name)
    if feature is None:
        raise ConfigurationError(f"name-matching config declares unknown feature {name!r}; known: {sorted(FEATURES)}")
    return feature


def _features(pair: Pair, config: NameMatchingConfig) -> tuple[Feature, ...]:
    features = []
    for declared in config.features:
        value, detail = _feature(declared.name)(pair)
        features.append(Feature.weighted(declared.name, value, declared.weight, detail()))
    return tuple(features)


def declared_score(features: Sequence[Feature]) -> float:
    """``clamp(sum(weight * value), 0, 1)``, rounded to 6 decimals so float noise cannot move a verdict."""
    return clamped_total(features)


def compare_prepared(a: PreparedName, b: PreparedName, config: NameMatchingConfig | None = None) -> NameComparison:
    """Compare two prepared names (the fast path: no normalisation or transliteration happens here)."""
    config = config or default_config()
    short, long = order_pair(a, b)
    pair = Pair(short, long, align(short, long, config.similarity))
    features = _features(pair, config)
    return NameComparison(
        total=clamped_total(features),
        features=features,
        threshold=config.threshold,
        name_a=a.original,
        name_b=b.original,
    )


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
    """Compare two persons by name. Each side is one name or all its names (aliases); the best pair wins (found by
    :func:`score_prepared`, the same score, and explained once)."""
    left, right = with_variants(_prepared(a, "a")), with_variants(_prepared(b, "b"))
    best: tuple[float, PreparedName, PreparedName] | None = None
    for x in left:
        for y in right:
            score = score_prepared(x, y, config)
            if best is None or score > best[0]:
                best = (score, x, y)
    assert best is not None
    return compare_prepared(best[1], best[2], config)


def best_matches(
    query: PreparedName, candidates: Sequence[PreparedName], config: NameMatchingConfig | None = None
) -> list[NameComparison]:
    """Compare one prepared query against many prepared candidates, best first (screening's hot loop)."""
    results = [compare_prepared(query, c, config) for c in candidates]
    return sorted(results, key=lambda r: -r.score)
