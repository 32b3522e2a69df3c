"""Person-search parameters, declared in ``search.yaml`` beside this module (never bare numbers in the logic)."""

from __future__ import annotations

from functools import cache

from pydantic import BaseModel, ConfigDict, Field

from palermo.config_files import load_packaged_yaml


class SearchParameters(BaseModel):
    """What a record needs to be found, and how many candidates and rows a search handles."""

    model_config = ConfigDict(frozen=True)

    name_threshold: float = Field(ge=0, le=1, description="name-engine score a record's best name needs")
    max_candidates: int = Field(ge=1, description="records the keys may select before scoring")
    page_size: int = Field(ge=1, le=200, description="result rows (identities) a page")


@cache
def search_parameters() -> SearchParameters:
    """The shipped parameters (``palermo/persons/search.yaml``)."""
    return load_packaged_yaml(__package__, "search.yaml", SearchParameters)
