"""The travel context of one screening: when and where, who travels along, who paid, which phone and address."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Companion:
    """A person travelling with the traveller: a name (live) and, when known from the store, the record id."""

    name: str
    surname: str | None = None
    birth_date: str | None = None
    person_id: int | None = None


@dataclass(frozen=True)
class TravelContext:
    at: dt.datetime
    border_point: str | None = None
    direction: str | None = None
    booking_ref: str | None = None
    payer: str | None = None
    phone: str | None = None
    destination: str | None = None
    companions: list[Companion] = field(default_factory=list)
    person_id: int | None = None  # the traveller's record in the store (replay), None at a live booth
    travel_event_id: int | None = None
    document_id: int | None = None


def surname_of(name: str) -> str:
    """The last token of a name, case-folded (how a family name is compared when no surname field exists)."""
    parts = name.replace(",", " ").split()
    return parts[-1].casefold() if parts else ""


def age_at(birth_date: str | None, at: dt.date) -> int | None:
    """Age in whole years at ``at`` from a partial ISO date (a year alone counts from its 1 July); ``None`` unknown."""
    if not birth_date:
        return None
    parts = [int(p) for p in birth_date.split("-")]
    month, day = (parts[1], parts[2] if len(parts) > 2 else 15) if len(parts) > 1 else (7, 1)
    return at.year - parts[0] - ((at.month, at.day) < (month, day))
