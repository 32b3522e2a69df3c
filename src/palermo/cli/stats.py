"""``palermo stats``: anonymised statistics releases for researchers (k-anonymous microdata, noisy counts)."""

from __future__ import annotations

import json
from pathlib import Path

import typer

from palermo.cli.common import console, reports_errors
from palermo.cli.context import JUSTIFICATION, justified_operation
from palermo.stats.kanon import MIN_K
from palermo.stats.release import VARIABLES, make_release

app = typer.Typer(help="Anonymised statistics: k-anonymous victim-case microdata and differentially private counts.")


@app.command("release")
@reports_errors
def release(
    k: int = typer.Option(
        MIN_K, "--k", help=f"Each released combination is shared by at least k records (>= {MIN_K})."
    ),
    epsilon: float = typer.Option(1.0, "--epsilon", help="Privacy loss of all the noisy counts together."),
    first_year: int | None = typer.Option(None, "--from", help="First year counted (default: four years before --to)."),
    last_year: int | None = typer.Option(None, "--to", help="Last year counted (default: this year)."),
    max_suppressed: float = typer.Option(0.05, "--max-suppressed", help="Share of records a release may suppress."),
    variables: str = typer.Option(
        ",".join(VARIABLES),
        "--variables",
        help="Released variables, comma-separated (k holds over all of them; fewer keep more detail in each).",
    ),
    output: Path | None = typer.Option(
        None, "--output", "-o", help="Write the release here as JSON (default: print it)."
    ),
    justification: str = JUSTIFICATION,
) -> None:
    """Make a statistics release: never a raw record, k >= 11 over every released variable, noisy counts."""
    with justified_operation(justification) as op:
        chosen = [v.strip() for v in variables.split(",") if v.strip()]
        made = make_release(
            op.session,
            op.actor,
            k=k,
            epsilon=epsilon,
            first_year=first_year,
            last_year=last_year,
            max_suppressed=max_suppressed,
            variables=chosen,
        )
    text = json.dumps(made.model_dump(mode="json"), ensure_ascii=False, indent=2)
    if output is None:
        console.print_json(text)
        return
    output.write_text(text + "\n", encoding="utf-8")
    console.print(made.explanation, highlight=False, soft_wrap=True)
    console.print(f"written to {output}")
