"""The synthetic world's configuration (``data/world.yaml``) as typed, immutable objects."""

from __future__ import annotations

import datetime as dt
from functools import cache
from importlib import resources
from typing import Any

from pydantic import BaseModel, ConfigDict

from palermo.config_files import parse_yaml
from palermo.errors import InvalidInput


class Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class UnitMix(Frozen):
    share: float
    mean_size: float


class Victims(Frozen):
    profile: dict[str, float]
    exploitation: dict[str, float]
    per_network: tuple[int, int]


class SourceSpec(Frozen):
    agency: str
    description: str
    country: str | None = None
    defaults: dict[str, str]


class WorldConfig(Frozen):
    reference_date: dt.date
    window_days: int
    scales: dict[str, dict[str, int]]
    units: dict[str, UnitMix]
    trips: dict[str, tuple[int, int]]
    victims: Victims
    patterns: dict[str, Any]
    confounders: dict[str, float]
    lost_stolen: dict[str, Any]
    noise: dict[str, float]
    sources: dict[str, SourceSpec]
    nationalities: dict[str, dict[str, float]]
    destinations: dict[str, float]
    schengen: tuple[str, ...]

    def persons_for(self, scale: str) -> int:
        """Target number of persons at a scale; :class:`InvalidInput` names the known scales."""
        if scale not in self.scales:
            raise InvalidInput(f"unknown scale {scale!r}; expected one of: {', '.join(self.scales)}")
        return self.scales[scale]["persons"]

    def pattern(self, name: str) -> float:
        return float(self.patterns[name])


def load_yaml(name: str) -> Any:
    """A YAML file from ``palermo/synth/data``."""
    text = (resources.files("palermo.synth") / "data" / name).read_text(encoding="utf-8")
    return parse_yaml(text)


@cache
def world_config() -> WorldConfig:
    return WorldConfig.model_validate(load_yaml("world.yaml"))
