"""Sharing parameters, declared in ``config.yaml`` beside this module."""

from __future__ import annotations

from functools import cache

from pydantic import BaseModel, ConfigDict, Field

from palermo.config_files import load_packaged_yaml


class ExchangeConfig(BaseModel):
    model_config = ConfigDict(frozen=True)

    max_bundle_age_days: int = Field(ge=1)
    max_clock_skew_seconds: int = Field(ge=0)
    max_bundle_bytes: int = Field(ge=1000)
    retry_base_seconds: float = Field(ge=0)
    retry_max_seconds: float = Field(ge=0)
    http_timeout_seconds: float = Field(gt=0)


class HitNoHitConfig(BaseModel):
    model_config = ConfigDict(frozen=True)

    person_threshold: float = Field(ge=0, le=1)


class ArrivalsConfig(BaseModel):
    model_config = ConfigDict(frozen=True)

    max_records_listed: int = Field(ge=1)


class SharingConfig(BaseModel):
    model_config = ConfigDict(frozen=True)

    exchange: ExchangeConfig
    hitnohit: HitNoHitConfig
    arrivals: ArrivalsConfig


@cache
def sharing_config() -> SharingConfig:
    return load_packaged_yaml(__package__, "config.yaml", SharingConfig)
