"""The one place where access decisions leave the core: every :func:`guard` call ends in :func:`record_access`,
which writes the decision to the tamper-evident audit log (``palermo.audit.access_log``) and to the structured log
(event ``access``, the fields of :meth:`AccessRecord.to_entry`).
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from palermo.audit.access_log import log_access
from palermo.auth.actor import Actor
from palermo.auth.permissions import AccessRecord, evaluate
from palermo.errors import PermissionDenied
from palermo.logs import get_logger

log = get_logger(__name__)


def record_access(session: Session, record: AccessRecord) -> None:
    log.info("access", **record.to_entry())
    log_access(session, record)


def guard(session: Session, actor: Actor, permission_id: str, *, subject: str | None = None) -> AccessRecord:
    """Check ``actor`` may do ``permission_id`` (with a justification where personal data is consulted), record
    the decision, and raise :class:`PermissionDenied` when refused."""
    record = evaluate(actor, permission_id, subject=subject)
    record_access(session, record)
    if not record.granted:
        raise PermissionDenied(record.reason, permission=permission_id)
    return record
