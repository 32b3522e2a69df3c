"""Victim cases and their indicator assessments: special-category data, readable only with ``victims.read``.

Service providers are reference data loaded from a file. A consent records what data may go to which provider,
for which services, until when, and when it was withdrawn; a referral names the consent (or another recorded legal
basis) it rests on, and stops when that consent is withdrawn.

A case is opened for a person (a record, an identity, or the traveller as screened when the store has no record of
them) by a border ``protect`` decision or by hand. Assessments are append-only: a revision is a new row with the
next version that names the row it revises; the observed indicators are rows of their own, attributed and dated.

The ``sealed_*`` attributes hold victim data encrypted at field level (``palermo.victims.sealing``): callers read
them with ``sealing.opened`` and write them with ``sealing.seal_fields``, never directly.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    func,
)
from sqlalchemy.orm import Mapped, mapped_column

from palermo.db.base import Base

CASE_ORIGINS = ("screening", "manual")
CASE_STATUSES = ("open", "closed")
INDICATOR_LISTS = ("adult_labour", "adult_sexual", "child_labour", "child_sexual")
POPULATION_BASES = ("stated", "birth_date")
CONSENT_GIVERS = ("person", "guardian")


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


class VictimCase(Base):
    __tablename__ = "victim_cases"
    __table_args__ = (
        CheckConstraint(_in("origin", CASE_ORIGINS), name="origin"),
        CheckConstraint(_in("status", CASE_STATUSES), name="status"),
        CheckConstraint("sensitivity = 'special'", name="special"),
        Index("ix_victim_cases_person", "person_id"),
        Index("ix_victim_cases_identity", "identity_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    opened_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    opened_by: Mapped[str] = mapped_column(String(200))
    origin: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(16), default="open")
    person_id: Mapped[int | None] = mapped_column(ForeignKey("person_records.id", ondelete="SET NULL"))
    identity_id: Mapped[int | None] = mapped_column(ForeignKey("identities.id", ondelete="SET NULL"))
    alert_id: Mapped[int | None] = mapped_column(ForeignKey("alerts.id", ondelete="SET NULL"))
    #: the person as known when the case was opened (names, birth date, nationality, sex, document numbers): sealed JSON
    sealed_subject: Mapped[str] = mapped_column("subject", Text, default="")
    sealed_note: Mapped[str | None] = mapped_column("note", Text)
    handling: Mapped[str] = mapped_column(String(2), default="H0")
    sensitivity: Mapped[str] = mapped_column(String(16), default="special")


class VictimAssessment(Base):
    __tablename__ = "victim_assessments"
    __table_args__ = (
        UniqueConstraint("case_id", "version", name="uq_victim_assessments_case_version"),
        UniqueConstraint("revises_id", name="uq_victim_assessments_revises"),
        CheckConstraint(_in("indicator_list", INDICATOR_LISTS), name="indicator_list"),
        CheckConstraint(_in("population_basis", POPULATION_BASES), name="population_basis"),
        CheckConstraint("(version = 1) = (revises_id IS NULL)", name="revision_chain"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("victim_cases.id", ondelete="CASCADE"), index=True)
    version: Mapped[int] = mapped_column(Integer)
    revises_id: Mapped[int | None] = mapped_column(ForeignKey("victim_assessments.id"))
    recorded_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    recorded_by: Mapped[str] = mapped_column(String(200))
    interviewed_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    interviewer: Mapped[str] = mapped_column(String(200))
    indicator_list: Mapped[str] = mapped_column(String(16))
    population_basis: Mapped[str] = mapped_column(String(16))
    presumed_victim: Mapped[bool] = mapped_column(Boolean)
    rule_version: Mapped[str] = mapped_column(String(32))
    #: the rule's explained outcome as it was when recorded (dimensions, elements, conclusion): sealed JSON
    sealed_outcome: Mapped[str] = mapped_column("outcome", Text, default="")
    sealed_note: Mapped[str | None] = mapped_column("note", Text)
    sealed_revision_reason: Mapped[str | None] = mapped_column("revision_reason", Text)


class VictimObservation(Base):
    __tablename__ = "victim_observations"

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("victim_assessments.id", ondelete="CASCADE"), index=True)
    sealed_indicator_id: Mapped[str] = mapped_column("indicator_id", Text, default="")
    observed_by: Mapped[str] = mapped_column(String(200))
    observed_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    sealed_note: Mapped[str | None] = mapped_column("note", Text)


class VictimServiceProvider(Base):
    __tablename__ = "victim_service_providers"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(300))
    services: Mapped[list[str]] = mapped_column(JSON)  # victim_services.yaml ids
    country: Mapped[str] = mapped_column(String(3))
    area: Mapped[str | None] = mapped_column(String(200))
    contact: Mapped[str] = mapped_column(Text)
    languages: Mapped[list[str]] = mapped_column(JSON)
    serves_children: Mapped[bool] = mapped_column(Boolean)
    active: Mapped[bool] = mapped_column(Boolean)
    loaded_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    loaded_by: Mapped[str] = mapped_column(String(200))


class VictimConsent(Base):
    __tablename__ = "victim_consents"
    __table_args__ = (
        CheckConstraint(_in("given_by", CONSENT_GIVERS), name="given_by"),
        CheckConstraint("(withdrawn_at IS NULL) = (withdrawn_by IS NULL)", name="withdrawal_attributed"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("victim_cases.id", ondelete="CASCADE"), index=True)
    provider_id: Mapped[int] = mapped_column(ForeignKey("victim_service_providers.id"))
    data_categories: Mapped[list[str]] = mapped_column(JSON)  # victim_data_categories.yaml ids
    services: Mapped[list[str]] = mapped_column(JSON)  # the purposes: victim_services.yaml ids
    valid_until: Mapped[dt.date] = mapped_column(Date)
    given_by: Mapped[str] = mapped_column(String(16))
    #: the language the person was informed in (sealed)
    sealed_informed_in: Mapped[str] = mapped_column("informed_in", Text, default="")
    explained_by: Mapped[str] = mapped_column(String(200))
    recorded_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    recorded_by: Mapped[str] = mapped_column(String(200))
    sealed_note: Mapped[str | None] = mapped_column("note", Text)
    withdrawn_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    withdrawn_by: Mapped[str | None] = mapped_column(String(200))
    sealed_withdrawal_note: Mapped[str | None] = mapped_column("withdrawal_note", Text)


class VictimReferral(Base):
    __tablename__ = "victim_referrals"
    __table_args__ = (
        CheckConstraint("(consent_id IS NULL) <> (legal_basis IS NULL)", name="one_basis"),
        CheckConstraint("legal_basis IS NULL OR legal_basis_note IS NOT NULL", name="basis_explained"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("victim_cases.id", ondelete="CASCADE"), index=True)
    provider_id: Mapped[int] = mapped_column(ForeignKey("victim_service_providers.id"))
    service: Mapped[str] = mapped_column(String(32))
    data_categories: Mapped[list[str]] = mapped_column(JSON)
    consent_id: Mapped[int | None] = mapped_column(ForeignKey("victim_consents.id"), index=True)
    legal_basis: Mapped[str | None] = mapped_column(String(32))
    sealed_legal_basis_note: Mapped[str | None] = mapped_column("legal_basis_note", Text)
    referred_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    referred_by: Mapped[str] = mapped_column(String(200))
    sealed_note: Mapped[str | None] = mapped_column("note", Text)
    #: when further sharing under this referral stopped (its consent was withdrawn)
    stopped_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
