"""Generate a whole synthetic world: every source's files, watchlists, lost/stolen documents, truth, manifest."""

from __future__ import annotations

import json
import random
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from faker import Faker

from palermo.logs import get_logger
from palermo.synth import confounders, lost_stolen, patterns
from palermo.synth.config import world_config
from palermo.synth.context import Context
from palermo.synth.geography import geography
from palermo.synth.scales import persons_at
from palermo.synth.truth import TRUTH_COLUMNS
from palermo.synth.writers import Sink

log = get_logger(__name__)

UNIT_MAKERS: dict[str, Callable[[Context], None]] = {
    "solo": confounders.solo,
    "couple": confounders.couple,
    "family": confounders.family,
    "business": confounders.business,
    "commuter": confounders.commuter,
    "school_trip": confounders.school_trip,
    "tour_group": confounders.tour_group,
    "seasonal": confounders.seasonal,
    "network": patterns.network,
}
_STREET_LOCALES = {"ITA": "it_IT", "GRC": "el_GR", "BGR": "bg_BG"}
_STREETS_PER_COUNTRY = 400
INGEST_ORDER = ("border_points", "organisations", "persons", "documents", "addresses", "contacts", "travel_events",
                "relationships", "transactions")  # fmt: skip
"""Kinds in the order they must be ingested: a row's references resolve to records ingested before it."""


@dataclass(frozen=True)
class WorldSummary:
    scale: str
    seed: int
    out: Path
    persons: int
    files: dict[str, int]


def _streets(seed: int) -> dict[str, tuple[str, ...]]:
    """Street names from seeded Faker instances (one per country), drawn once: output depends only on the seed."""
    streets: dict[str, tuple[str, ...]] = {}
    for country, locale in _STREET_LOCALES.items():
        fake = Faker(locale)
        fake.seed_instance(seed)
        streets[country] = tuple(dict.fromkeys(fake.street_name() for _ in range(_STREETS_PER_COUNTRY)))
    return streets


def _border_points(sink: Sink) -> None:
    for point in geography().points:
        sink.record("reference", "border_points", {
            "source_key": f"BP-{point.code}", "code": point.code, "name": point.name, "country": point.country,
            "point_kind": point.kind, "latitude": point.latitude, "longitude": point.longitude,
        })  # fmt: skip


def generate_world(scale: str, seed: int, out: Path) -> WorldSummary:
    """Write the world of ``scale`` for ``seed`` under ``out``; the same arguments give byte-identical files."""
    config = world_config()
    target = persons_at(scale)
    sink = Sink(out, TRUTH_COLUMNS)
    ctx = Context(random.Random(seed), config, geography(), sink, streets=_streets(seed))
    kinds = list(config.units)
    weights = [config.units[k].share / config.units[k].mean_size for k in kinds]
    states = sorted(config.nationalities["ordinary"])
    _border_points(sink)
    try:
        while ctx.counters["PRS"] < target:
            before = ctx.counters["PRS"]
            UNIT_MAKERS[ctx.rng.choices(kinds, weights=weights)[0]](ctx)
            lost_stolen.background(ctx, ctx.counters["PRS"] - before, states)
    finally:
        sink.close()
    files = {relative: table.rows for relative, table in sorted(sink.tables.items())}
    write_manifest(out, scale, seed, files)
    log.info("synth_world_written", scale=scale, seed=seed, persons=ctx.counters["PRS"], out=str(out))
    return WorldSummary(scale, seed, out, ctx.counters["PRS"], files)


def write_manifest(out: Path, scale: str, seed: int, files: dict[str, int]) -> None:
    """``manifest.json``: every file with its source, kind, agency and the source's defaults."""
    config = world_config()
    sources = []
    for name, spec in config.sources.items():
        kinds = [(kind, f"sources/{name}/{kind}.csv") for kind in INGEST_ORDER if f"sources/{name}/{kind}.csv" in files]
        sources.append({
            "name": name, "agency": spec.agency, "description": spec.description, "defaults": spec.defaults,
            "files": [{"kind": kind, "path": rel, "rows": files[rel]} for kind, rel in kinds],
        })  # fmt: skip
    manifest = {
        "format": "palermo-synth/1",
        "scale": scale,
        "seed": seed,
        "reference_date": config.reference_date.isoformat(),
        "sources": sources,
        "watchlists": [{"path": rel, "rows": n} for rel, n in files.items() if rel.startswith("watchlists/")],
        "lost_stolen": [{"path": rel, "rows": n} for rel, n in files.items() if rel.startswith("lost_stolen/")],
        "truth": [{"path": rel, "rows": n} for rel, n in files.items() if rel.startswith("truth/")],
    }
    text = json.dumps(manifest, indent=2, sort_keys=False, ensure_ascii=False) + "\n"
    (out / "manifest.json").write_text(text, encoding="utf-8")
