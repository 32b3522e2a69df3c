"""Entity-resolution parameters, declared in ``config.yaml`` beside this module."""

from __future__ import annotations

from functools import cache

from pydantic import BaseModel, ConfigDict, Field

from palermo.config_files import load_packaged_yaml


class BlockingRule(BaseModel):
    """Records are compared when all ``columns`` are equal; ``explode`` lists array columns matched by element."""

    model_config = ConfigDict(frozen=True)

    columns: tuple[str, ...] = Field(min_length=1)
    explode: tuple[str, ...] = ()


class TrainingRule(BaseModel):
    """An EM session over the pairs equal on ``columns``; ``held_out`` comparisons are not trained in it either.

    Within pairs that share a name, sex and nationality agree far more often than between random records (names
    carry both), for namesakes as much as for one person: trained there, they would make namesakes look like one
    person. Held out, the session only keeps pairs on which they agree or one is missing.
    """

    model_config = ConfigDict(frozen=True)

    columns: tuple[str, ...] = Field(min_length=1)
    held_out: tuple[str, ...] = ()


class ResolutionConfig(BaseModel):
    model_config = ConfigDict(frozen=True)

    link_threshold: float = Field(gt=0, lt=1, description="match probability from which a pair is a link")
    prior_rules: tuple[tuple[str, ...], ...] = Field(min_length=1)
    prior_recall: float = Field(gt=0, le=1)
    u_max_pairs: int = Field(ge=1000)
    u_seed: int
    em_rules: tuple[TrainingRule, ...] = Field(min_length=1)
    blocking_rules: tuple[BlockingRule, ...] = Field(min_length=1)
    max_candidates: int = Field(ge=1)
    date_conflicts_below: float = Field(
        gt=0, le=1, description="conflicting dates of birth rule a union out when the model's m for them is below this"
    )
    name_similarity: tuple[float, float]
    address_similarity: tuple[float, float]


@cache
def default_config() -> ResolutionConfig:
    """The shipped parameters (``palermo/resolution/config.yaml``)."""
    return load_packaged_yaml(__package__, "config.yaml", ResolutionConfig)
