"""Linking newly ingested records to existing identities, without retraining and without predicting again.

The new record is blocked against the resolved records through the blocking index (the same rules as batch
prediction), its candidates are scored with the saved model (``pair_scorer``: Splink's comparisons and weights
compiled once, the pairs ``predict_between`` would give in milliseconds), and it joins the
identity of its strongest link above the threshold (an identity holding a record an analyst said it is not, or a
record whose facts conflict with it, ``conflicts``, is skipped), or a new identity of its own.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import func, insert, select, update
from sqlalchemy.orm import Session

from palermo.db.engine import transaction
from palermo.db.identities import Identity, IdentityLink, IdentityMember
from palermo.errors import NotFound
from palermo.node import Node
from palermo.resolution import index, model
from palermo.resolution.cluster import ordered
from palermo.resolution.config import ResolutionConfig, default_config
from palermo.resolution.conflicts import NO_FACTS, Facts, conflict, facts_by_record, facts_of
from palermo.resolution.features import feature_row
from palermo.resolution.judgements import constraints
from palermo.resolution.link_features import features_json
from palermo.resolution.model_store import require_model
from palermo.resolution.pair_scorer import PairScorer
from palermo.resolution.persist import start_run
from palermo.resolution.records import load_persons

_scorers: dict[Path, PairScorer] = {}


def scorer_for(model_path: Path) -> PairScorer:
    if model_path not in _scorers:
        _scorers[model_path] = PairScorer(model_path)
    return _scorers[model_path]


@dataclass(frozen=True)
class LinkOutcome:
    person_id: int
    identity_id: int
    new_identity: bool
    candidates: int
    links: int
    seconds: float


def _conflicting(session: Session, facts: Facts, members: set[int], *, birth_dates: bool) -> bool:
    """Whether a record with ``facts`` cannot join the identity of ``members`` (``conflicts.conflict``)."""
    if facts == NO_FACTS:
        return False
    rows = (feature_row(p) for p in load_persons(session, sorted(members)))
    theirs = facts_by_record(rows, birth_dates=birth_dates).values()
    return any(conflict(facts, other) is not None for other in theirs)


def _choose(
    session: Session, row: dict[str, Any], pairs: Sequence[model.ScoredPair], *, birth_dates: bool
) -> int | None:
    person_id = int(row["unique_id"])
    rejected = {b if a == person_id else a for a, b in constraints(session).cannot_link if person_id in (a, b)}
    best: dict[int, float] = {}
    for pair in pairs:
        other = pair.right if pair.left == person_id else pair.left
        identity = session.scalar(select(IdentityMember.identity_id).where(IdentityMember.person_id == other))
        if identity is not None:
            best[identity] = max(best.get(identity, float("-inf")), pair.match_weight)
    for identity, _ in sorted(best.items(), key=lambda item: (-item[1], item[0])):
        members = set(session.scalars(select(IdentityMember.person_id).where(IdentityMember.identity_id == identity)))
        mine = facts_of(row, birth_dates=birth_dates)
        if not members & rejected and not _conflicting(session, mine, members, birth_dates=birth_dates):
            return identity
    return None


def _join(session: Session, person_id: int, identity: int | None, run: int) -> tuple[int, bool]:
    if identity is None:
        identity = (session.scalar(select(func.max(Identity.id))) or 0) + 1
        session.execute(insert(Identity).values(id=identity, created_run_id=run, updated_run_id=run, size=1))
        created = True
    else:
        session.execute(
            update(Identity).where(Identity.id == identity).values(size=Identity.size + 1, updated_run_id=run)
        )
        created = False
    session.execute(insert(IdentityMember).values(person_id=person_id, identity_id=identity, run_id=run))
    return identity, created


def _store_links(session: Session, identity: int, person_id: int, pairs: Sequence[model.ScoredPair], run: int) -> int:
    members = set(session.scalars(select(IdentityMember.person_id).where(IdentityMember.identity_id == identity)))
    rows = [
        {
            "identity_id": identity,
            "left_person_id": ordered(p.left, p.right)[0],
            "right_person_id": ordered(p.left, p.right)[1],
            "match_weight": p.match_weight,
            "match_probability": p.match_probability,
            "basis": "model",
            "features": features_json(p.features),
            "run_id": run,
        }
        for p in pairs
        if (p.right if p.left == person_id else p.left) in members
    ]
    if rows:
        session.execute(insert(IdentityLink), rows)
    return len(rows)


def link_records(
    node: Node, person_ids: Sequence[int], *, actor: str, config: ResolutionConfig | None = None
) -> list[LinkOutcome]:
    """Link each of ``person_ids`` (already in the store, not yet resolved) to an identity."""
    config = config or default_config()
    info = require_model(node.home)
    scorer = scorer_for(info.path)
    dates = model.saved_trusts_birth_dates(info.path, config)
    outcomes = []
    with transaction(node.engine) as session, index.connect(node.home) as con:
        run = start_run(session, kind="incremental", engine="duckdb", model_version=info.version, actor=actor)
        persons = {p.record_id: p for p in load_persons(session, list(person_ids))}
        for person_id in person_ids:
            if person_id not in persons:
                raise NotFound(f"no person record with id {person_id}")
            started = time.perf_counter()
            row = feature_row(persons[person_id])
            found = index.candidates(con, row, config)
            pairs = scorer.score(row, found, config.link_threshold)
            current = session.scalar(select(IdentityMember.identity_id).where(IdentityMember.person_id == person_id))
            if current is not None:
                outcomes.append(LinkOutcome(person_id, current, False, len(found), 0, time.perf_counter() - started))
                continue
            identity, created = _join(session, person_id, _choose(session, row, pairs, birth_dates=dates), run)
            links = _store_links(session, identity, person_id, pairs, run)
            index.add(con, row, config)
            outcomes.append(LinkOutcome(person_id, identity, created, len(found), links, time.perf_counter() - started))
    return outcomes
