"""``palermo resolve``: every person record, through Splink, into identities with stable ids.

Read the records from the store, train the model when asked (or when there is none, or it is stale) and save it as
the next version in the node home, predict links above the threshold, cluster them under the analysts' judgements
and the records' conflicting facts (``conflicts``), write identities, memberships and explained links, and rebuild
the blocking index used by incremental linking.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy.orm import Session

from palermo.db.engine import transaction
from palermo.logs import get_logger
from palermo.node import Node
from palermo.resolution import index, model
from palermo.resolution.cluster import Constraints
from palermo.resolution.config import ResolutionConfig, default_config
from palermo.resolution.conflicts import facts_by_record
from palermo.resolution.engines import open_engine
from palermo.resolution.features import feature_row
from palermo.resolution.judgements import constraints
from palermo.resolution.model_store import ModelInfo, latest_model, save_model
from palermo.resolution.persist import ClusteringResult, start_run, write_clustering
from palermo.resolution.records import load_persons

log = get_logger(__name__)


def clustering_constraints(
    session: Session, rows: Sequence[dict[str, Any]], info: ModelInfo | None, config: ResolutionConfig
) -> Constraints:
    """The analysts' judgements in force and the facts of every record that can rule out a union (dates of birth
    when the model ``info`` trusts them, ``model.trusts_birth_dates``)."""
    dates = info is not None and model.saved_trusts_birth_dates(info.path, config)
    return replace(constraints(session), facts=facts_by_record(rows, birth_dates=dates))


@dataclass(frozen=True)
class ResolveSummary:
    engine: str
    model_version: int
    trained: bool
    clustering: ClusteringResult
    seconds: float


def _trained_model(linker: Any, node: Node, records: int, engine: str) -> ModelInfo:
    return save_model(
        node.home,
        model.model_dict(linker),
        trained_at=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        records=records,
        engine=engine,
    )


def predict_all(
    node: Node, rows: list[dict[str, Any]], *, engine: str, retrain: bool, spark_master: str, config: ResolutionConfig
) -> tuple[list[model.ScoredPair], ModelInfo, bool]:
    """Scored pairs above the link threshold, with the model used (trained now when asked, when there is none, or
    when the saved one was trained with other comparisons than this version has)."""
    existing = latest_model(node.home)
    checkpoints = node.settings.spark_checkpoint_dir
    runner = open_engine(engine, node.home / "resolution", spark_master=spark_master, checkpoint_dir=checkpoints)
    try:
        table = runner.register(rows, "persons")
        stale = existing is not None and not model.saved_model_matches(existing.path, config)
        if stale:
            log.info("resolution_model_stale", model=existing.version if existing else None)
        train = retrain or existing is None or stale
        settings = model.build_settings(config) if train or existing is None else existing.path
        linker = model.new_linker(table, settings)
        if train:
            model.train(linker, config)
        info = _trained_model(linker, node, len(rows), engine) if train or existing is None else existing
        pairs = model.predict(linker, config.link_threshold)
    finally:
        runner.close()
    return pairs, info, train


def resolve(
    node: Node,
    *,
    actor: str,
    engine: str = "duckdb",
    retrain: bool = False,
    spark_master: str = "local[2]",
    config: ResolutionConfig | None = None,
) -> ResolveSummary:
    """Resolve every person record of the node into identities (see the module docstring)."""
    config = config or default_config()
    started = time.perf_counter()
    with transaction(node.engine) as session:
        rows = [feature_row(p) for p in load_persons(session)]
    pairs, info, trained = predict_all(
        node, rows, engine=engine, retrain=retrain, spark_master=spark_master, config=config
    )
    with transaction(node.engine) as session:
        run = start_run(session, kind="batch", engine=engine, model_version=info.version, actor=actor)
        rules = clustering_constraints(session, rows, info, config)
        result = write_clustering(session, run, [r["unique_id"] for r in rows], pairs, rules)
    index.rebuild(node.home, rows, config)
    seconds = time.perf_counter() - started
    log.info(
        "resolution_run",
        engine=engine,
        model=info.version,
        records=result.records,
        links=result.links,
        identities=result.identities,
        seconds=round(seconds, 2),
    )
    return ResolveSummary(engine, info.version, trained, result, seconds)


def recluster(node: Node, *, actor: str) -> ClusteringResult:
    """Cluster again from the stored links under the current judgements (after a judgement; no prediction)."""
    from sqlalchemy import select

    from palermo.db.identities import IdentityMember
    from palermo.resolution.persist import stored_pairs

    info = latest_model(node.home)
    with transaction(node.engine) as session:
        records = list(session.scalars(select(IdentityMember.person_id)))
        rows = [feature_row(p) for p in load_persons(session, records)]
        run = start_run(
            session, kind="judgement", engine="none", model_version=info.version if info else 0, actor=actor
        )
        rules = clustering_constraints(session, rows, info, default_config())
        return write_clustering(session, run, records, stored_pairs(session), rules)
