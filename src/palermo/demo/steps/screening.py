"""The demo's screening step: load the world's watchlists and lost/stolen registry, replay crossings, measure."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from palermo.auth.actor import Actor
from palermo.db.engine import transaction
from palermo.documents import LostStolenRegistry
from palermo.node import Node
from palermo.screening.candidate_index.node_cache import refresh_index
from palermo.screening.measurement.replay import Crossing, ReplayReport, read_crossings, replay
from palermo.screening.measurement.truth import load_truth
from palermo.screening.measurement.victim_reach import victim_reach
from palermo.screening.watchlists import load_watchlist

BORDER_SOURCES = ("border_ita", "border_grc", "border_bgr")
DEFAULT_DAYS = 30


def load_world_lists(node: Node, world_dir: Path, actor: Actor) -> None:
    """Load ``watchlists/*.csv`` (one list per file, named by its stem) and ``lost_stolen/documents.csv``."""
    for path in sorted((world_dir / "watchlists").glob("*.csv")):
        category = "suspect" if path.stem == "suspects" else "missing_person"
        with transaction(node.engine) as session:
            report = load_watchlist(
                session, actor, path, name=path.stem, agency_code=node.agency_code, list_category=category
            )
            refresh_index(session, node.home, report.changed, report.removed)
    registry = world_dir / "lost_stolen" / "documents.csv"
    if registry.is_file():
        LostStolenRegistry.open(node.home).load_csv(registry)


def last_days(crossings: list[Crossing], days: int | None) -> list[Crossing]:
    """The crossings of the last ``days`` days of the stream (all with ``None``)."""
    if days is None or not crossings:
        return crossings
    end = max(c.at for c in crossings)
    start = end - dt.timedelta(days=days)
    return [c for c in crossings if c.at > start]


def replay_world(node: Node, world_dir: Path, actor: Actor, days: int | None = DEFAULT_DAYS) -> ReplayReport:
    """Load the world's lists, replay the border crossings of its last ``days`` days (all with ``None``) in time
    order, and measure against the world's truth, victim identification included (``victim_reach``). The world must
    already be ingested (``ingest_world``)."""
    load_world_lists(node, world_dir, actor)
    crossings = [
        c
        for source in BORDER_SOURCES
        if (world_dir / "sources" / source / "travel_events.csv").is_file()
        for c in read_crossings(world_dir / "sources" / source / "travel_events.csv", source)
    ]
    truth = load_truth(world_dir / "truth")
    report, results = replay(node, actor, last_days(crossings, days), truth)
    if report.quality is not None:
        report.quality["victim_identification"] = victim_reach(results, truth)
    return report
