"""Benchmark palermo.names on nomenklatura's labelled person-name pairs, side by side with nomenklatura logic-v2.

Reads ``../shared/benchmarks/name-pairs/nomenklatura-person-pairs.csv`` (relative to the repository root),
prints a JSON result and writes ``benchmarks/results/names.json``:

* precision / recall / F1 at each matcher's threshold (0.70 for both) on all pairs;
* held-out figures: weights calibrated on one half of a fixed random split, evaluated on the other (both ways);
* throughput in pairs/s: end to end from raw strings (prepare both names + compare), and scoring only (prepared
  names vs entities built beforehand; ``score_prepared`` with its token-pair cache warm, and cold: cache cleared
  before the run), medians of runs; and the 100-candidate screening case.

Usage: ``python benchmarks/names.py [--quick] [--runs N] [--write-config]``. ``--write-config`` stores the weights
calibrated on all pairs into ``src/palermo/names/config.yaml``.
"""

from __future__ import annotations

import argparse
import csv
import json
import platform
import random
import statistics
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from name_hard_cases import hard_cases
from palermo.names import compare_prepared, default_config, prepare_name, score_prepared
from palermo.names.calibrate import LabelledPair, Metrics, calibrate, evaluate, metrics
from palermo.names.config import NameMatchingConfig, dump_config
from palermo.names.fast import clear_caches

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / ".." / "shared" / "benchmarks" / "name-pairs" / "nomenklatura-person-pairs.csv"
RESULTS = ROOT / "benchmarks" / "results" / "names.json"
CONFIG = ROOT / "src" / "palermo" / "names" / "config.yaml"
SPLIT_SEED = 20240601


def load_pairs(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return [row for row in csv.DictReader(fh) if row["schema"] == "Person"]


def labelled(rows: Sequence[dict[str, str]]) -> list[LabelledPair]:
    return [LabelledPair(r["name1"], r["name2"], r["is_match"].strip().lower() == "true") for r in rows]


def logic_v2() -> Callable[[str, str], float]:
    """nomenklatura's LogicV2 on a pair of single-name Person entities, as its name_bench harness runs it."""
    from followthemoney import ValueEntity, model
    from nomenklatura.matching.logic_v2.model import LogicV2

    config = LogicV2.default_config()
    schema = model.get("Person")
    counter = iter(range(10**9))

    def score(name1: str, name2: str) -> float:
        query = ValueEntity(schema, {"id": f"q{next(counter)}"})
        query.add("name", name1)
        candidate = ValueEntity(schema, {"id": f"c{next(counter)}"})
        candidate.add("name", name2)
        return float(LogicV2.compare(query, candidate, config).score)

    return score


def palermo_scorer(config: NameMatchingConfig) -> Callable[[str, str], float]:
    def score(name1: str, name2: str) -> float:
        return compare_prepared(prepare_name(name1), prepare_name(name2), config).score

    return score


def timed(scorer: Callable[[str, str], float], pairs: Sequence[LabelledPair], runs: int) -> tuple[list[float], float]:
    """Scores of one run and the median pairs/s over ``runs`` runs."""
    rates: list[float] = []
    scores: list[float] = []
    for _ in range(runs):
        start = time.perf_counter()
        scores = [scorer(p.name_a, p.name_b) for p in pairs]
        rates.append(len(pairs) / (time.perf_counter() - start))
    return scores, statistics.median(rates)


def prepared_rates(pairs: Sequence[LabelledPair], config: NameMatchingConfig, runs: int) -> dict[str, float]:
    """Scoring only: our prepared names vs logic-v2 on entities built beforehand (each side's fastest path)."""
    from followthemoney import ValueEntity, model
    from nomenklatura.matching.logic_v2.model import LogicV2

    schema, lv2_config = model.get("Person"), LogicV2.default_config()

    def entity(key: str, name: str) -> ValueEntity:
        e = ValueEntity(schema, {"id": key})
        e.add("name", name)
        return e

    ours = [(prepare_name(p.name_a), prepare_name(p.name_b)) for p in pairs]
    theirs = [(entity(f"a{i}", p.name_a), entity(f"b{i}", p.name_b)) for i, p in enumerate(pairs)]
    our_rates, cold_rates, their_rates = [], [], []
    for _ in range(runs):
        clear_caches()
        start = time.perf_counter()
        for a, b in ours:
            score_prepared(a, b, config)
        cold_rates.append(len(ours) / (time.perf_counter() - start))
        start = time.perf_counter()
        for a, b in ours:
            score_prepared(a, b, config)
        our_rates.append(len(ours) / (time.perf_counter() - start))
        start = time.perf_counter()
        for x, y in theirs:
            LogicV2.compare(x, y, lv2_config)
        their_rates.append(len(theirs) / (time.perf_counter() - start))
    ours_median, theirs_median = statistics.median(our_rates), statistics.median(their_rates)
    cold_median = statistics.median(cold_rates)
    return {
        "palermo_pairs_per_s": round(ours_median, 1),
        "logic_v2_pairs_per_s": round(theirs_median, 1),
        "ratio": round(ours_median / theirs_median, 1),
        "palermo_cold_cache_pairs_per_s": round(cold_median, 1),
        "cold_cache_ratio": round(cold_median / theirs_median, 1),
    }


def as_dict(m: Metrics) -> dict[str, Any]:
    return {
        "precision": round(m.precision, 3),
        "recall": round(m.recall, 3),
        "f1": round(m.f1, 3),
        "tp": m.tp,
        "fp": m.fp,
        "fn": m.fn,
        "tn": m.tn,
    }


def held_out(pairs: Sequence[LabelledPair], lv2: Sequence[float], base: NameMatchingConfig) -> list[dict[str, Any]]:
    """Two-fold: calibrate on one half of a fixed random split, evaluate on the other half."""
    order = list(range(len(pairs)))
    random.Random(SPLIT_SEED).shuffle(order)
    halves = [sorted(order[: len(order) // 2]), sorted(order[len(order) // 2 :])]
    folds = []
    for train, test in (halves, halves[::-1]):
        fitted = calibrate([pairs[i] for i in train], base)
        test_pairs = [pairs[i] for i in test]
        lv2_metrics = metrics([lv2[i] for i in test], [p.is_match for p in test_pairs], 0.7)
        folds.append(
            {
                "train": len(train),
                "test": len(test),
                "palermo": as_dict(evaluate(test_pairs, fitted)),
                "logic_v2": as_dict(lv2_metrics),
            }
        )
    return folds


def screening_latency(pairs: Sequence[LabelledPair], config: NameMatchingConfig, runs: int) -> dict[str, float]:
    """One prepared query against 100 prepared candidates: median milliseconds per query."""
    candidates = [prepare_name(p.name_b) for p in pairs[:100]]
    queries = [prepare_name(p.name_a) for p in pairs[100:150]]
    per_query: list[float] = []
    for _ in range(runs):
        for query in queries:
            start = time.perf_counter()
            for candidate in candidates:
                compare_prepared(query, candidate, config)
            per_query.append((time.perf_counter() - start) * 1000)
    return {
        "candidates": len(candidates),
        "median_ms": round(statistics.median(per_query), 3),
        "p95_ms": round(sorted(per_query)[int(0.95 * len(per_query))], 3),
    }


def hard_case_rates(config: NameMatchingConfig) -> dict[str, Any]:
    """Per kind of the synthetic hard cases (``name_hard_cases.py``): the share each matcher calls a match.

    For the negative kinds (siblings, a brother and sister) that share is the false-hit rate; for the positive
    kinds (romanisations, typos) it is the recall.
    """
    cases = hard_cases()
    ours, theirs = palermo_scorer(config), logic_v2()
    by_kind: dict[str, Any] = {}
    for kind in dict.fromkeys(c.kind for c in cases):
        some = [c for c in cases if c.kind == kind]
        our_hits = sum(ours(c.name1, c.name2) >= config.threshold for c in some)
        their_hits = sum(theirs(c.name1, c.name2) >= 0.7 for c in some)
        by_kind[kind] = {
            "pairs": len(some),
            "same_person": some[0].is_match,
            "palermo_match_rate": round(our_hits / len(some), 3),
            "logic_v2_match_rate": round(their_hits / len(some), 3),
            "example": f"{some[0].name1} | {some[0].name2}",
        }
    return by_kind


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="one timing run, no held-out calibration")
    parser.add_argument("--runs", type=int, default=3, help="timing runs (median is reported)")
    parser.add_argument("--write-config", action="store_true", help="store weights calibrated on all pairs")
    args = parser.parse_args()
    runs = 1 if args.quick else args.runs
    pairs = labelled(load_pairs(DATA))
    labels = [p.is_match for p in pairs]
    config = default_config()
    if args.write_config:
        config = calibrate(pairs, config)
        CONFIG.write_text(dump_config(config.model_copy(update={"version": "calibrated"})), encoding="utf-8")
    prepare_name("warm up rigour's tagger")
    ours, our_rate = timed(palermo_scorer(config), pairs, runs)
    theirs, their_rate = timed(logic_v2(), pairs, max(1, runs // 2))
    result: dict[str, Any] = {
        "benchmark": "names",
        "machine": {"python": platform.python_version(), "platform": platform.platform(), "cpu": platform.processor()},
        "inputs": {
            "file": "../shared/benchmarks/name-pairs/nomenklatura-person-pairs.csv",
            "pairs": len(pairs),
            "matches": sum(labels),
            "threshold": config.threshold,
            "runs": runs,
        },
        "palermo": {**as_dict(metrics(ours, labels, config.threshold)), "pairs_per_s": round(our_rate, 1)},
        "logic_v2": {**as_dict(metrics(theirs, labels, 0.7)), "pairs_per_s": round(their_rate, 1)},
        "logic_v2_published": {"pairs": 541, "precision": 0.700, "recall": 0.789, "f1": 0.742},
        "end_to_end_speed_ratio": round(our_rate / their_rate, 1),
        "scoring_only": prepared_rates(pairs, config, max(runs, 3)),
        "screening_100_candidates": screening_latency(pairs, config, runs),
    }
    result["hard_cases"] = hard_case_rates(config)
    if not args.quick:
        result["held_out"] = held_out(pairs, theirs, default_config())
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(json.dumps(result, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
