"""Alerts of every kind and their append-only history: open, assign, close with a disposition; measured precision.

Any domain raises an alert with :func:`open_alert`: a kind (``alert_kinds.yaml``: screening, network, victim,
partner notice, rule), a subject (the records it is about) and the explanation of its score. The ``alerts`` row
holds the current state (for queues); each change is also an ``alert_events`` row with who, when and what, never
updated or deleted. Precision comes from dispositions (``alert_dispositions.yaml``), per kind and decision.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import select
from sqlalchemy.orm import Session

from palermo.auth.access import guard
from palermo.auth.actor import Actor
from palermo.auth.permissions import effective_permissions
from palermo.db.alerts import Alert, AlertEvent
from palermo.errors import Conflict, InvalidInput, NotFound
from palermo.taxonomies import taxonomy

STATUSES = ("open", "assigned", "closed")
MAX_LIST = 1000
SPECIAL_CATEGORY_PERMISSION = "victims.read"


@dataclass(frozen=True)
class AlertSubject:
    """What an alert is about: store records where they exist, and a reference for anything else.

    ``ref`` names a subject that has no column of its own, as ``type:id`` (``identity:42``,
    ``partner_notice:ro-igpr/77``). ``border_point`` is the code of the crossing point where it was raised.
    """

    person_id: int | None = None
    travel_event_id: int | None = None
    watchlist_entry_id: int | None = None
    ref: str | None = None
    border_point: str | None = None

    def __post_init__(self) -> None:
        if self.ref is not None and (":" not in self.ref or len(self.ref) > 200):
            raise InvalidInput(f"an alert subject reference is 'type:id' of at most 200 characters, got {self.ref!r}")
        if self.border_point is not None and len(self.border_point) > 16:
            raise InvalidInput(f"a border point code has at most 16 characters, got {self.border_point!r}")


class AlertView(BaseModel):
    """An alert as officers, analysts and the API see it (the API's answer model too)."""

    model_config = ConfigDict(frozen=True)

    id: int
    created_at: str
    kind: str = Field(description="What raised it (alert_kinds.yaml)")
    subject: str | None = Field(None, description="A subject without a record column, as type:id")
    person_id: int | None = Field(None, description="The person record it is about, if any")
    travel_event_id: int | None = Field(None, description="The recorded crossing it is about, if any")
    watchlist_entry_id: int | None = Field(None, description="The store id of the best watchlist hit, if any")
    border_point: str | None = Field(None, description="Code of the border point where it was raised")
    decision: str | None
    status: str
    score: float
    assignee: str | None
    disposition: str | None
    sensitivity: str
    explanation: list[dict[str, Any]]
    history: list[dict[str, Any]]
    withheld: bool = Field(
        False, description="Special-category details left out: the reader does not hold victims.read (docs/victims.md)"
    )


def open_alert(
    session: Session,
    actor_name: str,
    *,
    kind: str,
    subject: AlertSubject,
    decision: str | None,
    score: float,
    explanation: list[dict[str, Any]],
    sensitivity: str = "ordinary",
) -> Alert:
    """Persist an alert and its ``opened`` event (the caller has already guarded the action that raised it).

    ``decision``: a screening decision (``screening_decisions.yaml``) when the alert asks for one, else ``None``
    (a partner's records arriving ask for a look, not for a border decision)."""
    taxonomy("alert_kinds").require(kind)
    alert = Alert(
        kind=kind,
        decision=decision,
        status="open",
        score=score,
        explanation=explanation,
        travel_event_id=subject.travel_event_id,
        person_id=subject.person_id,
        watchlist_entry_id=subject.watchlist_entry_id,
        subject=subject.ref,
        border_point=subject.border_point,
        sensitivity=sensitivity,
    )
    session.add(alert)
    session.flush()
    comment = f"decision {decision}" if decision else None
    session.add(AlertEvent(alert_id=alert.id, actor=actor_name, action="opened", comment=comment))
    return alert


def _get(session: Session, alert_id: int) -> Alert:
    alert = session.get(Alert, alert_id)
    if alert is None:
        raise NotFound(f"no alert {alert_id}")
    return alert


def _history(session: Session, alert_id: int) -> list[dict[str, Any]]:
    events = session.scalars(select(AlertEvent).where(AlertEvent.alert_id == alert_id).order_by(AlertEvent.id))
    return [
        {"at": str(e.at), "actor": e.actor, "action": e.action, "disposition": e.disposition, "comment": e.comment}
        for e in events
    ]


def may_see_special(actor: Actor) -> bool:
    """Whether ``actor`` reads special-category alerts (victims, minors) in full: ``victims.read``."""
    return SPECIAL_CATEGORY_PERMISSION in effective_permissions(actor)


def _withheld(alert: Alert, view: AlertView) -> AlertView:
    """A special-category alert as a reader without ``victims.read`` sees it: what happened and where the person was
    routed (the victim case's hand-over), never who it is about or why (hits, reasons, indicators, records)."""
    routed = [e for e in alert.explanation if e.get("kind") == "victim_case"]
    left_out = len(alert.explanation) - len(routed)
    note = {
        "kind": "withheld",
        "detail": f"Special-category alert (a possible victim or a minor): {left_out} explanation entries and the "
        "records it is about are withheld; reading them needs victims.read (victim support, supervisors).",
    }
    return view.model_copy(
        update={
            "subject": alert.subject if alert.subject and alert.subject.startswith("victim_case:") else None,
            "person_id": None,
            "travel_event_id": None,
            "watchlist_entry_id": None,
            "explanation": [*routed, note],
            "withheld": True,
        }
    )


def view_of(session: Session, alert: Alert, with_history: bool, *, special: bool = True) -> AlertView:
    """``alert`` as its reader sees it; ``special``: whether the reader may see special-category details."""
    view = AlertView(
        id=alert.id,
        created_at=str(alert.created_at),
        kind=alert.kind,
        subject=alert.subject,
        person_id=alert.person_id,
        travel_event_id=alert.travel_event_id,
        watchlist_entry_id=alert.watchlist_entry_id,
        border_point=alert.border_point,
        decision=alert.decision,
        status=alert.status,
        score=alert.score,
        assignee=alert.assignee,
        disposition=alert.disposition,
        sensitivity=alert.sensitivity,
        explanation=alert.explanation,
        history=_history(session, alert.id) if with_history else [],
    )
    return view if special or alert.sensitivity != "special" else _withheld(alert, view)


def list_alerts(
    session: Session,
    actor: Actor,
    *,
    status: str | None = None,
    decision: str | None = None,
    kind: str | None = None,
    limit: int = 100,
) -> list[AlertView]:
    """Alerts, newest first, optionally of one status, decision or kind."""
    guard(session, actor, "alerts.read", subject="alerts")
    if status is not None and status not in STATUSES:
        raise InvalidInput(f"status {status!r} is not one of {', '.join(STATUSES)}")
    if kind is not None:
        taxonomy("alert_kinds").require(kind)
    query = select(Alert).order_by(Alert.id.desc()).limit(min(limit, MAX_LIST))
    query = query.where(Alert.status == status) if status else query
    query = query.where(Alert.decision == decision) if decision else query
    query = query.where(Alert.kind == kind) if kind else query
    special = may_see_special(actor)
    return [view_of(session, a, with_history=False, special=special) for a in session.scalars(query)]


def get_alert(session: Session, actor: Actor, alert_id: int) -> AlertView:
    guard(session, actor, "alerts.read", subject=f"alert:{alert_id}")
    return view_of(session, _get(session, alert_id), with_history=True, special=may_see_special(actor))


def assign_alert(session: Session, actor: Actor, alert_id: int, assignee: str) -> AlertView:
    guard(session, actor, "alerts.disposition", subject=f"alert:{alert_id}")
    alert = _get(session, alert_id)
    if alert.status == "closed":
        raise Conflict(f"alert {alert_id} is closed")
    if not assignee.strip() or len(assignee) > 200:
        raise InvalidInput("the assignee is a user name of at most 200 characters")
    alert.assignee, alert.status = assignee, "assigned"
    session.add(AlertEvent(alert_id=alert_id, actor=actor.name, action="assigned", comment=f"to {assignee}"))
    session.flush()
    return view_of(session, alert, with_history=True, special=may_see_special(actor))


def dispose_alert(
    session: Session, actor: Actor, alert_id: int, disposition: str, comment: str | None = None
) -> AlertView:
    """Close an alert with a disposition (``alert_dispositions.yaml``); a closed alert stays closed."""
    guard(session, actor, "alerts.disposition", subject=f"alert:{alert_id}")
    taxonomy("alert_dispositions").require(disposition)
    alert = _get(session, alert_id)
    if alert.status == "closed":
        raise Conflict(f"alert {alert_id} is already closed with disposition {alert.disposition!r}")
    if comment is not None and len(comment) > 2000:
        raise InvalidInput("a comment has at most 2000 characters")
    alert.status, alert.disposition = "closed", disposition
    session.add(
        AlertEvent(alert_id=alert_id, actor=actor.name, action="closed", disposition=disposition, comment=comment)
    )
    session.flush()
    return view_of(session, alert, with_history=True, special=may_see_special(actor))


def alert_precision(session: Session, actor: Actor) -> dict[str, Any]:
    """Precision measured from dispositions, overall and per decision: confirmed / (confirmed + false positives)."""
    guard(session, actor, "alerts.read", subject="alerts")
    truth = {t.id: t.attributes.get("true_positive") for t in taxonomy("alert_dispositions").terms}
    counts: Counter[tuple[str, str]] = Counter()
    rows = session.execute(select(Alert.decision, Alert.disposition).where(Alert.status == "closed"))
    for decision, disposition in rows:
        verdict = truth.get(disposition or "")
        if verdict is not None:
            counts[(decision or "", "tp" if verdict else "fp")] += 1
    decisions = sorted({d for d, _ in counts})

    def precision(tp: int, fp: int) -> float | None:
        return round(tp / (tp + fp), 4) if tp + fp else None

    per = {d: {"tp": counts[(d, "tp")], "fp": counts[(d, "fp")]} for d in decisions}
    tp, fp = sum(v["tp"] for v in per.values()), sum(v["fp"] for v in per.values())
    return {
        "precision": precision(tp, fp),
        "tp": tp,
        "fp": fp,
        "per_decision": {d: {**v, "precision": precision(v["tp"], v["fp"])} for d, v in per.items()},
    }
