"""Differentially private counts with OpenDP: a histogram over fixed, public categories, discrete Laplace noise.

A histogram's categories are fixed before the data is read (a taxonomy, a year range the operator names), so the
categories themselves reveal nothing. One unit (a victim case, or a traveller) adds at most ``bound`` to the
histogram's L1 norm (1 when each unit falls in one category); the noise scale is ``bound / epsilon`` and OpenDP's
privacy map confirms the epsilon the histogram spends. Noisy counts below zero are shown as zero (post-processing
spends no privacy). Each count says how far it may be from the truth: with 95 % probability within ``error_95``.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Sequence

from pydantic import BaseModel, ConfigDict, Field

from palermo.errors import InvalidInput

OPENDP_VERSION_NOTE = "OpenDP make_laplace over a vector of integer counts (discrete Laplace), L1 distance"


class NoisyHistogram(BaseModel):
    model_config = ConfigDict(frozen=True)

    name: str
    unit: str = Field(description="What one person's data adds to: a victim case, a traveller")
    epsilon: float = Field(description="The privacy loss this histogram spends, as OpenDP's privacy map gives it")
    scale: float
    error_95: int = Field(description="A count is within this of the true count with 95 % probability")
    counts: dict[str, int]
    explanation: str


def noisy_histogram(
    name: str, unit: str, categories: Sequence[str], items: Iterable[Sequence[str]], *, epsilon: float, bound: int = 1
) -> NoisyHistogram:
    """Counts of ``categories`` over ``items`` (each the categories of one unit), with ``epsilon``-DP noise.

    A unit's categories beyond ``bound`` are dropped (contribution bounding); values not among ``categories`` are
    not counted (the categories are public and fixed)."""
    import opendp.prelude as dp

    if not 0 < epsilon <= 10:
        raise InvalidInput(f"epsilon is above 0 and at most 10, got {epsilon}")
    index = {c: i for i, c in enumerate(categories)}
    counts: Counter[str] = Counter()
    for categories_of_unit in items:
        for category in list(dict.fromkeys(categories_of_unit))[:bound]:
            if category in index:
                counts[category] += 1
    dp.enable_features("contrib")
    scale = bound / epsilon
    measurement = dp.m.make_laplace(dp.vector_domain(dp.atom_domain(T=int)), dp.l1_distance(T=int), scale=scale)
    spent = float(measurement.map(bound))  # type: ignore[no-untyped-call]
    released = measurement([counts[c] for c in categories])
    error = math.ceil(scale * math.log(1 / 0.05))
    return NoisyHistogram(
        name=name,
        unit=unit,
        epsilon=round(spent, 6),
        scale=round(scale, 6),
        error_95=error,
        counts={c: max(0, int(v)) for c, v in zip(categories, released, strict=True)},
        explanation=(
            f"{name}: counts of {len(categories)} fixed categories with discrete Laplace noise of scale {scale:.2f} "
            f"(epsilon {spent:g}, one {unit} adding at most {bound}); each count is within {error} of the truth with "
            "95 % probability, and negative counts are shown as 0"
        ),
    )
