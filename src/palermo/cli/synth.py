"""``palermo synth``: write a synthetic world with ground truth."""

from __future__ import annotations

from pathlib import Path

import typer

from palermo.cli.common import console, reports_errors, settings
from palermo.synth.world import generate_world


@reports_errors
def synth(
    scale: str = typer.Option("tiny", help="tiny (~200 persons), small (~5k), medium (~100k) or large (~1M)."),
    seed: int = typer.Option(1, help="Random seed: the same seed and scale give byte-identical files."),
    out: Path = typer.Option(..., help="Output folder (created; files in it are overwritten)."),
) -> None:
    """Generate a synthetic world: source files in the ingest formats, watchlists, truth and a manifest."""
    settings()
    summary = generate_world(scale, seed, out)
    rows = sum(summary.files.values())
    console.print(f"Wrote {summary.persons} persons, {len(summary.files)} files, {rows} rows to {out}")
