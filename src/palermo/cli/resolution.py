"""``palermo resolve`` and ``palermo identity``: entity resolution into identities, and their consultation."""

from __future__ import annotations

import json
from dataclasses import asdict

import typer

from palermo.cli.common import console, node, os_user, reports_errors
from palermo.cli.context import JUSTIFICATION, justified_operation

# Splink (and pandas under it) load only when a resolution command runs, so that other commands start fast.
ENGINES = ("duckdb", "spark")


resolve_app = typer.Typer(help="Resolve every person record into identities (Splink; DuckDB or Spark).")
identity_app = typer.Typer(help="Identities: show one, link new records, confirm or reject links and merges.")


@resolve_app.callback(invoke_without_command=True)
@reports_errors
def resolve(
    engine: str = typer.Option("duckdb", "--engine", help=f"SQL engine: {' or '.join(ENGINES)}."),
    retrain: bool = typer.Option(False, "--retrain", help="Train a new model version first."),
    spark_master: str = typer.Option("local[2]", "--spark-master", help="Spark master URL (engine spark)."),
) -> None:
    """Resolve every person record into identities with stable ids and explained links."""
    from palermo.resolution import batch

    summary = batch.resolve(node(), actor=os_user(), engine=engine, retrain=retrain, spark_master=spark_master)
    console.print_json(json.dumps(asdict(summary), default=str))


@identity_app.command("show")
@reports_errors
def show(
    identity_id: int = typer.Argument(..., help="Id of the identity."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON (default: a readable summary)."),
    justification: str = JUSTIFICATION,
) -> None:
    """Show an identity: its records with provenance, and every link with its explanation."""
    with justified_operation(justification) as op:
        from palermo.resolution.identities import get_identity

        view = get_identity(op.session, op.actor, identity_id)
    if as_json:
        console.print_json(json.dumps(view.model_dump(), default=str, ensure_ascii=False))
        return
    console.print(f"identity {view.id}: {view.size} records" + (" (retired)" if view.retired else ""))
    console.print(f"  {view.cohesion.words}", markup=False)
    held = set(view.cohesion.held_by_one_link)
    for record in view.records:
        names = "; ".join(n.full_name for n in record.names)
        flag = "  <- held by one link only" if record.id in held else ""
        console.print(f"  record {record.id} [{record.source}] {names} {record.birth_date or ''}{flag}", markup=False)
    for link in view.links:
        console.print(f"  link {link.left_person_id}-{link.right_person_id} weight {link.match_weight:.1f}")
        for feature in link.features:
            console.print(f"    {feature.id}: {feature.weight:+.2f}  {feature.detail}")


@identity_app.command("link")
@reports_errors
def link(person_ids: list[int] = typer.Argument(..., help="Ids of newly ingested person records.")) -> None:
    """Link new person records to existing identities without retraining or predicting again."""
    from palermo.resolution import incremental

    outcomes = incremental.link_records(node(), person_ids, actor=os_user())
    console.print_json(json.dumps([asdict(o) for o in outcomes]))


def _judge(scope: str, left: int, right: int, verdict: str, reason: str | None, justification: str | None) -> None:
    from palermo.resolution import batch, judgements

    with justified_operation(justification) as op:
        judge = judgements.judge_link if scope == "link" else judgements.judge_merge
        view = judge(op.session, op.actor, left, right, verdict, reason)
    result = batch.recluster(op.node, actor=op.actor.name)
    console.print_json(json.dumps({"judgement": asdict(view), "clustering": asdict(result)}))


@identity_app.command("judge-link")
@reports_errors
def judge_link(
    left: int = typer.Argument(..., help="Id of a person record."),
    right: int = typer.Argument(..., help="Id of another person record."),
    verdict: str = typer.Option(..., "--verdict", help="confirm or reject."),
    reason: str = typer.Option(None, "--reason", help="Why (kept with the judgement)."),
    justification: str = JUSTIFICATION,
) -> None:
    """Confirm or reject that two person records are the same person (append-only, attributed)."""
    _judge("link", left, right, verdict, reason, justification)


@identity_app.command("judge-merge")
@reports_errors
def judge_merge(
    left: int = typer.Argument(..., help="Id of an identity."),
    right: int = typer.Argument(..., help="Id of another identity."),
    verdict: str = typer.Option(..., "--verdict", help="confirm or reject."),
    reason: str = typer.Option(None, "--reason", help="Why (kept with the judgement)."),
    justification: str = JUSTIFICATION,
) -> None:
    """Confirm or reject that two identities are one person (append-only, attributed)."""
    _judge("merge", left, right, verdict, reason, justification)


@identity_app.command("split")
@reports_errors
def split(
    identity_id: int = typer.Argument(..., help="Id of the identity."),
    person_id: int = typer.Argument(..., help="Id of the person record to take out of it."),
    reason: str = typer.Option(None, "--reason", help="Why (kept with the judgement)."),
    justification: str = JUSTIFICATION,
) -> None:
    """Take a record out of an identity: reject its pair with every other record (append-only, attributed)."""
    from palermo.resolution import batch, judgements

    with justified_operation(justification) as op:
        views = judgements.judge_split(op.session, op.actor, identity_id, person_id, reason)
    result = batch.recluster(op.node, actor=op.actor.name)
    console.print_json(json.dumps({"judgements": [asdict(v) for v in views], "clustering": asdict(result)}))
