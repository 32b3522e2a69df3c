"""The link graph's edges, one row per record and tie, with the record's handling; and the builds that wrote them.

An edge joins two node keys (``person:17``, ``phone:+393471234567``, ``organisation:4`` ...): person records, not
identities, so that a new resolution run regroups the graph without a rebuild (``palermo.network.graph`` maps each
person record to its identity when it loads the edges). ``record_table`` and ``record_id`` name the record the edge
was read from; ``sensitivity`` is ``special`` when that record or a person record at either end is special category.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import CheckConstraint, DateTime, Float, ForeignKey, Index, Integer, String, func
from sqlalchemy.orm import Mapped, mapped_column

from palermo.db.base import Base


class NetworkBuild(Base):
    __tablename__ = "network_builds"
    __table_args__ = (CheckConstraint("kind IN ('full', 'incremental')", name="kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    actor: Mapped[str] = mapped_column(String(200))
    started_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    finished_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    records_read: Mapped[int] = mapped_column(Integer, default=0)
    edges_written: Mapped[int] = mapped_column(Integer, default=0)
    edges_removed: Mapped[int] = mapped_column(Integer, default=0)
    seconds: Mapped[float | None] = mapped_column(Float)


class NetworkEdge(Base):
    __tablename__ = "network_edges"
    __table_args__ = (
        CheckConstraint("sensitivity IN ('ordinary', 'special')", name="sensitivity"),
        Index("ix_network_edges_record", "record_table", "record_id"),
        Index("ix_network_edges_source", "source_key"),
        Index("ix_network_edges_target", "target_key"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(32))
    source_key: Mapped[str] = mapped_column(String(400))
    target_key: Mapped[str] = mapped_column(String(400))
    record_table: Mapped[str] = mapped_column(String(32))
    record_id: Mapped[int] = mapped_column(Integer)
    sensitivity: Mapped[str] = mapped_column(String(16))
    handling: Mapped[str] = mapped_column(String(2))
    distribution: Mapped[str] = mapped_column(String(16))
    sharing_group: Mapped[str | None] = mapped_column(String(100))
    originator: Mapped[str] = mapped_column(String(64))
    occurred_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    build_id: Mapped[int] = mapped_column(ForeignKey("network_builds.id"))
