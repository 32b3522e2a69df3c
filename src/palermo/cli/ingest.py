"""``palermo ingest`` and ``palermo sources``: bring agency data into the node."""

from __future__ import annotations

import json
from pathlib import Path

import typer
from rich.progress import BarColumn, DownloadColumn, Progress, TimeRemainingColumn, TransferSpeedColumn
from rich.table import Table

from palermo.cli.common import console, reports_errors
from palermo.cli.context import operation
from palermo.errors import NotFound
from palermo.ingest.kinds import KINDS
from palermo.ingest.pipeline import IngestOptions, IngestSummary, ingest_as
from palermo.ingest.schemas import schema_text
from palermo.ingest.sources import SourceSpec, add_source, get_source, list_sources

sources_app = typer.Typer(
    help="Sources: datasets of an agency, with default handling and grading.", no_args_is_help=True
)


@sources_app.command("add")
@reports_errors
def sources_add(
    name: str = typer.Argument(..., help="Unique name of the source, e.g. 'border-crossings-vie-2026'."),
    agency: str = typer.Option(None, help="Agency code (default: this node's agency)."),
    description: str = typer.Option(None, help="What the dataset is."),
    handling: str = typer.Option("H0", help="Default handling code H0-H3."),
    handling_note: str = typer.Option(None, help="Restriction text (required with H3)."),
    distribution: str = typer.Option("agency", help="agency, group or partners."),
    sharing_group: str = typer.Option(None, help="Sharing group (required with distribution=group)."),
    reliability: str = typer.Option("X", help="Source reliability A, B, C or X."),
    credibility: str = typer.Option("4", help="Information credibility 1-4."),
    sensitivity: str = typer.Option("ordinary", help="ordinary or special."),
    review_after_days: int = typer.Option(None, help="Records are due for review this many days after ingest."),
    delete_after_days: int = typer.Option(None, help="Records are deleted this many days after ingest."),
    phone_region: str = typer.Option(None, help="Country for phone numbers written without +prefix."),
) -> None:
    """Create a source with its default handling, grading, retention and phone region."""
    with operation() as op:
        spec = SourceSpec(
            name=name,
            agency=agency or op.node.agency_code,
            description=description,
            handling=handling,
            handling_note=handling_note,
            distribution=distribution,
            sharing_group=sharing_group,
            reliability=reliability,
            credibility=credibility,
            sensitivity=sensitivity,
            review_after_days=review_after_days,
            delete_after_days=delete_after_days,
            phone_region=phone_region,
        )
        created = add_source(op.session, spec)
    console.print(f"Created source [bold]{created.name}[/] (id {created.id})")


@sources_app.command("list")
@reports_errors
def sources_list() -> None:
    """List sources with their defaults."""
    with operation() as op:
        rows = list_sources(op.session)
    table = Table("name", "agency", "handling", "distribution", "grade", "sensitivity", "phone region")
    for s in rows:
        table.add_row(
            s.name,
            s.agency_code,
            s.handling,
            s.distribution,
            f"{s.reliability}{s.credibility}",
            s.sensitivity,
            s.phone_region or "",
        )
    console.print(table)


def _print_summary(summary: IngestSummary) -> None:
    table = Table("read", "inserted", "updated", "unchanged", "rejected", title=f"{summary.kind} -> {summary.source}")
    table.add_row(
        *(str(v) for v in (summary.read, summary.inserted, summary.updated, summary.unchanged, summary.rejected))
    )
    console.print(table)
    if summary.rejects_path is not None:
        console.print(f"[yellow]{summary.rejected} rejected row(s) with reasons in {summary.rejects_path}[/]")
    for message in summary.interrupted:
        console.print(f"[yellow]note: {message}[/]", highlight=False)


@reports_errors
def ingest(
    path: Path = typer.Argument(..., help="CSV, JSON Lines or Parquet file."),
    source: str = typer.Option(..., "--source", help="Source name; created with defaults if new."),
    kind: str = typer.Option(..., "--kind", help=f"Kind of record: {', '.join(sorted(KINDS))}."),
    file_format: str = typer.Option(None, "--format", help="csv, jsonl or parquet (default: from the extension)."),
    encoding: str = typer.Option("auto", help="Text encoding; auto = BOM or UTF-8."),
    ignore_unknown_columns: bool = typer.Option(False, help="Skip columns the format does not know."),
    rejects: Path = typer.Option(None, help="Rejects file (default: PATH.rejects.jsonl)."),
    as_json: bool = typer.Option(False, "--json", help="Print the summary as JSON."),
) -> None:
    """Ingest a file of one kind of record into a source; rejected rows go to a rejects file."""
    with operation() as op:
        try:
            get_source(op.session, source)
        except NotFound:
            add_source(op.session, SourceSpec(name=source, agency=op.node.agency_code))
            if not as_json:
                console.print(f"Created source [bold]{source}[/] with default handling (see `palermo sources add`)")
    options = IngestOptions(
        kind=kind,
        source=source,
        file_format=file_format,
        encoding=encoding,
        ignore_unknown_columns=ignore_unknown_columns,
        batch_size=op.node.settings.ingest_batch_size,
        max_field_length=op.node.settings.ingest_max_field_length,
        rejects_path=rejects,
        workers=op.node.settings.ingest_workers,
    )
    with Progress(
        "[progress.description]{task.description}",
        BarColumn(),
        DownloadColumn(),
        TransferSpeedColumn(),
        TimeRemainingColumn(),
        console=console,
        transient=True,
        disable=as_json,
    ) as bar:
        task = bar.add_task(f"{kind} <- {path.name}", total=path.stat().st_size if path.is_file() else None)
        summary = ingest_as(
            op.node.engine,
            path,
            options,
            op.actor,
            progress=lambda done, total: bar.update(task, completed=done, total=total),
        )
    if as_json:
        typer.echo(json.dumps(summary.as_dict()))
    else:
        _print_summary(summary)


@reports_errors
def schema(kind: str = typer.Argument(..., help=f"Kind of record: {', '.join(sorted(KINDS))}.")) -> None:
    """Print the JSON Schema of an ingest format."""
    typer.echo(schema_text(kind), nl=False)
