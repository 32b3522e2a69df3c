"""Border crossing points and travel events (a person crossing a border point, with the travel context)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import CheckConstraint, DateTime, Float, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from palermo.db.base import Base, ProvenanceMixin


class BorderPoint(ProvenanceMixin, Base):
    __tablename__ = "border_points"
    __extra_table_args__ = (CheckConstraint("kind IN ('air', 'land', 'sea', 'rail')", name="kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(16), unique=True)  # IATA airport code or UN/LOCODE
    name: Mapped[str] = mapped_column(String(300))
    country: Mapped[str] = mapped_column(String(3))
    kind: Mapped[str] = mapped_column(String(8))
    latitude: Mapped[float | None] = mapped_column(Float)
    longitude: Mapped[float | None] = mapped_column(Float)


class TravelEvent(ProvenanceMixin, Base):
    __tablename__ = "travel_events"
    __extra_table_args__ = (
        CheckConstraint("direction IN ('entry', 'exit')", name="direction"),
        CheckConstraint("mode IN ('air', 'land', 'sea', 'rail')", name="mode"),
        Index("ix_travel_events_person_time", "person_id", "occurred_at"),
        Index("ix_travel_events_point_time", "border_point_id", "occurred_at"),
        Index("ix_travel_events_phone", "contact_phone"),
        Index("ix_travel_events_booking", "booking_ref"),
        Index("ix_travel_events_group", "group_ref"),
        Index("ix_travel_events_payer", "payer_name"),
        Index("ix_travel_events_destination", "destination_address"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person_records.id"))
    document_id: Mapped[int | None] = mapped_column(ForeignKey("identity_documents.id", ondelete="SET NULL"))
    border_point_id: Mapped[int] = mapped_column(ForeignKey("border_points.id"))
    direction: Mapped[str] = mapped_column(String(5))
    occurred_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    mode: Mapped[str] = mapped_column(String(8))
    carrier: Mapped[str | None] = mapped_column(String(200))
    service_number: Mapped[str | None] = mapped_column(String(64))  # flight, train or bus service number
    vehicle_registration: Mapped[str | None] = mapped_column(String(64))
    origin_country: Mapped[str | None] = mapped_column(String(3))
    destination_country: Mapped[str | None] = mapped_column(String(3))
    booking_ref: Mapped[str | None] = mapped_column(String(64))
    group_ref: Mapped[str | None] = mapped_column(String(64))
    payer_name: Mapped[str | None] = mapped_column(String(300))
    payer_reference: Mapped[str | None] = mapped_column(String(200))  # account or card token, as reported
    contact_phone: Mapped[str | None] = mapped_column(String(20))  # E.164
    destination_address: Mapped[str | None] = mapped_column(Text)
    declared_purpose: Mapped[str | None] = mapped_column(String(32))
