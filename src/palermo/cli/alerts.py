"""``palermo alerts``: list, show, assign and close screening alerts; precision from dispositions."""

from __future__ import annotations

import json

import typer
from rich.table import Table

from palermo.alerts import lifecycle as core
from palermo.cli.common import console, reports_errors
from palermo.cli.context import JUSTIFICATION, justified_operation

app = typer.Typer(help="Screening alerts: queue, history, dispositions and measured precision.")


@app.command("list")
@reports_errors
def list_command(
    status: str = typer.Option(None, "--status", help="open, assigned or closed."),
    decision: str = typer.Option(None, "--decision", help="refer, alert or protect."),
    kind: str = typer.Option(None, "--kind", help="What raised it: screening, partner_notice ... (alert_kinds.yaml)."),
    limit: int = typer.Option(50, min=1, max=core.MAX_LIST, help="Most alerts to list."),
    justification: str = JUSTIFICATION,
) -> None:
    """List alerts, newest first."""
    with justified_operation(justification) as op:
        found = core.list_alerts(op.session, op.actor, status=status, decision=decision, kind=kind, limit=limit)
    table = Table("id", "created", "kind", "decision", "status", "score", "assignee", "disposition", "first reason")
    for a in found:
        first = a.explanation[0]["detail"] if a.explanation else ""
        table.add_row(
            str(a.id),
            a.created_at[:19],
            a.kind,
            a.decision or "",
            a.status,
            f"{a.score:.3f}",
            a.assignee or "",
            a.disposition or "",
            first,
        )
    console.print(table)


@app.command("show")
@reports_errors
def show(alert_id: int = typer.Argument(..., help="Alert id."), justification: str = JUSTIFICATION) -> None:
    """Print one alert with its explanation and history, as JSON."""
    with justified_operation(justification) as op:
        found = core.get_alert(op.session, op.actor, alert_id)
    console.print_json(json.dumps(found.model_dump(), default=str, ensure_ascii=False))


@app.command("assign")
@reports_errors
def assign(
    alert_id: int = typer.Argument(..., help="Alert id."),
    assignee: str = typer.Argument(..., help="Who works it."),
    justification: str = JUSTIFICATION,
) -> None:
    """Assign an alert to someone."""
    with justified_operation(justification) as op:
        core.assign_alert(op.session, op.actor, alert_id, assignee)
    console.print(f"alert {alert_id} assigned to {assignee}")


@app.command("dispose")
@reports_errors
def dispose(
    alert_id: int = typer.Argument(..., help="Alert id."),
    disposition: str = typer.Argument(..., help="confirmed, false_positive, referred_to_victim_support, no_action."),
    comment: str = typer.Option(None, "--comment", help="Why."),
    justification: str = JUSTIFICATION,
) -> None:
    """Close an alert with a disposition (recorded in its append-only history)."""
    with justified_operation(justification) as op:
        core.dispose_alert(op.session, op.actor, alert_id, disposition, comment)
    console.print(f"alert {alert_id} closed: {disposition}")


@app.command("precision")
@reports_errors
def precision(justification: str = JUSTIFICATION) -> None:
    """Precision measured from dispositions, overall and per decision, as JSON."""
    with justified_operation(justification) as op:
        found = core.alert_precision(op.session, op.actor)
    console.print_json(json.dumps(found))
