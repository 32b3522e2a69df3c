"""The node itself, agencies, sources and ingest runs: the frame every record hangs in."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import CheckConstraint, DateTime, ForeignKey, Integer, String, Text, func
from sqlalchemy.orm import Mapped, mapped_column

from palermo.db.base import (
    CREDIBILITY_GRADES,
    DISTRIBUTIONS,
    HANDLING_CODES,
    RELIABILITY_GRADES,
    SENSITIVITIES,
    Base,
    TimestampMixin,
    _in,
)


class Node(Base):
    """This deployment: one row, written by ``palermo init``."""

    __tablename__ = "node"

    id: Mapped[int] = mapped_column(primary_key=True)
    node_id: Mapped[str] = mapped_column(String(64), unique=True)
    agency_code: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class Agency(TimestampMixin, Base):
    """An agency (node operator or partner): border police, criminal police, labour inspectorate, an NGO."""

    __tablename__ = "agencies"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(300))
    country: Mapped[str | None] = mapped_column(String(3))
    kind: Mapped[str | None] = mapped_column(String(64))


class Source(TimestampMixin, Base):
    """One dataset of one agency, with the defaults its records inherit unless a row says otherwise."""

    __tablename__ = "sources"
    __table_args__ = (
        CheckConstraint(_in("default_handling", HANDLING_CODES), name="handling"),
        CheckConstraint(_in("default_distribution", DISTRIBUTIONS), name="distribution"),
        CheckConstraint(_in("default_reliability", RELIABILITY_GRADES), name="reliability"),
        CheckConstraint(_in("default_credibility", CREDIBILITY_GRADES), name="credibility"),
        CheckConstraint(_in("default_sensitivity", SENSITIVITIES), name="sensitivity"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    agency_id: Mapped[int] = mapped_column(ForeignKey("agencies.id"))
    description: Mapped[str | None] = mapped_column(Text)
    default_handling: Mapped[str] = mapped_column(String(2), default="H0")
    default_handling_note: Mapped[str | None] = mapped_column(Text)
    default_distribution: Mapped[str] = mapped_column(String(16), default="agency")
    default_sharing_group: Mapped[str | None] = mapped_column(String(100))
    default_reliability: Mapped[str] = mapped_column(String(1), default="X")
    default_credibility: Mapped[str] = mapped_column(String(1), default="4")
    default_sensitivity: Mapped[str] = mapped_column(String(16), default="ordinary")
    review_after_days: Mapped[int | None] = mapped_column(Integer)
    delete_after_days: Mapped[int | None] = mapped_column(Integer)
    phone_region: Mapped[str | None] = mapped_column(String(2))


class IngestRun(Base):
    """One run of ``palermo ingest`` over one file: what it read and what it did."""

    __tablename__ = "ingest_runs"

    id: Mapped[int] = mapped_column(primary_key=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("sources.id"))
    kind: Mapped[str] = mapped_column(String(32))
    path: Mapped[str] = mapped_column(Text)
    file_sha256: Mapped[str | None] = mapped_column(String(64))
    actor: Mapped[str] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(16), default="running")
    started_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    finished_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    rows_read: Mapped[int] = mapped_column(Integer, default=0)
    inserted: Mapped[int] = mapped_column(Integer, default=0)
    updated: Mapped[int] = mapped_column(Integer, default=0)
    unchanged: Mapped[int] = mapped_column(Integer, default=0)
    rejected: Mapped[int] = mapped_column(Integer, default=0)
    message: Mapped[str | None] = mapped_column(Text)
    host: Mapped[str | None] = mapped_column(String(255))  # where the run's process runs, to tell a killed run
    pid: Mapped[int | None] = mapped_column(Integer)
