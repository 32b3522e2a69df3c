"""Entity resolution at national scale: N person records of a synthetic world (with its truth), resolved in one
process with DuckDB (or Spark in local mode), then new records linked one at a time through the blocking index.

The records are read from a world's source files (``palermo synth --scale large``) into the comparison rows that
``palermo resolve`` builds from the store (names as the ingest makes them: primary, aliases, transliterations,
maiden name; documents with their issuer and type, normalised), taking whole true persons in id order until
``--records`` are reached, so that every true person is complete (``--world`` again adds another world's persons,
told apart from the first's in the truth: a larger country from several generated worlds). Then, timed stage by stage:

* **train**: prior, u by random sampling, m by EM (``model.train``, the model ``palermo resolve --retrain`` trains),
* **predict**: every blocked pair above the link threshold with its explanation,
* **cluster**: union-find from the strongest link down under the identity constraints (``conflicts``),

with the process's peak resident memory, and the clusters scored against the truth (pairwise and B-cubed).
``--holdout`` records (seeded) are left out of the batch and linked afterwards as ``palermo identity link`` does:
blocking-index candidates (``index.candidates``), scored with the saved model (``PairScorer``), joined to the
identity of the strongest link that no fact rules out; the latency of each is timed (p50/p95). The store's reads and
writes are not part of this benchmark (ingesting 1M records is measured by ``benchmarks/ingest.py``).

    PYTHONPATH=src python benchmarks/resolution_scale.py --world DIR --records 1000000 [--engine duckdb|spark]
        [--holdout 200] [--home DIR] [--name resolution-scale]
"""

from __future__ import annotations

import argparse
import csv
import random
import resource
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import asdict
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import machine, write_result
from palermo.db.persons import normalise_document_number
from palermo.resolution import index, model
from palermo.resolution.cluster import Constraints, cluster
from palermo.resolution.config import default_config
from palermo.resolution.conflicts import conflict, facts_by_record, facts_of
from palermo.resolution.engines import open_engine
from palermo.resolution.features import IssuedDocument, RawName, RawPerson, feature_row
from palermo.resolution.metrics import b_cubed, pairwise
from palermo.resolution.model_store import latest_model, save_model
from palermo.resolution.pair_scorer import PairScorer


def _rows(path: Path) -> Iterator[dict[str, str]]:
    if not path.is_file():
        return
    with path.open(encoding="utf-8", newline="") as handle:
        yield from csv.DictReader(handle)


def _list(text: str | None) -> list[str]:
    return [t.strip() for t in (text or "").split(";") if t.strip()]


def _names(row: dict[str, str]) -> list[RawName]:
    """The names of a persons.csv row as the ingest stores them (``ingest/kinds.py``)."""
    given, surname = row.get("given_names") or None, row.get("surname") or None
    names = []
    if row.get("full_name") or given or surname:
        full = row.get("full_name") or " ".join(p for p in (given, surname) if p)
        names.append(RawName(full, given, surname))
    names += [RawName(alias) for alias in _list(row.get("aliases"))]
    names += [RawName(text) for text in _list(row.get("transliterations"))]
    if row.get("maiden_name"):
        names.append(RawName(" ".join(p for p in (given, row["maiden_name"]) if p), given, row["maiden_name"]))
    return names


def _truth(world: Path) -> dict[tuple[str, str], str]:
    """``(source, source_key) -> true person`` of the world's person records."""
    rows = _rows(world / "truth" / "records.csv")
    return {(r["source"], r["source_key"]): r["person_id"] for r in rows if r["kind"] == "persons"}


def read_worlds(worlds: list[Path], records: int) -> tuple[list[dict[str, Any]], dict[int, str]]:
    """:func:`read_world` of each world in turn until ``records`` rows (true persons told apart by world)."""
    rows: list[dict[str, Any]] = []
    truth: dict[int, str] = {}
    for n, world in enumerate(worlds):
        if len(rows) >= records:
            break
        found, persons = read_world(world, records - len(rows), first_id=len(rows) + 1)
        rows += found
        truth.update({rid: f"{n}:{person}" for rid, person in persons.items()})
    return rows, truth


def read_world(world: Path, records: int, first_id: int = 1) -> tuple[list[dict[str, Any]], dict[int, str]]:
    """Comparison rows of whole true persons (in id order) until ``records`` rows, and each row's true person; a
    person whose records are not all in the source files (a world whose writing was stopped) is left out."""
    truth = _truth(world)
    expected = Counter(truth.values())
    by_person: dict[str, list[tuple[str, dict[str, str]]]] = defaultdict(list)
    sources = sorted(p.name for p in (world / "sources").iterdir() if (p / "persons.csv").is_file())
    for source in sources:
        for row in _rows(world / "sources" / source / "persons.csv"):
            person = truth.get((source, row["source_key"]))
            if person is not None:
                by_person[person].append((source, row))
    chosen: list[tuple[str, str, dict[str, str]]] = []
    for person in sorted(by_person):
        if len(chosen) >= records:
            break
        if len(by_person[person]) != expected[person]:
            continue
        chosen.extend((person, source, row) for source, row in by_person[person])
    del by_person
    wanted = {(source, row["source_key"]) for _, source, row in chosen}
    documents: dict[tuple[str, str], list[IssuedDocument]] = defaultdict(list)
    for source in sources:
        for doc in _rows(world / "sources" / source / "documents.csv"):
            key = (source, doc.get("person_key") or "")
            if key in wanted and doc.get("number"):
                number = normalise_document_number(doc["number"])
                documents[key].append(IssuedDocument(doc.get("issuing_state") or "", doc["document_type"], number))
    rows, true_person = [], {}
    for rid, (person, source, row) in enumerate(chosen, start=first_id):
        issued = documents.get((source, row["source_key"]), [])
        raw = RawPerson(
            record_id=rid,
            source=source,
            names=_names(row),
            birth_date=row.get("birth_date") or None,
            sex=row.get("sex") or None,
            nationalities=_list(row.get("nationalities")),
            documents=[d.number for d in issued],
            issued=issued,
        )
        rows.append(feature_row(raw))
        true_person[rid] = person
    return rows, true_person


def _peak_mib() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def _percentile(values: list[float], q: float) -> float | None:
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(q * len(ordered)))], 1) if ordered else None


def link_new(
    home: Path, rows: list[dict[str, Any]], new: list[dict[str, Any]], identity_of: dict[int, int], dates: bool
) -> dict[str, Any]:
    """Link each held-out row as ``incremental.link_records`` does, against the index and identities in memory."""
    config = default_config()
    scorer = PairScorer(latest_model(home).path)  # type: ignore[union-attr]
    facts = facts_by_record(rows, birth_dates=dates)
    members: dict[int, set[int]] = defaultdict(set)
    for record, identity in identity_of.items():
        members[identity].add(record)
    ms, joined, candidates = [], 0, []
    with index.connect(home) as con:
        for row in new:
            started = time.perf_counter()
            found = index.candidates(con, row, config)
            pairs = scorer.score(row, found, config.link_threshold)
            mine, best = facts_of(row, birth_dates=dates), {}
            for p in pairs:
                other = p.right if p.left == row["unique_id"] else p.left
                if other in identity_of:
                    best[identity_of[other]] = max(best.get(identity_of[other], float("-inf")), p.match_weight)
            chosen = next(
                (
                    i
                    for i, _ in sorted(best.items(), key=lambda item: (-item[1], item[0]))
                    if not any(conflict(mine, facts[m]) for m in members[i] if m in facts)
                ),
                None,
            )
            index.add(con, row, config)
            ms.append((time.perf_counter() - started) * 1000)
            joined += chosen is not None
            candidates.append(len(found))
    return {
        "records": len(new),
        "joined_an_identity": joined,
        "candidates_p50": _percentile([float(c) for c in candidates], 0.5),
        "p50_ms": _percentile(ms, 0.5),
        "p95_ms": _percentile(ms, 0.95),
        "max_ms": round(max(ms), 1) if ms else None,
    }


def resolve_scale(
    worlds: list[Path], records: int, engine: str, holdout: int, home: Path, spark_master: str
) -> dict[str, Any]:
    config = default_config()
    stages: dict[str, float] = {}
    started = time.perf_counter()
    rows, truth = read_worlds(worlds, records)
    stages["read_and_features"] = time.perf_counter() - started
    held = set(random.Random(7).sample([r["unique_id"] for r in rows], min(holdout, len(rows))))
    batch_rows = [r for r in rows if r["unique_id"] not in held]
    new_rows = [r for r in rows if r["unique_id"] in held]
    runner = open_engine(engine, home / "resolution", spark_master=spark_master)
    try:
        step = time.perf_counter()
        table = runner.register(batch_rows, "persons")
        linker = model.new_linker(table, model.build_settings(config))
        stages["register"] = time.perf_counter() - step
        step = time.perf_counter()
        model.train(linker, config)
        stages["train"] = time.perf_counter() - step
        saved = model.model_dict(linker)
        step = time.perf_counter()
        pairs = model.predict(linker, config.link_threshold)
        stages["predict"] = time.perf_counter() - step
    finally:
        runner.close()
    step = time.perf_counter()
    dates = model.trusts_birth_dates(saved, config)
    facts = facts_by_record(batch_rows, birth_dates=dates)
    links = [(p.left, p.right, p.match_weight) for p in pairs]
    del pairs
    clusters = cluster([r["unique_id"] for r in batch_rows], links, Constraints(facts=facts))
    stages["cluster"] = time.perf_counter() - step
    resolution_seconds = stages["register"] + stages["train"] + stages["predict"] + stages["cluster"]
    peak = _peak_mib()
    identity_of = {m: i for i, members in enumerate(clusters) for m in members}
    batch_truth = {r: truth[r] for r in identity_of}
    result: dict[str, Any] = {
        "engine": engine,
        "spark_master": spark_master if engine == "spark" else None,
        "records": len(rows),
        "true_persons": len(set(truth.values())),
        "batch_records": len(batch_rows),
        "links_above_threshold": len(links),
        "identities": len(clusters),
        "seconds": {k: round(v, 1) for k, v in stages.items()},
        "resolution_seconds_including_training": round(resolution_seconds, 1),
        "total_seconds": round(time.perf_counter() - started, 1),
        "peak_rss_mib": peak,
        "pairwise": asdict(pairwise(identity_of, batch_truth)),
        "bcubed": asdict(b_cubed(identity_of, batch_truth)),
    }
    if new_rows and engine == "duckdb":
        save_model(home, saved, trained_at="benchmark", records=len(batch_rows), engine=engine)
        index.rebuild(home, batch_rows, config)
        result["incremental"] = link_new(home, batch_rows, new_rows, identity_of, dates)
    result["peak_rss_mib_with_incremental"] = _peak_mib()
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument(
        "--world", type=Path, action="append", required=True, help="a world written by palermo synth (repeat to add)"
    )
    parser.add_argument("--records", type=int, default=1_000_000, help="person records to resolve")
    parser.add_argument("--engine", choices=("duckdb", "spark"), default="duckdb")
    parser.add_argument("--spark-master", default="local[2]")
    parser.add_argument("--holdout", type=int, default=200, help="records linked one at a time afterwards")
    parser.add_argument("--home", type=Path, help="where the model and blocking index go (default: a temporary one)")
    parser.add_argument("--name", default="resolution-scale", help="name of the results file")
    args = parser.parse_args()
    home = args.home or Path(tempfile.mkdtemp(prefix="palermo-resolution-scale-"))
    result = resolve_scale(args.world, args.records, args.engine, args.holdout, home, args.spark_master)
    write_result(args.name, {"machine": machine(), "worlds": [str(w) for w in args.world], **result})


if __name__ == "__main__":
    main()
