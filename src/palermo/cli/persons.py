"""``palermo persons``: view and search person records, with a justification, as the node's operator."""

from __future__ import annotations

import json
from dataclasses import asdict

import typer
from rich.table import Table

from palermo.auth.actor import Actor, cli_actor
from palermo.auth.justification import optional_justification
from palermo.cli.common import console, justification_option_help, node, os_user, reports_errors
from palermo.db.engine import transaction
from palermo.node import Node
from palermo.persons import lookup

app = typer.Typer(help="Person records: show one, search by name (personal data: justification needed).")


def justified_operator(current: Node, justification: str | None) -> Actor:
    """The CLI operator with the justification from ``--justification`` or ``PALERMO_JUSTIFICATION``."""
    text = justification if justification is not None else current.settings.justification
    parsed = optional_justification(text, current.settings.case_reference_pattern)
    return cli_actor(os_user(), current.agency_code, parsed)


@app.command("show")
@reports_errors
def show(
    person_id: int = typer.Argument(..., help="Id of the person record."),
    justification: str = typer.Option(None, "--justification", help=justification_option_help()),
) -> None:
    """Print one person record with names, nationalities, provenance and handling, as JSON."""
    current = node()
    with transaction(current.engine) as session:
        person = lookup.get_person(session, justified_operator(current, justification), person_id)
    console.print_json(json.dumps(asdict(person), default=str, ensure_ascii=False))


@app.command("search")
@reports_errors
def search(
    name: str = typer.Argument(..., help="Part of any name, any case."),
    limit: int = typer.Option(50, min=1, max=lookup.MAX_RESULTS, help="Most records to list."),
    justification: str = typer.Option(None, "--justification", help=justification_option_help()),
) -> None:
    """List person records whose name contains NAME."""
    current = node()
    with transaction(current.engine) as session:
        found = lookup.search_persons(session, justified_operator(current, justification), name, limit=limit)
    table = Table("id", "names", "birth", "nationalities", "source", "handling", "sensitivity")
    for p in found:
        names = "; ".join(n.full_name for n in p.names)
        table.add_row(
            str(p.id),
            names,
            p.birth_date or "-",
            " ".join(p.nationalities),
            p.source,
            str(p.provenance["handling"]),
            str(p.provenance["sensitivity"]),
        )
    console.print(table)
