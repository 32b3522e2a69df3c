"""One-line helpers for ingest tests: write a file, ingest it, read back what was stored."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from palermo.db.engine import transaction
from palermo.db.tables import PersonRecord
from palermo.ingest.pipeline import IngestOptions, IngestSummary, ingest_file
from palermo.ingest.sources import SourceSpec, add_source, get_source
from palermo.node import Node
from palermo.errors import NotFound


def write_csv(path: Path, header: list[str], rows: list[list[Any]], encoding: str = "utf-8") -> Path:
    with path.open("w", encoding=encoding, newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def write_jsonl(path: Path, rows: list[dict[str, Any]]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    return path


def ensure_source(node: Node, name: str = "src", **spec: Any) -> None:
    with transaction(node.engine) as session:
        try:
            get_source(session, name)
        except NotFound:
            add_source(session, SourceSpec(name=name, agency=node.agency_code, **spec))


def run(node: Node, path: Path, kind: str, source: str = "src", **options: Any) -> IngestSummary:
    ensure_source(node, source)
    return ingest_file(node.engine, path, IngestOptions(kind=kind, source=source, **options), actor="test")


def rejects(path: Path) -> list[dict[str, Any]]:
    target = path.with_name(path.name + ".rejects.jsonl")
    if not target.exists():
        return []
    return [json.loads(line) for line in target.read_text(encoding="utf-8").splitlines()]


def count_persons(node: Node) -> int:
    with transaction(node.engine) as session:
        return int(session.scalar(select(func.count()).select_from(PersonRecord)) or 0)


PERSON_HEADER = ["source_key", "surname", "given_names", "birth_date", "sex", "nationalities"]


def person_rows(n: int, start: int = 0) -> list[list[Any]]:
    return [[f"p{i}", f"Surname{i}", "Given", "1990-05-17", "F", "AUT"] for i in range(start, start + n)]
