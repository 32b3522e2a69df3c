"""The documented request and result of one screening (JSON in and out of the API and ``palermo screen --json``)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from palermo.documents.mrz_dates import check_date_problem
from palermo.screening.entries import partial_date, sex_code

Short = Annotated[str, Field(min_length=1, max_length=200)]


class CompanionIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: Short
    birth_date: str | None = Field(None, description="YYYY, YYYY-MM or YYYY-MM-DD")

    @field_validator("birth_date")
    @classmethod
    def _date(cls, value: str | None) -> str | None:
        return partial_date(value)


def _crossing_time(value: dt.datetime | None) -> dt.datetime | None:
    problem = None if value is None else check_date_problem(value.date())
    if problem is not None:
        raise ValueError(problem)
    return value


class ScreeningRequest(BaseModel):
    """One traveller at the booth: the MRZ and/or typed identity, and the travel context."""

    model_config = ConfigDict(extra="forbid")

    mrz: list[Annotated[str, Field(max_length=60)]] | None = Field(
        None, max_length=3, description="MRZ lines as read (TD1: 3 lines, TD2/TD3: 2)"
    )
    names: list[Short] = Field(default_factory=list, max_length=10, description="Names as typed, any script")
    birth_date: str | None = Field(None, description="YYYY, YYYY-MM or YYYY-MM-DD")
    nationality: str | None = Field(None, max_length=3, description="ISO 3166 / ICAO code")
    sex: str | None = Field(None, max_length=6, description="M, F or X")
    document_number: str | None = Field(None, max_length=64)
    issuing_state: str | None = Field(None, max_length=3, description="Issuing state of the typed document number")
    border_point: str | None = Field(None, max_length=16)
    direction: Literal["entry", "exit"] | None = None
    at: dt.datetime | None = Field(
        None, description="Time of the crossing (default: now, UTC), from 1900-01-01 to 2999-12-31"
    )
    companions: list[CompanionIn] = Field(default_factory=list, max_length=50)
    booking_ref: str | None = Field(None, max_length=64)
    payer: str | None = Field(None, max_length=300)
    phone: str | None = Field(None, max_length=20, description="Contact phone in E.164")
    destination: str | None = Field(None, max_length=500)

    @field_validator("birth_date")
    @classmethod
    def _date(cls, value: str | None) -> str | None:
        return partial_date(value)

    @field_validator("sex")
    @classmethod
    def _sex(cls, value: str | None) -> str | None:
        return sex_code(value)

    @field_validator("at")
    @classmethod
    def _at(cls, value: dt.datetime | None) -> dt.datetime | None:
        return _crossing_time(value)


class HitOut(BaseModel):
    watchlist: str
    entry_id: str = Field(description="The entry's id as loaded")
    category: str
    name: str = Field(description="The listed name that matched best")
    query_name: str
    score: float
    features: list[dict[str, Any]]
    name_features: list[dict[str, Any]]
    reason: str | None
    handling: str


class ScreeningResult(BaseModel):
    decision: Literal["clear", "refer", "alert", "protect"]
    score: float
    reasons: list[dict[str, Any]]
    hits: list[HitOut]
    indicators: list[dict[str, Any]]
    document_checks: dict[str, Any] | None
    alert_id: int | None
    elapsed_ms: float
