"""``palermo persons``: view and search person records, with a justification, as the node's operator."""

from __future__ import annotations

import json

import typer
from rich.table import Table

from palermo.cli.common import console, reports_errors
from palermo.cli.context import JUSTIFICATION, justified_operation
from palermo.persons import lookup

app = typer.Typer(help="Person records: show one, search by name (personal data: justification needed).")


@app.command("show")
@reports_errors
def show(
    person_id: int = typer.Argument(..., help="Id of the person record."),
    justification: str = JUSTIFICATION,
) -> None:
    """Print one person record with names, nationalities, provenance and handling, as JSON."""
    with justified_operation(justification) as op:
        person = lookup.get_person(op.session, op.actor, person_id)
    console.print_json(json.dumps(person.model_dump(), default=str, ensure_ascii=False))


@app.command("search")
@reports_errors
def search(
    name: str = typer.Argument(..., help="A name in any script and spelling, or the beginning of each word."),
    limit: int = typer.Option(50, min=1, max=lookup.MAX_RESULTS, help="Most records to list."),
    justification: str = JUSTIFICATION,
) -> None:
    """List person records whose names match NAME through the name engine, best first."""
    with justified_operation(justification) as op:
        found = lookup.search_persons(op.session, op.actor, name, limit=limit)
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
