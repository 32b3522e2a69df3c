"""The clear values a person's encoding is built from, as tokens: what goes into each field's Bloom filter.

Names go through Palermo's own normalisation and transliteration first (``palermo.names``: NFC, "Surname, Given"
order, titles dropped, rigour/ICU transliteration to Latin), so ``Александр Иванов`` and ``Aleksandr Ivanov`` give
the same letter pairs and ``Ivanov, Aleksandr`` the same set. Nothing here leaves the node: the tokens are hashed
under the partnership's keys (:mod:`palermo.sharing.pprl.bloom`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from palermo.names.normalise import clean_name, name_tokens
from palermo.names.transliterate import ascii_key, join_syllables, phonetic_key

_DATE = re.compile(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?$")


@dataclass(frozen=True)
class PersonFields:
    """What a node knows of a person, in clear: the primary name (any script), birth date (ISO 8601, reduced
    precision allowed), sex (M/F/X), nationalities (ISO codes) and, where known, an address (street with number,
    postcode, city)."""

    name: str | None
    birth_date: str | None = None
    sex: str | None = None
    nationalities: tuple[str, ...] = field(default_factory=tuple)
    street: str | None = None
    postcode: str | None = None
    city: str | None = None


def latin_tokens(name: str | None) -> list[str]:
    """The name's tokens, normalised and transliterated: ``"Шевченко, Тарас"`` -> ``["taras", "shevchenko"]``."""
    if not name or not name.strip():
        return []
    keys = (join_syllables(ascii_key(token)) for token in name_tokens(clean_name(name)))
    return [key for key in keys if key]


def qgrams(tokens: list[str], q: int) -> set[str]:
    """Letter q-grams of each token padded with a space at both ends (``ana`` -> `` a``, ``an``, ``na``, ``a ``)."""
    grams: set[str] = set()
    for token in tokens:
        padded = f" {token} "
        grams.update(padded[i : i + q] for i in range(max(len(padded) - q + 1, 1)))
    return grams


def date_parts(birth_date: str | None) -> tuple[str, str | None, str | None] | None:
    match = _DATE.match((birth_date or "").strip())
    return (match.group(1), match.group(2), match.group(3)) if match else None


def date_tokens(birth_date: str | None) -> set[str]:
    """Year, month, day and the whole date, each a token: a typo in one part keeps the others agreeing."""
    parts = date_parts(birth_date)
    if parts is None:
        return set()
    year, month, day = parts
    tokens = {f"y{year}"}
    if month:
        tokens.add(f"m{month}")
    if day:
        tokens.add(f"d{day}")
    if month and day:
        tokens.add(f"ymd{year}{month}{day}")
    return tokens


def birth_year(birth_date: str | None) -> str | None:
    parts = date_parts(birth_date)
    return parts[0] if parts else None


def field_tokens(person: PersonFields, q: int) -> dict[str, set[str]]:
    """Every field's token set (empty when the node does not know the field)."""
    sex = (person.sex or "").strip().upper()
    return {
        "name": qgrams(latin_tokens(person.name), q),
        "birth_date": date_tokens(person.birth_date),
        "sex": {sex} if sex in ("M", "F") else set(),
        "nationality": {n.strip().upper() for n in person.nationalities if n and n.strip()},
        "street": qgrams(_words(person.street), q),
        "postcode": qgrams(_words(person.postcode), q),
        "city": qgrams(_words(person.city), q),
    }


def _words(text: str | None) -> list[str]:
    """Casefolded ASCII words of an address part (transliterated as names are)."""
    return [w for w in (ascii_key(t) for t in (text or "").casefold().split()) if w]


def phonetic_codes(person: PersonFields) -> set[str]:
    """Metaphone codes of the name's tokens (blocking: ``jon`` and ``john`` share one)."""
    return {code for code in (phonetic_key(t) for t in latin_tokens(person.name)) if code}
