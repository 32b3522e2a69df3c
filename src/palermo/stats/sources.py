"""The rows a statistics release is made from, read inside the core (victim fields opened under the node's key).

Nothing here leaves the node: a release (``palermo.stats.release``) turns these rows into k-anonymous microdata and
noisy counts. One row per victim case: the age band at opening (the youngest age a partial date of birth allows,
as the presumption of minority reads it), sex, citizenship, the form of exploitation of the latest assessment
(``not assessed`` before one) and the year the case was opened. One list of fired indicator ids per border alert.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from palermo.db.alerts import Alert
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


def alert_indicators(session: Session, years: range) -> list[list[str]]:
    """The risk indicators each border screening alert fired, for alerts raised in ``years``."""
    found = []
    for explanation, created in session.execute(
        select(Alert.explanation, Alert.created_at).where(Alert.kind == "screening")
    ):
        if created.year in years:
            found.append([e["id"] for e in explanation if e.get("kind") == "indicator" and "id" in e])
    return found
