"""Every generated row is valid input for ``palermo ingest``, and a tiny world ingests with zero rejects."""

from __future__ import annotations

from pathlib import Path

from palermo.db.engine import transaction
from palermo.ingest.formats import FORMATS
from palermo.ingest.pipeline import IngestOptions, ingest_file
from palermo.ingest.sources import SourceSpec, add_source
from palermo.node import Node
from tests.synth.conftest import manifest, read_csv

SOURCE_KINDS = {"persons", "documents", "travel_events", "contacts", "addresses", "relationships",
                "organisations", "transactions", "border_points"}  # fmt: skip


def test_every_row_validates_against_its_ingest_format(tiny_world: Path) -> None:
    checked = 0
    for source in manifest(tiny_world)["sources"]:
        context = {"phone_region": source["defaults"]["phone_region"]}
        for entry in source["files"]:
            for row in read_csv(tiny_world / entry["path"]):
                FORMATS[entry["kind"]].model_validate({k: v for k, v in row.items() if v != ""}, context=context)
                checked += 1
    assert checked > 1000


def test_manifest_names_every_source_file_with_kind_and_defaults(tiny_world: Path) -> None:
    listed = {entry["path"] for s in manifest(tiny_world)["sources"] for entry in s["files"]}
    on_disk = {str(p.relative_to(tiny_world)) for p in (tiny_world / "sources").rglob("*.csv")}
    assert listed == on_disk
    for source in manifest(tiny_world)["sources"]:
        assert {e["kind"] for e in source["files"]} <= SOURCE_KINDS
        assert SourceSpec(name=source["name"], agency=source["agency"], **source["defaults"]).validated()


def test_tiny_world_ingests_with_zero_rejects(tiny_world: Path, node: Node) -> None:
    for source in manifest(tiny_world)["sources"]:
        with transaction(node.engine) as session:
            add_source(session, SourceSpec(name=source["name"], agency=source["agency"], **source["defaults"]))
        for entry in source["files"]:
            path = tiny_world / entry["path"]
            options = IngestOptions(kind=entry["kind"], source=source["name"], rejects_path=path.with_suffix(".rej"))
            summary = ingest_file(node.engine, path, options, actor="test")
            assert summary.rejected == 0, f"{entry['path']}: {summary.rejects_path}"
            assert summary.inserted == entry["rows"]
