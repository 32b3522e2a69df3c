"""The tamper-evident audit log: entries (the leaves of an RFC 9162 Merkle tree), signed tree heads, a counter.

``audit_entries.seq`` is the leaf index, dense from 0; ``leaf_hash`` is redundant (verification recomputes it from
the other columns, see :mod:`palermo.audit.entries`). ``audit_log_state`` is a one-row table whose row is locked by
every append, so that sequence numbers stay dense and in commit order on PostgreSQL as on SQLite.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, BigInteger, CheckConstraint, DateTime, Index, Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from palermo.db.base import Base


class AuditEntry(Base):
    """One logged operation: who did what to which objects, when, why, and with what result."""

    __tablename__ = "audit_entries"
    __table_args__ = (Index("ix_audit_entries_logged_at", "logged_at"),)

    seq: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    logged_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    actor: Mapped[str] = mapped_column(String(200))
    agency: Mapped[str] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(32))
    objects: Mapped[list[dict[str, str]]] = mapped_column(JSON)
    justification: Mapped[str | None] = mapped_column(String(200))
    result_count: Mapped[int | None] = mapped_column(Integer)
    client_address: Mapped[str | None] = mapped_column(String(100))
    details: Mapped[dict[str, Any]] = mapped_column(JSON)
    leaf_hash: Mapped[bytes] = mapped_column(LargeBinary(32))


class TreeHead(Base):
    """A signed tree head: the node's signature over the root of the first ``tree_size`` entries."""

    __tablename__ = "tree_heads"
    __table_args__ = (
        CheckConstraint("tree_size >= 0", name="tree_size"),
        Index("ix_tree_heads_tree_size", "tree_size"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    tree_size: Mapped[int] = mapped_column(BigInteger)
    root_hash: Mapped[bytes] = mapped_column(LargeBinary(32))
    signed_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    key_id: Mapped[str] = mapped_column(String(64))
    signature: Mapped[bytes] = mapped_column(LargeBinary(64))
    frontier: Mapped[list[str]] = mapped_column(JSON)  # unsigned cache: hex hashes to extend the root from here
    note: Mapped[str | None] = mapped_column(Text)


class AuditLogState(Base):
    """The one-row counter of the audit log: the next sequence number. Appends lock this row."""

    __tablename__ = "audit_log_state"
    __table_args__ = (CheckConstraint("id = 1", name="single_row"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    next_seq: Mapped[int] = mapped_column(BigInteger)
