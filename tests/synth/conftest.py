"""Worlds generated once per session: tiny (seed 7) for structure, small (seed 11) for rates."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import StoreTemplates


def read_csv(path: Path) -> Iterator[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        yield from csv.DictReader(handle)


def manifest(root: Path) -> dict[str, Any]:
    return json.loads((root / "manifest.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def tiny_world(templates: StoreTemplates) -> Path:
    return templates.world_files("tiny", 7)


@pytest.fixture(scope="session")
def small_world(templates: StoreTemplates) -> Path:
    return templates.world_files("small", 11)
