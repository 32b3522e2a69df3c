"""Declarative base and the provenance/handling columns every intelligence record carries.

ARCHITECTURE.md, "Provenance and handling, on every record": where a record came from (source and the source's own
key, which is also the idempotency key of ingest), who first recorded it, how it may be handled and passed on,
how reliable the source and the information are (4x4), how sensitive it is, and when it must be reviewed or
deleted. Sharing, oversight and retention are built on these columns.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    func,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, declared_attr, mapped_column

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

HANDLING_CODES = ("H0", "H1", "H2", "H3")
DISTRIBUTIONS = ("agency", "group", "partners")
RELIABILITY_GRADES = ("A", "B", "C", "X")
CREDIBILITY_GRADES = ("1", "2", "3", "4")
SENSITIVITIES = ("ordinary", "special")


def _in(column: str, values: tuple[str, ...]) -> str:
    quoted = ", ".join(f"'{v}'" for v in values)
    return f"{column} IN ({quoted})"


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class TimestampMixin:
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    updated_at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), onupdate=func.now()
    )


class ProvenanceMixin(TimestampMixin):
    """Columns of provenance, handling, grading, sensitivity and retention, shared by every record table."""

    source_key: Mapped[str] = mapped_column(String(200))
    originator: Mapped[str] = mapped_column(String(64))
    handling: Mapped[str] = mapped_column(String(2))
    handling_note: Mapped[str | None] = mapped_column(Text)
    distribution: Mapped[str] = mapped_column(String(16))
    sharing_group: Mapped[str | None] = mapped_column(String(100))
    source_reliability: Mapped[str] = mapped_column(String(1))
    information_credibility: Mapped[str] = mapped_column(String(1))
    sensitivity: Mapped[str] = mapped_column(String(16))
    review_at: Mapped[dt.date | None] = mapped_column(Date)
    delete_at: Mapped[dt.date | None] = mapped_column(Date)
    row_hash: Mapped[str] = mapped_column(String(32))
    ingest_run_id: Mapped[int | None] = mapped_column(Integer)

    @declared_attr
    def source_id(cls) -> Mapped[int]:
        return mapped_column(ForeignKey("sources.id"), index=False)

    @declared_attr.directive
    def __table_args__(cls) -> tuple[object, ...]:
        name = cls.__tablename__  # type: ignore[attr-defined]
        return (
            UniqueConstraint("source_id", "source_key", name=f"uq_{name}_source_key"),
            CheckConstraint(_in("handling", HANDLING_CODES), name="handling"),
            CheckConstraint(_in("distribution", DISTRIBUTIONS), name="distribution"),
            CheckConstraint("distribution <> 'group' OR sharing_group IS NOT NULL", name="group_named"),
            CheckConstraint("handling <> 'H3' OR handling_note IS NOT NULL", name="h3_note"),
            CheckConstraint(_in("source_reliability", RELIABILITY_GRADES), name="reliability"),
            CheckConstraint(_in("information_credibility", CREDIBILITY_GRADES), name="credibility"),
            CheckConstraint(_in("sensitivity", SENSITIVITIES), name="sensitivity"),
            *getattr(cls, "__extra_table_args__", ()),
        )


PROVENANCE_COLUMNS = (
    "source_id",
    "source_key",
    "originator",
    "handling",
    "handling_note",
    "distribution",
    "sharing_group",
    "source_reliability",
    "information_credibility",
    "sensitivity",
    "review_at",
    "delete_at",
)
