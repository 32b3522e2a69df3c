"""The demo's resolution step: resolve the ingested world and score the identities against its ground truth."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select

from palermo.db.engine import transaction
from palermo.db.identities import IdentityMember
from palermo.db.persons import PersonRecord
from palermo.db.reference import Source
from palermo.errors import InvalidInput
from palermo.node import Node
from palermo.resolution.batch import resolve
from palermo.resolution.metrics import Scores, b_cubed, pairwise


@dataclass(frozen=True)
class ResolutionReport:
    records: int
    identities: int
    links: int
    model_version: int
    seconds: float
    pairwise: Scores
    cluster: Scores


def read_truth(world_dir: Path) -> dict[tuple[str, str], str]:
    """``(source, source_key) -> person_id`` of every person record in ``truth/records.csv``."""
    path = world_dir / "truth" / "records.csv"
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            return {
                (r["source"], r["source_key"]): r["person_id"] for r in csv.DictReader(handle) if r["kind"] == "persons"
            }
    except (OSError, KeyError) as exc:
        raise InvalidInput(f"{path} is not a readable truth file: {exc}") from None


def _membership(node: Node) -> tuple[dict[int, int], dict[int, tuple[str, str]]]:
    with transaction(node.engine) as session:
        members = dict(session.execute(select(IdentityMember.person_id, IdentityMember.identity_id)).all())
        keys = session.execute(
            select(PersonRecord.id, Source.name, PersonRecord.source_key).join(
                Source, Source.id == PersonRecord.source_id
            )
        )
        return members, {rid: (source, key) for rid, source, key in keys}


def score_against_truth(node: Node, world_dir: Path) -> tuple[Scores, Scores]:
    """(pairwise, B-cubed cluster) scores of the node's identities against the world's truth."""
    truth_by_key = read_truth(world_dir)
    members, keys = _membership(node)
    truth = {rid: truth_by_key[key] for rid, key in keys.items() if key in truth_by_key}
    return pairwise(members, truth), b_cubed(members, truth)


def resolve_world(node: Node, world_dir: Path, actor: str) -> ResolutionReport:
    """Resolve every person record of ``node`` (training a model) and score it against ``world_dir``'s truth."""
    summary = resolve(node, actor=actor, retrain=True)
    pair_scores, cluster_scores = score_against_truth(node, world_dir)
    result = summary.clustering
    return ResolutionReport(
        records=result.records,
        identities=result.identities,
        links=result.links,
        model_version=summary.model_version,
        seconds=round(summary.seconds, 2),
        pairwise=pair_scores,
        cluster=cluster_scores,
    )
