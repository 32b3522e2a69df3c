"""Cross-border sharing: partner nodes, sharing groups, the outbox, received bundles, hit/no-hit queries, delivery
receipts, what was sent to whom, and withdrawals.

Partners are never deleted (audit entries and received records refer to them); removal marks them ``removed`` and
the inbox refuses them from then on.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, Boolean, CheckConstraint, DateTime, ForeignKey, Index, Integer, String, Text, func
from sqlalchemy.orm import Mapped, mapped_column

from palermo.db.base import Base, TimestampMixin, _in

PARTNER_STATUSES = ("active", "removed")
QUERY_DIRECTIONS = ("outgoing", "incoming")
QUERY_STATUSES = ("pending", "answered", "detail_requested", "approved", "refused", "detail_received")


class Partner(TimestampMixin, Base):
    """A partner node abroad: who operates it, where its inbox is, and its public keys (exchanged out of band)."""

    __tablename__ = "partners"
    __table_args__ = (CheckConstraint(_in("status", PARTNER_STATUSES), name="status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(64), unique=True)
    agency_code: Mapped[str] = mapped_column(String(64))
    agency_name: Mapped[str] = mapped_column(String(300))
    country: Mapped[str] = mapped_column(String(3))
    url: Mapped[str | None] = mapped_column(Text)
    signing_key: Mapped[str] = mapped_column(String(64))
    encryption_key: Mapped[str] = mapped_column(String(64))
    fingerprint: Mapped[str] = mapped_column(String(80))
    service_username: Mapped[str] = mapped_column(String(64))
    outbound_token: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), default="active")
    removed_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))


class SharingGroup(TimestampMixin, Base):
    """A named group of partners (e.g. a joint investigation team); records may be distributed to it alone."""

    __tablename__ = "sharing_groups"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    description: Mapped[str | None] = mapped_column(Text)


class SharingGroupMember(Base):
    __tablename__ = "sharing_group_members"

    group_id: Mapped[int] = mapped_column(ForeignKey("sharing_groups.id", ondelete="CASCADE"), primary_key=True)
    partner_id: Mapped[int] = mapped_column(ForeignKey("partners.id"), primary_key=True)


class OutboxMessage(Base):
    """A sealed bundle waiting for (or done with) HTTP delivery to a partner's inbox."""

    __tablename__ = "sharing_outbox"
    __table_args__ = (Index("ix_sharing_outbox_pending", "delivered_at", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    bundle_id: Mapped[str] = mapped_column(String(36), unique=True)
    partner_id: Mapped[int] = mapped_column(ForeignKey("partners.id"))
    kind: Mapped[str] = mapped_column(String(32))
    payload: Mapped[str] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    last_error: Mapped[str | None] = mapped_column(Text)
    delivered_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))


class ReceivedBundle(Base):
    """Ledger of imported bundles: a bundle id is imported once (replays and resends change nothing)."""

    __tablename__ = "sharing_received_bundles"

    id: Mapped[int] = mapped_column(primary_key=True)
    bundle_id: Mapped[str] = mapped_column(String(36), unique=True)
    partner_id: Mapped[int] = mapped_column(ForeignKey("partners.id"))
    kind: Mapped[str] = mapped_column(String(32))
    sent_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    received_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    items: Mapped[int] = mapped_column(Integer, default=0)
    transport: Mapped[str] = mapped_column(String(8))
    #: the signed receipt this node gave for it (compact JWS), given again to a resend
    receipt: Mapped[str | None] = mapped_column(Text)


class ReceivedRecord(Base):
    """How a record arrived from a partner: the hop facts later forwarding decisions need."""

    __tablename__ = "sharing_received_records"
    __table_args__ = (Index("ix_sharing_received_records_record", "record_table", "record_id", unique=True),)

    id: Mapped[int] = mapped_column(primary_key=True)
    record_table: Mapped[str] = mapped_column(String(32))
    record_id: Mapped[int] = mapped_column(Integer)
    bundle_id: Mapped[str] = mapped_column(String(36))
    partner_id: Mapped[int] = mapped_column(ForeignKey("partners.id"))
    hops: Mapped[int] = mapped_column(Integer)
    group_members: Mapped[list[str]] = mapped_column(JSON, default=list)
    legal_basis: Mapped[str | None] = mapped_column(String(64))
    judicial_restriction: Mapped[bool] = mapped_column(Boolean, default=False)
    # the item as received (originator's signature, hop chain): what this node forwards, untouched
    signed_item: Mapped[dict[str, Any] | None] = mapped_column(JSON)


class HitQuery(Base):
    """A hit/no-hit query, asked of a partner (outgoing) or by a partner (incoming), and its follow-up."""

    __tablename__ = "sharing_queries"
    __table_args__ = (
        CheckConstraint(_in("direction", QUERY_DIRECTIONS), name="direction"),
        CheckConstraint(_in("status", QUERY_STATUSES), name="status"),
        Index("ix_sharing_queries_reference", "reference", "direction", unique=True),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(36))
    direction: Mapped[str] = mapped_column(String(16))
    partner_id: Mapped[int] = mapped_column(ForeignKey("partners.id"))
    kind: Mapped[str] = mapped_column(String(16))
    criteria: Mapped[dict[str, Any]] = mapped_column(JSON)
    justification: Mapped[str | None] = mapped_column(String(200))
    hit: Mapped[bool | None] = mapped_column(Boolean)
    matched: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    status: Mapped[str] = mapped_column(String(20))
    detail: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    decided_by: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    updated_at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), onupdate=func.now()
    )


class DeliveryReceipt(Base):
    """A partner's signed receipt for a bundle this node sent: what it accepted and what it refused, and why."""

    __tablename__ = "sharing_receipts"

    id: Mapped[int] = mapped_column(primary_key=True)
    bundle_id: Mapped[str] = mapped_column(String(36), unique=True)
    partner_id: Mapped[int] = mapped_column(ForeignKey("partners.id"))
    kind: Mapped[str] = mapped_column(String(32))
    received_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))  # the partner's time, as it signed
    imported: Mapped[int] = mapped_column(Integer)
    echoes: Mapped[int] = mapped_column(Integer)
    accepted: Mapped[list[str]] = mapped_column(JSON)  # entity ids
    refused: Mapped[list[dict[str, Any]]] = mapped_column(JSON)  # {"item", "entity_id", "rule", "detail"}
    receipt: Mapped[str] = mapped_column(Text)  # the compact JWS, verifiable again at any time
    stored_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class SentRecord(Base):
    """A record that left this node for a partner, by entity id: where a withdrawal must follow it."""

    __tablename__ = "sharing_sent_records"
    __table_args__ = (
        Index("ix_sharing_sent_records_entity", "entity_id"),
        Index("ix_sharing_sent_records_record", "record_table", "record_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    bundle_id: Mapped[str] = mapped_column(String(36))
    partner_id: Mapped[int] = mapped_column(ForeignKey("partners.id"))
    record_table: Mapped[str] = mapped_column(String(32))
    record_id: Mapped[int] = mapped_column(Integer)
    entity_id: Mapped[str] = mapped_column(String(64))
    sent_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class Withdrawal(Base):
    """An originator's signed withdrawal of a shared record: made here (``partner_id`` empty) or received.

    It stays as a tombstone: the record is not sent again from this node, and a copy arriving later is refused.
    """

    __tablename__ = "sharing_withdrawals"
    __table_args__ = (Index("ix_sharing_withdrawals_entity", "entity_id", "originator", unique=True),)

    id: Mapped[int] = mapped_column(primary_key=True)
    entity_id: Mapped[str] = mapped_column(String(64))
    originator: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(16))
    reason: Mapped[str] = mapped_column(Text)
    withdrawn_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))  # the originator's time, as signed
    notice: Mapped[dict[str, Any]] = mapped_column(JSON)  # the originator's signed withdrawal, forwarded untouched
    partner_id: Mapped[int | None] = mapped_column(ForeignKey("partners.id"))  # who brought it; empty: made here
    removed: Mapped[int] = mapped_column(Integer, default=0)  # copies this node removed
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
