"""``palermo share``: send records to partners (file or HTTP), import bundles, hit/no-hit queries."""

from __future__ import annotations

from pathlib import Path

import typer

from palermo.cli.common import console, err_console, node, reports_errors
from palermo.cli.context import JUSTIFICATION, justified_operation, operation
from palermo.cli.share_pprl import register as register_pprl
from palermo.sharing import hitnohit, outbox
from palermo.sharing.inbox import receive
from palermo.sharing.outgoing import share_records

DELIVERY_FAILED = 75  # EX_TEMPFAIL

app = typer.Typer(help="Share with partner nodes: export, import, deliver, hit/no-hit queries.", no_args_is_help=True)
register_pprl(app)


def _refs(person: list[int] | None, notice: list[int] | None) -> list[tuple[str, int]]:
    return [("person", i) for i in person or []] + [("notice", i) for i in notice or []]


@app.command("export")
@reports_errors
def export(
    to: str = typer.Option(..., "--to", help="Partner name."),
    person: list[int] = typer.Option(None, "--person", help="Person record id; repeat for several."),
    notice: list[int] = typer.Option(None, "--notice", help="Watchlist entry id (alert, missing person ...)."),
    out: Path = typer.Option(None, "--out", help="Write the bundle to this file (air-gapped link) instead of HTTP."),
    legal_basis: str = typer.Option(None, help="Legal basis (legal_bases.yaml) for special-category data."),
    justification: str = JUSTIFICATION,
) -> None:
    """Share records with a partner within their handling rules: to a file, or queued for HTTP push."""
    with justified_operation(justification) as op:
        result = share_records(
            op.session,
            op.node,
            op.actor,
            to,
            _refs(person, notice),
            legal_basis=legal_basis,
            queue=out is None,
        )
    if out is not None:
        out.write_text(result.token + "\n", encoding="ascii")
    for refusal in result.refused:
        console.print(f"kept home: {refusal.kind} {refusal.record_id}: {refusal.rule} ({refusal.detail})")
    console.print(
        f"Bundle {result.bundle_id}: {result.sent} record(s) for {to} {'in ' + str(out) if out else 'queued'}"
    )


@app.command("import")
@reports_errors
def import_(file: Path = typer.Argument(..., exists=True, dir_okay=False, help="Bundle file from a partner.")) -> None:
    """Import a bundle file: verify the sender's signature, refuse replays, import once."""
    with operation() as op:
        report = receive(op.session, op.node, file.read_text(encoding="ascii"), transport="file", actor=op.actor.name)
    console.print(
        f"Bundle {report.bundle_id} from {report.partner}: {report.status}, {report.imported} imported, "
        f"{report.echoes} echo(es) of our own records dropped"
    )
    for refused in report.refused:
        console.print(f"refused: item {refused.item} ({refused.entity_id}): {refused.rule} ({refused.detail})")


@app.command("deliver")
@reports_errors
def deliver() -> None:
    """Push every due bundle in the outbox to its partner's inbox (at least once, with back-off)."""
    report = outbox.deliver_pending(node())
    console.print(f"delivered {report.delivered}, failed {report.failed}, waiting {report.waiting}")
    if report.failed:  # a timer or cron job must see it: exit 75 (EX_TEMPFAIL), as for any "try again later"
        err_console.print(
            f"{report.failed} deliveries failed; they stay in the outbox and are retried with back-off "
            "(`palermo share outbox` shows each one's last error)"
        )
        raise typer.Exit(DELIVERY_FAILED)


@app.command("outbox")
@reports_errors
def show_outbox() -> None:
    """List outbox bundles with delivery state."""
    with operation() as op:
        for e in outbox.list_outbox(op.session):
            state = "delivered" if e.delivered else f"waiting ({e.attempts} tries; {e.last_error or '-'})"
            console.print(f"{e.bundle_id} {e.partner} {e.kind}: {state}", soft_wrap=True)


@app.command("query")
@reports_errors
def query(
    partner: str = typer.Argument(..., help="Partner name."),
    document: str = typer.Option(None, help="Document number to ask about."),
    name: str = typer.Option(None, help="Person's name to ask about."),
    birth_date: str = typer.Option(None, help="Person's date of birth (YYYY-MM-DD)."),
    justification: str = JUSTIFICATION,
) -> None:
    """Ask a partner hit/no-hit by document number or by person; prints the query reference."""
    kind = "document" if document else "person"
    with justified_operation(justification) as op:
        asked = hitnohit.ask(
            op.session,
            op.node,
            op.actor,
            partner,
            kind,
            document=document,
            name=name,
            birth_date=birth_date,
        )
        console.print(f"Query {asked.reference} queued for {partner}; run `palermo share deliver`")


@app.command("request-details")
@reports_errors
def request_details(
    reference: str = typer.Argument(..., help="Reference of a query that had a hit."),
    justification: str = JUSTIFICATION,
) -> None:
    """Ask the owning node for the details behind a hit (a person there decides)."""
    with justified_operation(justification) as op:
        hitnohit.request_details(op.session, op.node, op.actor, reference)
    console.print(f"Detail request for {reference} queued")


@app.command("decide")
@reports_errors
def decide(
    reference: str = typer.Argument(..., help="Reference of a partner's detail request."),
    approve: bool = typer.Option(..., "--approve/--refuse", help="Approve or refuse the request."),
    legal_basis: str = typer.Option(None, help="Legal basis for special-category data."),
    reason: str = typer.Option(None, help="Reason given to the partner."),
    justification: str = JUSTIFICATION,
) -> None:
    """Approve or refuse a partner's request for the details behind a hit."""
    with justified_operation(justification) as op:
        decided = hitnohit.decide(
            op.session,
            op.node,
            op.actor,
            reference,
            approve=approve,
            legal_basis=legal_basis,
            reason=reason,
        )
        console.print(f"Query {reference}: {decided.status}")


@app.command("requests")
@reports_errors
def requests(justification: str = JUSTIFICATION) -> None:
    """List partners' detail requests awaiting a decision."""
    with justified_operation(justification) as op:
        for q in hitnohit.pending_requests(op.session, op.actor):
            console.print(f"{q.reference} ({q.kind}) from partner #{q.partner_id}: {len(q.matched)} matched record(s)")
