"""Border risk indicators against a synthetic world's truth, replayed in time order like a day at the border.

A world (``palermo synth``) is generated and ingested once into a node kept under ``--home`` (reused by later
runs); its watchlists and lost/stolen registry are loaded; every border crossing is screened in time order with
indicators that only see what the store held before that crossing (``palermo.screening.measurement.replay``).
Against ``truth/movements.csv`` (victims' and escorts' crossings are trafficking movements) and
``truth/persons.csv`` (role ``ordinary``) the run reports, per indicator, for "any indicator" and for the decision:

* precision and recall of trafficking movements,
* the share of ordinary travellers' crossings referred,
* the unit kinds (from the truth) of the crossings behind each false flag: the confounders it falls for.

Beside them, in the same run and over the same crossings, a **plain rule baseline** that looks at nothing but the
crossing's own booking row: a payer whose surname is not the traveller's, or a minor with no adult of the same
surname on the booking. Then the booth's cost: all indicators and the combined score for one traveller, timed over
a sample of crossings against the store with its indexes (p50/p95 ms), in wall time and in the thread's CPU time
(the SQLite store runs in the process, so its queries are in it): on a shared, loaded machine the wall time is
mostly waiting for a core, which the CPU time leaves out; the load average is kept beside them.
``--timing-only`` times the booth's cost on the ingested world without replaying it (minutes, not hours).

``--resolve``: resolve the world's person records into identities before the replay (``palermo resolve
--retrain``), so the indicators count people (identities) rather than records; without it every record is its own
identity, which is how the indicators counted before issue 22.

``--quick``: the whole tiny world and the last ``--days`` (90) days of the small world (seed 7); default: the whole
small world and the last 90 days of the medium world. A window still sees the whole history before it (the store
holds every crossing; indicators read only what came before the one screened).
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import os
import random
import shutil
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Iterable
from itertools import pairwise
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from sqlalchemy import select

from common import machine, write_result
from palermo.auth.actor import cli_actor
from palermo.auth.justification import Justification
from palermo.db.engine import transaction
from palermo.db.travel import TravelEvent
from palermo.demo.steps.screening import BORDER_SOURCES, last_days, load_world_lists
from palermo.resolution import batch
from palermo.screening.context import age_at, surname_of
from palermo.screening.indicators import Inputs, evaluate_indicators
from palermo.screening.measurement.replay import Crossing, read_crossings, replay, request_for
from palermo.screening.measurement.truth import Movement, load_truth
from palermo.screening.risk.features import facts_of
from palermo.screening.risk.model import score as risk_score
from palermo.screening.risk.store import current_model
from palermo.screening.service import _context, traveller_of
from resolution_errors import world_node

SEED = 7
TIMED = 300
DAYS = 90
BASELINE = "baseline_rule"
COMBINED = "combined_risk"
BINS = (0.0, 0.01, 0.05, 0.2, 0.5, 0.8, 1.01)


def _ratio(a: int, b: int) -> float | None:
    return round(a / b, 4) if b else None


def _csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def baseline_flags(world: Path) -> set[tuple[str, str]]:
    """Crossings a plain rule flags from their own booking row: a payer of another surname, or a minor with no
    adult of the same surname on the booking (what a booth could do without any history)."""
    flagged: set[tuple[str, str]] = set()
    for source in BORDER_SOURCES:
        folder = world / "sources" / source
        if not (folder / "travel_events.csv").is_file():
            continue
        people = {r["source_key"]: r for r in _csv(folder / "persons.csv")}
        events = _csv(folder / "travel_events.csv")
        bookings: dict[str, list[dict[str, str]]] = defaultdict(list)
        for e in events:
            if e["booking_ref"]:
                bookings[e["booking_ref"]].append(e)
        for e in events:
            person = people.get(e["person_key"], {})
            surname = (person.get("surname") or "").casefold()
            at = dt.date.fromisoformat(e["occurred_at"][:10])
            payer = e["payer_name"]
            if payer and surname_of(payer) != surname:
                flagged.add((source, e["source_key"]))
                continue
            age = age_at(person.get("birth_date") or None, at)
            if age is None or age >= 18:
                continue
            adults_same = [
                o
                for o in bookings.get(e["booking_ref"], [])
                if o is not e
                and (people.get(o["person_key"], {}).get("surname") or "").casefold() == surname
                and (age_at(people.get(o["person_key"], {}).get("birth_date") or None, at) or 99) >= 18
            ]
            if not adults_same:
                flagged.add((source, e["source_key"]))
    return flagged


def score(
    flags: dict[str, set[tuple[str, str]]], movements: dict[tuple[str, str], Movement], roles: dict[str, str]
) -> dict[str, Any]:
    """Precision, recall, ordinary share and false flags by unit kind for each named set of flagged crossings."""
    keys = list(movements)
    trafficking = sum(1 for k in keys if movements[k].trafficking)
    ordinary = sum(1 for k in keys if roles.get(movements[k].person_id) == "ordinary")
    out = {}
    for name, flagged in sorted(flags.items()):
        hit = [k for k in flagged if k in movements]
        tp = sum(1 for k in hit if movements[k].trafficking)
        fp_kinds = Counter(movements[k].unit_kind for k in hit if not movements[k].trafficking)
        ordinary_hit = sum(1 for k in hit if roles.get(movements[k].person_id) == "ordinary")
        out[name] = {
            "fired": len(hit),
            "precision": _ratio(tp, len(hit)),
            "recall": _ratio(tp, trafficking),
            "ordinary_referred": _ratio(ordinary_hit, ordinary),
            "false_flags_by_unit_kind": dict(fp_kinds.most_common()),
        }
    return {"trafficking_movements": trafficking, "ordinary_crossings": ordinary, "by_signal": out}


def misses_by_role(
    flagged: set[tuple[str, str]], movements: dict[tuple[str, str], Movement], roles: dict[str, str]
) -> dict[str, int]:
    """Trafficking movements no indicator fired on, by the person's role (victim, transporter ...)."""
    return dict(
        Counter(roles.get(m.person_id, "?") for k, m in movements.items() if m.trafficking and k not in flagged)
    )


def _percentile(values: list[float], q: float) -> float | None:
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(q * len(ordered)))], 3) if ordered else None


def _queued_ns() -> int | None:
    """Nanoseconds this thread has waited for a core so far (Linux schedstat), None elsewhere."""
    try:
        return int(Path("/proc/thread-self/schedstat").read_text().split()[1])
    except (OSError, IndexError, ValueError):
        return None


def time_indicators(node: Any, ids: Iterable[int]) -> dict[str, Any]:
    """All indicators and the combined risk score for one traveller, timed in wall and CPU time (the store's
    indexes, nothing cached between travellers)."""
    wall, cpu, queued = [], [], []
    stored = current_model(node.home)
    load = os.getloadavg()[0]
    with transaction(node.engine) as session:
        for event_id in ids:
            event = session.get(TravelEvent, event_id)
            assert event is not None
            request, refs = request_for(session, event)
            assert request.at is not None
            traveller, context = traveller_of(request, None), _context(request, refs, request.at)
            inputs = Inputs(session, traveller, context, [])
            started, started_cpu, started_queued = time.perf_counter(), time.thread_time(), _queued_ns()
            fired = evaluate_indicators(inputs)
            risk_score(stored.model, stored.name, facts_of(fired, traveller, context))
            cpu.append((time.thread_time() - started_cpu) * 1000)
            wall.append((time.perf_counter() - started) * 1000)
            ended_queued = _queued_ns()
            if started_queued is not None and ended_queued is not None:
                queued.append((ended_queued - started_queued) / 1e6)
    return {
        "travellers": len(wall),
        "p50_ms": _percentile(wall, 0.5),
        "p95_ms": _percentile(wall, 0.95),
        "cpu_p50_ms": _percentile(cpu, 0.5),
        "cpu_p95_ms": _percentile(cpu, 0.95),
        "cpu_max_ms": _percentile(cpu, 1.0),
        "waiting_for_a_core_p50_ms": _percentile(queued, 0.5),
        "waiting_for_a_core_p95_ms": _percentile(queued, 0.95),
        "load_average_1min": [round(load, 2), round(os.getloadavg()[0], 2)],
    }


def timed_sample(node: Any, since: dt.datetime, seed: int) -> list[int]:
    """TIMED crossings of the replayed window (a fixed random sample)."""
    with transaction(node.engine) as session:
        all_ids = list(session.scalars(select(TravelEvent.id).where(TravelEvent.occurred_at >= since)))
    return random.Random(seed).sample(all_ids, min(TIMED, len(all_ids)))


def calibration(probabilities: dict[tuple[str, str], float], movements: dict[tuple[str, str], Movement]) -> Any:
    """Predicted against observed share of trafficking movements per probability bin, and the Brier score."""
    keys = [k for k in probabilities if k in movements]
    bins = []
    for low, high in pairwise(BINS):
        inside = [k for k in keys if low <= probabilities[k] < high]
        if inside:
            bins.append(
                {
                    "from": low,
                    "to": min(high, 1.0),
                    "crossings": len(inside),
                    "mean_probability": round(sum(probabilities[k] for k in inside) / len(inside), 4),
                    "observed": round(sum(movements[k].trafficking for k in inside) / len(inside), 4),
                }
            )
    brier = sum((probabilities[k] - movements[k].trafficking) ** 2 for k in keys) / len(keys) if keys else None
    return {"brier": round(brier, 6) if brier is not None else None, "bins": bins}


def held_out(scale: str, seed: int, trained_on: list[str]) -> None:
    """Refuse to evaluate the model on a world it was trained on (feature files are named scale-seed-...)."""
    if any(name.startswith(f"{scale}-{seed}-") for name in trained_on):
        raise SystemExit(f"the risk model was trained on the {scale} world of seed {seed}: evaluate on another seed")


def run_world(scale: str, seed: int, home: Path, days: int | None, resolve: bool = False) -> dict[str, Any]:
    world_node(scale, seed, home)  # generated and ingested once; each run replays on a fresh copy (no old alerts)
    work = Path(tempfile.mkdtemp(prefix="palermo-bench-indicators-"))
    try:
        shutil.copytree(home, work / "node")
        return _run(scale, seed, work / "node", days, resolve)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def border_crossings(world: Path, days: int | None) -> list[Crossing]:
    return last_days(
        [
            c
            for source in BORDER_SOURCES
            if (world / "sources" / source / "travel_events.csv").is_file()
            for c in read_crossings(world / "sources" / source / "travel_events.csv", source)
        ],
        days,
    )


def time_world(scale: str, seed: int, home: Path, days: int | None) -> dict[str, Any]:
    """The booth's cost on the ingested world, without a replay (the store holds every crossing; the indicators
    read only what came before the one timed)."""
    node, world = world_node(scale, seed, home)
    crossings = border_crossings(world, days)
    sample = timed_sample(node, crossings[0].at, seed)
    return {
        "scale": scale,
        "seed": seed,
        "days_sampled": days or "all",
        "indicators_per_traveller": time_indicators(node, sample),
    }


def _resolved(node: Any) -> dict[str, Any]:
    """Resolve the world's person records into identities first (``palermo resolve --retrain``)."""
    summary = batch.resolve(node, actor="cli:bench", retrain=True)
    clustering = summary.clustering
    return {"records": clustering.records, "identities": clustering.identities, "seconds": round(summary.seconds, 1)}


def _run(scale: str, seed: int, home: Path, days: int | None, resolve: bool = False) -> dict[str, Any]:
    node, world = world_node(scale, seed, home)
    resolution = _resolved(node) if resolve else None
    actor = cli_actor("cli:bench", node.agency_code, Justification("legal_basis", "border_control"))
    load_world_lists(node, world, actor)
    crossings = border_crossings(world, days)
    replayed = {(c.source, c.source_key) for c in crossings}
    truth = load_truth(world / "truth")
    model = current_model(node.home)
    held_out(scale, seed, model.model.trained_on)
    started = time.perf_counter()
    report, results = replay(node, actor, crossings, truth)
    seconds = time.perf_counter() - started
    flags: dict[str, set[tuple[str, str]]] = defaultdict(set)
    probabilities = {}
    for crossing, result in results:
        key = (crossing.source, crossing.source_key)
        for indicator in {i.id for i in result.indicators}:
            flags[indicator].add(key)
            flags["any_indicator"].add(key)
        if result.decision != "clear":
            flags["decision_not_clear"].add(key)
        probabilities[key] = result.risk.probability
        if result.risk.refers:
            flags[COMBINED].add(key)
    flags[BASELINE] = baseline_flags(world) & replayed
    movements = {k: m for k, m in truth.movements.items() if k in replayed}
    quality = score(flags, movements, truth.roles)
    sample = timed_sample(node, crossings[0].at, seed)
    return {
        "scale": scale,
        "seed": seed,
        "risk_model": {
            "version": model.name,
            "trained_on": model.model.trained_on,
            "refer_threshold": model.model.refer_threshold,
            "validation": model.model.validation,
        },
        "days_replayed": days or "all",
        "resolution": resolution,
        "crossings": report.events,
        "replay_seconds": round(seconds, 1),
        "decisions": dict(sorted(report.decisions.items())),
        **quality,
        "combined_risk_calibration": calibration(probabilities, movements),
        "missed_trafficking_movements_by_role": misses_by_role(flags["any_indicator"], movements, truth.roles),
        "indicators_per_traveller": time_indicators(node, sample),
        "screening_latency_ms": report.as_dict()["latency_ms"],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="tiny and small worlds")
    parser.add_argument("--home", type=Path, help="keep the ingested worlds here (one node per world) and reuse them")
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--days", type=int, default=DAYS, help="replay the last DAYS days of the larger world")
    parser.add_argument("--small-days", type=int, help="replay only the last SMALL_DAYS days of the small world")
    parser.add_argument("--scales", nargs="+", help="only these worlds of the plan (e.g. small)")
    parser.add_argument("--name", default="indicators", help="name of the results file")
    parser.add_argument(
        "--resolve", action="store_true", help="resolve the records into identities first (indicators count people)"
    )
    parser.add_argument("--timing-only", action="store_true", help="only the booth's cost per traveller, no replay")
    args = parser.parse_args()
    plan = [("tiny", None), ("small", args.days)] if args.quick else [("small", args.small_days), ("medium", args.days)]
    plan = [(scale, days) for scale, days in plan if not args.scales or scale in args.scales]
    base = args.home or Path(tempfile.mkdtemp(prefix="palermo-bench-indicators-"))
    if args.timing_only:
        runs = [time_world(scale, args.seed, base / f"{scale}-{args.seed}", days) for scale, days in plan]
    else:
        runs = [run_world(scale, args.seed, base / f"{scale}-{args.seed}", days, args.resolve) for scale, days in plan]
    write_result(args.name, {"machine": machine(), "quick": args.quick, "resolved": args.resolve, "runs": runs})


if __name__ == "__main__":
    main()
