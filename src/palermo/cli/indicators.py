"""``palermo indicators``: the combined risk model of the border indicators: train a new version, show the current."""

from __future__ import annotations

import json
from pathlib import Path

import typer

from palermo.cli.common import console, node, reports_errors
from palermo.cli.context import JUSTIFICATION, justified_operation
from palermo.errors import InvalidInput, NotFound

app = typer.Typer(help="The combined risk score of the border indicators: train it, show it.")


@app.command("train")
@reports_errors
def train(
    files: list[Path] = typer.Argument(..., help="Feature files of `palermo replay --truth DIR --features FILE`."),
    target_precision: float = typer.Option(
        0.9, "--target-precision", min=0.05, max=1.0, help="Precision the refer threshold must reach out of fold."
    ),
    output: Path = typer.Option(
        None, "--output", help="Write the model to this file instead of the node's next version."
    ),
) -> None:
    """Train the combined risk model on labelled crossings; save it as the node's next version (or to --output)."""
    from palermo.screening.risk.store import save_model, write_model
    from palermo.screening.risk.training import fit, read_examples

    model = fit(read_examples(files), target_precision=target_precision, trained_on=[f.name for f in files])
    if output is not None:
        write_model(output, model)
        where = {"path": str(output)}
    else:
        stored = save_model(node().home, model)
        where = {"version": stored.name, "path": str(stored.path)}
    console.print_json(json.dumps({**where, **model.model_dump(mode="json")}))


@app.command("examples")
@reports_errors
def examples(
    output: Path = typer.Argument(..., help="Feature file to write (for `palermo indicators train`)."),
    justification: str = JUSTIFICATION,
) -> None:
    """Write the closed alerts the indicators raised, labelled by their disposition, as a training feature file."""
    from palermo.screening.risk.dispositions import disposition_examples
    from palermo.screening.risk.training import write_examples

    with justified_operation(justification) as op:
        rows = disposition_examples(op.session, op.actor)
    if not rows:
        raise InvalidInput("no closed alert raised by the indicators has a confirmed or false-positive disposition")
    write_examples(output, rows)
    positives = sum(int(r["label"]) for r in rows)
    console.print_json(json.dumps({"path": str(output), "examples": len(rows), "positives": positives}))


@app.command("model")
@reports_errors
def show() -> None:
    """Show the risk model in use: version, threshold, what it was trained on, and each feature's coefficient."""
    from palermo.screening.risk.store import current_model

    stored = current_model(node().home)
    if stored is None:
        raise NotFound("no risk model: none trained in this node and none shipped; see docs/indicators.md")
    console.print_json(json.dumps({"version": stored.name, "path": str(stored.path), **stored.model.model_dump()}))
