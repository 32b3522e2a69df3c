"""``palermo demo``: initialise a node and run the main job on a world described by a manifest.

Every step is an ordinary library call (``generate_world``, ``init_node``, ``add_source``, ``ingest_file`` ...); the
demo only strings them together and reports, with quality measured against the world's ground truth.
"""

from __future__ import annotations

import functools
import json
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from palermo.auth.actor import cli_actor
from palermo.auth.justification import Justification
from palermo.db.engine import transaction
from palermo.demo.report import (
    audit_section,
    documents_section,
    ingest_section,
    network_section,
    resolution_section,
    screening_sections,
)
from palermo.demo.sections import Section
from palermo.errors import Conflict, InvalidInput, NotFound
from palermo.ingest.pipeline import IngestOptions, IngestSummary, ingest_file
from palermo.ingest.sources import SourceSpec, add_source, get_source
from palermo.node import Node, init_node, open_node
from palermo.settings import Settings
from palermo.synth.world import generate_world

StepProgress = Callable[[str, int, int], None]


@dataclass(frozen=True)
class ManifestFile:
    path: Path
    source: str
    kind: str
    agency: str
    defaults: dict[str, Any]


@dataclass
class DemoReport:
    node_id: str
    home: Path
    world: Path | None = None
    ingests: list[IngestSummary] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)

    @property
    def rejected(self) -> int:
        return sum(s.rejected for s in self.ingests)


def read_manifest(path: Path) -> list[ManifestFile]:
    """The files of a world manifest (``palermo synth`` writes one), in ingest order."""
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        return [
            ManifestFile(
                path=path.parent / entry["path"],
                source=source["name"],
                kind=entry["kind"],
                agency=source["agency"],
                defaults=source.get("defaults", {}),
            )
            for source in raw["sources"]
            for entry in source["files"]
        ]
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise InvalidInput(f"{path} is not a readable world manifest: {exc}") from None


def prepare_node(settings: Settings, *, reuse: bool) -> Node:
    """A fresh node in ``settings.home`` (an existing one is removed), or the existing one with ``reuse``."""
    if reuse:
        try:
            return open_node(settings)
        except NotFound:
            pass
    elif settings.database_url is None and settings.home.exists():
        if not (settings.home / "palermo.db").exists() and any(settings.home.iterdir()):
            raise Conflict(f"{settings.home} exists and is not a Palermo home; choose another --home")
        shutil.rmtree(settings.home)
    return init_node(settings, agency_name="Demo border police")


def _ensure_source(node: Node, entry: ManifestFile) -> None:
    with transaction(node.engine) as session:
        try:
            get_source(session, entry.source)
        except NotFound:
            spec = SourceSpec(name=entry.source, agency=entry.agency, **entry.defaults)
            add_source(session, spec)


def ingest_world(node: Node, manifest: Path, actor: str, progress: StepProgress | None = None) -> list[IngestSummary]:
    """Ingest every file of a world manifest, in manifest order (referenced kinds come first)."""
    summaries = []
    for entry in read_manifest(manifest):
        _ensure_source(node, entry)
        options = IngestOptions(
            kind=entry.kind,
            source=entry.source,
            batch_size=node.settings.ingest_batch_size,
            workers=node.settings.ingest_workers,
        )
        report = None if progress is None else functools.partial(progress, f"{entry.kind} <- {entry.path.name}")
        summaries.append(
            ingest_file(node.engine, entry.path, options, actor=actor, agency=node.agency_code, progress=report)
        )
    return summaries


def world_manifest(home: Path, scale: str, seed: int) -> Path:
    """Generate the synthetic world for the demo under ``home/world`` (kept when it is already there)."""
    out = home / "world" / f"{scale}-{seed}"
    manifest = out / "manifest.json"
    if not manifest.exists():
        generate_world(scale, seed, out)
    return manifest


def run_demo(
    settings: Settings,
    *,
    reuse: bool,
    actor: str,
    scale: str = "small",
    seed: int = 7,
    progress: StepProgress | None = None,
) -> DemoReport:
    node = prepare_node(settings, reuse=reuse)
    report = DemoReport(node_id=node.node_id, home=node.home)
    manifest = world_manifest(node.home, scale, seed)
    report.world = manifest.parent
    report.ingests = ingest_world(node, manifest, actor, progress)
    report.sections.append(ingest_section(report.ingests))
    demo_actor = cli_actor(actor, node.agency_code, Justification("legal_basis", "border_control"))
    report.sections.append(documents_section(node, manifest.parent, demo_actor))
    report.sections.extend(screening_sections(node, manifest.parent, demo_actor))
    report.sections.append(resolution_section(node, manifest.parent, demo_actor))
    report.sections.append(network_section(node, manifest.parent, demo_actor))
    report.sections.append(audit_section(node, demo_actor))
    return report
