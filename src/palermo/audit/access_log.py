"""Access decisions into the audit log: every consultation with its justification, every refusal.

A granted decision is appended when the operation's transaction commits (``before_commit``), so that the operation
can first note how many results it returned and so that a failed operation leaves no entry claiming it happened.
A refusal is appended and committed at once: the error that follows rolls the operation back, and the refusal must
survive that. ``guard`` is the first call of every core operation, so that commit carries nothing else of weight.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import Session

from palermo.audit.entries import AuditEvent, ObjectRef
from palermo.audit.log import append
from palermo.auth.permissions import AccessRecord, permission

_PENDING = "palermo_audit_pending"


def access_event(record: AccessRecord, result_count: int | None = None) -> AuditEvent | None:
    """The audit event for an access decision, or ``None`` for a granted use that is not logged."""
    if record.granted:
        action = permission(record.permission).audit_action
        if action is None:
            return None
    else:
        action = "refusal"
    objects: tuple[ObjectRef, ...] = ()
    if record.subject:
        kind, _, ident = record.subject.partition(":")
        objects = (ObjectRef(type=kind, id=ident),) if ident else (ObjectRef(type="query", id=record.subject[:200]),)
    details: dict[str, Any] = {"permission": record.permission, "actor_kind": record.actor_kind, "role": record.role}
    if not record.granted:
        details["reason"] = record.reason
    return AuditEvent(
        actor=record.actor,
        agency=record.agency_code or "unknown",
        action=action,
        objects=objects,
        justification=str(record.justification) if record.justification else None,
        result_count=result_count,
        client_address=record.client_address,
        details=details,
    )


def take_pending(session: Session) -> list[AuditEvent]:
    """The entries ``session`` would append at commit, taken from it (its commit then appends none)."""
    pending: list[list[Any]] = session.info.pop(_PENDING, [])
    return [e for e in (access_event(record, count) for record, count in pending) if e is not None]


def _flush_pending(session: Session) -> None:
    for audit_event in take_pending(session):
        append(session, audit_event)


def _forget_pending(session: Session, *_args: Any) -> None:
    session.info.pop(_PENDING, None)


event.listen(Session, "before_commit", _flush_pending)  # on the class: see palermo.db.engine
event.listen(Session, "after_rollback", _forget_pending)


def log_access(session: Session, record: AccessRecord) -> None:
    """Log one access decision (see the module docstring for when it is written)."""
    if not record.granted:
        audit_event = access_event(record)
        if audit_event is not None:
            _flush_pending(session)
            append(session, audit_event)
            session.commit()
        return
    if permission(record.permission).audit_action is None:
        return
    session.info.setdefault(_PENDING, []).append([record, None])


def note_results(session: Session, record: AccessRecord, count: int) -> None:
    """Record how many results the operation that ``record`` granted returned (written with the entry)."""
    for pending in session.info.get(_PENDING, []):
        if pending[0] is record:
            pending[1] = count
