"""``palermo share pprl-export | pprl-match | pprl-hits``: privacy-preserving matching with a partner (docs/pprl.md)."""

from __future__ import annotations

from pathlib import Path

import typer

from palermo.cli.common import console, reports_errors
from palermo.cli.context import JUSTIFICATION, justified_operation
from palermo.sharing.pprl import protocol


def pprl_export(
    to: str = typer.Option(..., "--to", help="Partner name."),
    person: list[int] = typer.Option(None, "--person", help="Person record id; repeat for several (default: all)."),
    out: Path = typer.Option(None, "--out", help="Write the bundle to this file (air-gapped link) instead of HTTP."),
    justification: str = JUSTIFICATION,
) -> None:
    """Send a partner keyed encodings (no clear values) of the persons it could be sent, to match at its node."""
    with justified_operation(justification) as op:
        sent = protocol.export_encodings(op.session, op.node, op.actor, to, person or None, queue=out is None)
    if out is not None:
        out.write_text(sent.token + "\n", encoding="ascii")
    console.print(
        f"PPRL export {sent.export}: {sent.encoded} encoded person(s) for {to} "
        f"{'in ' + str(out) if out else 'queued; run `palermo share deliver`'}; "
        f"{len(sent.withheld)} withheld by the handling rules",
        soft_wrap=True,
    )


def pprl_match(
    export: str = typer.Argument(None, help="Reference of one partner export (default: every pending one)."),
    justification: str = JUSTIFICATION,
) -> None:
    """Match partners' encodings against this node's persons; queue hit/no-hit answers per encoded record."""
    with justified_operation(justification) as op:
        reports = protocol.match_export(op.session, op.node, op.actor, export)
    if not reports:
        console.print("no pending PPRL export to match")
    for r in reports:
        console.print(
            f"PPRL export {r.export} from {r.partner}: {r.encoded} encoded, compared with {r.compared_with} "
            f"of our persons, {len(r.hits)} hit(s); answers queued (bundle {r.bundle_id})",
            soft_wrap=True,
        )
        for hit in r.hits:
            console.print(f"  hit {hit.reference}: our person #{hit.person_id}, score {hit.explanation.total:.2f}")
            for feature in hit.explanation.features:
                console.print(f"    {feature.detail} (share {feature.weight:.2f})", soft_wrap=True)


def pprl_hits(
    export: str = typer.Argument(None, help="Reference of one of our exports (default: all)."),
    justification: str = JUSTIFICATION,
) -> None:
    """List our encoded persons with the partner's answers; a hit's reference goes to `share request-details`."""
    with justified_operation(justification) as op:
        for q in protocol.outgoing_results(op.session, op.actor, export):
            answer = "pending" if q.status == "pending" else ("HIT" if q.hit else "no hit")
            console.print(f"{q.reference} person #{q.criteria.get('person_id')} ({q.status}): {answer}", soft_wrap=True)


def register(app: typer.Typer) -> None:
    for name, command in (("pprl-export", pprl_export), ("pprl-match", pprl_match), ("pprl-hits", pprl_hits)):
        app.command(name)(reports_errors(command))
