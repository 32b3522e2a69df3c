"""The oversight report: what a data-protection officer should look at first, with the entries behind each finding.

Findings (each a list of audit-log sequence numbers an oversight body can verify against the signed tree):

- ``consultation_without_case``: personal data consulted or disclosed on a bare legal basis, with no case reference;
- ``volume_outlier``: a user whose consultations are far above the median of users with the same role;
- ``out_of_hours``: consultations outside office hours or at weekends (in the configured time zone);
- ``special_category``: consultations touching special-category records (victims, minors);
- ``bulk``: one consultation or disclosure returning many results, and every disclosure or transfer.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from palermo.audit.log_view import AuditEntryView, entries_by_seq
from palermo.auth.access import guard
from palermo.auth.actor import Actor
from palermo.db.audit import AuditEntry
from palermo.db.persons import PersonRecord
from palermo.errors import ConfigurationError, NotFound
from palermo.settings import Settings

CONSULTING = ("consultation", "disclosure", "transfer")
MIN_OUTLIER_EXCESS = 20


@dataclass
class Finding:
    kind: str
    summary: str
    actor: str | None
    entries: list[int] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "summary": self.summary, "actor": self.actor, "entries": self.entries}


@dataclass
class OversightReport:
    since: dt.datetime | None
    until: dt.datetime | None
    entries_examined: int
    consultations: int
    findings: list[Finding]

    def as_dict(self) -> dict[str, Any]:
        return {
            "since": self.since.isoformat() if self.since else None,
            "until": self.until.isoformat() if self.until else None,
            "entries_examined": self.entries_examined,
            "consultations": self.consultations,
            "findings": [f.as_dict() for f in self.findings],
        }


def _office_hours(text: str) -> tuple[dt.time, dt.time]:
    start, end = text.split("-")
    return dt.time.fromisoformat(start), dt.time.fromisoformat(end)


def _out_of_hours(at: dt.datetime, zone: ZoneInfo, hours: tuple[dt.time, dt.time]) -> bool:
    local = (at if at.tzinfo else at.replace(tzinfo=dt.UTC)).astimezone(zone)
    return local.weekday() >= 5 or not hours[0] <= local.time() < hours[1]


def _special_subjects(session: Session, entries: list[AuditEntry]) -> set[str]:
    ids = {int(o["id"]) for e in entries for o in e.objects if o["type"] == "person_records" and o["id"].isdigit()}
    if not ids:
        return set()
    query = select(PersonRecord.id).where(PersonRecord.id.in_(ids), PersonRecord.sensitivity != "ordinary")
    return {str(i) for i in session.scalars(query)}


def _by_actor(kind: str, entries: list[AuditEntry], describe: str) -> list[Finding]:
    grouped: dict[str, list[int]] = defaultdict(list)
    for entry in entries:
        grouped[entry.actor].append(entry.seq)
    return [Finding(kind, f"{actor}: {len(seqs)} {describe}", actor, seqs) for actor, seqs in sorted(grouped.items())]


def _volume_outliers(consultations: list[AuditEntry], factor: float) -> list[Finding]:
    per_role: dict[str, dict[str, list[int]]] = defaultdict(lambda: defaultdict(list))
    for entry in consultations:
        per_role[str((entry.details or {}).get("role"))][entry.actor].append(entry.seq)
    findings = []
    for role, actors in sorted(per_role.items()):
        median = statistics.median(len(seqs) for seqs in actors.values())
        for actor, seqs in sorted(actors.items()):
            if len(seqs) > factor * median and len(seqs) - median >= MIN_OUTLIER_EXCESS:
                summary = f"{actor} made {len(seqs)} consultations; the median of role {role} is {median:g}"
                findings.append(Finding("volume_outlier", summary, actor, seqs))
    return findings


def oversight_report(
    session: Session,
    actor: Actor,
    settings: Settings,
    *,
    since: dt.datetime | None = None,
    until: dt.datetime | None = None,
) -> OversightReport:
    """Examine the access log between ``since`` and ``until`` (role oversight; the run itself is logged)."""
    guard(session, actor, "audit.report", subject=f"audit_entries:{since or 'start'}..{until or 'now'}")
    try:
        zone = ZoneInfo(settings.oversight_timezone)
    except (KeyError, ValueError):
        raise ConfigurationError(
            f"PALERMO_OVERSIGHT_TIMEZONE {settings.oversight_timezone!r} is not a time zone"
        ) from None
    query = select(AuditEntry).order_by(AuditEntry.seq)
    if since is not None:
        query = query.where(AuditEntry.logged_at >= since)
    if until is not None:
        query = query.where(AuditEntry.logged_at < until)
    entries = list(session.scalars(query))
    consultations = [e for e in entries if e.action in CONSULTING]
    hours = _office_hours(settings.oversight_office_hours)
    special = _special_subjects(session, consultations)
    findings = [
        *_by_actor(
            "consultation_without_case",
            [e for e in consultations if not (e.justification or "").startswith("case:")],
            "consultations without a case reference",
        ),
        *_volume_outliers([e for e in consultations if e.action == "consultation"], settings.oversight_volume_factor),
        *_by_actor(
            "out_of_hours",
            [e for e in consultations if _out_of_hours(e.logged_at, zone, hours)],
            "consultations outside office hours",
        ),
        *_by_actor(
            "special_category",
            [
                e
                for e in consultations
                if (e.details or {}).get("permission") == "victims.read"
                or any(o["type"] == "person_records" and o["id"] in special for o in e.objects)
            ],
            "consultations of special-category records",
        ),
        *_by_actor(
            "bulk",
            [
                e
                for e in consultations
                if e.action != "consultation" or (e.result_count or 0) >= settings.oversight_bulk_results
            ],
            "bulk consultations, disclosures or transfers",
        ),
    ]
    return OversightReport(since, until, len(entries), len(consultations), findings)


@dataclass
class ReportWithEntries:
    """The report and, per finding (by position), the first entries behind it as an oversight body reads them."""

    report: OversightReport
    entries: list[list[AuditEntryView]]


def report_with_entries(
    session: Session,
    actor: Actor,
    settings: Settings,
    *,
    since: dt.datetime | None = None,
    until: dt.datetime | None = None,
    per_finding: int = 20,
) -> ReportWithEntries:
    """:func:`oversight_report` (guarded, logged), with the first ``per_finding`` entries of each finding."""
    report = oversight_report(session, actor, settings, since=since, until=until)
    shown = [finding.entries[:per_finding] for finding in report.findings]
    found = entries_by_seq(session, (seq for seqs in shown for seq in seqs))
    return ReportWithEntries(report, [[found[seq] for seq in seqs if seq in found] for seqs in shown])


@dataclass
class FindingEntries:
    """One finding and a page of the entries behind it (``offset`` into them, at most ``limit``)."""

    finding: Finding
    offset: int
    limit: int
    items: list[AuditEntryView]


def finding_entries(
    session: Session,
    actor: Actor,
    settings: Settings,
    *,
    kind: str,
    finding_actor: str | None,
    since: dt.datetime | None = None,
    until: dt.datetime | None = None,
    offset: int = 0,
    limit: int = 50,
) -> FindingEntries:
    """A page of the entries behind the finding ``kind`` about ``finding_actor`` in the report over these days
    (the report is run again, guarded and logged); :class:`NotFound` when the report has no such finding."""
    report = oversight_report(session, actor, settings, since=since, until=until)
    for finding in report.findings:
        if finding.kind == kind and (finding.actor or "") == (finding_actor or ""):
            seqs = finding.entries[offset : offset + limit]
            found = entries_by_seq(session, seqs)
            return FindingEntries(finding, offset, limit, [found[seq] for seq in seqs if seq in found])
    raise NotFound(f"the report over these days has no {kind!r} finding about {finding_actor!r}")
