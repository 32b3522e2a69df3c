"""Alerts raised by screening, rules or analytics, and their append-only history.

The alert row holds the current state for fast queues; every change is also an attributed, append-only
``alert_events`` row, which is the record of who decided what and when.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, CheckConstraint, DateTime, Float, ForeignKey, Index, String, Text, func
from sqlalchemy.orm import Mapped, mapped_column

from palermo.db.base import Base


class Alert(Base):
    __tablename__ = "alerts"
    __table_args__ = (
        CheckConstraint("status IN ('open', 'assigned', 'closed')", name="status"),
        Index("ix_alerts_status_created", "status", "created_at"),
        Index("ix_alerts_travel_event", "travel_event_id"),
        Index("ix_alerts_kind_status", "kind", "status"),
        Index("ix_alerts_border_point_created", "border_point", "created_at"),
        Index("ix_alerts_person", "person_id"),  # the alerts about a record (record and identity pages)
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    kind: Mapped[str] = mapped_column(String(32))  # alert_kinds.yaml: screening, network, partner_notice ...
    decision: Mapped[str | None] = mapped_column(String(16))  # refer, alert, protect
    status: Mapped[str] = mapped_column(String(16), default="open")
    score: Mapped[float] = mapped_column(Float)
    explanation: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    person_id: Mapped[int | None] = mapped_column(ForeignKey("person_records.id", ondelete="SET NULL"))
    travel_event_id: Mapped[int | None] = mapped_column(ForeignKey("travel_events.id", ondelete="SET NULL"))
    watchlist_entry_id: Mapped[int | None] = mapped_column(ForeignKey("watchlist_entries.id", ondelete="SET NULL"))
    #: a subject without a column of its own, as ``type:id`` (``identity:42``); see palermo.alerts.AlertSubject
    subject: Mapped[str | None] = mapped_column(String(200))
    #: the code of the border point where it was raised (a screening's), for queues per crossing point
    border_point: Mapped[str | None] = mapped_column(String(16))
    assignee: Mapped[str | None] = mapped_column(String(200))
    disposition: Mapped[str | None] = mapped_column(String(32))
    handling: Mapped[str] = mapped_column(String(2), default="H0")
    sensitivity: Mapped[str] = mapped_column(String(16), default="ordinary")


class AlertEvent(Base):
    __tablename__ = "alert_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    alert_id: Mapped[int] = mapped_column(ForeignKey("alerts.id", ondelete="CASCADE"), index=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    actor: Mapped[str] = mapped_column(String(200))
    action: Mapped[str] = mapped_column(String(32))  # opened, assigned, commented, closed
    disposition: Mapped[str | None] = mapped_column(String(32))
    comment: Mapped[str | None] = mapped_column(Text)
