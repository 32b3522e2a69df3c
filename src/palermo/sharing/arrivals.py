"""Alerts on arrival: what a partner shared is put in front of a person here, through the alerts package.

Each notice that arrives raises a ``partner_notice`` alert about its watchlist entry (a missing girl reported
abroad is to be read now, not found by chance); the person records of one bundle, or the approved details of one
hit, raise one ``partner_records`` alert listing them. The alerts carry no screening decision (nobody stands at a
booth) and score 0; their sensitivity is ``special`` when one record is.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from palermo.alerts import AlertSubject, open_alert
from palermo.sharing.config import sharing_config
from palermo.sharing.envelope import Item


@dataclass(frozen=True)
class Stored:
    """A received item and the row it became here."""

    item: Item
    table: str
    record_id: int


def _fact(stored: Stored, partner: str) -> dict[str, Any]:
    terms, entity = stored.item.handling, stored.item.entity
    names = entity.get("properties", {}).get("name", [])
    what = f"a {stored.item.category} notice" if stored.item.kind == "notice" else "a person record"
    return {
        "kind": "arrival",
        "table": stored.table,
        "id": stored.record_id,
        "entity_id": entity.get("id"),
        "originator": terms.originator,
        "handling": terms.handling,
        "distribution": terms.distribution,
        "sensitivity": terms.sensitivity,
        "detail": f"{partner} shared {what} of {terms.originator} ({terms.handling}): {', '.join(names[:1]) or '-'}",
    }


def _sensitivity(stored: list[Stored]) -> str:
    return "special" if any(s.item.handling.sensitivity == "special" for s in stored) else "ordinary"


def alert_arrivals(session: Session, actor: str, partner: str, bundle_id: str, stored: list[Stored]) -> list[int]:
    """Raise the arrival alerts of one received bundle; their ids."""
    alerts = []
    for notice in (s for s in stored if s.table == "watchlist_entries"):
        alert = open_alert(
            session,
            actor,
            kind="partner_notice",
            subject=AlertSubject(
                watchlist_entry_id=notice.record_id, ref=f"partner_notice:{partner}/{notice.record_id}"
            ),
            decision=None,
            score=0.0,
            explanation=[{**_fact(notice, partner), "bundle_id": bundle_id}],
            sensitivity=_sensitivity([notice]),
        )
        alerts.append(alert.id)
    persons = [s for s in stored if s.table == "person_records"]
    if persons:
        listed = sharing_config().arrivals.max_records_listed
        explanation = [_fact(s, partner) for s in persons[:listed]]
        if len(persons) > listed:
            explanation.append({"kind": "arrival", "detail": f"and {len(persons) - listed} more in bundle {bundle_id}"})
        alert = open_alert(
            session,
            actor,
            kind="partner_records",
            subject=AlertSubject(
                person_id=persons[0].record_id if len(persons) == 1 else None, ref=f"bundle:{bundle_id}"
            ),
            decision=None,
            score=0.0,
            explanation=explanation,
            sensitivity=_sensitivity(persons),
        )
        alerts.append(alert.id)
    return alerts
