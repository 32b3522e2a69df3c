"""Where entity resolution goes wrong on a synthetic world: its wrong merges and misses, counted by kind.

Resolves a synthetic world (generated and ingested once into a node kept under ``--home``) exactly as
``palermo resolve --retrain`` does, then compares every identity with the world's truth. A wrong merge is a pair of
records of two different true persons in one identity; a miss is a pair of records of one true person in two
identities. Each is put in the first kind that fits:

wrong merges: ``another person's document`` (a record carries a document whose true holder is someone else: the
look-alike forgery), ``twin`` (same household, same true birth date), ``family member`` (same family or couple),
``different full birth dates`` (both records carry full dates, and they differ: namesakes), ``no full birth date``
(a record without a full date lets the identity chain through it), ``same group`` (same school trip, tour, seasonal
crew or network), ``same name and birth date`` (the truth persons are indistinguishable), ``other``.

misses: ``another person's document``, ``birth date recorded differently``, ``no full birth date``, ``name recorded
differently``, ``other``.

    .venv/bin/python benchmarks/resolution_errors.py [--scale small] [--seed 7] [--home DIR] [--examples 3]
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from palermo.db.engine import transaction
from palermo.db.identities import IdentityMember
from palermo.db.persons import PersonRecord, normalise_document_number
from palermo.db.reference import Source
from palermo.demo import ingest_world, prepare_node, world_manifest
from palermo.demo.steps.resolution import read_truth
from palermo.node import Node
from palermo.resolution import batch
from palermo.resolution.features import feature_row
from palermo.resolution.metrics import b_cubed, pairwise
from palermo.resolution.records import load_persons
from palermo.settings import Settings

MERGE_KINDS = (
    "another person's document",
    "twin",
    "family member",
    "different full birth dates",
    "no full birth date",
    "same group",
    "same name and birth date",
    "other",
)
MISS_KINDS = (
    "another person's document",
    "birth date recorded differently",
    "no full birth date",
    "name recorded differently",
    "other",
)
_FAMILY_UNITS = frozenset({"family", "couple"})
_READY = "world-ingested"


def world_node(scale: str, seed: int, home: Path) -> tuple[Node, Path]:
    """A node with the ``scale``/``seed`` world ingested, kept in ``home`` and reused by later runs."""
    node = prepare_node(Settings(home=home), reuse=True)
    manifest = world_manifest(home, scale, seed)
    if not (home / _READY).exists():
        with transaction(node.engine) as session:
            if session.scalar(select(func.count()).select_from(PersonRecord)):
                raise SystemExit(f"{home} holds a partly ingested world: remove it and run again")
        ingest_world(node, manifest, "bench:resolution-errors")
        (home / _READY).write_text(f"{scale} {seed}\n", encoding="utf-8")
    return node, manifest.parent


@dataclass(frozen=True)
class TruePerson:
    person_id: str
    name: tuple[str, str]
    birth_date: str
    units: frozenset[str]
    family_units: frozenset[str]


@dataclass(frozen=True)
class Record:
    record_id: int
    person: str
    row: dict[str, Any]
    foreign_document: bool


def _csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def true_persons(world: Path) -> dict[str, TruePerson]:
    kinds = {u["unit_id"]: u["unit_kind"] for u in _csv(world / "truth" / "units.csv")}
    units: dict[str, set[str]] = defaultdict(set)
    for m in _csv(world / "truth" / "memberships.csv"):
        units[m["person_id"]].add(m["unit_id"])
    persons = {}
    for p in _csv(world / "truth" / "persons.csv"):
        mine = units[p["person_id"]] | ({p["unit_id"]} if p["unit_id"] else set())
        persons[p["person_id"]] = TruePerson(
            p["person_id"],
            (p["given_names"].casefold(), p["surname"].casefold()),
            p["birth_date"],
            frozenset(mine),
            frozenset(u for u in mine if kinds.get(u) in _FAMILY_UNITS),
        )
    return persons


def document_holders(world: Path) -> dict[str, set[str]]:
    """Normalised document number -> the true persons whose details the documents with that number carry."""
    holders: dict[str, set[str]] = defaultdict(set)
    for d in _csv(world / "truth" / "documents.csv"):
        holders[normalise_document_number(d["number"])].add(d["holder_person_id"])
    return holders


def records_with_truth(node: Node, world: Path) -> tuple[dict[int, Record], dict[int, int]]:
    """Every person record with its true person and comparison columns, and record -> identity."""
    truth = read_truth(world)
    holders = document_holders(world)
    with transaction(node.engine) as session:
        members = dict(session.execute(select(IdentityMember.person_id, IdentityMember.identity_id)).all())
        keys = {
            rid: (source, key)
            for rid, source, key in session.execute(
                select(PersonRecord.id, Source.name, PersonRecord.source_key).join(
                    Source, Source.id == PersonRecord.source_id
                )
            )
        }
        rows = {p.record_id: feature_row(p) for p in load_persons(session)}
    records = {}
    for rid, row in rows.items():
        person = truth.get(keys[rid])
        if person is None:
            continue
        foreign = any(holders.get(n, {person}) - {person} for n in row["documents"] or ())
        records[rid] = Record(rid, person, row, foreign)
    return records, members


def _full_date(record: Record) -> str | None:
    return record.row["dob"]  # type: ignore[no-any-return]


def merge_kind(a: Record, b: Record, persons: dict[str, TruePerson]) -> str:
    pa, pb = persons[a.person], persons[b.person]
    if a.foreign_document or b.foreign_document:
        return "another person's document"
    if pa.family_units & pb.family_units:
        return "twin" if pa.birth_date == pb.birth_date else "family member"
    da, db = _full_date(a), _full_date(b)
    if da and db and da != db:
        return "different full birth dates"
    if not (da and db):
        return "no full birth date"
    if pa.units & pb.units:
        return "same group"
    if pa.name == pb.name and pa.birth_date == pb.birth_date:
        return "same name and birth date"
    return "other"


def miss_kind(a: Record, b: Record) -> str:
    if a.foreign_document or b.foreign_document:
        return "another person's document"
    da, db = _full_date(a), _full_date(b)
    if da and db and da != db:
        return "birth date recorded differently"
    if not (da and db):
        return "no full birth date"
    if (a.row["given_name"], a.row["surname"]) != (b.row["given_name"], b.row["surname"]):
        return "name recorded differently"
    return "other"


def _cross_pairs(groups: Iterable[list[Record]]) -> Iterable[tuple[Record, Record]]:
    groups = list(groups)
    for i, left in enumerate(groups):
        for right in groups[i + 1 :]:
            for a in left:
                for b in right:
                    yield a, b


def _example(a: Record, b: Record) -> str:
    def show(r: Record) -> str:
        row = r.row
        return f"{r.person} {row['given_name']} {row['surname']} {row['dob'] or row['dob_year']} {row['source']}"

    return f"{show(a)} | {show(b)}"


def error_analysis(
    records: dict[int, Record], members: dict[int, int], persons: dict[str, TruePerson], examples: int = 0
) -> dict[str, Any]:
    """Wrong merges and misses by kind (record pairs; distinct true-person pairs for merges)."""
    by_identity: dict[int, dict[str, list[Record]]] = defaultdict(lambda: defaultdict(list))
    by_person: dict[str, dict[int, list[Record]]] = defaultdict(lambda: defaultdict(list))
    for rid, record in records.items():
        by_identity[members[rid]][record.person].append(record)
        by_person[record.person][members[rid]].append(record)
    merges: Counter[str] = Counter()
    merged_persons: dict[str, set[tuple[str, str]]] = defaultdict(set)
    shown: dict[str, list[str]] = defaultdict(list)
    for people in by_identity.values():
        for a, b in _cross_pairs(people.values()):
            kind = merge_kind(a, b, persons)
            merges[kind] += 1
            merged_persons[kind].add((min(a.person, b.person), max(a.person, b.person)))
            if len(shown[kind]) < examples:
                shown[kind].append(_example(a, b))
    misses: Counter[str] = Counter()
    for identities in by_person.values():
        for a, b in _cross_pairs(identities.values()):
            kind = miss_kind(a, b)
            misses[kind] += 1
            if len(shown[f"miss: {kind}"]) < examples:
                shown[f"miss: {kind}"].append(_example(a, b))
    impure = sum(1 for people in by_identity.values() if len(people) > 1)
    result: dict[str, Any] = {
        "identities_with_several_true_persons": impure,
        "wrong_merges": {k: {"record_pairs": merges[k], "person_pairs": len(merged_persons[k])} for k in MERGE_KINDS},
        "misses": {k: misses[k] for k in MISS_KINDS},
    }
    if examples:
        result["examples"] = dict(shown)
    return result


def analyse_world(scale: str, seed: int, home: Path, examples: int = 0) -> dict[str, Any]:
    """Resolve the world (training a model) and score it; the figures and the error analysis as a dict."""
    node, world = world_node(scale, seed, home)
    started = time.perf_counter()
    summary = batch.resolve(node, actor="bench:resolution-errors", retrain=True)
    seconds = time.perf_counter() - started
    records, members = records_with_truth(node, world)
    truth = {rid: r.person for rid, r in records.items()}
    predicted = {rid: members[rid] for rid in records}
    pair, cube = pairwise(predicted, truth), b_cubed(predicted, truth)
    return {
        "world": f"{scale}-{seed}",
        "records": len(records),
        "identities": summary.clustering.identities,
        "true_persons": len(set(truth.values())),
        "pairwise": vars(pair),
        "bcubed": vars(cube),
        "seconds": round(seconds, 2),
        **error_analysis(records, members, true_persons(world), examples),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", default="small", choices=("tiny", "small", "medium", "large"))
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--home", type=Path, help="node kept between runs (default /tmp/palermo-resolution-errors/…)")
    parser.add_argument("--examples", type=int, default=0, help="example pairs to show per kind")
    args = parser.parse_args()
    home = args.home or Path("/tmp/palermo-resolution-errors") / f"{args.scale}-{args.seed}"
    result = analyse_world(args.scale, args.seed, home, args.examples)
    sys.stdout.write(json.dumps(result, indent=2, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
