"""Watchlist entries (suspects, wanted persons, associates, missing persons, potential victims) and their truth."""

from __future__ import annotations

from palermo.synth.context import Context
from palermo.synth.people import Person
from palermo.synth.records import reported_name
from palermo.synth.truth import WATCHLIST_COLUMNS

LISTS = {"suspect": "suspects", "wanted": "suspects", "associate": "suspects",
         "missing_person": "missing_persons", "potential_victim": "missing_persons"}  # fmt: skip


def _birth_date(ctx: Context, person: Person) -> str:
    text = person.birth_date.isoformat()
    return text[: ctx.rng.choice((4, 7, 10, 10))]


def list_entry(ctx: Context, person: Person, category: str, reason: str, *, match: str = "true_match") -> str:
    """Write a watchlist entry describing ``person`` (another spelling, maybe an alias) and its truth row."""
    watchlist = LISTS[category]
    entry_id = ctx.next_id(f"WL-{watchlist[:3].upper()}", 6)
    given, surname = reported_name(ctx, person.aliases[0] if person.aliases and ctx.chance(0.3) else person.name)
    aliases = [f"{a.doc_given} {a.doc_surname}" for a in person.aliases]
    numbers = [d.number for d in person.documents if ctx.chance(0.5)]  # type: ignore[attr-defined]
    row = {"id": entry_id, "name": f"{given} {surname}", "aliases": aliases, "birth_date": _birth_date(ctx, person),
           "nationality": person.nationality, "sex": person.sex, "document_numbers": numbers, "category": category,
           "reason": reason}  # fmt: skip
    ctx.sink.other(f"watchlists/{watchlist}.csv", WATCHLIST_COLUMNS, row)
    ctx.sink.truth("watchlist_matches", {"watchlist": watchlist, "entry_id": entry_id, "person_id": person.person_id,
                                         "match": match})  # fmt: skip
    return entry_id
