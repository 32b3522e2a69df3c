"""The link graph's tunable numbers (``network.yaml`` beside this module), typed."""

from __future__ import annotations

from functools import cache
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from palermo.config_files import load_packaged_yaml


class NetworkParameters(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    thing_weights: dict[str, float]
    hub_size: int = Field(ge=2)
    relationship_weights: dict[str, float]
    payment_weight: float = Field(ge=0)
    leiden_quality: Literal["cpm", "modularity"]
    leiden_resolution: float = Field(gt=0)
    leiden_seed: int
    evidence_weights: dict[str, float]
    network_threshold: float = Field(gt=0)
    key_player_weights: dict[str, float]
    key_players: int = Field(ge=1, le=100)


@cache
def network_parameters() -> NetworkParameters:
    """The shipped parameters (``palermo/network/network.yaml``)."""
    return load_packaged_yaml(__package__, "network.yaml", NetworkParameters)
