"""Watchlist entries as read from a file, before they reach the store: validation shared by every format."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from palermo.db.watchlists import WATCHLIST_CATEGORIES
from palermo.errors import InvalidInput
from palermo.taxonomies.countries import normalise_country

PARTIAL_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
SEXES = {"m": "M", "male": "M", "f": "F", "female": "F", "x": "X", "other": "X"}
MAX_NAMES = 200
MAX_NAME_LENGTH = 400


@dataclass(frozen=True)
class EntrySpec:
    """One listed person: the entry's own id (``source_key``), names in any script, and what identifies them."""

    source_key: str
    names: list[str]
    birth_date: str | None = None
    nationalities: list[str] = field(default_factory=list)
    sex: str | None = None
    document_numbers: list[str] = field(default_factory=list)
    category: str | None = None
    reason: str | None = None
    expires_on: dt.date | None = None
    other_birth_dates: list[str] = field(default_factory=list)
    #: short, common aliases (FtM ``weakAlias``: "Abu", "Tony") that identify only when a name equals one exactly
    weak_aliases: list[str] = field(default_factory=list)
    warnings: tuple[str, ...] = ()  # what was left out or trimmed to load it (not stored)

    def stored_names(self) -> list[dict[str, Any]]:
        """``WatchlistEntry.names``: the first name is primary, the rest aliases."""
        named = [{"name": n, "kind": "primary" if i == 0 else "alias"} for i, n in enumerate(self.names)]
        return named + [{"name": n, "kind": "weak"} for n in self.weak_aliases]


def split_list(value: Any) -> list[str]:
    """A ``;``-separated cell (or a JSON list) as a list of stripped, non-empty strings."""
    if not value:  # None, "" and [] (most cells of most rows)
        return []
    if isinstance(value, str) and ";" not in value:  # one value: no list to build
        text = value.strip()
        return [text] if text else []
    items = value if isinstance(value, list) else str(value).split(";")
    return [text for v in items if (text := str(v).strip())]


def partial_date(value: Any, what: str = "birth_date") -> str | None:
    """``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` (checked as a calendar date), or ``None`` when empty."""
    text = str(value or "").strip()
    if not text:
        return None
    return _checked_date(text, what)


@lru_cache(maxsize=65536)
def _checked_date(text: str, what: str) -> str:
    """A date checked once (a list's dates repeat: a million entries have a few thousand birth years)."""
    if not PARTIAL_DATE.match(text):
        raise InvalidInput(f"{what} {text!r} is not YYYY, YYYY-MM or YYYY-MM-DD")
    parts = [int(p) for p in text.split("-")]
    try:
        dt.date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)
    except ValueError:
        raise InvalidInput(f"{what} {text!r} is not a calendar date") from None
    return text


def birth_dates(value: Any) -> list[str]:
    """Every date of birth of a cell (``;``-separated) or list, most precise first (in their given order among
    equals), each checked; duplicates and dates a more precise one already says (``1980`` beside ``1980-05-17``)
    dropped."""
    if not value:
        return []
    given = dict.fromkeys(d for v in split_list(value) if (d := partial_date(v)) is not None)
    dates = sorted(given, key=len, reverse=True)
    kept: list[str] = []
    for date in dates:
        if not any(k.startswith(date) for k in kept):
            kept.append(date)
    return kept


def sex_code(value: Any) -> str | None:
    text = str(value or "").strip().casefold()
    if not text:
        return None
    if text not in SEXES:
        raise InvalidInput(f"sex {value!r} is not one of M, F, X (or male, female, other)")
    return SEXES[text]


def category(value: Any) -> str | None:
    text = str(value or "").strip()
    if not text:
        return None
    if text not in WATCHLIST_CATEGORIES:
        raise InvalidInput(f"category {text!r} is not one of {', '.join(WATCHLIST_CATEGORIES)}")
    return text


def countries(values: list[str]) -> list[str]:
    found = []
    for value in values:
        code = normalise_country(value)
        if code not in found:
            found.append(code)
    return found


def build_entry(row: dict[str, Any]) -> EntrySpec:
    """An :class:`EntrySpec` from the documented columns; :class:`InvalidInput` saying which field is wrong."""
    key = str(row.get("id") or "").strip()
    if not key or len(key) > 200:
        raise InvalidInput("id is required (at most 200 characters): the entry's own identifier")
    names = split_list([row.get("name")]) + split_list(row.get("aliases"))
    names = list(dict.fromkeys(names))
    if not names:
        raise InvalidInput("name is required")
    if len(names) > MAX_NAMES or any(len(n) > MAX_NAME_LENGTH for n in names):
        raise InvalidInput(f"at most {MAX_NAMES} names of at most {MAX_NAME_LENGTH} characters each")
    if not any(map(str.isalpha, "".join(names))):
        raise InvalidInput("the names hold no letters")
    expires = partial_date(row.get("expires_on"), "expires_on")
    if expires is not None and len(expires) != 10:
        raise InvalidInput(f"expires_on {expires!r} must be a full date YYYY-MM-DD")
    dates = birth_dates(row.get("birth_date"))
    weak = [n for n in dict.fromkeys(split_list(row.get("weak_aliases"))) if n not in names]
    if len(weak) > MAX_NAMES or any(len(n) > MAX_NAME_LENGTH for n in weak):
        raise InvalidInput(f"at most {MAX_NAMES} weak aliases of at most {MAX_NAME_LENGTH} characters each")
    return EntrySpec(
        source_key=key,
        names=names,
        weak_aliases=weak,
        birth_date=dates[0] if dates else None,
        other_birth_dates=dates[1:],
        nationalities=countries(split_list(row.get("nationality") or row.get("nationalities"))),
        sex=sex_code(row.get("sex")),
        document_numbers=list(dict.fromkeys(split_list(row.get("document_numbers")))),
        category=category(row.get("category")),
        reason=(str(row.get("reason")).strip() or None) if row.get("reason") else None,
        expires_on=dt.date.fromisoformat(expires) if expires else None,
    )
