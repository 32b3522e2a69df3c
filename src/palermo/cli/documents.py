"""``palermo documents``: check an MRZ, load and query the lost/stolen document registry."""

from __future__ import annotations

import json
import sys
from dataclasses import asdict
from pathlib import Path

import typer

from palermo.cli.common import console, node, reports_errors
from palermo.documents import DocumentCheckResult, LostStolenRegistry, check_document
from palermo.documents.mrz_dates import parse_check_date

app = typer.Typer(help="Travel documents: MRZ checks and the lost/stolen document registry.", no_args_is_help=True)
registry_app = typer.Typer(help="The lost/stolen document registry of this node.", no_args_is_help=True)
app.add_typer(registry_app, name="registry")


def _print_result(result: DocumentCheckResult) -> None:
    verdict = "[green]VALID[/]" if result.valid else "[red]INVALID[/]"
    console.print(f"{verdict} {result.format} {result.document_type} {result.issuing_state} {result.document_number}")
    console.print(
        f"{result.surname}, {result.given_names}  born {result.birth_date}  "
        f"sex {result.sex}  expires {result.expiry_date}"
    )
    for c in result.checks:
        mark = "ok " if c.passed else ("FLAG" if c.severity == "flag" else "FAIL")
        console.print(f"  {mark:4} {c.id}: {c.detail}", highlight=False)
    for fix in result.ocr_corrections:
        console.print(
            f"  ocr  line {fix.line} pos {fix.position}: {fix.original}->{fix.corrected} ({fix.reason})",
            highlight=False,
        )


@app.command("check-mrz")
@reports_errors
def check_mrz(
    as_json: bool = typer.Option(False, "--json", help="Print the result as one JSON object."),
    ocr: bool = typer.Option(False, "--ocr", help="Correct confirmed OCR confusions and report them."),
    at: str | None = typer.Option(None, "--at", help="Check date YYYY-MM-DD (default: today)."),
) -> None:
    """Check the MRZ read from standard input (one line per MRZ line); exit 0 valid, 1 invalid, 2 unreadable."""
    day = parse_check_date(at) if at else None
    result = check_document(sys.stdin.read(), at=day, ocr=ocr)
    if as_json:
        typer.echo(json.dumps(result.model_dump(mode="json"), ensure_ascii=False))
    else:
        _print_result(result)
    raise typer.Exit(0 if result.valid else 1)


@registry_app.command("load")
@reports_errors
def registry_load(
    file: Path = typer.Argument(..., help="CSV of lost/stolen documents (see docs/documents.md)."),
) -> None:
    """Load (or re-load) a lost/stolen document CSV into this node's registry."""
    report = LostStolenRegistry.open(node().home).load_csv(file)
    typer.echo(json.dumps(asdict(report)))


@registry_app.command("lookup")
@reports_errors
def registry_lookup(
    state: str = typer.Option(..., "--state", help="Issuing state (ICAO, alpha-3 or alpha-2 code)."),
    number: str = typer.Option(..., "--number", help="Document number."),
    as_json: bool = typer.Option(False, "--json", help="Print hits as JSON."),
) -> None:
    """Look a document up, exactly and one substitution or transposition away; exit 1 when anything matches."""
    hits = LostStolenRegistry.open(node().home).search(state, number)
    if as_json:
        typer.echo(json.dumps([h.model_dump(mode="json") for h in hits]))
    else:
        for h in hits:
            console.print(
                f"{h.match} ({h.confidence}): {h.issuing_state} {h.document_number} {h.status} "
                f"{h.reported_date} {h.reporting_agency} - {h.reason}",
                highlight=False,
            )
        if not hits:
            console.print("no match")
    raise typer.Exit(1 if hits else 0)
