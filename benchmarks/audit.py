"""Audit log benchmark: append overhead per transaction, and verification speed over a large log.

Prints a JSON result and writes benchmarks/results/audit.json. Append: p50/p95 of a transaction that inserts one
small row *with* an audit entry, side by side with the same transaction without one. Verification: N entries are
bulk-inserted with precomputed hashes, then ``verify_log`` (every leaf recomputed from its fields, the tree, every
signed head) is timed and extrapolated to 10M; the peer is the RFC's recursive tree hash over all leaf hashes held
in memory (what a naive verifier does), run on the same leaves.

    python benchmarks/audit.py [--entries 1000000] [--appends 2000] [--quick]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import psutil
from sqlalchemy import Engine, insert, select, update

from palermo.audit import AuditEvent, ObjectRef, append, merkle, sign_tree_head, verify_log
from palermo.audit.entries import build_record, canonical_json
from palermo.audit.keys import create_signing_key
from palermo.db.audit import AuditEntry, AuditLogState
from palermo.db.engine import transaction
from palermo.db.reference import Agency
from palermo.node import init_node
from palermo.settings import Settings

TEN_MILLION = 10_000_000


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def event(n: int) -> AuditEvent:
    return AuditEvent(
        actor=f"analyst-{n % 40}",
        agency="BPOL",
        action="consultation",
        objects=(ObjectRef(type="person_record", id=str(n)),),
        justification=f"CASE-2026-{n % 997:04d}",
        result_count=n % 7,
        client_address="10.0.0.7",
        details={"query": f"surname~synthetic-{n}", "page": 1},
    )


def time_transactions(engine: Engine, count: int, audited: bool, offset: int) -> list[float]:
    timings = []
    for n in range(offset, offset + count):
        started = time.perf_counter()
        with transaction(engine) as session:
            session.add(Agency(code=f"bench-{n}", name=f"Synthetic agency {n}"))
            if audited:
                append(session, event(n))
        timings.append((time.perf_counter() - started) * 1000)
    return timings


def bench_append(engine: Engine, count: int) -> dict[str, Any]:
    time_transactions(engine, 50, True, 0)  # warm-up
    plain, audited = [], []
    for round_ in range(4):  # interleaved rounds: the machine is noisy
        offset = 1000 + round_ * 2 * count
        plain += time_transactions(engine, count // 4, False, offset)
        audited += time_transactions(engine, count // 4, True, offset + count)
    result = {
        "transactions_each": len(plain),
        "plain_insert_ms": {"p50": percentile(plain, 0.5), "p95": percentile(plain, 0.95)},
        "insert_plus_audit_ms": {"p50": percentile(audited, 0.5), "p95": percentile(audited, 0.95)},
    }
    result["audit_overhead_ms"] = {
        q: result["insert_plus_audit_ms"][q] - result["plain_insert_ms"][q] for q in ("p50", "p95")
    }
    result["ratio_p50"] = result["insert_plus_audit_ms"]["p50"] / result["plain_insert_ms"]["p50"]
    return result


def bulk_fill(engine: Engine, count: int, batch: int = 20_000) -> float:
    """Insert ``count`` entries after the existing ones with precomputed leaf hashes; returns seconds."""
    started = time.perf_counter()
    base = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    with transaction(engine) as session:
        first = session.execute(select(AuditLogState.next_seq)).scalar_one()
    for start in range(first, first + count, batch):
        rows = []
        for seq in range(start, min(start + batch, first + count)):
            e = event(seq)
            at = base + dt.timedelta(milliseconds=seq)
            objects = [{"type": o.type, "id": o.id} for o in e.objects]
            fields = (e.actor, e.agency, e.action, objects, e.justification, e.result_count, e.client_address)
            record = build_record(seq, at, *fields, e.details)
            rows.append(
                {
                    "seq": seq,
                    "logged_at": at,
                    "actor": e.actor,
                    "agency": e.agency,
                    "action": e.action,
                    "objects": objects,
                    "justification": e.justification,
                    "result_count": e.result_count,
                    "client_address": e.client_address,
                    "details": e.details,
                    "leaf_hash": merkle.leaf_hash(canonical_json(record)),
                }
            )
        with transaction(engine) as session:
            session.execute(insert(AuditEntry.__table__), rows)
            session.execute(update(AuditLogState).values(next_seq=start + len(rows)))
    return time.perf_counter() - started


def naive_root(leaves: list[bytes]) -> bytes:
    """RFC 9162's recursive definition over leaves in memory: the peer."""
    if len(leaves) == 1:
        return leaves[0]
    k = merkle.split_point(len(leaves))
    return merkle.node_hash(naive_root(leaves[:k]), naive_root(leaves[k:]))


def rss_mb() -> float:
    return float(psutil.Process().memory_info().rss) / 2**20


def bench_verify(engine: Engine, home: Path, count: int) -> dict[str, Any]:
    key = create_signing_key(home / "bench-key")
    fill_s = bulk_fill(engine, count // 2)
    with transaction(engine) as session:
        sign_tree_head(session, key)  # a head in the middle, so verification matches two
    fill_s += bulk_fill(engine, count - count // 2)
    started = time.perf_counter()
    with transaction(engine) as session:
        head = sign_tree_head(session, key)
    sign_s = time.perf_counter() - started
    rss_before = rss_mb()
    started = time.perf_counter()
    with transaction(engine) as session:
        report = verify_log(session, key.public_key)
    verify_s = time.perf_counter() - started
    rss_verify = rss_mb()
    assert report.ok, report.to_dict()
    with transaction(engine) as session:
        leaves = [bytes(h) for h in session.execute(select(AuditEntry.leaf_hash).order_by(AuditEntry.seq)).scalars()]
    started = time.perf_counter()
    peer_root = naive_root(leaves)
    peer_s = time.perf_counter() - started
    started = time.perf_counter()
    streaming_root = merkle.root_of(leaves)
    streaming_s = time.perf_counter() - started
    assert peer_root == streaming_root == bytes(head.root_hash)
    entries = report.entries
    return {
        "entries": entries,
        "bulk_fill_s": fill_s,
        "sign_head_incremental_s": sign_s,
        "verify_log_s": verify_s,
        "verify_entries_per_s": entries / verify_s,
        "verify_10m_extrapolated_s": TEN_MILLION / (entries / verify_s),
        "verify_rss_growth_mb": rss_verify - rss_before,
        "tree_only": {
            "streaming_root_s": streaming_s,
            "peer_recursive_in_memory_root_s": peer_s,
            "ratio_peer_over_streaming": peer_s / streaming_s,
            "streaming_10m_extrapolated_s": TEN_MILLION / (entries / streaming_s),
        },
        "heads_matched": report.heads_matched,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--entries", type=int, default=1_000_000)
    parser.add_argument("--appends", type=int, default=2000)
    parser.add_argument("--quick", action="store_true", help="small run: 50k entries, 400 appends")
    args = parser.parse_args()
    entries, appends = (50_000, 400) if args.quick else (args.entries, args.appends)
    with tempfile.TemporaryDirectory() as folder:
        home = Path(folder) / "home"
        engine = init_node(Settings(home=home)).engine
        append_result = bench_append(engine, appends)
        verify_result = bench_verify(engine, home, entries)
    result = {
        "benchmark": "audit",
        "machine": {
            "python": sys.version.split()[0],
            "platform": platform.platform(),
            "cpus": os.cpu_count(),
            "store": "SQLite (WAL, synchronous=NORMAL) in a temporary folder",
        },
        "inputs": {"entries": entries, "append_transactions": appends, "quick": args.quick},
        "append": append_result,
        "verify": verify_result,
    }
    text = json.dumps(result, indent=2)
    print(text)
    out = Path(__file__).parent / "results" / "audit.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
