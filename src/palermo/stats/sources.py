"""The rows a statistics release is made from, read inside the core (victim fields opened under the node's key).

Nothing here leaves the node: a release (``palermo.stats.release``) turns these rows into k-anonymous microdata and
noisy counts. One row per victim case: the age band at opening (the youngest age a partial date of birth allows,
as the presumption of minority reads it), sex, citizenship, the form of exploitation of the latest assessment
(``not assessed`` before one) and the year the case was opened. One list of fired indicator ids per traveller met
by border screening alerts.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from palermo.db.alerts import Alert
from palermo.db.identities import IdentityMember
from palermo.db.victims import VictimAssessment, VictimCase
from palermo.stats.hierarchies import age_band
from palermo.victims.population import youngest_age
from palermo.victims.sealing import opened

EXPLOITATION_OF_LIST = {
    "adult_labour": "labour",
    "child_labour": "labour",
    "adult_sexual": "sexual",
    "child_sexual": "sexual",
}
EXPLOITATIONS = ("labour", "sexual", "not assessed")


def victim_case_rows(session: Session) -> list[dict[str, str]]:
    """One row per victim case, with the released variables as held (before any generalisation)."""
    latest: dict[int, str] = {}
    for case_id, indicator_list in session.execute(
        select(VictimAssessment.case_id, VictimAssessment.indicator_list).order_by(VictimAssessment.version)
    ):
        latest[case_id] = indicator_list
    rows = []
    for case in session.scalars(select(VictimCase).order_by(VictimCase.id)):
        subject = opened(session, case, "subject")
        born = subject.get("birth_date")
        rows.append(
            {
                "age_band": age_band(youngest_age(born, case.opened_at.date()) if born else None),
                "sex": subject.get("sex") or "unknown",
                "citizenship": subject.get("nationality") or "unknown",
                "exploitation": EXPLOITATION_OF_LIST.get(latest.get(case.id, ""), "not assessed"),
                "year": str(case.opened_at.year),
            }
        )
    return rows


def _new_year(year: int) -> dt.datetime:
    return dt.datetime(year, 1, 1, tzinfo=dt.UTC)


def traveller_indicators(session: Session, years: range) -> list[list[str]]:
    """The risk indicators border screening alerts raised in ``years`` fired, one list per traveller.

    A traveller is the resolved identity of the alert's person record, else the record, else the alert alone (no
    person record). Each list holds the traveller's distinct indicators in the order they first fired, so that one
    traveller met many times adds each indicator once: the noisy counts protect a traveller, not an alert."""
    fired: dict[str, dict[str, None]] = {}
    query = (
        select(Alert.id, Alert.person_id, IdentityMember.identity_id, Alert.explanation)
        .outerjoin(IdentityMember, IdentityMember.person_id == Alert.person_id)
        .where(Alert.kind == "screening", Alert.created_at >= _new_year(years.start))
        .where(Alert.created_at < _new_year(years.stop))
        .order_by(Alert.created_at, Alert.id)
    )
    for alert_id, person_id, identity_id, explanation in session.execute(query):
        if identity_id is not None:
            unit = f"identity:{identity_id}"
        elif person_id is not None:
            unit = f"person:{person_id}"
        else:
            unit = f"alert:{alert_id}"
        seen = fired.setdefault(unit, {})
        for entry in explanation:
            if entry.get("kind") == "indicator" and "id" in entry:
                seen.setdefault(entry["id"], None)
    return [list(seen) for seen in fired.values()]
