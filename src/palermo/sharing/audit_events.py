"""Audit entries of sharing: every exchange is logged on both sides (``transfer``/``disclosure``/``collection``)."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from palermo.audit import AuditEvent, ObjectRef, append


def log_exchange(
    session: Session,
    *,
    actor: str,
    agency: str,
    action: str,
    partner: str,
    bundle_id: str,
    justification: str | None = None,
    count: int | None = None,
    **details: Any,
) -> None:
    """One audit entry naming the partner (the recipient or sender) and the bundle."""
    append(
        session,
        AuditEvent(
            actor=actor,
            agency=agency,
            action=action,
            objects=(ObjectRef(type="partner", id=partner), ObjectRef(type="bundle", id=bundle_id)),
            justification=justification,
            result_count=count,
            details={"partner": partner, "bundle_id": bundle_id, **details},
        ),
    )


def log_administration(session: Session, *, actor: str, agency: str, what: str, subject: str, **details: Any) -> None:
    append(
        session,
        AuditEvent(
            actor=actor,
            agency=agency,
            action="administration",
            objects=(ObjectRef(type="partner", id=subject),),
            details={"operation": what, **details},
        ),
    )
