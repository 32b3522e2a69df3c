"""The oversight body's view of the log, behind ``audit.read``: verification status and exports for a window.

:func:`verify_log` and :func:`export_since` are the mechanisms; these are the guarded operations the web pages call
(the CLI's operator holds every permission anyway).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from palermo.audit.export import export_since
from palermo.audit.keys import key_path, load_signing_key
from palermo.audit.log import log_size
from palermo.audit.verify import VerificationReport, verify_log
from palermo.auth.access import guard
from palermo.auth.actor import Actor


@dataclass(frozen=True)
class LogStatus:
    """Whether the log verifies; ``report`` is None when the node has no signing key yet (nothing signed)."""

    entries: int
    key_present: bool
    report: VerificationReport | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "entries": self.entries,
            "key_present": self.key_present,
            "report": self.report.to_dict() if self.report else None,
        }


def log_status(session: Session, actor: Actor, home: Path) -> LogStatus:
    """Verify every entry, the tree and every signed head with the node's key (``audit.read``)."""
    guard(session, actor, "audit.read", subject="audit_log")
    if not key_path(home).is_file():
        return LogStatus(log_size(session), key_present=False, report=None)
    report = verify_log(session, load_signing_key(home).public_key)
    return LogStatus(log_size(session), key_present=True, report=report)


def export_for_oversight(session: Session, actor: Actor, home: Path, since: dt.datetime) -> dict[str, Any]:
    """An independently verifiable export of the entries since ``since`` (``audit.read``)."""
    guard(session, actor, "audit.read", subject=f"audit_log:since={since.isoformat()}")
    return export_since(session, since, load_signing_key(home).public_key)
