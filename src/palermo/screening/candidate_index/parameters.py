"""Candidate-index parameters, declared in ``parameters.yaml`` beside this module (never bare numbers in the logic)."""

from __future__ import annotations

from functools import cache

from pydantic import BaseModel, ConfigDict, Field

from palermo.config_files import load_packaged_yaml


class IndexConfig(BaseModel):
    """How many candidates a query gets and how the index weighs and caps its keys."""

    model_config = ConfigDict(frozen=True)

    top_k: int = Field(ge=1, description="candidates returned per query")
    edit_floor: float = Field(ge=0, le=1, description="edit similarity of vocabulary tokens looked up")
    max_similar_tokens: int = Field(ge=1, description="edit-distance neighbours per query token")
    max_postings: int = Field(ge=1, description="names per token above which a token counts as common")
    initial_weight: float = Field(ge=0, description="highest IDF weight of a match with an initial")
    length_penalty: float = Field(ge=0, description="weight removed per token of length difference")
    birth_year_boost: float = Field(ge=0, description="weight added for a birth year within one year")
    document_boost: float = Field(ge=0, description="weight added for an exact document-number hit")
    cache_prepared: int = Field(ge=0, description="prepared stored names kept in memory")
    cache_token_rows: int = Field(ge=0, description="rows of query tokens' postings kept in memory")


@cache
def default_index_config() -> IndexConfig:
    """The shipped parameters (``palermo/screening/candidate_index/parameters.yaml``)."""
    return load_packaged_yaml(__package__, "parameters.yaml", IndexConfig)
