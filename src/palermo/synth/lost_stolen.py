"""The world's lost/stolen document registry (``lost_stolen/documents.csv``): every report the world makes.

Reports come from the stories (a victim's altered stolen passport, a stolen blank booklet personalised for a
victim, a look-alike's holder reporting the passport stolen, an escort's passport revoked by a court, an innocent
traveller's lost or invalidated passport) and from background reports of documents never seen in the world, at
the rates of ``world.yaml: lost_stolen``.
"""

from __future__ import annotations

import datetime as dt

from palermo.synth.context import Context
from palermo.synth.documents import document_number
from palermo.synth.truth import LOST_STOLEN_COLUMNS

FILE = "lost_stolen/documents.csv"


def report(
    ctx: Context, number: str, state: str, status: str, *, document_type: str = "passport", day: dt.date | None = None
) -> None:
    """One registry row; reported by the issuing state's police unless the status is the issuer's own act."""
    agency = f"{state}-{'POL' if status in ('lost', 'stolen') else 'MFA'}"
    row = {"document_number": number, "issuing_state": state, "document_type": document_type, "status": status,
           "reported_date": (day or ctx.window_start).isoformat(), "reporting_agency": agency}  # fmt: skip
    ctx.sink.other(FILE, LOST_STOLEN_COLUMNS, row)


def stolen_blanks(ctx: Context, state: str) -> str:
    """A batch of consecutive blank booklets stolen from an issuing office, reported ``stolen_blank``; returns the
    number of the one the forgers personalise."""
    ctx.counters["doc-number"] += 1
    first = document_number(ctx.rng, ctx.counters["doc-number"])
    size = ctx.between(ctx.config.lost_stolen["blank_batch"])
    start = min(int(first[2:]), 10**7 - size)
    numbers = [f"{first[:2]}{start + i:07d}" for i in range(size)]
    day = ctx.window_start - dt.timedelta(days=ctx.rng.randrange(30, 720))
    for number in numbers:
        report(ctx, number, state, "stolen_blank", day=day)
    return ctx.rng.choice(numbers)


def background(ctx: Context, persons: int, states: list[str]) -> None:
    """Reports of documents never seen in the world, for ``persons`` new persons (each reports with some chance)."""
    config = ctx.config.lost_stolen
    for _ in range(persons):
        if not ctx.chance(config["background_per_person"]):
            continue
        ctx.counters["doc-number"] += 1
        number = document_number(ctx.rng, ctx.counters["doc-number"])
        status = ctx.weighted(config["background_statuses"])
        state = ctx.rng.choice(states)
        day = ctx.today - dt.timedelta(days=ctx.rng.randrange(0, 3650))
        report(ctx, number, state, status, document_type=ctx.weighted(config["background_types"]), day=day)
