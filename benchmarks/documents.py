"""Benchmark of palermo.documents: registry load (time, peak RSS), exact and near lookups, MRZ validation
throughput side by side with the `mrz` package, and agreement with it on the ICAO specimens.

    python benchmarks/documents.py            # 10M-entry registry
    python benchmarks/documents.py --quick    # 1M entries
"""

from __future__ import annotations

import argparse
import json
import platform
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.csv as pa_csv

from palermo.documents import LostStolenRegistry, MrzFormatName, MrzSpec, make_mrz, parse_mrz
from palermo.documents.registry_keys import split_key

ALNUM = np.frombuffer(b"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", dtype="S1")
STATES = ["FRA", "DEU", "D", "ITA", "ESP", "NLD", "BEL", "POL", "ROU", "BGR", "UKR", "NGA", "VNM", "CHN", "BRA"]
STATUSES = ["lost", "stolen", "stolen_blank", "revoked", "invalidated"]
SPECIMENS = {
    "TD3": ["P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<", "L898902C36UTO7408122F1204159ZE184226B<<<<<10"],
    "TD1": ["I<UTOD231458907<<<<<<<<<<<<<<<", "7408122F1204159UTO<<<<<<<<<<<6", "ERIKSSON<<ANNA<MARIA<<<<<<<<<<"],
    "TD2": ["I<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<", "D231458907UTO7408122F1204159<<<<<<<6"],
    "MRV-A": ["V<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<", "L8988901C4XXX4009078F96121096ZE184226B<<<<<<"],
    "MRV-B": ["V<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<", "L8988901C4XXX4009078F9612109<<<<<<<<"],
    "TD1-long": ["I<UTOD23145890<7349<<<<<<<<<<<", "3407127M9507122UTO<<<<<<<<<<<2", "STEVENSON<<PETER<JOHN<<<<<<<<<"],
    "TD2-long": ["I<UTOSTEVENSON<<PETER<JOHN<<<<<<<<<<", "D23145890<UTO3407127M95071227349<<<8"],
}


def write_csv(path: Path, rows: int, seed: int = 7) -> None:
    rng = np.random.default_rng(seed)
    chunk = 1_000_000
    with pa_csv.CSVWriter(path, pa.schema([(c, pa.string()) for c in COLUMNS])) as writer:
        for start in range(0, rows, chunk):
            n = min(chunk, rows - start)
            numbers = ALNUM[rng.integers(0, 36, size=(n, 9))].view("S9").ravel().astype(str)
            days = rng.integers(0, 3650, size=n).astype("timedelta64[D]") + np.datetime64("2015-01-01")
            table = pa.table(
                {
                    "document_number": numbers,
                    "issuing_state": np.array(STATES)[rng.integers(0, len(STATES), n)],
                    "document_type": np.array(["passport", "id_card"])[rng.integers(0, 2, n)],
                    "status": np.array(STATUSES)[rng.integers(0, len(STATUSES), n)],
                    "reported_date": days.astype(str),
                    "reporting_agency": np.char.add("AG", rng.integers(0, 200, n).astype(str)),
                }
            )
            writer.write_table(table)


COLUMNS = ("document_number", "issuing_state", "document_type", "status", "reported_date", "reporting_agency")


def load_only(csv: Path, home: Path) -> None:
    """Child process: load the CSV and report wall time and peak RSS of this process alone."""
    started = time.perf_counter()
    report = LostStolenRegistry.open(home).load_csv(csv)
    elapsed = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"seconds": elapsed, "peak_rss_mb": peak_mb, "entries": report.entries_after}))


def percentiles(samples_ns: list[int]) -> dict[str, float]:
    ordered = sorted(samples_ns)
    return {
        "p50_us": ordered[len(ordered) // 2] / 1000,
        "p99_us": ordered[int(len(ordered) * 0.99)] / 1000,
        "mean_us": statistics.fmean(ordered) / 1000,
    }


def time_calls(func, args_list) -> list[int]:
    out = []
    for args in args_list:
        t0 = time.perf_counter_ns()
        func(*args)
        out.append(time.perf_counter_ns() - t0)
    return out


def lookups(home: Path, queries: int) -> dict[str, object]:
    t0 = time.perf_counter()
    registry = LostStolenRegistry.open(home)
    open_s = time.perf_counter() - t0
    rng = random.Random(1)
    picks = [rng.randrange(len(registry)) for _ in range(queries)]
    present = [split_key(bytes(registry.arrays.keys[i])) for i in picks]
    absent = [(s, "ZZ" + n[2:]) for s, n in present]
    for s, n in present[:200]:  # warm the memory map
        registry.lookup(s, n)
    exact_present = time_calls(registry.lookup, present)
    exact_absent = time_calls(registry.lookup, absent)
    near = time_calls(registry.near, present[: max(200, queries // 5)])
    return {
        "snapshot_open_seconds": open_s,
        "exact_lookup_present": percentiles(exact_present),
        "exact_lookup_absent": percentiles(exact_absent),
        "near_lookup": percentiles(near),
        "queries": queries,
    }


def mrz_peer(lines: list[str]) -> bool | None:
    try:
        from mrz.checker.mrva import MRVACodeChecker
        from mrz.checker.mrvb import MRVBCodeChecker
        from mrz.checker.td1 import TD1CodeChecker
        from mrz.checker.td2 import TD2CodeChecker
        from mrz.checker.td3 import TD3CodeChecker
    except ImportError:
        return None
    shape = (len(lines), len(lines[0]), lines[0][0])
    checker = {
        (3, 30): TD1CodeChecker,
        (2, 36): MRVBCodeChecker if shape[2] == "V" else TD2CodeChecker,
        (2, 44): MRVACodeChecker if shape[2] == "V" else TD3CodeChecker,
    }[shape[:2]]
    try:
        return bool(checker("\n".join(lines), check_expiry=False))
    except Exception:  # the peer raises on input it cannot handle
        return False


def synthetic_mrzs(count: int) -> list[list[str]]:
    rng = random.Random(3)
    out = []
    for i in range(count):
        fmt = list(MrzFormatName)[i % 5]
        number = "".join(rng.choice("ABCDEFGHJKLMNPRSTUVWXYZ0123456789") for _ in range(9))
        born = date(1950 + rng.randrange(60), 1 + rng.randrange(12), 1 + rng.randrange(28))
        spec = MrzSpec(fmt, "FRA", number, "DUPONT", "MARIE CLAIRE", "FRA", born, "F", date(2031, 5, 17))
        out.append(make_mrz(spec))
    return out


def mrz_throughput(count: int) -> dict[str, object]:
    docs = synthetic_mrzs(count)
    at = date(2025, 1, 1)
    t0 = time.perf_counter()
    ours = [parse_mrz(d, at=at).valid for d in docs]
    ours_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    peer = [mrz_peer(d) for d in docs]
    peer_s = time.perf_counter() - t0
    agreement = {
        name: {"palermo": parse_mrz(lines, at=date(2010, 1, 1)).valid, "mrz": mrz_peer(lines)}
        for name, lines in SPECIMENS.items()
    }
    return {
        "documents": count,
        "palermo_per_second": count / ours_s,
        "mrz_per_second": count / peer_s if peer[0] is not None else None,
        "palermo_over_mrz_speed": (peer_s / ours_s) if peer[0] is not None else None,
        "synthetic_agreement": sum(a == b for a, b in zip(ours, peer, strict=True)) / count,
        "specimen_validity": agreement,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="1M entries instead of 10M")
    parser.add_argument("--load-only", nargs=2, metavar=("CSV", "HOME"))
    args = parser.parse_args()
    if args.load_only:
        load_only(Path(args.load_only[0]), Path(args.load_only[1]))
        return
    rows = 1_000_000 if args.quick else 10_000_000
    with tempfile.TemporaryDirectory() as tmp:
        csv, home = Path(tmp) / "sltd.csv", Path(tmp) / "home"
        t0 = time.perf_counter()
        write_csv(csv, rows)
        generate_s = time.perf_counter() - t0
        child = subprocess.run(
            [sys.executable, __file__, "--load-only", str(csv), str(home)], capture_output=True, text=True, check=True
        )
        load = json.loads(child.stdout.strip().splitlines()[-1])
        reload_child = subprocess.run(
            [sys.executable, __file__, "--load-only", str(csv), str(home)], capture_output=True, text=True, check=True
        )
        reload = json.loads(reload_child.stdout.strip().splitlines()[-1])
        result = {
            "benchmark": "documents",
            "machine": {"python": platform.python_version(), "platform": platform.platform(), "cpus": _cpus()},
            "inputs": {"registry_rows": rows, "csv_mb": csv.stat().st_size / 1e6, "generate_seconds": generate_s},
            "registry_load": load,
            "registry_reload_same_file": reload,
            "lookups": lookups(home, 20_000),
            "mrz_validation": mrz_throughput(2_000 if args.quick else 10_000),
        }
    text = json.dumps(result, indent=2)
    print(text)
    out = Path(__file__).parent / "results" / ("documents-quick.json" if args.quick else "documents.json")
    out.parent.mkdir(exist_ok=True)
    out.write_text(text + "\n", encoding="utf-8")


def _cpus() -> int:
    import os

    return os.cpu_count() or 0


if __name__ == "__main__":
    main()
