"""Analyst judgements on links and merges: append-only, attributed rows; the latest verdict on a pair wins.

A judgement on a link names two person records; a judgement on a merge names two identities and is recorded on
one representative record of each (the lowest id). ``confirm`` makes the two records one person in every later
clustering (must-link); ``reject`` keeps them apart whatever other links join them (cannot-link). The identities
are re-clustered at once from the stored links, without predicting again. Splitting a record out of an identity
(``judge_split``) rejects its pair with every other record of the identity.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from sqlalchemy import select
from sqlalchemy.orm import Session

from palermo.auth.access import guard
from palermo.auth.actor import Actor
from palermo.db.identities import MatchJudgement
from palermo.db.persons import PersonRecord
from palermo.errors import InvalidInput, NotFound
from palermo.resolution.cluster import Constraints, ordered
from palermo.resolution.identities import records_of

Verdict = Literal["confirm", "reject"]
VERDICTS: tuple[Verdict, ...] = ("confirm", "reject")


@dataclass(frozen=True)
class JudgementView:
    id: int
    scope: str
    verdict: str
    left_person_id: int
    right_person_id: int
    actor: str


def _check_verdict(verdict: str) -> None:
    if verdict not in VERDICTS:
        raise InvalidInput(f"verdict must be one of {', '.join(VERDICTS)}, got {verdict!r}", field="verdict")


def _record(session: Session, actor: Actor, row: MatchJudgement) -> JudgementView:
    session.add(row)
    session.flush()
    return JudgementView(row.id, row.scope, row.verdict, row.left_person_id, row.right_person_id, actor.name)


def judge_link(
    session: Session, actor: Actor, left: int, right: int, verdict: str, reason: str | None = None
) -> JudgementView:
    """Confirm or reject that person records ``left`` and ``right`` describe the same person."""
    _check_verdict(verdict)
    if left == right:
        raise InvalidInput("a link judgement needs two different person records", field="right")
    guard(session, actor, "identities.judge", subject=f"person_records:{left},{right}")
    for record in (left, right):
        if session.get(PersonRecord, record) is None:
            raise NotFound(f"no person record with id {record}")
    a, b = ordered(left, right)
    row = MatchJudgement(
        scope="link", verdict=verdict, left_person_id=a, right_person_id=b, actor=actor.name, reason=reason
    )
    return _record(session, actor, row)


def judge_merge(
    session: Session, actor: Actor, left: int, right: int, verdict: str, reason: str | None = None
) -> JudgementView:
    """Confirm or reject that identities ``left`` and ``right`` are one person (recorded on a record of each)."""
    _check_verdict(verdict)
    if left == right:
        raise InvalidInput("a merge judgement needs two different identities", field="right")
    guard(session, actor, "identities.judge", subject=f"identities:{left},{right}")
    reps = []
    for identity in (left, right):
        members = records_of(session, identity)
        if not members:
            raise NotFound(f"no identity with id {identity}")
        reps.append(members[0])
    a, b = ordered(reps[0], reps[1])
    ids = (left, right) if reps[0] <= reps[1] else (right, left)
    row = MatchJudgement(
        scope="merge",
        verdict=verdict,
        left_person_id=a,
        right_person_id=b,
        left_identity_id=ids[0],
        right_identity_id=ids[1],
        actor=actor.name,
        reason=reason,
    )
    return _record(session, actor, row)


def judge_split(
    session: Session, actor: Actor, identity_id: int, person_id: int, reason: str | None = None
) -> list[JudgementView]:
    """Take person record ``person_id`` out of identity ``identity_id``: a rejection of its pair with every other
    record of the identity (scope ``link``, one row each), so no later clustering puts it back with any of them."""
    guard(session, actor, "identities.judge", subject=f"identities:{identity_id}")
    members = records_of(session, identity_id)
    if not members:
        raise NotFound(f"no identity with id {identity_id}")
    if person_id not in members:
        raise InvalidInput(f"person record {person_id} is not in identity {identity_id}", field="person_id")
    if len(members) == 1:
        raise InvalidInput(f"identity {identity_id} holds one record only: nothing to split", field="person_id")
    why = f"split from identity {identity_id}" + (f": {reason}" if reason else "")
    views = []
    for other in members:
        if other != person_id:
            a, b = ordered(person_id, other)
            row = MatchJudgement(
                scope="link", verdict="reject", left_person_id=a, right_person_id=b, actor=actor.name, reason=why
            )
            views.append(_record(session, actor, row))
    return views


def constraints(session: Session) -> Constraints:
    """The judgements in force: for each pair of records, its latest verdict."""
    latest: dict[tuple[int, int], str] = {}
    query = select(MatchJudgement.left_person_id, MatchJudgement.right_person_id, MatchJudgement.verdict)
    for a, b, verdict in session.execute(query.order_by(MatchJudgement.id)):
        latest[ordered(a, b)] = verdict
    must = frozenset(p for p, v in latest.items() if v == "confirm")
    cannot = frozenset(p for p, v in latest.items() if v == "reject")
    return Constraints(must_link=must, cannot_link=cannot)
