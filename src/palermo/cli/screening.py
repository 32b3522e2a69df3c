"""``palermo screen`` (one traveller at the booth) and ``palermo replay`` (recorded crossings in time order)."""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path

import typer

from palermo.cli.common import console, node, reports_errors
from palermo.cli.context import JUSTIFICATION, justified_operation, justified_operator
from palermo.errors import InvalidInput
from palermo.screening.requests import CompanionIn, ScreeningRequest, ScreeningResult
from palermo.screening.service import screen as run_screen


def _companion(text: str) -> CompanionIn:
    name, _, birth = text.partition("|")
    return CompanionIn(name=name.strip(), birth_date=birth.strip() or None)


def _print(result: ScreeningResult) -> None:
    colour = {"clear": "green", "refer": "yellow", "alert": "red", "protect": "magenta"}[result.decision]
    console.print(f"[bold {colour}]{result.decision.upper()}[/] score {result.score:.3f}  ({result.elapsed_ms} ms)")
    for reason in result.reasons:
        console.print(f"  {reason.decision:8} {reason.detail}", highlight=False)
    for hit in result.hits:
        console.print(f"  hit {hit.watchlist}/{hit.entry_id} {hit.name!r} {hit.score:.3f}", highlight=False)
        for feature in hit.features:
            if feature.value:
                console.print(
                    f"      {feature.id} {feature.value:.2f} x {feature.weight:+.2f}: {feature.detail}", highlight=False
                )
    for indicator in result.indicators:
        console.print(f"  indicator {indicator.id}: {indicator.detail}", highlight=False)
    if result.victim_case is not None:
        console.print(f"[bold magenta]{result.victim_case.handover}[/]", highlight=False)
        for contact in result.victim_case.contacts:
            console.print(f"  call {contact.name} ({', '.join(contact.services)}): {contact.contact}", highlight=False)


def _crossing_time(text: str | None) -> dt.datetime | None:
    if text is None:
        return None
    try:
        moment = dt.datetime.fromisoformat(text.strip())
    except ValueError:
        raise InvalidInput(f"--at {text!r} is not an ISO 8601 date or time (e.g. 2026-05-01T14:30)") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


@reports_errors
def screen(
    mrz: str = typer.Option(None, "--mrz", help="MRZ lines; `-` reads them from standard input."),
    name: list[str] = typer.Option([], "--name", help="Name as typed, any script (repeatable)."),
    birth_date: str = typer.Option(None, "--birth-date", help="YYYY, YYYY-MM or YYYY-MM-DD."),
    nationality: str = typer.Option(None, "--nationality", help="ISO 3166 or ICAO code."),
    sex: str = typer.Option(None, "--sex", help="M, F or X."),
    document_number: str = typer.Option(None, "--document-number", help="Document number (without an MRZ)."),
    issuing_state: str = typer.Option(None, "--issuing-state", help="Issuing state of --document-number."),
    border_point: str = typer.Option(None, "--border-point", help="Border point code."),
    direction: str = typer.Option(None, "--direction", help="entry or exit."),
    companion: list[str] = typer.Option([], "--companion", help="Companion `NAME` or `NAME|BIRTH-DATE` (repeatable)."),
    booking: str = typer.Option(None, "--booking", help="Booking reference."),
    payer: str = typer.Option(None, "--payer", help="Who paid the ticket."),
    phone: str = typer.Option(None, "--phone", help="Contact phone (E.164)."),
    destination: str = typer.Option(None, "--destination", help="Declared address at destination."),
    at: str = typer.Option(
        None,
        "--at",
        help="Time of the crossing, ISO 8601 (`2026-05-01` or `2026-05-01T14:30`, UTC unless a zone "
        "is given; default now): for trying window indicators on recorded data.",
    ),
    ocr: bool = typer.Option(False, "--ocr", help="Correct confirmed OCR confusions in --mrz and report them."),
    as_json: bool = typer.Option(False, "--json", help="Print the documented JSON result."),
    justification: str = JUSTIFICATION,
) -> None:
    """Screen one traveller: document checks, watchlist hits, risk indicators and a decision with reasons."""
    lines = None
    if mrz is not None:
        text = sys.stdin.read() if mrz == "-" else mrz.replace("|", "\n")
        lines = [line.strip() for line in text.splitlines() if line.strip()]
    try:
        request = ScreeningRequest(
            at=_crossing_time(at),
            ocr=ocr,
            mrz=lines,
            names=name,
            birth_date=birth_date,
            nationality=nationality,
            sex=sex,
            document_number=document_number,
            issuing_state=issuing_state,
            border_point=border_point,
            direction=direction,
            companions=[_companion(c) for c in companion],
            booking_ref=booking,
            payer=payer,
            phone=phone,
            destination=destination,
        )
    except ValueError as exc:
        raise InvalidInput(f"invalid screening request: {exc}") from None
    with justified_operation(justification) as op:
        result = run_screen(op.session, op.actor, request, home=op.node.home)
    if as_json:
        console.print_json(result.model_dump_json())
    else:
        _print(result)


@reports_errors
def replay(
    path: Path = typer.Argument(..., help="travel_events CSV of a source already ingested."),
    source: str = typer.Option(None, "--source", help="Source of the events (default: the file's folder name)."),
    day: str = typer.Option(None, "--day", help="Only the crossings of this day (YYYY-MM-DD)."),
    truth: Path = typer.Option(None, "--truth", help="truth/ folder of a synthetic world, to measure against."),
    features: Path = typer.Option(
        None, "--features", help="With --truth: write each crossing's risk features and label (a training file)."
    ),
    justification: str = JUSTIFICATION,
) -> None:
    """Screen recorded crossings in time order; report decisions and, with --truth, precision and recall."""
    # here, not at the top: replay and truth load the synthetic world's machinery, ~0.6 s `palermo screen` never needs
    from palermo.screening.measurement.replay import read_crossings
    from palermo.screening.measurement.replay import replay as run_replay
    from palermo.screening.measurement.truth import load_truth

    try:
        wanted = dt.date.fromisoformat(day) if day else None
    except ValueError:
        raise InvalidInput(f"--day {day!r} is not YYYY-MM-DD") from None
    if features is not None and truth is None:
        raise InvalidInput("--features needs --truth: the labels of the examples come from the world's truth")
    current = node()
    crossings = read_crossings(path, source, wanted)
    known = load_truth(truth) if truth else None
    report, results = run_replay(current, justified_operator(current, justification), crossings, known)
    answer = report.as_dict()
    if features is not None and known is not None:
        from palermo.screening.measurement.examples import write_replay_examples

        answer["examples"] = {"path": str(features), "written": write_replay_examples(features, results, known)}
    console.print_json(json.dumps(answer))
