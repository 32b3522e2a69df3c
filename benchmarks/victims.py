"""Victim identification at the border against a synthetic world's truth (issue 24, item 8).

A world (``palermo synth``) is generated and ingested once into a node kept under ``--home`` (reused by later runs);
each run replays, on a fresh copy of that node, the border crossings of the last ``--days`` days exactly as
``palermo demo`` does (``palermo.demo.steps.screening.replay_world``: the world's watchlists and lost/stolen registry
loaded, every crossing screened in time order, a protect decision opening a victim case), and reports
``palermo.screening.measurement.victim_reach`` against ``truth/persons.csv``:

* the share of true victims (role ``victim``) who reach a victim case through a protect decision, of those who
  crossed in the replayed days and of all victims in the world, and what asked for protect (a protective watchlist
  hit, protective risk indicators);
* the victims missed, by the decision they got instead (alert or refer: treated as suspects; clear);
* false presumptions: ordinary travellers (and other roles) for whom a victim case was opened.

Default: the demo's world and window (small, seed 7, the last 30 days), the same world's last 180 days, and the
whole timeline of the tiny world (seed 7). The whole small world (about 50,000 crossings) is left to ``--days``.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import machine, write_result
from palermo.auth.actor import cli_actor
from palermo.auth.justification import Justification
from palermo.demo.steps.screening import DEFAULT_DAYS, replay_world
from palermo.screening.measurement.victim_reach import reach_in_words
from resolution_errors import world_node

SEED = 7
LONG_DAYS = 180


def run_world(scale: str, seed: int, home: Path, days: int | None) -> dict[str, Any]:
    """Replay on a fresh copy of the world's node (no earlier alerts or cases), measured against the truth."""
    world_node(scale, seed, home)
    work = Path(tempfile.mkdtemp(prefix="palermo-bench-victims-"))
    try:
        shutil.copytree(home, work / "node")
        node, world = world_node(scale, seed, work / "node")
        actor = cli_actor("cli:bench", node.agency_code, Justification("legal_basis", "border_control"))
        started = time.perf_counter()
        report = replay_world(node, world, actor, days=days)
        seconds = time.perf_counter() - started
        node.engine.dispose()
    finally:
        shutil.rmtree(work, ignore_errors=True)
    reach = (report.quality or {})["victim_identification"]
    return {
        "scale": scale,
        "seed": seed,
        "days_replayed": days or "all",
        "crossings": report.events,
        "decisions": dict(sorted(report.decisions.items())),
        "replay_seconds": round(seconds, 1),
        "victim_identification": reach,
        "in_words": reach_in_words(reach),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--home", type=Path, help="keep the ingested worlds here (one node per world) and reuse them")
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--days", type=int, default=DEFAULT_DAYS, help="days of the small world replayed (the demo's)")
    parser.add_argument("--long-days", type=int, default=LONG_DAYS, help="a longer window of the small world")
    parser.add_argument("--name", default="victims", help="name of the results file")
    args = parser.parse_args()
    base = args.home or Path(tempfile.mkdtemp(prefix="palermo-bench-victims-"))
    plan = [("small", args.days), ("small", args.long_days), ("tiny", None)]
    runs = [run_world(scale, args.seed, base / f"{scale}-{args.seed}", days) for scale, days in plan]
    write_result(args.name, {"machine": machine(), "runs": runs})


if __name__ == "__main__":
    main()
