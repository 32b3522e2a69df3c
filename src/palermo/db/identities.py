"""Identities: groups of person records that entity resolution says describe one real person.

An identity keeps its id across runs while its membership changes a little; an identity that disappears is
retired (``retired_at``), never deleted, with ``merged_into`` naming where its records went. Every link carries
its match weight and per-comparison explanation. Analyst judgements are append-only, attributed rows.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import CheckConstraint, DateTime, Float, ForeignKey, Index, Integer, String, Text, func
from sqlalchemy.orm import Mapped, mapped_column

from palermo.db.base import Base


class ResolutionRun(Base):
    __tablename__ = "resolution_runs"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))  # batch | incremental
    engine: Mapped[str] = mapped_column(String(16))
    model_version: Mapped[int] = mapped_column(Integer)
    actor: Mapped[str] = mapped_column(String(200))
    started_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    records: Mapped[int] = mapped_column(Integer, default=0)
    links: Mapped[int] = mapped_column(Integer, default=0)
    identities: Mapped[int] = mapped_column(Integer, default=0)


class Identity(Base):
    __tablename__ = "identities"

    id: Mapped[int] = mapped_column(primary_key=True)
    created_run_id: Mapped[int] = mapped_column(ForeignKey("resolution_runs.id"))
    updated_run_id: Mapped[int] = mapped_column(ForeignKey("resolution_runs.id"))
    size: Mapped[int] = mapped_column(Integer)
    retired_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    merged_into: Mapped[int | None] = mapped_column(Integer)


class IdentityMember(Base):
    __tablename__ = "identity_members"
    __table_args__ = (Index("ix_identity_members_identity", "identity_id"),)

    person_id: Mapped[int] = mapped_column(ForeignKey("person_records.id", ondelete="CASCADE"), primary_key=True)
    identity_id: Mapped[int] = mapped_column(ForeignKey("identities.id"))
    run_id: Mapped[int] = mapped_column(ForeignKey("resolution_runs.id"))


class IdentityLink(Base):
    """A scored pair inside one identity, with its explanation (JSON list of features)."""

    __tablename__ = "identity_links"
    __table_args__ = (
        Index("ix_identity_links_identity", "identity_id"),
        Index("ix_identity_links_left", "left_person_id"),
        Index("ix_identity_links_right", "right_person_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    identity_id: Mapped[int] = mapped_column(ForeignKey("identities.id"))
    left_person_id: Mapped[int] = mapped_column(ForeignKey("person_records.id", ondelete="CASCADE"))
    right_person_id: Mapped[int] = mapped_column(ForeignKey("person_records.id", ondelete="CASCADE"))
    match_weight: Mapped[float] = mapped_column(Float)
    match_probability: Mapped[float] = mapped_column(Float)
    basis: Mapped[str] = mapped_column(String(16))  # model | confirmed
    features: Mapped[str] = mapped_column(Text)
    run_id: Mapped[int] = mapped_column(ForeignKey("resolution_runs.id"))


class MatchJudgement(Base):
    """An analyst's verdict on two records (a link) or two identities (a merge); append-only, the latest wins."""

    __tablename__ = "match_judgements"
    __table_args__ = (
        CheckConstraint("verdict IN ('confirm', 'reject')", name="verdict"),
        CheckConstraint("scope IN ('link', 'merge')", name="scope"),
        Index("ix_match_judgements_pair", "left_person_id", "right_person_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    scope: Mapped[str] = mapped_column(String(8))
    verdict: Mapped[str] = mapped_column(String(8))
    left_person_id: Mapped[int] = mapped_column(ForeignKey("person_records.id", ondelete="CASCADE"))
    right_person_id: Mapped[int] = mapped_column(ForeignKey("person_records.id", ondelete="CASCADE"))
    left_identity_id: Mapped[int | None] = mapped_column(Integer)
    right_identity_id: Mapped[int | None] = mapped_column(Integer)
    actor: Mapped[str] = mapped_column(String(200))
    reason: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
