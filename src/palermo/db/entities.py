"""Organisations, contacts, addresses, typed relationships and financial transactions.

Links to persons and organisations are real foreign keys (one nullable column per target type, with a check that
exactly one is set), so the store itself refuses an edge to nothing.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import CheckConstraint, Date, DateTime, Float, ForeignKey, Index, Numeric, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from palermo.db.base import Base, ProvenanceMixin


def _one_of(a: str, b: str, name: str, required: bool) -> CheckConstraint:
    both_unset = f"({a} IS NULL AND {b} IS NULL)"
    exactly_one = f"(({a} IS NULL) <> ({b} IS NULL))"
    clause = exactly_one if required else f"({exactly_one} OR {both_unset})"
    return CheckConstraint(clause, name=name)


class Organisation(ProvenanceMixin, Base):
    __tablename__ = "organisations"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(400))
    kind: Mapped[str | None] = mapped_column(String(64))
    country: Mapped[str | None] = mapped_column(String(3))
    registration_number: Mapped[str | None] = mapped_column(String(100))


class Contact(ProvenanceMixin, Base):
    """A phone number (E.164), e-mail address, online handle or web address, optionally owned by a record."""

    __tablename__ = "contacts"
    __extra_table_args__ = (
        CheckConstraint("kind IN ('phone', 'email', 'handle', 'url')", name="kind"),
        _one_of("person_id", "organisation_id", "owner", required=False),
        Index("ix_contacts_value", "kind", "value"),
        Index("ix_contacts_person", "person_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int | None] = mapped_column(ForeignKey("person_records.id", ondelete="CASCADE"))
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(8))
    value: Mapped[str] = mapped_column(String(320))
    platform: Mapped[str | None] = mapped_column(String(64))


class Address(ProvenanceMixin, Base):
    __tablename__ = "addresses"
    __extra_table_args__ = (
        _one_of("person_id", "organisation_id", "owner", required=False),
        Index("ix_addresses_normalised", "normalised"),
        Index("ix_addresses_person", "person_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int | None] = mapped_column(ForeignKey("person_records.id", ondelete="CASCADE"))
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"))
    kind: Mapped[str | None] = mapped_column(String(32))
    full: Mapped[str] = mapped_column(Text)
    normalised: Mapped[str] = mapped_column(String(500))
    street: Mapped[str | None] = mapped_column(String(300))
    postcode: Mapped[str | None] = mapped_column(String(32))
    city: Mapped[str | None] = mapped_column(String(200))
    region: Mapped[str | None] = mapped_column(String(200))
    country: Mapped[str | None] = mapped_column(String(3))
    latitude: Mapped[float | None] = mapped_column(Float)
    longitude: Mapped[float | None] = mapped_column(Float)


class Relationship(ProvenanceMixin, Base):
    """A typed, directed edge between two records (person or organisation), e.g. ``recruited_by``."""

    __tablename__ = "relationships"
    __extra_table_args__ = (
        _one_of("subject_person_id", "subject_organisation_id", "subject", required=True),
        _one_of("object_person_id", "object_organisation_id", "object", required=True),
        Index("ix_relationships_subject_person", "subject_person_id"),
        Index("ix_relationships_object_person", "object_person_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(64))
    subject_person_id: Mapped[int | None] = mapped_column(ForeignKey("person_records.id", ondelete="CASCADE"))
    subject_organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"))
    object_person_id: Mapped[int | None] = mapped_column(ForeignKey("person_records.id", ondelete="CASCADE"))
    object_organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"))
    started_on: Mapped[dt.date | None] = mapped_column(Date)
    ended_on: Mapped[dt.date | None] = mapped_column(Date)
    note: Mapped[str | None] = mapped_column(Text)


class Transaction(ProvenanceMixin, Base):
    """A payment between two parties, as a bank, money-transfer operator or card processor reported it."""

    __tablename__ = "transactions"
    __extra_table_args__ = (
        _one_of("payer_person_id", "payer_organisation_id", "payer", required=False),
        _one_of("payee_person_id", "payee_organisation_id", "payee", required=False),
        Index("ix_transactions_payer_person", "payer_person_id"),
        Index("ix_transactions_payee_person", "payee_person_id"),
        Index("ix_transactions_time", "occurred_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    occurred_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    amount: Mapped[Decimal] = mapped_column(Numeric(18, 2))
    currency: Mapped[str] = mapped_column(String(3))
    channel: Mapped[str | None] = mapped_column(String(32))
    payer_person_id: Mapped[int | None] = mapped_column(ForeignKey("person_records.id", ondelete="SET NULL"))
    payer_organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id", ondelete="SET NULL"))
    payee_person_id: Mapped[int | None] = mapped_column(ForeignKey("person_records.id", ondelete="SET NULL"))
    payee_organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id", ondelete="SET NULL"))
    payer_name: Mapped[str | None] = mapped_column(String(400))
    payee_name: Mapped[str | None] = mapped_column(String(400))
    payer_account: Mapped[str | None] = mapped_column(String(100))
    payee_account: Mapped[str | None] = mapped_column(String(100))
    reference: Mapped[str | None] = mapped_column(Text)
