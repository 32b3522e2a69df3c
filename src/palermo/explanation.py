"""Explained scores: the one shape every score in Palermo takes, so that an officer can see why it is what it is.

A :class:`Score` is a total and the :class:`Feature` s that made it. A feature names a claim about what was compared
(``birth_date``, ``transliteration_match``, ``minor_without_guardian``, a resolution comparison), how far the claim
holds (``value``), its declared ``weight``, what it adds to the total (``contribution``) and a ``detail`` in words an
officer can act on. Name matching, person scores, risk indicators and entity-resolution links explain themselves
with these two models, and the API documents them once (OpenAPI components ``Feature`` and ``Score``)::

    Feature.weighted("birth_date", 1.0, 0.15, "same date of birth 1975-03-14")   # contribution 0.15
    Score.clamped([...])                                                       # total = clamp(sum, 0, 1)
"""

from __future__ import annotations

from collections.abc import Iterable

from pydantic import BaseModel, ConfigDict, Field, computed_field


class Feature(BaseModel):
    """One named piece of evidence of a score: its value, its weight, what it adds to the total, and why."""

    model_config = ConfigDict(frozen=True)

    id: str = Field(description="The claim the feature makes, e.g. birth_date, transliteration_match")
    value: float = Field(description="How far the claim holds: 0-1, or the comparison level reached (resolution)")
    weight: float = Field(description="The declared weight of the feature (negative weights penalise)")
    contribution: float = Field(description="What the feature adds to the score's total")
    detail: str = Field(description="Why the feature has this value, in words an officer can act on")

    @computed_field(description="The feature's id again: the key earlier answers and stored explanations use")  # type: ignore[prop-decorator]
    @property
    def name(self) -> str:
        return self.id

    @classmethod
    def weighted(cls, id: str, value: float, weight: float, detail: str) -> Feature:
        """A feature that contributes ``value * weight`` (the usual case)."""
        return cls(id=id, value=value, weight=weight, contribution=value * weight, detail=detail)


def clamped(total: float) -> float:
    """``clamp(total, 0, 1)``, rounded to 6 decimals so float noise cannot move a verdict."""
    return round(min(1.0, max(0.0, total)), 6)


def clamped_total(features: Iterable[Feature]) -> float:
    """:func:`clamped` sum of the features' contributions."""
    return clamped(sum(f.contribution for f in features))


class Score(BaseModel):
    """A total and the features that explain it."""

    model_config = ConfigDict(frozen=True)

    total: float = Field(description="The score")
    features: tuple[Feature, ...] = Field(description="Every feature that was evaluated, in declared order")

    @classmethod
    def clamped(cls, features: Iterable[Feature]) -> Score:
        """The score whose total is :func:`clamped_total` of ``features``."""
        kept = tuple(features)
        return cls(total=clamped_total(kept), features=kept)
