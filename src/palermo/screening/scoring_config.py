"""Person-score weights and decision thresholds, declared in ``screening.yaml`` beside this module."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from palermo.config_files import load_packaged_yaml, load_yaml_file

Decision = Literal["clear", "refer", "alert", "protect"]


class BirthDateWeights(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    weight: float = Field(ge=0)
    exact: float = Field(ge=0, le=1)
    compatible: float = Field(ge=0, le=1)
    day_month_swapped: float = Field(ge=0, le=1)
    year_off_by_one: float = Field(ge=0, le=1)
    same_year: float = Field(ge=0, le=1)


class PersonScoreConfig(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    name: float = Field(gt=0)
    birth_date: BirthDateWeights
    birth_date_conflict: float = Field(le=0)
    nationality: float = Field(ge=0)
    nationality_conflict: float = Field(le=0)
    sex_conflict: float = Field(le=0)
    document_number: float = Field(ge=0)
    weak_alias: float = Field(ge=0, le=1)
    report_threshold: float = Field(ge=0, le=1)
    max_hits: int = Field(ge=1)


class DecisionConfig(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    alert: float = Field(ge=0, le=1)
    refer: float = Field(ge=0, le=1)
    indicator_refer: float = Field(ge=0)
    document_refer: tuple[str, ...]
    document_alert_statuses: tuple[str, ...]
    hit_categories: dict[str, Decision]
    precedence: tuple[Decision, ...]


class ScreeningConfig(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    person_score: PersonScoreConfig
    decision: DecisionConfig


def load_screening_config(path: Path | None = None) -> ScreeningConfig:
    """The config at ``path``, or the shipped ``palermo/screening/screening.yaml``."""
    if path is None:
        return load_packaged_yaml(__package__, "screening.yaml", ScreeningConfig)
    return load_yaml_file(path, ScreeningConfig)


@cache
def default_screening_config() -> ScreeningConfig:
    return load_screening_config()
