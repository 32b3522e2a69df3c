"""``palermo names``: the machine's name-symbol table (rigour's name equivalences, built once per machine)."""

from __future__ import annotations

import json

import typer

from palermo.cli.common import console, reports_errors, settings

app = typer.Typer(help="Name analysis set-up: the name-symbol table that makes the first screening fast.")


@app.command("build-symbols")
@reports_errors
def build_symbols(
    force: bool = typer.Option(False, help="Rebuild even when a current table exists."),
    workers: int = typer.Option(None, min=0, max=8, help="Worker processes (default: one per core; 0: none)."),
) -> None:
    """Build the name-symbol table in PALERMO_CACHE_DIR from rigour's data, verified against rigour's tagger."""
    from palermo.names.symbol_files import symbol_table_path
    from palermo.names.symbol_table import build_symbol_table
    from palermo.names.symbols import SymbolTable

    path = symbol_table_path(settings().cache_dir)
    if path.is_file() and not force:
        with SymbolTable(path) as table:
            if table.is_current():
                console.print(f"Name-symbol table is current: {path}")
                return
    console.print(f"Building the name-symbol table (about a minute, once per machine): {path}")
    report = build_symbol_table(path, workers=workers)
    console.print(
        f"Built {report.keys:,} keys from {report.vocabulary:,} forms, {report.verified_names:,} sample names "
        f"identical to rigour's tagger, in {report.seconds:.0f} s: {report.path}"
    )


@app.command("status")
@reports_errors
def status() -> None:
    """Show which path answers name analysis here: the symbol table, or rigour's tagger (slow first call)."""
    from palermo.names.symbol_files import symbol_table_path
    from palermo.names.symbols import SymbolTable

    path = symbol_table_path(settings().cache_dir)
    answer: dict[str, object] = {"path": str(path), "exists": path.is_file()}
    if path.is_file():
        with SymbolTable(path) as table:
            answer.update(current=table.is_current(), **table.meta)
    answer["answered_by"] = "table" if answer.get("current") else "tagger"
    console.print_json(json.dumps(answer))
