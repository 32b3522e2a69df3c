"""Training examples from an agency's own confirmed dispositions: every closed screening alert that the indicators
asked for (a reason of kind ``indicators``), whose disposition says whether it was a true positive
(``alert_dispositions.yaml``: confirmed 1, false positive 0) and whose explanation kept the combined risk's
features (``kind: risk``). An alert raised by a watchlist hit alone says nothing about the movement. Only flagged
crossings have dispositions, so these examples are added to, never a substitute for, examples of cleared crossings
(docs/indicators.md, "Retraining on confirmed dispositions")."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from palermo.auth.access import guard
from palermo.auth.actor import Actor
from palermo.db.alerts import Alert
from palermo.screening.risk.features import FEATURE_IDS
from palermo.taxonomies import taxonomy


def disposition_examples(session: Session, actor: Actor) -> list[dict[str, Any]]:
    """One feature row a closed screening alert with a true/false-positive disposition and its risk features."""
    guard(session, actor, "alerts.read", subject="alerts:dispositions")
    truth = {t.id: t.attributes.get("true_positive") for t in taxonomy("alert_dispositions").terms}
    rows = []
    query = select(Alert.id, Alert.created_at, Alert.disposition, Alert.explanation).where(
        Alert.status == "closed", Alert.kind == "screening"
    )
    for alert_id, created, disposition, explanation in session.execute(query.order_by(Alert.id)):
        verdict = truth.get(disposition or "")
        entries = [e for e in explanation or [] if isinstance(e, dict)]
        risk = next((e for e in entries if e.get("kind") == "risk"), None)
        if verdict is None or risk is None or not any(e.get("kind") == "indicators" for e in entries):
            continue
        given = {f["id"]: float(f["value"]) for f in risk.get("features", []) if f.get("id") in FEATURE_IDS}
        rows.append(
            {
                "source": "alerts",
                "source_key": str(alert_id),
                "at": created.isoformat() if created else "",
                "label": int(bool(verdict)),
                "unit_kind": disposition,
                **{f: given.get(f, 0.0) for f in FEATURE_IDS},
            }
        )
    return rows
