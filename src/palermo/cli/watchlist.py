"""``palermo watchlist``: load, list, remove and count watchlists (the candidate index is kept current)."""

from __future__ import annotations

import json
from pathlib import Path

import typer
from rich.table import Table

from palermo.auth.actor import cli_actor
from palermo.cli.common import console, node, os_user, reports_errors
from palermo.db.engine import transaction
from palermo.screening.runtime import refresh_index
from palermo.screening.watchlists import list_watchlists, load_watchlist, remove_watchlist, watchlist_stats
from palermo.taxonomies import taxonomy

app = typer.Typer(help="Watchlists: suspects, wanted persons, associates, missing persons and potential victims.")


@app.command("load")
@reports_errors
def load(
    path: Path = typer.Argument(..., help="CSV or JSON Lines (documented columns), or FollowTheMoney JSON lines."),
    name: str = typer.Option(..., "--name", help="Watchlist to load into (created on first load)."),
    category: str = typer.Option(
        None, "--category", help=f"One of {', '.join(taxonomy('watchlist_categories').ids)} (new lists)."
    ),
    file_format: str = typer.Option(None, "--format", help="csv or jsonl (default: from the file name)."),
) -> None:
    """Load watchlist entries from a file; idempotent by entry id; bad rows go to FILE.rejects.jsonl."""
    current = node()
    actor = cli_actor(os_user(), current.agency_code)
    with transaction(current.engine) as session:
        report = load_watchlist(
            session,
            actor,
            path,
            name=name,
            agency_code=current.agency_code,
            list_category=category,
            file_format=file_format,
        )
        refresh_index(session, current.home, report.changed, [])
    console.print_json(json.dumps(report.as_dict()))


@app.command("list")
@reports_errors
def list_command() -> None:
    """List watchlists with their category and number of entries."""
    current = node()
    with transaction(current.engine) as session:
        lists = list_watchlists(session, cli_actor(os_user(), current.agency_code))
    table = Table("name", "category", "entries", "source")
    for w in lists:
        table.add_row(w.name, w.category, str(w.entries), w.source)
    console.print(table)


@app.command("remove")
@reports_errors
def remove(name: str = typer.Argument(..., help="Watchlist to delete with all its entries.")) -> None:
    """Delete a watchlist and its entries, and drop them from the candidate index."""
    current = node()
    with transaction(current.engine) as session:
        removed = remove_watchlist(session, cli_actor(os_user(), current.agency_code), name)
        refresh_index(session, current.home, [], removed)
    console.print(f"removed watchlist {name} ({len(removed)} entries)")


@app.command("stats")
@reports_errors
def stats(name: str = typer.Argument(None, help="One watchlist (default: all).")) -> None:
    """Count entries per list and category, expired entries and identifying fields present, as JSON."""
    current = node()
    with transaction(current.engine) as session:
        found = watchlist_stats(session, cli_actor(os_user(), current.agency_code), name)
    console.print_json(json.dumps(found))
