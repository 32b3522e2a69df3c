"""The comparison columns of one person record: what Splink compares and what blocking keys are made of.

Names go through :func:`palermo.names.prepare_name`, so every script meets the others as comparable Latin keys
(Cyrillic, Greek, Arabic, Chinese ... transliterated; particles and titles normalised). Dates of birth keep their
precision: a year-only date fills ``dob_year`` and leaves ``dob`` empty, so partial dates agree partially.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from palermo.errors import InvalidInput
from palermo.names import PreparedName, prepare_name

FEATURE_COLUMNS = (
    "unique_id",
    "source",
    "given_name",
    "surname",
    "given_phonetic",
    "surname_phonetic",
    "name_keys",
    "dob",
    "dob_year",
    "dob_month",
    "dob_day",
    "sex",
    "nationalities",
    "documents",
    "document",
    "issued_documents",
    "phones",
    "address",
    "postcode",
    "city",
)
ARRAY_COLUMNS = frozenset({"name_keys", "nationalities", "documents", "issued_documents", "phones"})
_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
_SPACES = re.compile(r"\s+")


@dataclass(frozen=True)
class RawName:
    full_name: str | None
    given_names: str | None = None
    surname: str | None = None


@dataclass(frozen=True)
class IssuedDocument:
    """A document of a record as issued: its state (ICAO code), type and normalised number."""

    issuing_state: str
    document_type: str
    number: str

    def key(self) -> str:
        return f"{self.issuing_state}|{self.document_type}|{self.number}"


@dataclass(frozen=True)
class RawPerson:
    """A person record as the store (or a benchmark file) holds it; names first is the primary name."""

    record_id: int
    source: str
    names: Sequence[RawName]
    birth_date: str | None = None
    sex: str | None = None
    nationalities: Sequence[str] = ()
    documents: Sequence[str] = ()
    phones: Sequence[str] = ()
    address: str | None = None
    postcode: str | None = None
    city: str | None = None
    issued: Sequence[IssuedDocument] = ()  # the documents with their issuer and type, when the source says
    extra: dict[str, Any] = field(default_factory=dict)


@lru_cache(maxsize=262_144)
def _prepared(text: str | None) -> PreparedName | None:
    """Names repeat across records (common given names and surnames): each spelling is prepared once."""
    if text is None or not text.strip():
        return None
    try:
        return prepare_name(text)
    except InvalidInput:
        return None


def _key(name: PreparedName | None) -> str | None:
    return " ".join(t.key for t in name.core) if name is not None else None


def _phonetic(name: PreparedName | None) -> str | None:
    if name is None:
        return None
    return next((t.phonetic for t in name.core if t.phonetic), None)


def split_primary(name: RawName) -> tuple[PreparedName | None, PreparedName | None]:
    """(given names, surname) of a name; a name with only a full form splits before its last token."""
    given, surname = _prepared(name.given_names), _prepared(name.surname)
    if given is not None or surname is not None:
        return given, surname
    full = _prepared(name.full_name)
    if full is None or len(full.core) < 2:
        return None, full
    words = [t.native for t in full.core]
    return _prepared(" ".join(words[:-1])), _prepared(words[-1])


def name_keys(names: Iterable[RawName]) -> list[str] | None:
    """Every comparable token key of every name (aliases and transliterations included), initials left out."""
    keys: set[str] = set()
    for name in names:
        for text in (name.full_name, name.given_names, name.surname):
            prepared = _prepared(text)
            if prepared is not None:
                keys.update(t.key for t in prepared.core if not t.is_initial and len(t.key) > 1)
    return sorted(keys) or None


def date_parts(birth_date: str | None) -> dict[str, str | None]:
    """``dob`` (full dates only), ``dob_year``, ``dob_month``, ``dob_day`` of an ISO 8601 reduced-precision date."""
    match = _DATE.match(birth_date.strip()) if birth_date else None
    if match is None:
        return {"dob": None, "dob_year": None, "dob_month": None, "dob_day": None}
    year, month, day = match.groups()
    full = f"{year}-{month}-{day}" if day else None
    return {"dob": full, "dob_year": year, "dob_month": month, "dob_day": day}


def _clean(text: str | None) -> str | None:
    if text is None:
        return None
    cleaned = _SPACES.sub(" ", text.casefold()).strip()
    return cleaned or None


def _values(items: Iterable[str]) -> list[str] | None:
    cleaned = sorted({v.strip().upper() for v in items if v and v.strip()})
    return cleaned or None


def feature_row(person: RawPerson) -> dict[str, Any]:
    """The comparison columns of one record (``FEATURE_COLUMNS`` plus the record's ``extra`` values)."""
    given, surname = split_primary(person.names[0]) if person.names else (None, None)
    row: dict[str, Any] = {
        "unique_id": person.record_id,
        "source": person.source,
        "given_name": _key(given),
        "surname": _key(surname),
        "given_phonetic": _phonetic(given),
        "surname_phonetic": _phonetic(surname),
        "name_keys": name_keys(person.names),
        **date_parts(person.birth_date),
        "sex": person.sex if person.sex in ("M", "F") else None,
        "nationalities": _values(person.nationalities),
        "documents": _values(person.documents),
        "document": next(iter(_values(person.documents) or []), None),
        "issued_documents": sorted({d.key() for d in person.issued}) or None,
        "phones": _values(person.phones),
        "address": _clean(person.address),
        "postcode": _clean(person.postcode),
        "city": _clean(person.city),
    }
    row.update(person.extra)
    return row
