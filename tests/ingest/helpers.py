"""Helpers of the ingest tests only: a JSON Lines file, the rejects file, the count of stored persons (files and
runs shared with other folders are in ``tests/factories.py``)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from palermo.db.engine import transaction
from palermo.db.tables import PersonRecord
from palermo.node import Node


def write_jsonl(path: Path, rows: list[dict[str, Any]]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    return path


def rejects(path: Path) -> list[dict[str, Any]]:
    target = path.with_name(path.name + ".rejects.jsonl")
    if not target.exists():
        return []
    return [json.loads(line) for line in target.read_text(encoding="utf-8").splitlines()]


def count_persons(node: Node) -> int:
    with transaction(node.engine) as session:
        return int(session.scalar(select(func.count()).select_from(PersonRecord)) or 0)
