"""``palermo share``: send records to partners (file or HTTP), import bundles and receipts, hit/no-hit queries and
their answers, withdrawals."""

from __future__ import annotations

from pathlib import Path

import typer

from palermo.cli.common import console, err_console, node, reports_errors
from palermo.cli.context import JUSTIFICATION, justified_operation, operation
from palermo.cli.share_pprl import register as register_pprl
from palermo.node import Node
from palermo.sharing import answers, hitnohit, outbox, receipts, withdrawals
from palermo.sharing.inbox import receive
from palermo.sharing.outgoing import share_records

DELIVERY_FAILED = 75  # EX_TEMPFAIL

app = typer.Typer(
    help="Share with partner nodes: export, import, deliver, hit/no-hit queries and answers, receipts, withdrawal.",
    no_args_is_help=True,
)
register_pprl(app)


def _refs(person: list[int] | None, notice: list[int] | None) -> list[tuple[str, int]]:
    return [("person", i) for i in person or []] + [("notice", i) for i in notice or []]


def _push(current: Node, partner: str) -> None:
    """Send what was just queued for ``partner`` now; when it cannot be reached, say so (it stays queued)."""
    report = outbox.deliver_pending(current, partner=partner, reachable=partner)
    for receipt in report.receipts:
        console.print(f"receipt: {receipt.summary()}", soft_wrap=True)
    for error in report.errors:
        console.print(f"not delivered yet ({error}); queued: `palermo share deliver` retries", soft_wrap=True)


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
        console.print(
            f"kept home: {refusal.kind} {refusal.record_id}: {refusal.rule} ({refusal.detail})", soft_wrap=True
        )
    console.print(
        f"Bundle {result.bundle_id}: {result.sent} record(s) for {to} {'in ' + str(out) if out else 'queued'}",
        soft_wrap=True,
    )


@app.command("import")
@reports_errors
def import_(
    file: Path = typer.Argument(..., exists=True, dir_okay=False, help="Bundle file, or a partner's receipt file."),
    receipt: Path = typer.Option(None, "--receipt", help="Where to write this node's receipt (default FILE.receipt)."),
) -> None:
    """Import a bundle file (verify the sender, refuse replays, import once; write a signed receipt for the
    sender), or keep a partner's receipt for a bundle file this node sent."""
    text = file.read_text(encoding="ascii")
    if receipts.is_receipt(text):
        with operation() as op:
            kept = receipts.keep_receipt(op.session, op.node, text)
        console.print(f"receipt: {kept.summary()}", soft_wrap=True)
        return
    with operation() as op:
        report = receive(op.session, op.node, text, transport="file", actor=op.actor.name)
    console.print(
        f"Bundle {report.bundle_id} from {report.partner}: {report.status}, {report.imported} imported, "
        f"{report.echoes} echo(es) of our own records dropped",
        soft_wrap=True,
    )
    for refused in report.refused:
        console.print(
            f"refused: item {refused.item} ({refused.entity_id}): {refused.rule} ({refused.detail})", soft_wrap=True
        )
    if report.receipt:
        path = receipt or file.with_name(file.name + ".receipt")
        path.write_text(report.receipt + "\n", encoding="ascii")
        console.print(
            f"Receipt for {report.partner} in {path} (they keep it with `palermo share import {path.name}`)",
            soft_wrap=True,
        )


@app.command("deliver")
@reports_errors
def deliver() -> None:
    """Push every due bundle in the outbox to its partner's inbox (at least once, with back-off); show receipts."""
    report = outbox.deliver_pending(node())
    for receipt in report.receipts:
        console.print(f"receipt: {receipt.summary()}", soft_wrap=True)
    console.print(f"delivered {report.delivered}, failed {report.failed}, waiting {report.waiting}", soft_wrap=True)
    if report.failed:  # a timer or cron job must see it: exit 75 (EX_TEMPFAIL), as for any "try again later"
        err_console.print(
            f"{report.failed} deliveries failed; they stay in the outbox and are retried with back-off "
            "(`palermo share outbox` shows each one's last error)"
        )
        raise typer.Exit(DELIVERY_FAILED)


@app.command("outbox")
@reports_errors
def show_outbox() -> None:
    """List outbox bundles with delivery state and the partner's receipt."""
    with operation() as op:
        for e in outbox.list_outbox(op.session):
            if e.delivered:
                state = f"delivered; receipt: {e.receipt or e.last_error or 'none'}"
            else:
                state = f"waiting ({e.attempts} tries; {e.last_error or '-'})"
            console.print(f"{e.bundle_id} {e.partner} {e.kind}: {state}", soft_wrap=True)


@app.command("receipts")
@reports_errors
def show_receipts(
    partner: str = typer.Option(None, "--partner", help="Only this partner's receipts."),
    limit: int = typer.Option(50, help="At most this many, newest first."),
) -> None:
    """Partners' signed receipts for what this node sent: accepted items, and refused ones with their rule."""
    with operation() as op:
        for kept in receipts.list_receipts(op.session, op.actor, partner=partner, limit=limit):
            console.print(kept.summary(), soft_wrap=True)


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
        reference = asked.reference
    console.print(
        f"Query {reference} for {partner}; `palermo share answers {reference}` shows its answer", soft_wrap=True
    )
    _push(op.node, partner)


@app.command("answers")
@reports_errors
def show_answers(
    reference: str = typer.Argument(None, help="One query's reference (default: the newest queries)."),
    status: str = typer.Option(None, help="Only queries in this state (pending, answered, detail_received ...)."),
    limit: int = typer.Option(20, help="At most this many queries, newest first."),
    justification: str = JUSTIFICATION,
) -> None:
    """Hit/no-hit answers to this node's queries, and the details approved (imported here as records)."""
    with justified_operation(justification) as op:
        if reference:
            shown = [answers.get_answer(op.session, op.actor, reference)]
        else:
            shown = answers.list_answers(op.session, op.actor, status=status, limit=limit)
        for a in shown:
            asked = ", ".join(f"{k}={v}" for k, v in a.criteria.items() if v is not None)
            verdict = "waiting" if a.hit is None else ("hit" if a.hit else "no hit")
            console.print(f"{a.reference} {a.partner} {a.kind} ({asked}): {verdict}, {a.status}", soft_wrap=True)
            for d in a.details:
                where = f"imported as {d.record}" if d.record else "already held here"
                console.print(
                    f"  detail: {'; '.join(d.names)} born {', '.join(d.birth_dates) or '-'} "
                    f"documents {', '.join(d.document_numbers) or '-'} ({d.originator}, {d.handling}, "
                    f"{d.distribution}, {d.sensitivity}): {where}",
                    soft_wrap=True,
                )
            for r in a.refused:
                console.print(f"  refused here: item {r.item} ({r.entity_id}): {r.rule} ({r.detail})", soft_wrap=True)
            if a.reason:
                console.print(f"  reason given: {a.reason}", soft_wrap=True)


@app.command("request-details")
@reports_errors
def request_details(
    reference: str = typer.Argument(..., help="Reference of a query that had a hit."),
    justification: str = JUSTIFICATION,
) -> None:
    """Ask the owning node for the details behind a hit (a person there decides)."""
    with justified_operation(justification) as op:
        asked = hitnohit.request_details(op.session, op.node, op.actor, reference)
        partner = hitnohit.partner_name(op.session, asked)
    console.print(f"Detail request for {reference} to {partner}", soft_wrap=True)
    _push(op.node, partner)


@app.command("decide")
@reports_errors
def decide(
    reference: str = typer.Argument(..., help="Reference of a partner's detail request."),
    approve: bool = typer.Option(..., "--approve/--refuse", help="Approve or refuse the request."),
    legal_basis: str = typer.Option(None, help="Legal basis for special-category data."),
    reason: str = typer.Option(None, help="Reason given to the partner."),
    justification: str = JUSTIFICATION,
) -> None:
    """Approve or refuse a partner's request for the details behind a hit; the answer goes at once."""
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
    for refusal in decided.refused:
        console.print(
            f"kept home: {refusal.kind} {refusal.record_id}: {refusal.rule} ({refusal.detail})", soft_wrap=True
        )
    console.print(
        f"Query {reference}: {decided.status}, {decided.sent} record(s) for {decided.partner}", soft_wrap=True
    )
    _push(op.node, decided.partner)


@app.command("requests")
@reports_errors
def requests(justification: str = JUSTIFICATION) -> None:
    """List partners' detail requests awaiting a decision: what they asked, why, and what matched."""
    with justified_operation(justification) as op:
        for request in hitnohit.pending_requests(op.session, op.actor):
            console.print(request.summary(), soft_wrap=True)


@app.command("withdraw")
@reports_errors
def withdraw(
    person: list[int] = typer.Option(None, "--person", help="Person record id; repeat for several."),
    notice: list[int] = typer.Option(None, "--notice", help="Watchlist entry id."),
    reason: str = typer.Option(..., "--reason", help="Why: the partners receive it with the withdrawal."),
    justification: str = JUSTIFICATION,
) -> None:
    """Withdraw records this node originated from every partner they were shared with (and beyond)."""
    with justified_operation(justification) as op:
        result = withdrawals.withdraw(op.session, op.node, op.actor, _refs(person, notice), reason=reason)
    for kind, record_id, entity_id in result.records:
        console.print(f"withdrawn: {kind} {record_id} ({entity_id})", soft_wrap=True)
    if not result.bundles:
        console.print("no partner had received them; they will not be shared again", soft_wrap=True)
    for partner in result.bundles:
        console.print(f"withdrawal for {partner}", soft_wrap=True)
        _push(op.node, partner)
