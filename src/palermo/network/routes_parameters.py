"""Parameters of routes and hotspots, declared in ``routes.yaml`` beside this module; a query may override them."""

from __future__ import annotations

import datetime as dt
from functools import cache
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from palermo.config_files import load_packaged_yaml
from palermo.errors import InvalidInput

Period = Literal["week", "month"]


class RouteParameters(BaseModel):
    """Tunable numbers of the analysis (see routes.yaml)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    trip_window_days: int = Field(ge=1, le=365, description="entries this many days apart at most form one journey")
    period: Period = Field(description="volumes and per-period hotspots by ISO week or calendar month")
    alpha: float = Field(gt=0, lt=1, description="false-discovery rate (Benjamini-Hochberg) of a reported finding")
    min_flagged: int = Field(ge=1, description="flagged trips or crossings a finding needs")
    max_evidence: int = Field(ge=1, le=10_000, description="movements and identities listed as evidence")
    max_routes: int = Field(ge=1, le=100_000, description="routes an answer lists besides the trafficking ones")


@cache
def route_parameters() -> RouteParameters:
    """The shipped parameters (``palermo/network/routes.yaml``)."""
    return load_packaged_yaml(__package__, "routes.yaml", RouteParameters)


class TravelQuery(BaseModel):
    """What to analyse: a time range (crossings on ``since`` .. ``until`` inclusive, UTC dates) and parameter
    overrides; ``None`` keeps the shipped value."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    since: dt.date | None = Field(default=None, description="first day of crossings analysed")
    until: dt.date | None = Field(default=None, description="last day of crossings analysed")
    trip_window_days: int | None = Field(default=None, ge=1, le=365)
    period: Period | None = None
    alpha: float | None = Field(default=None, gt=0, lt=1)
    min_flagged: int | None = Field(default=None, ge=1)

    @model_validator(mode="after")
    def _ordered(self) -> TravelQuery:
        if self.since and self.until and self.since > self.until:
            raise ValueError(f"since ({self.since}) is after until ({self.until})")
        return self

    @classmethod
    def of(cls, **values: object) -> TravelQuery:
        """A query from loose values (a command's options), or :class:`InvalidInput` saying what is wrong."""
        try:
            return cls.model_validate(values)
        except ValidationError as exc:
            problems = "; ".join(f"{'.'.join(map(str, e['loc'])) or 'query'}: {e['msg']}" for e in exc.errors())
            raise InvalidInput(f"invalid route query: {problems}") from None

    def parameters(self) -> RouteParameters:
        """The shipped parameters with this query's overrides."""
        overrides = {
            k: v
            for k, v in self.model_dump(include={"trip_window_days", "period", "alpha", "min_flagged"}).items()
            if v is not None
        }
        return route_parameters().model_copy(update=overrides)
