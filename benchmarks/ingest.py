"""Ingest throughput and peak memory: travel events into SQLite and PostgreSQL, side by side with a bare insert.

Targets (issue 2, 2-core machine): >= 30,000 rows/s into SQLite, >= 15,000 rows/s into PostgreSQL, memory flat
(peak RSS of the ingest process about the same for a small and a large file). The peer is the floor of what any
ingest must do: the same rows inserted with executemany and no validation, no de-duplication, no upsert.

    python benchmarks/ingest.py [--rows 1000000] [--backends sqlite,postgresql]
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import os
import random
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.common import machine, run_measured, write_result  # noqa: E402
from tests.postgres import create_database, running_cluster  # noqa: E402

TE_HEADER = [
    "source_key",
    "person_key",
    "document_key",
    "border_point",
    "direction",
    "occurred_at",
    "mode",
    "carrier",
    "service_number",
    "origin_country",
    "booking_ref",
    "payer_name",
    "contact_phone",
    "destination_address",
    "declared_purpose",
]
POINTS = ["VIE", "OTP", "BUD", "SOF", "BEG", "KBP"]


def write_world(folder: Path, persons: int, events: int, seed: int = 7) -> dict[str, Path]:
    rng = random.Random(seed)
    paths = {"border_points": folder / "bp.csv", "persons": folder / "persons.csv", "travel_events": folder / "te.csv"}
    with paths["border_points"].open("w", newline="") as handle:
        w = csv.writer(handle)
        w.writerow(["source_key", "code", "name", "country", "point_kind"])
        for code in POINTS:
            w.writerow([code, code, f"Airport {code}", "AUT", "air"])
    with paths["persons"].open("w", newline="") as handle:
        w = csv.writer(handle)
        w.writerow(["source_key", "surname", "given_names", "birth_date", "sex", "nationalities"])
        for i in range(persons):
            w.writerow(
                [f"p{i}", f"Surname{i % 5000}", "Given", f"19{rng.randint(50, 99)}-0{rng.randint(1, 9)}", "F", "ROU"]
            )
    start = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    with paths["travel_events"].open("w", newline="") as handle:
        w = csv.writer(handle)
        w.writerow(TE_HEADER)
        for i in range(events):
            phone = f"+43660{rng.randint(1000000, 9999999)}" if rng.random() < 0.3 else ""
            when = start + dt.timedelta(seconds=rng.randint(0, 300 * 86400))
            w.writerow(
                [
                    f"e{i}",
                    f"p{rng.randrange(persons)}",
                    "",
                    rng.choice(POINTS),
                    rng.choice(["entry", "exit"]),
                    when.isoformat(),
                    "air",
                    "TAROM",
                    f"RO{rng.randint(100, 999)}",
                    "ROU",
                    f"PNR{rng.randint(0, 10**6):06d}",
                    "" if rng.random() < 0.9 else "Some Payer",
                    phone,
                    "Gürtel 12, 1150 Wien" if rng.random() < 0.2 else "",
                    "tourism",
                ]
            )
    return paths


def palermo(env: dict[str, str], *args: str) -> dict[str, object]:
    return run_measured([sys.executable, "-m", "palermo.cli", *args], env)


def bench_backend(name: str, url: str | None, paths: dict[str, Path], events: int, work: Path) -> dict[str, object]:
    home = work / f"home-{name}"
    env = {**os.environ, "PALERMO_HOME": str(home), "PALERMO_INGEST_BATCH_SIZE": "5000"}
    if url:
        env["PALERMO_DATABASE_URL"] = url
    palermo(env, "init")
    palermo(env, "ingest", str(paths["border_points"]), "--source", "points", "--kind", "border_points", "--json")
    persons = palermo(env, "ingest", str(paths["persons"]), "--source", "bp", "--kind", "persons", "--json")
    first = palermo(env, "ingest", str(paths["travel_events"]), "--source", "bp", "--kind", "travel_events", "--json")
    rerun = palermo(env, "ingest", str(paths["travel_events"]), "--source", "bp", "--kind", "travel_events", "--json")
    return {
        "persons_rows_per_s": round(persons["output"]["inserted"] / persons["seconds"]),  # type: ignore[index]
        "travel_events": {
            "rows": events,
            "seconds": first["seconds"],
            "rows_per_s": round(events / float(first["seconds"])),  # type: ignore[arg-type]
            "peak_rss_mib": first["peak_rss_mib"],
            "summary": first["output"],
        },
        "rerun_unchanged": {
            "seconds": rerun["seconds"],
            "rows_per_s": round(events / float(rerun["seconds"])),  # type: ignore[arg-type]
            "peak_rss_mib": rerun["peak_rss_mib"],
        },
    }


def peer_sqlite(paths: dict[str, Path], work: Path) -> dict[str, object]:
    """Bare sqlite3 executemany of the same CSV rows: no validation, no references, no upsert."""
    db = sqlite3.connect(work / "peer.db")
    db.execute("PRAGMA journal_mode=WAL")
    db.execute(f"CREATE TABLE te ({', '.join(TE_HEADER)})")
    start = time.perf_counter()
    with paths["travel_events"].open(newline="") as handle:
        reader = csv.reader(handle)
        next(reader)
        batch = []
        marks = ",".join("?" * len(TE_HEADER))
        for row in reader:
            batch.append(row)
            if len(batch) == 5000:
                db.executemany(f"INSERT INTO te VALUES ({marks})", batch)
                db.commit()
                batch = []
        db.executemany(f"INSERT INTO te VALUES ({marks})", batch)
        db.commit()
    seconds = time.perf_counter() - start
    rows = db.execute("SELECT count(*) FROM te").fetchone()[0]
    return {"seconds": round(seconds, 2), "rows_per_s": round(rows / seconds)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--small-rows", type=int, default=100_000, help="smaller file, to show memory stays flat")
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--quick", action="store_true", help="100k rows (20k for the small file)")
    args = parser.parse_args()
    if args.quick:
        args.rows, args.small_rows = 100_000, 20_000
    backends = args.backends.split(",")
    with tempfile.TemporaryDirectory(prefix="palermo-bench-") as tmp:
        work = Path(tmp)
        big = work / "big"
        small = work / "small"
        big.mkdir()
        small.mkdir()
        paths = write_world(big, persons=100_000, events=args.rows)
        small_paths = write_world(small, persons=100_000, events=args.small_rows)
        result: dict[str, object] = {
            "benchmark": "ingest",
            "machine": machine(),
            "rows": args.rows,
            "targets": {"sqlite_rows_per_s": 30_000, "postgresql_rows_per_s": 15_000},
        }
        peer = peer_sqlite(paths, work)
        result["peer_bare_sqlite_executemany"] = peer
        if "sqlite" in backends:
            sqlite_big = bench_backend("sqlite", None, paths, args.rows, work)
            sqlite_small = bench_backend("sqlite-small", None, small_paths, args.small_rows, work)
            result["sqlite"] = sqlite_big
            result["sqlite_small_file_peak_rss_mib"] = sqlite_small["travel_events"]["peak_rss_mib"]  # type: ignore[index]
            result["sqlite_ratio_to_peer"] = round(
                sqlite_big["travel_events"]["rows_per_s"] / peer["rows_per_s"],
                3,  # type: ignore[index, operator]
            )
        if "postgresql" in backends:
            with running_cluster() as server:
                result["postgresql"] = bench_backend("pg", create_database(server, "bench"), paths, args.rows, work)
        write_result("ingest", result)


if __name__ == "__main__":
    main()
