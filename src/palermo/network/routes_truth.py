"""Routes and hotspots measured against a synthetic world's truth (``truth/movements.csv``): which routes the
planted networks' movements take and at which border points they concentrate, beside what the analysis found.

Truth routes are built with the same journey rule as the analysis, over the *true* person of each crossing (so a
resolution error cannot move the target): a route is a trafficking route in truth when a planted network's journey
takes it. Truth hotspots are the border points where trafficking crossings are over-represented given volume, by
the same Poisson test and Benjamini-Hochberg control as the analysis, on the true labels.
"""

from __future__ import annotations

import csv
from collections import Counter
from dataclasses import dataclass, replace
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from palermo.db.reference import Source
from palermo.db.travel import TravelEvent
from palermo.errors import InvalidInput
from palermo.network.hotspots import HotspotAnalysis
from palermo.network.routes import RouteAnalysis
from palermo.network.routes_crossings import TravelData
from palermo.network.routes_journeys import journeys
from palermo.network.routes_parameters import RouteParameters
from palermo.network.routes_stats import benjamini_hochberg, poisson_upper


@dataclass(frozen=True)
class Movement:
    person: str
    trafficking: bool
    network: str | None


@dataclass(frozen=True)
class Scores:
    labelled: int
    true: int
    hits: int

    @property
    def precision(self) -> float:
        return self.hits / self.labelled if self.labelled else 0.0

    @property
    def recall(self) -> float:
        return self.hits / self.true if self.true else 0.0

    def as_dict(self) -> dict[str, float | int]:
        return {"labelled": self.labelled, "true": self.true, "hits": self.hits,
                "precision": round(self.precision, 4), "recall": round(self.recall, 4)}  # fmt: skip


def scores(labelled: set[str], true: set[str]) -> Scores:
    return Scores(len(labelled), len(true), len(labelled & true))


def read_movements(session: Session, world: Path) -> dict[int, Movement]:
    """Travel event id -> its true traveller and whether a network moved it, from ``truth/movements.csv``."""
    path = world / "truth" / "movements.csv"
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            rows = {
                (r["source"], r["source_key"]): Movement(
                    r["person_id"], r["trafficking"] in ("1", "True", "true"), r["network_id"] or None
                )
                for r in csv.DictReader(handle)
            }
    except (OSError, KeyError) as exc:
        raise InvalidInput(f"{path} is not a readable truth file: {exc}") from None
    events = session.execute(
        select(TravelEvent.id, Source.name, TravelEvent.source_key).join(Source, Source.id == TravelEvent.source_id)
    )
    return {event: rows[(source, key)] for event, source, key in events if (source, key) in rows}


def true_routes(data: TravelData, truth: dict[int, Movement], params: RouteParameters) -> dict[str, set[str]]:
    """Route -> the networks whose journeys (over true persons) take it."""
    by_person = replace(data, crossings=[replace(c, identity=truth[c.event_id].person) for c in data.crossings
                                         if c.event_id in truth])  # fmt: skip
    routes: dict[str, set[str]] = {}
    for journey in journeys(by_person, params.trip_window_days):
        networks = {truth[c.event_id].network for c in journey.entries if truth[c.event_id].trafficking}
        if networks - {None}:
            routes.setdefault(journey.route, set()).update(n for n in networks if n)
    return routes


def true_hotspots(data: TravelData, truth: dict[int, Movement], params: RouteParameters) -> set[str]:
    """Border points where trafficking crossings concentrate beyond their volume (the analysis's test, true labels)."""
    volume: Counter[str] = Counter()
    moved: Counter[str] = Counter()
    for c in data.crossings:
        volume[c.point] += 1
        moved[c.point] += 1 if c.event_id in truth and truth[c.event_id].trafficking else 0
    total = sum(volume.values())
    rate = sum(moved.values()) / total if total else 0.0
    points = sorted(volume)
    q = benjamini_hochberg([poisson_upper(moved[p], volume[p] * rate) for p in points])
    return {p for p, qv in zip(points, q, strict=True) if qv <= params.alpha and moved[p] >= params.min_flagged}


def flag_quality(data: TravelData, truth: dict[int, Movement]) -> dict[str, float | int]:
    """How well the store's flags cover the planted networks' movements, and how many flags are on them."""
    flagged = {c.event_id for c in data.crossings if data.flag_reason(c)}
    moved = {c.event_id for c in data.crossings if c.event_id in truth and truth[c.event_id].trafficking}
    return {"crossings": len(data.crossings), "flagged": len(flagged), "trafficking": len(moved),
            "flagged_and_trafficking": len(flagged & moved),
            "flag_precision": round(len(flagged & moved) / len(flagged), 4) if flagged else 0.0,
            "flag_recall": round(len(flagged & moved) / len(moved), 4) if moved else 0.0}  # fmt: skip


def route_measures(analysis: RouteAnalysis, truth_routes: dict[str, set[str]]) -> dict[str, object]:
    """Trafficking-route labels against the truth, beside two baselines: any route with a flagged trip, and any
    route whose flagged share is twice the node's (lift >= 2) without a test."""
    labelled = {r.route for r in analysis.routes if r.trafficking}
    true = set(truth_routes)
    networks = set().union(*truth_routes.values()) if truth_routes else set()
    found = {n for r in labelled & true for n in truth_routes[r]}
    any_flag = {r.route for r in analysis.routes if r.flagged_trips > 0}
    lift_two = {r.route for r in analysis.routes if r.lift >= 2 and r.flagged_trips > 0}
    return {
        "routes_tested": analysis.routes_tested,
        "test": scores(labelled, true).as_dict(),
        "networks_with_a_labelled_route": f"{len(found)}/{len(networks)}",
        "baseline_any_flagged_trip": scores(any_flag, true).as_dict(),
        "baseline_lift_2_untested": scores(lift_two, true).as_dict(),
    }


def hotspot_measures(analysis: HotspotAnalysis, truth_points: set[str], data: TravelData,
                     truth: dict[int, Movement]) -> dict[str, object]:  # fmt: skip
    """Border-point hotspots (whole range) against the truth hotspots, beside the baseline that takes as many points
    by their raw count of flagged crossings; and the share of trafficking crossings at the detected points."""
    detected = {h.key for h in analysis.hotspots if h.scope == "border_point" and h.period is None}
    by_count = sorted(analysis.points, key=lambda p: -p.flagged)[: len(detected)]
    moved = Counter(c.point for c in data.crossings if c.event_id in truth and truth[c.event_id].trafficking)
    total = sum(moved.values())
    return {
        "cells_tested": analysis.tests,
        "hotspots": len(analysis.hotspots),
        "border_points": scores(detected, truth_points).as_dict(),
        "baseline_top_flagged_count": scores({p.code for p in by_count}, truth_points).as_dict(),
        "trafficking_crossings_at_detected_points": round(sum(moved[p] for p in detected) / total, 4) if total else 0,
        "true_hotspots": sorted(truth_points),
        "detected": sorted(detected),
    }
