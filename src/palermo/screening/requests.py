"""The documented request and result of one screening (JSON in and out of the API and ``palermo screen --json``)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from palermo.documents.models import DocumentCheckResult, RegistryHit
from palermo.documents.mrz_dates import check_date_problem
from palermo.explanation import Feature
from palermo.screening.decision import Reason
from palermo.screening.entries import partial_date, sex_code
from palermo.screening.indicators import Indicator
from palermo.screening.risk.model import RiskScore
from palermo.screening.scoring_config import Decision
from palermo.victims.protection import VictimCaseRoute

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
    ocr: bool = Field(
        False, description="Correct confirmed OCR confusions in the MRZ (0/O, 1/I, 8/B ...) and report each correction"
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
    """A watchlist entry the traveller may be: its person score explained feature by feature."""

    watchlist: str
    entry_id: str = Field(description="The entry's id as loaded")
    category: str
    name: str = Field(description="The listed name that matched best")
    query_name: str
    score: float = Field(description="The person score (the total of `features`, clamped to 0-1)")
    features: tuple[Feature, ...] = Field(description="The person score's features: name, date of birth, ...")
    name_features: tuple[Feature, ...] = Field(description="The name score's features (the `name` feature's value)")
    reason: str | None
    handling: str
    via_identity: str | None = Field(
        None,
        description="Set when the hit came through the traveller's resolved identity, not the names given at the "
        "booth: which document or crossing led to which record of the same identity, and the link that joined them",
    )


class TypedDocumentCheck(BaseModel):
    """The lost/stolen lookup of a typed document number (there was no MRZ to check)."""

    registry_hits: list[RegistryHit]


class ScreeningResult(BaseModel):
    decision: Decision
    score: float
    reasons: list[Reason]
    hits: list[HitOut]
    indicators: list[Indicator] = Field(description="The risk indicators that fired")
    risk: RiskScore = Field(description="The combined risk score over the indicator features, explained per feature")
    document_checks: DocumentCheckResult | TypedDocumentCheck | None
    alert_id: int | None
    victim_case: VictimCaseRoute | None = Field(
        None, description="A protect decision: the victim case opened and the hand-over to victim support"
    )
    elapsed_ms: float
