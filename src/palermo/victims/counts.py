"""Victim cases as counts: what a reader without ``victims.read`` may know of them (docs/victims.md).

No case, name, note or assessment is named: how many cases are open and closed, how each was opened, and how many
have been assessed and presumed victims (by their latest assessment). Readers: anyone with ``dashboard.read``.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from palermo.auth.access import guard
from palermo.auth.actor import Actor
from palermo.db.victims import VictimAssessment, VictimCase


class CaseCounts(BaseModel):
    model_config = ConfigDict(frozen=True)

    total: int
    by_status: dict[str, int] = Field(description="open, closed")
    by_origin: dict[str, int] = Field(description="screening (a border protect decision), manual")
    assessed: int = Field(description="Cases with at least one indicator assessment")
    presumed_victims: int = Field(description="Cases whose latest assessment presumes a victim")


def case_counts(session: Session, actor: Actor) -> CaseCounts:
    """Counts of victim cases, no case named (``dashboard.read``)."""
    guard(session, actor, "dashboard.read", subject="victim_cases")
    by_status = dict(session.execute(select(VictimCase.status, func.count()).group_by(VictimCase.status)).all())
    by_origin = dict(session.execute(select(VictimCase.origin, func.count()).group_by(VictimCase.origin)).all())
    latest = (
        select(VictimAssessment.case_id, func.max(VictimAssessment.version).label("version"))
        .group_by(VictimAssessment.case_id)
        .subquery()
    )
    presumed = session.scalar(
        select(func.count())
        .select_from(VictimAssessment)
        .join(latest, (latest.c.case_id == VictimAssessment.case_id) & (latest.c.version == VictimAssessment.version))
        .where(VictimAssessment.presumed_victim.is_(True))
    )
    return CaseCounts(
        total=sum(by_status.values()),
        by_status={s: by_status.get(s, 0) for s in ("open", "closed")},
        by_origin={o: by_origin.get(o, 0) for o in ("screening", "manual")},
        assessed=session.scalar(select(func.count()).select_from(latest)) or 0,
        presumed_victims=presumed or 0,
    )
