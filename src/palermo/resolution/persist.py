"""Writing a clustering into the store: identities with stable ids, memberships, and explained links."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.orm import Session

from palermo.db.identities import Identity, IdentityLink, IdentityMember, ResolutionRun
from palermo.resolution.cluster import Constraints, assign_ids, cluster, ordered
from palermo.resolution.link_features import features_json, link_feature, stored_features
from palermo.resolution.model import ScoredPair

_BATCH = 5_000


@dataclass(frozen=True)
class ClusteringResult:
    run_id: int
    records: int
    links: int
    identities: int
    kept: int
    created: int
    retired: int


def start_run(session: Session, *, kind: str, engine: str, model_version: int, actor: str) -> int:
    run = ResolutionRun(kind=kind, engine=engine, model_version=model_version, actor=actor)
    session.add(run)
    session.flush()
    return run.id


def previous_membership(session: Session) -> dict[int, int]:
    return dict(session.execute(select(IdentityMember.person_id, IdentityMember.identity_id)).all())


def confirmed_pair(left: int, right: int) -> ScoredPair:
    """A link an analyst confirmed, where the model had none above the threshold."""
    detail = "confirmed by an analyst (see match_judgements)"
    return ScoredPair(left, right, 0.0, 1.0, (link_feature("analyst_confirmed", 1, 0.0, detail),))


def _insert(session: Session, table: type, rows: list[dict[str, object]]) -> None:
    for start in range(0, len(rows), _BATCH):
        session.execute(insert(table), rows[start : start + _BATCH])


def _identity_ids(session: Session, clusters: Sequence[Sequence[int]], kept: dict[int, int], run_id: int) -> list[int]:
    """The id of each cluster: kept, or new (after the highest id ever given, so ids are never reused)."""
    next_id = (session.scalar(select(func.max(Identity.id))) or 0) + 1
    ids, new_rows = [], []
    for index, members in enumerate(clusters):
        if index in kept:
            ids.append(kept[index])
            continue
        ids.append(next_id)
        new_rows.append({"id": next_id, "created_run_id": run_id, "updated_run_id": run_id, "size": len(members)})
        next_id += 1
    _insert(session, Identity, new_rows)
    return ids


def _update_kept(
    session: Session, clusters: Sequence[Sequence[int]], ids: list[int], kept: dict[int, int], run: int
) -> None:
    for index in kept:
        session.execute(
            update(Identity)
            .where(Identity.id == ids[index])
            .values(size=len(clusters[index]), updated_run_id=run, retired_at=None, merged_into=None)
        )


def _retire(session: Session, retired: dict[int, int | None], ids: list[int]) -> None:
    now = dt.datetime.now(dt.UTC)
    for old, index in retired.items():
        target = None if index is None else ids[index]
        session.execute(update(Identity).where(Identity.id == old).values(retired_at=now, merged_into=target, size=0))


def _links(
    pairs: Sequence[ScoredPair], identity_of: dict[int, int], run_id: int, must: frozenset[tuple[int, int]]
) -> list[dict[str, object]]:
    rows = []
    for p in pairs:
        if identity_of.get(p.left) is None or identity_of.get(p.left) != identity_of.get(p.right):
            continue
        basis = "confirmed" if ordered(p.left, p.right) in must else "model"
        rows.append(
            {
                "identity_id": identity_of[p.left],
                "left_person_id": p.left,
                "right_person_id": p.right,
                "match_weight": p.match_weight,
                "match_probability": p.match_probability,
                "basis": basis,
                "features": features_json(p.features),
                "run_id": run_id,
            }
        )
    return rows


def write_clustering(
    session: Session, run_id: int, records: Sequence[int], pairs: Sequence[ScoredPair], constraints: Constraints
) -> ClusteringResult:
    """Cluster ``pairs`` over ``records`` under ``constraints`` and replace the store's identities with the result."""
    scored = {ordered(p.left, p.right) for p in pairs}
    pairs = [*pairs, *(confirmed_pair(a, b) for a, b in sorted(constraints.must_link) if (a, b) not in scored)]
    clusters = cluster(records, [(p.left, p.right, p.match_weight) for p in pairs], constraints)
    assignment = assign_ids(clusters, previous_membership(session))
    ids = _identity_ids(session, clusters, assignment.kept, run_id)
    _update_kept(session, clusters, ids, assignment.kept, run_id)
    _retire(session, assignment.retired, ids)
    identity_of = {m: ids[i] for i, members in enumerate(clusters) for m in members}
    session.execute(delete(IdentityLink))
    session.execute(delete(IdentityMember))
    _insert(
        session, IdentityMember, [{"person_id": m, "identity_id": i, "run_id": run_id} for m, i in identity_of.items()]
    )
    links = _links(pairs, identity_of, run_id, constraints.must_link)
    _insert(session, IdentityLink, links)
    session.execute(
        update(ResolutionRun)
        .where(ResolutionRun.id == run_id)
        .values(records=len(identity_of), links=len(links), identities=len(clusters))
    )
    return ClusteringResult(
        run_id=run_id,
        records=len(identity_of),
        links=len(links),
        identities=len(clusters),
        kept=len(assignment.kept),
        created=len(clusters) - len(assignment.kept),
        retired=len(assignment.retired),
    )


def stored_pairs(session: Session) -> list[ScoredPair]:
    """The links in the store, as scored pairs (for re-clustering after a judgement without re-predicting)."""
    rows = session.execute(
        select(
            IdentityLink.left_person_id,
            IdentityLink.right_person_id,
            IdentityLink.match_weight,
            IdentityLink.match_probability,
            IdentityLink.features,
        )
    )
    return [ScoredPair(a, b, w, p, stored_features(features)) for a, b, w, p, features in rows]
