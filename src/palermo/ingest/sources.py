"""Sources: one dataset of one agency, with the provenance defaults its records inherit."""

from __future__ import annotations

from dataclasses import dataclass, replace

import pycountry
from pydantic import BaseModel, ConfigDict
from sqlalchemy import select
from sqlalchemy.orm import Session

from palermo.auth.access import guard
from palermo.auth.actor import Actor
from palermo.db.reference import Agency, Source
from palermo.errors import InvalidInput, NotFound
from palermo.taxonomies import taxonomy
from palermo.taxonomies.countries import normalise_country


class SourceDefaults(BaseModel):
    """The columns of a source that ingest needs, detached from any session (the API's answer too)."""

    model_config = ConfigDict(frozen=True)

    id: int
    name: str
    agency_code: str
    handling: str
    handling_note: str | None
    distribution: str
    sharing_group: str | None
    reliability: str
    credibility: str
    sensitivity: str
    review_after_days: int | None
    delete_after_days: int | None
    phone_region: str | None


@dataclass(frozen=True)
class SourceSpec:
    """What ``palermo sources add`` (or ingest of a new source) records."""

    name: str
    agency: str
    description: str | None = None
    handling: str = "H0"
    handling_note: str | None = None
    distribution: str = "agency"
    sharing_group: str | None = None
    reliability: str = "X"
    credibility: str = "4"
    sensitivity: str = "ordinary"
    review_after_days: int | None = None
    delete_after_days: int | None = None
    phone_region: str | None = None

    def validated(self) -> SourceSpec:
        if not self.name.strip():
            raise InvalidInput("a source needs a name")
        taxonomy("handling_codes").require(self.handling)
        taxonomy("distributions").require(self.distribution)
        taxonomy("source_reliability").require(self.reliability)
        taxonomy("information_credibility").require(self.credibility)
        taxonomy("sensitivities").require(self.sensitivity)
        if self.handling == "H3" and not self.handling_note:
            raise InvalidInput("handling H3 needs a handling note (--handling-note) saying the restriction")
        if self.distribution == "group" and not self.sharing_group:
            raise InvalidInput("distribution 'group' needs the sharing group's name (--sharing-group)")
        for days in (self.review_after_days, self.delete_after_days):
            if days is not None and days <= 0:
                raise InvalidInput("retention periods are a positive number of days")
        if self.phone_region is not None:
            country = pycountry.countries.get(alpha_3=normalise_country(self.phone_region))
            if country is None:
                raise InvalidInput(f"phone region {self.phone_region!r} is not an ISO 3166 country")
            return replace(self, phone_region=country.alpha_2)
        return self


def _defaults(source: Source, agency_code: str) -> SourceDefaults:
    return SourceDefaults(
        id=source.id,
        name=source.name,
        agency_code=agency_code,
        handling=source.default_handling,
        handling_note=source.default_handling_note,
        distribution=source.default_distribution,
        sharing_group=source.default_sharing_group,
        reliability=source.default_reliability,
        credibility=source.default_credibility,
        sensitivity=source.default_sensitivity,
        review_after_days=source.review_after_days,
        delete_after_days=source.delete_after_days,
        phone_region=source.phone_region,
    )


def _agency(session: Session, code: str) -> Agency:
    agency = session.scalars(select(Agency).where(Agency.code == code)).first()
    if agency is None:
        agency = Agency(code=code, name=code)
        session.add(agency)
        session.flush()
    return agency


def add_source(session: Session, spec: SourceSpec) -> SourceDefaults:
    """Create a source; ``InvalidInput`` if the name is taken."""
    spec = spec.validated()
    if session.scalars(select(Source).where(Source.name == spec.name)).first() is not None:
        raise InvalidInput(f"a source named {spec.name!r} already exists")
    agency = _agency(session, spec.agency)
    source = Source(
        name=spec.name,
        agency_id=agency.id,
        description=spec.description,
        default_handling=spec.handling,
        default_handling_note=spec.handling_note,
        default_distribution=spec.distribution,
        default_sharing_group=spec.sharing_group,
        default_reliability=spec.reliability,
        default_credibility=spec.credibility,
        default_sensitivity=spec.sensitivity,
        review_after_days=spec.review_after_days,
        delete_after_days=spec.delete_after_days,
        phone_region=spec.phone_region,
    )
    session.add(source)
    session.flush()
    return _defaults(source, agency.code)


def get_source(session: Session, name: str) -> SourceDefaults:
    row = session.execute(
        select(Source, Agency.code).join(Agency, Agency.id == Source.agency_id).where(Source.name == name)
    ).first()
    if row is None:
        raise NotFound(f"no source named {name!r}; create it with `palermo sources add {name}`")
    return _defaults(row[0], row[1])


def list_sources(session: Session) -> list[SourceDefaults]:
    rows = session.execute(
        select(Source, Agency.code).join(Agency, Agency.id == Source.agency_id).order_by(Source.name)
    )
    return [_defaults(source, code) for source, code in rows]


def list_sources_for(session: Session, actor: Actor) -> list[SourceDefaults]:
    """:func:`list_sources`, for an actor holding ``sources.read``."""
    guard(session, actor, "sources.read")
    return list_sources(session)
