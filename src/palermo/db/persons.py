"""Person records as one source reported them, their names and nationalities, and identity documents.

A person record is never overwritten by another source: entity resolution later groups records into identities.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from palermo.db.base import Base, ProvenanceMixin


class PersonRecord(ProvenanceMixin, Base):
    __tablename__ = "person_records"
    __extra_table_args__ = (
        CheckConstraint("sex IN ('M', 'F', 'X')", name="sex"),
        CheckConstraint("birth_date_precision IN ('year', 'month', 'day')", name="birth_precision"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    birth_date: Mapped[str | None] = mapped_column(String(10))  # ISO 8601 reduced precision: YYYY, YYYY-MM, YYYY-MM-DD
    birth_date_precision: Mapped[str | None] = mapped_column(String(5))
    birth_place: Mapped[str | None] = mapped_column(String(300))
    sex: Mapped[str | None] = mapped_column(String(1))
    notes: Mapped[str | None] = mapped_column(Text)

    names: Mapped[list[PersonName]] = relationship(
        back_populates="person", cascade="all, delete-orphan", order_by="PersonName.position"
    )
    nationalities: Mapped[list[PersonNationality]] = relationship(
        cascade="all, delete-orphan", order_by="PersonNationality.position"
    )


class PersonName(Base):
    """One name of a person record: primary, alias, transliteration, maiden ... in a given script."""

    __tablename__ = "person_names"
    __table_args__ = (Index("ix_person_names_person", "person_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person_records.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(32))
    script: Mapped[str | None] = mapped_column(String(4))  # ISO 15924, e.g. Latn, Cyrl, Arab
    full_name: Mapped[str] = mapped_column(String(400))
    given_names: Mapped[str | None] = mapped_column(String(300))
    surname: Mapped[str | None] = mapped_column(String(300))

    person: Mapped[PersonRecord] = relationship(back_populates="names")


#: search keys compare byte by byte on PostgreSQL too, so that a prefix is a range of the index (``k:kowal``..)
SEARCH_KEY = String(100).with_variant(String(100, collation="C"), "postgresql")


class PersonNameKey(Base):
    """A search key of a person record's names (``palermo.persons.name_keys``): written with the names at ingest.

    Person search looks keys up (exact, or a ``k:`` prefix as an index range) instead of scanning every name.
    """

    __tablename__ = "person_name_keys"
    __table_args__ = (Index("ix_person_name_keys_key", "key", "person_id"),)

    person_id: Mapped[int] = mapped_column(ForeignKey("person_records.id", ondelete="CASCADE"), primary_key=True)
    key: Mapped[str] = mapped_column(SEARCH_KEY, primary_key=True)


class PersonNationality(Base):
    __tablename__ = "person_nationalities"

    person_id: Mapped[int] = mapped_column(ForeignKey("person_records.id", ondelete="CASCADE"), primary_key=True)
    country: Mapped[str] = mapped_column(String(3), primary_key=True)  # ISO 3166 alpha-3 or ICAO 9303 code
    position: Mapped[int] = mapped_column(Integer)


def normalise_document_number(number: str) -> str:
    """A document number's search form (``identity_documents.number_normalised``): its letters and digits."""
    return "".join(ch for ch in number.upper() if ch.isalnum())


class IdentityDocument(ProvenanceMixin, Base):
    __tablename__ = "identity_documents"
    __extra_table_args__ = (
        Index("ix_identity_documents_lookup", "issuing_state", "number_normalised"),
        Index("ix_identity_documents_person", "person_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int | None] = mapped_column(ForeignKey("person_records.id", ondelete="SET NULL"))
    document_type: Mapped[str] = mapped_column(String(32))
    number: Mapped[str] = mapped_column(String(64))
    number_normalised: Mapped[str] = mapped_column(String(64))
    issuing_state: Mapped[str] = mapped_column(String(3))
    issue_date: Mapped[dt.date | None] = mapped_column(Date)
    expiry_date: Mapped[dt.date | None] = mapped_column(Date)
    mrz: Mapped[str | None] = mapped_column(Text)
