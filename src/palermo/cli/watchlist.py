"""``palermo watchlist``: load, list, remove and count watchlists (the candidate index is kept current)."""

from __future__ import annotations

import json
from pathlib import Path

import typer
from rich.table import Table

from palermo.cli.common import console, reports_errors
from palermo.cli.context import operation
from palermo.screening.candidate_index.node_cache import refresh_index
from palermo.screening.watchlists import Sharing, list_watchlists, load_watchlist, remove_watchlist, watchlist_stats
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
    distribution: str = typer.Option(
        None,
        "--distribution",
        help="Who the list's entries may be shared with: agency (a new list's default), partners or group; "
        "given on a later load it changes every entry of the list.",
    ),
    sharing_group: str = typer.Option(None, "--sharing-group", help="The sharing group, for --distribution group."),
) -> None:
    """Load watchlist entries from a file; idempotent by entry id; bad rows go to FILE.rejects.jsonl."""
    if sharing_group and not distribution:
        distribution = "group"
    with operation() as op:
        report = load_watchlist(
            op.session,
            op.actor,
            path,
            name=name,
            agency_code=op.node.agency_code,
            list_category=category,
            file_format=file_format,
            sharing=Sharing(distribution, sharing_group) if distribution else None,
        )
        refresh_index(op.session, op.node.home, report.changed, report.removed)
    console.print_json(json.dumps(report.as_dict()))


@app.command("list")
@reports_errors
def list_command() -> None:
    """List watchlists with their category and number of entries."""
    with operation() as op:
        lists = list_watchlists(op.session, op.actor)
    table = Table("name", "category", "entries", "source")
    for w in lists:
        table.add_row(w.name, w.category, str(w.entries), w.source)
    console.print(table)


@app.command("remove")
@reports_errors
def remove(name: str = typer.Argument(..., help="Watchlist to delete with all its entries.")) -> None:
    """Delete a watchlist and its entries, and drop them from the candidate index."""
    with operation() as op:
        removed = remove_watchlist(op.session, op.actor, name)
        refresh_index(op.session, op.node.home, [], removed)
    console.print(f"removed watchlist {name} ({len(removed)} entries)")


@app.command("stats")
@reports_errors
def stats(name: str = typer.Argument(None, help="One watchlist (default: all).")) -> None:
    """Count entries per list and category, expired entries and identifying fields present, as JSON."""
    with operation() as op:
        found = watchlist_stats(op.session, op.actor, name)
    console.print_json(json.dumps(found))
