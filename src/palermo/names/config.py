"""The name-matching configuration: feature weights, the match threshold and token-similarity parameters.

Numbers live in ``config.yaml`` beside this module (written by :mod:`palermo.names.calibrate`), never in the logic.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, model_validator

from palermo.config_files import load_packaged_yaml, load_yaml_file


class FeatureWeight(BaseModel):
    """One declared feature of the algorithm and its weight: a reward weighs >= 0, a penalty <= 0."""

    model_config = ConfigDict(frozen=True)

    name: str
    kind: Literal["reward", "penalty"]
    weight: float

    @model_validator(mode="after")
    def _sign_matches_kind(self) -> FeatureWeight:
        if (self.kind == "reward" and self.weight < 0) or (self.kind == "penalty" and self.weight > 0):
            raise ValueError(f"feature {self.name} is a {self.kind} but has weight {self.weight}")
        return self


class TokenSimilarity(BaseModel):
    """How much one aligned pair of name tokens is worth, by the kind of evidence that aligned it."""

    model_config = ConfigDict(frozen=True)

    equivalent_name: float = Field(ge=0, le=1, description="same given name by rigour symbol or our equivalents")
    phonetic: float = Field(ge=0, le=1, description="same metaphone code")
    skeleton: float = Field(ge=0, le=1, description="same consonant skeleton, one side from an abjad")
    initial: float = Field(ge=0, le=1, description="an initial against a name with that first letter")
    different_names: float = Field(
        0.5,
        ge=0,
        le=1,
        description="most two tokens are worth when the name lexicon knows both as names, and as different names "
        "(Aleksandar / Aleksandra, Jovan / Jovana): however alike their letters or sound",
    )
    short_form: float = Field(
        0.9,
        ge=0,
        le=1,
        description="a compound given name and its everyday short form (Ngozichukwu / Ngozi, Oluwaseun / Seun)",
    )
    convention: float = Field(
        0.9,
        ge=0,
        le=1,
        description="one name in two languages' transliteration conventions (Zaytsev / Saizew, Rashid / Rachid)",
    )
    truncated: float = Field(
        0.85,
        ge=0,
        le=1,
        description="the last part of a name long enough to have been cut at a list's field width, against a longer "
        "part it begins (NOUREDDINE BEN ALI BEN BELKASSEM DR / ... DRISSI)",
    )
    min_phonetic_length: int = Field(ge=1, description="shortest token whose metaphone code counts")
    align_floor: float = Field(ge=0, le=1, description="below this similarity two tokens are not aligned")
    joined_floor: float = Field(ge=0, le=1, description="names whose joined letters are this similar align as one")


class NameMatchingConfig(BaseModel):
    """The declared algorithm: ``score = clamp(sum(weight * value), 0, 1)`` over ``features``."""

    model_config = ConfigDict(frozen=True)

    version: str
    threshold: float = Field(ge=0, le=1)
    features: tuple[FeatureWeight, ...]
    similarity: TokenSimilarity

    @model_validator(mode="after")
    def _identity_scores_one(self) -> NameMatchingConfig:
        identity = {"aligned_token_similarity", "full_name_similarity", "exact_tokens"}
        total = sum(f.weight for f in self.features if f.name in identity)
        if total < 1.0 - 1e-9:
            raise ValueError(f"weights of {sorted(identity)} sum to {total:.3f}; they must sum to >= 1")
        return self

    def weight(self, name: str) -> float:
        return next((f.weight for f in self.features if f.name == name), 0.0)

    def with_weights(self, weights: dict[str, float], threshold: float | None = None) -> NameMatchingConfig:
        """A copy with some weights (and optionally the threshold) replaced — what calibration writes."""
        features = tuple(f.model_copy(update={"weight": weights.get(f.name, f.weight)}) for f in self.features)
        return self.model_copy(update={"features": features, "threshold": threshold or self.threshold})


def load_config(path: Path | None = None) -> NameMatchingConfig:
    """Load a config file, or the shipped default when ``path`` is ``None``."""
    if path is None:
        return default_config()
    return load_yaml_file(path, NameMatchingConfig)


@cache
def default_config() -> NameMatchingConfig:
    """The shipped configuration (``palermo/names/config.yaml``), cached for the process."""
    return load_packaged_yaml(__package__, "config.yaml", NameMatchingConfig)


def dump_config(config: NameMatchingConfig) -> str:
    """YAML text of a config, in the shape :func:`load_config` reads."""
    return yaml.safe_dump(config.model_dump(mode="json"), sort_keys=False, allow_unicode=True)
