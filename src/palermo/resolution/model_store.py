"""Trained models as versioned JSON files in the node home: ``resolution/models/model-v0001.json`` ...

The file is Splink's own model JSON (settings and every m and u probability), so any Splink linker can load it;
a sidecar ``.meta.json`` says when and on how many records it was trained.
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from palermo.errors import NotFound

_VERSION = re.compile(r"^model-v(\d{4,})\.json$")


@dataclass(frozen=True)
class ModelInfo:
    version: int
    path: Path
    trained_at: str
    records: int
    engine: str


def models_dir(home: Path) -> Path:
    return home / "resolution" / "models"


def _versions(home: Path) -> list[tuple[int, Path]]:
    folder = models_dir(home)
    if not folder.is_dir():
        return []
    found = [(int(m.group(1)), p) for p in folder.iterdir() if (m := _VERSION.match(p.name))]
    return sorted(found)


def _meta_path(path: Path) -> Path:
    return path.with_suffix(".meta.json")


def latest_model(home: Path) -> ModelInfo | None:
    """The newest trained model of this node, or ``None`` when none was trained yet."""
    versions = _versions(home)
    if not versions:
        return None
    version, path = versions[-1]
    meta = json.loads(_meta_path(path).read_text(encoding="utf-8"))
    return ModelInfo(version=version, path=path, **meta)


def require_model(home: Path) -> ModelInfo:
    model = latest_model(home)
    if model is None:
        raise NotFound(f"no trained resolution model in {models_dir(home)}; run `palermo resolve` first")
    return model


def save_model(home: Path, model: dict[str, Any], *, trained_at: str, records: int, engine: str) -> ModelInfo:
    """Write ``model`` (Splink's model dict) as the next version; earlier versions stay."""
    folder = models_dir(home)
    folder.mkdir(parents=True, exist_ok=True)
    versions = _versions(home)
    version = versions[-1][0] + 1 if versions else 1
    path = folder / f"model-v{version:04d}.json"
    path.write_text(json.dumps(model, indent=2, sort_keys=True), encoding="utf-8")
    info = ModelInfo(version=version, path=path, trained_at=trained_at, records=records, engine=engine)
    meta = {k: v for k, v in asdict(info).items() if k not in ("version", "path")}
    _meta_path(path).write_text(json.dumps(meta, indent=2), encoding="utf-8")
    return info
