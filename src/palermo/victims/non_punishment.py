"""The non-punishment flag: wherever an identity that victim support presumes a victim of trafficking appears (its
records, its identity page, the alerts about it), the reader is told to consider non-punishment before acting on an
offence (Directive 2011/36/EU, Article 8; docs/victims.md, "Non-punishment").

A person is flagged when the latest assessment of a victim case opened for one of the identity's records, or for
the identity itself, presumes a victim. The flag is shown to every reader of those pages: an officer or analyst who
sees the offence must see the flag too, or the principle cannot work. What it says depends on the reader: with
``victims.read`` it names the cases; without, it says only that victim support holds an assessment and whom to ask,
never the case, the indicators or the exploitation (special-category data stays with victim support).

Called by the person and identity views after their own permission check and access record; it reads no personal
data beyond the case numbers.
"""

from __future__ import annotations

from collections.abc import Collection

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session

from palermo.auth.actor import Actor
from palermo.db.victims import VictimAssessment, VictimCase
from palermo.persons.views import may_see_special
from palermo.resolution.identities import records_of

ARTICLE = "Directive 2011/36/EU, Article 8"


class NonPunishmentFlag(BaseModel):
    model_config = ConfigDict(frozen=True)

    detail: str = Field(description="What the reader is asked to do, in words")
    case_ids: list[int] | None = Field(
        description="The victim cases behind the flag; None for a reader without victims.read (only the flag)"
    )


def presumed_victim_cases(session: Session, person_ids: Collection[int], identity_ids: Collection[int]) -> list[int]:
    """Victim cases of these records or identities whose latest assessment presumes a victim, oldest first."""
    if not person_ids and not identity_ids:
        return []
    latest = (
        select(VictimAssessment.case_id, func.max(VictimAssessment.version).label("version"))
        .group_by(VictimAssessment.case_id)
        .subquery()
    )
    about = or_(VictimCase.person_id.in_(list(person_ids)), VictimCase.identity_id.in_(list(identity_ids)))
    query = (
        select(VictimCase.id)
        .join(latest, latest.c.case_id == VictimCase.id)
        .join(
            VictimAssessment,
            and_(VictimAssessment.case_id == VictimCase.id, VictimAssessment.version == latest.c.version),
        )
        .where(about, VictimAssessment.presumed_victim.is_(True))
        .order_by(VictimCase.id)
    )
    return list(session.scalars(query))


def record_flag(session: Session, actor: Actor, person_id: int, identity_id: int | None) -> NonPunishmentFlag | None:
    """The flag of a person record: its own cases and those of every record of its identity (``identity_id``, from
    :func:`palermo.resolution.identities.identity_of` unless the caller holds it already)."""
    if identity_id is None:
        return non_punishment_flag(session, actor, {person_id}, set())
    return non_punishment_flag(session, actor, {person_id, *records_of(session, identity_id)}, {identity_id})


def non_punishment_flag(
    session: Session, actor: Actor, person_ids: Collection[int], identity_ids: Collection[int]
) -> NonPunishmentFlag | None:
    """The flag for a person known by these records and identities, as ``actor`` may read it; None when not presumed."""
    cases = presumed_victim_cases(session, person_ids, identity_ids)
    if not cases:
        return None
    if may_see_special(actor):
        named = ", ".join(str(c) for c in cases)
        detail = (
            f"Presumed victim of trafficking (victim case {named}): consider non-punishment for any offence of this "
            f"person that they may have been compelled to commit ({ARTICLE})."
        )
        return NonPunishmentFlag(detail=detail, case_ids=cases)
    detail = (
        "Victim support presumes this person a victim of trafficking: before acting on any offence of this person, "
        f"consider non-punishment ({ARTICLE}) and ask victim support or a supervisor."
    )
    return NonPunishmentFlag(detail=detail, case_ids=None)
