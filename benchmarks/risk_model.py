"""Train the combined risk model on synthetic worlds of some seeds (the shipped ``default_model.json``).

For each training seed, the world (``palermo synth``, generated and ingested once under ``--home``) is replayed in
time order on a fresh copy of its node, exactly as ``palermo replay --truth DIR --features FILE`` does, and the
crossings' risk features and labels are written to ``--examples``; then the model is fitted on all of them as
``palermo indicators train`` does (folds: the worlds). Evaluate it on worlds of OTHER seeds and scales with
``benchmarks/indicators.py`` (never on these).

    PYTHONPATH=src python benchmarks/risk_model.py --seeds 11 12 --scale small --days 365 \\
        --home /tmp/palermo-risk --output src/palermo/screening/risk/default_model.json
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from palermo.auth.actor import cli_actor
from palermo.auth.justification import Justification
from palermo.demo.steps.screening import BORDER_SOURCES, last_days, load_world_lists
from palermo.screening.measurement.examples import write_replay_examples
from palermo.screening.measurement.replay import read_crossings, replay
from palermo.screening.measurement.truth import load_truth
from palermo.screening.risk.store import write_model
from palermo.screening.risk.training import fit, read_examples
from resolution_errors import world_node


def world_examples(scale: str, seed: int, home: Path, days: int | None, out: Path) -> int:
    """Replay the world of ``seed`` (its last ``days``) on a copy of its node; write its examples to ``out``."""
    world_node(scale, seed, home)
    work = Path(tempfile.mkdtemp(prefix="palermo-risk-"))
    try:
        shutil.copytree(home, work / "node")
        node, world = world_node(scale, seed, work / "node")
        actor = cli_actor("cli:bench", node.agency_code, Justification("legal_basis", "border_control"))
        load_world_lists(node, world, actor)
        crossings = last_days(
            [
                c
                for source in BORDER_SOURCES
                if (world / "sources" / source / "travel_events.csv").is_file()
                for c in read_crossings(world / "sources" / source / "travel_events.csv", source)
            ],
            days,
        )
        truth = load_truth(world / "truth")
        _, results = replay(node, actor, crossings, truth)
        return write_replay_examples(out, results, truth)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seeds", type=int, nargs="+", default=[11, 12])
    parser.add_argument("--scale", default="small")
    parser.add_argument("--days", type=int, default=365, help="replay the last DAYS days of each world")
    parser.add_argument("--home", type=Path, required=True, help="keep the ingested worlds here and reuse them")
    parser.add_argument("--examples", type=Path, help="folder of the feature files (default: under --home)")
    parser.add_argument("--target-precision", type=float, default=0.9)
    parser.add_argument("--output", type=Path, required=True, help="where to write the model")
    args = parser.parse_args()
    folder = args.examples or args.home / "examples"
    files = []
    for seed in args.seeds:
        path = folder / f"{args.scale}-{seed}-{args.days}d.csv"
        if not path.is_file():
            written = world_examples(args.scale, seed, args.home / f"{args.scale}-{seed}", args.days, path)
            print(f"{path}: {written} examples", flush=True)
        files.append(path)
    model = fit(read_examples(files), target_precision=args.target_precision, trained_on=[f.name for f in files])
    write_model(args.output, model)
    print(json.dumps(model.model_dump(mode="json"), indent=2))


if __name__ == "__main__":
    main()
