"""PPRL parameters, declared in ``config.yaml`` beside this module (field filters, hardening, threshold)."""

from __future__ import annotations

from functools import cache
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from palermo.config_files import load_packaged_yaml

FIELDS = ("name", "birth_date", "sex", "nationality", "street", "postcode", "city")
BlockingKey = Literal["birth_year", "name_phonetic", "birth_year_name_phonetic"]


class FieldFilter(BaseModel):
    """One field's Bloom filter: its length in bits, the positions set per q-gram, its weight in the score."""

    model_config = ConfigDict(frozen=True)

    bits: int = Field(ge=64, multiple_of=64)
    hashes: int = Field(ge=1, le=32)
    weight: float = Field(gt=0)


class Hardening(BaseModel):
    model_config = ConfigDict(frozen=True)

    random_hashing: bool
    salt_names_with: Literal["birth_year"] | None = None
    balance: bool = False
    xor_fold: bool = False

    @model_validator(mode="after")
    def _one_transform(self) -> Hardening:
        if self.balance and self.xor_fold:
            raise ValueError("balance and xor_fold exclude each other (a folded balanced filter is no longer balanced)")
        return self


class PprlConfig(BaseModel):
    model_config = ConfigDict(frozen=True)

    qgram: int = Field(ge=1, le=4)
    fields: dict[str, FieldFilter]
    hardening: Hardening
    dice_threshold: float = Field(ge=0, le=1)
    name_floor: float = Field(ge=-1, le=1)
    blocking: list[BlockingKey] = Field(min_length=1)
    key_epoch: int = Field(ge=1)

    @model_validator(mode="after")
    def _known_fields(self) -> PprlConfig:
        unknown = set(self.fields) - set(FIELDS)
        if unknown:
            raise ValueError(f"unknown PPRL fields {sorted(unknown)}; known: {', '.join(FIELDS)}")
        return self

    def with_hardening(self, **changes: object) -> PprlConfig:
        """This configuration with some hardening choices changed (the benchmark measures each one's cost)."""
        return self.model_copy(update={"hardening": self.hardening.model_copy(update=changes)})


@cache
def pprl_config() -> PprlConfig:
    return load_packaged_yaml(__package__, "config.yaml", PprlConfig)
