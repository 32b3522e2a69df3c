"""Screening benchmark: one traveller screened in-process against a large watchlist and lost/stolen registry.

Sizes: default 100k listed persons and 1M lost/stolen documents; ``--quick`` 20k and 200k; ``--full`` the national
scale, 1M and 10M (or any ``--entries``/``--documents``). The peer, side by side in the same process, is exhaustive
rapidfuzz scoring (``process.extractOne`` with ``token_set_ratio``) over every listed name (on at most
``PEER_QUERIES`` of the queries: over 1M names one takes about a second).

Every phase is reported in wall seconds and in this process's CPU seconds: on a shared machine the wall time
measures the neighbours too, the CPU time mostly this code. ``index_restart_s`` is what a restarted process pays to
screen again: the persisted index read back from the node home (no rebuild), the registry opened. The same persons
are then loaded again as FollowTheMoney lines into a node of their own, in a process of its own as the CLI loads
(``watchlist_load_ftm``). Screenings are
timed in a process of their own that opens the node as a restarted server does, after the server's start-up warm-up
(``warm_screening``, ``settle_heap``). ``--keep DIR``
keeps the node home and the list (``DIR/home``, ``DIR/list.csv``) for profiling a screening at that size.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import gc
import json
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, cast

from rapidfuzz import fuzz, process

sys.path.insert(0, str(Path(__file__).resolve().parent))
from candidates import _nicknames, persons, variant
from common import machine, write_result
from palermo.api.warm import settle_heap
from palermo.auth.actor import cli_actor
from palermo.auth.justification import Justification
from palermo.db.engine import transaction
from palermo.documents import LostStolenRegistry
from palermo.node import init_node, open_node
from palermo.screening.candidate_index.files import index_folder
from palermo.screening.candidate_index.node_cache import forget, refresh_index, resources_for
from palermo.screening.requests import ScreeningRequest
from palermo.screening.service import screen
from palermo.screening.warmup import warm_screening
from palermo.screening.watchlists import load_watchlist
from palermo.settings import Settings

SEED = 11
AT = dt.datetime(2026, 1, 15, 9, 0, tzinfo=dt.UTC)


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def write_watchlist(path: Path, count: int, rnd: random.Random) -> list[Any]:
    entries = persons(count, rnd)
    with path.open("w", encoding="utf-8", newline="") as handle:
        out = csv.writer(handle)
        out.writerow(["id", "name", "aliases", "birth_date", "nationality", "sex", "document_numbers", "category"])
        for e in entries:
            out.writerow(
                [
                    f"B-{e.entry_id}",
                    e.names[0],
                    ";".join(e.names[1:]),
                    e.birth_year or "",
                    "",
                    "",
                    ";".join(e.document_numbers),
                    "suspect",
                ]
            )
    return entries


def write_ftm(path: Path, entries: list[Any]) -> None:
    """The same persons as FollowTheMoney ``Person`` lines, shaped like an OpenSanctions flat export."""
    with path.open("w", encoding="utf-8") as handle:
        for e in entries:
            props: dict[str, list[str]] = {"name": e.names[:1], "topics": ["crime"]}
            if e.names[1:]:
                props["alias"] = e.names[1:]
            if e.birth_year:
                props["birthDate"] = [str(e.birth_year)]
            if e.document_numbers:
                props["passportNumber"] = e.document_numbers
            handle.write(json.dumps({"id": f"F-{e.entry_id}", "schema": "Person", "properties": props}) + "\n")


def write_registry(path: Path, count: int, rnd: random.Random) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        out = csv.writer(handle)
        out.writerow(
            ["document_number", "issuing_state", "document_type", "status", "reported_date", "reporting_agency"]
        )
        for i in range(count):
            out.writerow(
                [
                    f"R{i:08d}",
                    rnd.choice(["ITA", "GRC", "BGR", "UKR"]),
                    "passport",
                    rnd.choice(["lost", "stolen"]),
                    "2024-01-01",
                    "POL",
                ]
            )


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(q * len(ordered)))], 3)


PEER_QUERIES = 100


class Phase:
    """Wall and CPU seconds of a ``with`` block."""

    def __enter__(self) -> Phase:
        self.wall, self.cpu = time.perf_counter(), time.process_time()
        return self

    def __exit__(self, *_: object) -> None:
        self.wall, self.cpu = time.perf_counter() - self.wall, time.process_time() - self.cpu

    def figures(self) -> dict[str, float]:
        return {"wall_s": round(self.wall, 2), "cpu_s": round(self.cpu, 2)}


def run(entries_count: int, documents: int, queries: int, keep: Path | None = None) -> dict[str, Any]:
    rnd = random.Random(SEED)
    if keep is not None:
        keep.mkdir(parents=True, exist_ok=False)  # never reuse a folder: the figures are of a fresh build
    work = keep or Path(tempfile.mkdtemp(prefix="palermo-bench-screening-"))
    try:
        node = init_node(Settings(home=work / "home"))
        actor = cli_actor("cli:bench", node.agency_code, Justification("legal_basis", "border_control"))
        listed = write_watchlist(work / "list.csv", entries_count, rnd)
        write_registry(work / "registry.csv", documents, rnd)
        # the million generated persons are this benchmark's, not a loading process's: exempt them from the cyclic
        # garbage collector, which otherwise walks them again and again during the loads (9 % of an FtM load at 200k)
        gc.freeze()
        with Phase() as loading, transaction(node.engine) as session:
            report = load_watchlist(
                session, actor, work / "list.csv", name="bench", agency_code=node.agency_code, list_category="suspect"
            )
        rss_before = rss_mb()
        with Phase() as indexing, transaction(node.engine) as session:
            refresh_index(session, node.home, report.changed, [])
        with Phase() as registering:
            LostStolenRegistry.open(node.home).load_csv(work / "registry.csv")
        with transaction(node.engine) as session:
            resources_for(node.home, session)
        index_rss = rss_mb() - rss_before
        forget(node.home)
        with Phase() as restarting, transaction(node.engine) as session:
            resources_for(node.home, session)
        index_bytes = sum(f.stat().st_size for f in index_folder(node.home).rglob("*") if f.is_file())
        nicknames = _nicknames()
        asks = []
        for _ in range(queries):
            entry = rnd.choice(listed)
            name, _ops = variant(entry.names[0], rnd, nicknames)
            asks.append(ScreeningRequest(names=[name], at=AT, nationality="ITA"))
        (work / "queries.json").write_text(json.dumps([ask.names[0] for ask in asks]), encoding="utf-8")
        node.engine.dispose()
        timed = _in_own_process("--time-screenings", work)  # as a restarted server screens, not the builder
        ours, ours_cpu, found = timed["wall_ms"], timed["cpu_ms"], timed["with_a_hit"]
        write_ftm(work / "list.ftm.json", listed)
        # in a process of its own, as `palermo watchlist load` runs: this one holds by now the CSV node's index and
        # the registry, which its garbage collector would walk again and again during the load (16.8k entries per
        # CPU-second at 1M measured here, 21.5k in a fresh process at 300k)
        loading_ftm = _in_own_process("--time-ftm-load", work)
        all_names = [n for e in listed for n in e.names]
        peer = []
        for ask in asks[:PEER_QUERIES]:
            t = time.perf_counter()
            process.extractOne(ask.names[0], all_names, scorer=fuzz.token_set_ratio)
            peer.append((time.perf_counter() - t) * 1000)
        p50, peer50 = statistics.median(ours), statistics.median(peer)
        return {
            "entries": entries_count,
            "lost_stolen_documents": documents,
            "queries": queries,
            "watchlist_load": loading.figures() | {"entries_per_cpu_s": round(entries_count / loading.cpu)},
            # the same persons as FtM lines, into an empty store of their own
            "watchlist_load_ftm": loading_ftm | {"entries_per_cpu_s": round(entries_count / loading_ftm["cpu_s"])},
            "index_build": indexing.figures(),
            "registry_load": registering.figures(),
            "index_restart": restarting.figures(),
            "index_files_mb": round(index_bytes / 2**20, 1),
            "index_and_registry_rss_mb": round(index_rss, 1),
            "screen_ms": {"p50": round(p50, 3), "p95": percentile(ours, 0.95)},
            "screen_cpu_ms": {"p50": round(statistics.median(ours_cpu), 3), "p95": percentile(ours_cpu, 0.95)},
            "queries_with_a_hit": found,
            "peer_rapidfuzz_extractOne_ms": {"p50": round(peer50, 3), "p95": percentile(peer, 0.95)},
            "ratio_peer_over_ours_p50": round(peer50 / p50, 2),
        }
    finally:
        if keep is None:
            shutil.rmtree(work, ignore_errors=True)


def _in_own_process(flag: str, work: Path) -> dict[str, Any]:
    """Run this script with ``flag`` (one of the internal timing steps) on ``work``; its JSON answer."""
    done = subprocess.run([sys.executable, __file__, flag, str(work)], check=True, capture_output=True, text=True)
    return cast(dict[str, Any], json.loads(done.stdout))


def time_ftm_load(work: Path) -> dict[str, float]:
    """Load ``work/list.ftm.json`` into a new node in ``work/ftm-home`` (an empty store, as the CSV list had)."""
    node = init_node(Settings(home=work / "ftm-home"))
    actor = cli_actor("cli:bench", node.agency_code, Justification("legal_basis", "border_control"))
    with Phase() as loading, transaction(node.engine) as session:
        path, code = work / "list.ftm.json", node.agency_code
        load_watchlist(session, actor, path, name="bench-ftm", agency_code=code, list_category="suspect")
    node.engine.dispose()
    return loading.figures()


def time_screenings(work: Path) -> dict[str, Any]:
    """Screen the queries of ``work/queries.json`` against the node in ``work/home`` as a restarted server would:
    open the node, warm up (``warm_screening``) and exempt what start-up built from the cyclic garbage collector
    (``settle_heap``), then time each screening (wall and this process's CPU)."""
    node = open_node(Settings(home=work / "home"))
    actor = cli_actor("cli:bench", node.agency_code, Justification("legal_basis", "border_control"))
    names = json.loads((work / "queries.json").read_text(encoding="utf-8"))
    warm_screening(node)
    settle_heap()
    wall, cpu, found = [], [], 0
    with transaction(node.engine) as session:
        for name in names:
            ask = ScreeningRequest(names=[name], at=AT, nationality="ITA")
            t, c = time.perf_counter(), time.process_time()
            result = screen(session, actor, ask, home=node.home, persist=False)
            wall.append((time.perf_counter() - t) * 1000)
            cpu.append((time.process_time() - c) * 1000)
            found += int(bool(result.hits))
    return {"wall_ms": wall, "cpu_ms": cpu, "with_a_hit": found}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="20k entries, 200k documents, 200 queries")
    parser.add_argument("--full", action="store_true", help="the national scale: 1M entries, 10M documents")
    parser.add_argument("--entries", type=int, help="listed persons (overrides the size's)")
    parser.add_argument("--documents", type=int, help="lost/stolen documents (overrides the size's)")
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument(
        "--keep", type=Path, help="build in this new folder and keep it (node home, list.csv) to profile afterwards"
    )
    parser.add_argument("--time-screenings", type=Path, help=argparse.SUPPRESS)  # the timing process (internal)
    parser.add_argument("--time-ftm-load", type=Path, help=argparse.SUPPRESS)  # the FtM loading process (internal)
    args = parser.parse_args()
    if args.time_screenings:
        print(json.dumps(time_screenings(args.time_screenings)))
        return
    if args.time_ftm_load:
        print(json.dumps(time_ftm_load(args.time_ftm_load)))
        return
    entries, documents = (20_000, 200_000) if args.quick else (100_000, 1_000_000)
    if args.full:
        entries, documents = 1_000_000, 10_000_000
    sizes = (args.entries or entries, args.documents or documents, 200 if args.quick else args.queries)
    result = {"machine": machine(), "quick": args.quick, "run": run(*sizes, keep=args.keep)}
    write_result("screening-full" if args.full else "screening", result)


if __name__ == "__main__":
    main()
