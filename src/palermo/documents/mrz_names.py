"""Names in the MRZ: reading the name field, and writing names into it (ICAO Doc 9303 Part 3, sections 4.6 and 6).

The name field holds the primary identifier (surname), ``<<``, then the secondary identifier (given names) with
``<`` between name parts. A field filled to its last position may have been truncated.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

# Doc 9303 Part 3, section 6 (transliteration of Latin characters with diacritics): the recommended forms.
# Where the standard allows an alternative (e.g. Ä as AE or A), ``name_variants`` produces both.
_LATIN = {
    "Ä": "AE",
    "Å": "AA",
    "Æ": "AE",
    "Ð": "D",
    "Ö": "OE",
    "Ø": "OE",
    "Ü": "UE",
    "ß": "SS",
    "Þ": "TH",
    "Œ": "OE",
    "Ĳ": "IJ",
    "Ŀ": "L",
    "Ł": "L",
    "Đ": "D",
    "Ħ": "H",
    "Ŋ": "N",
}
_SEPARATORS = re.compile(r"[\s\-,.]+")
_DROP = re.compile(r"[^A-Z<]")
_FILLERS = re.compile(r"<+")


@dataclass(frozen=True)
class NameReading:
    surname: str
    given_names: str
    truncated: bool
    problem: str | None


def read_name_field(field: str) -> NameReading:
    """Split a name field into surname and given names; note truncation and characters that are not letters."""
    body = field.rstrip("<")
    primary, _, secondary = body.partition("<<")
    surname = _FILLERS.sub(" ", primary).strip()
    given = _FILLERS.sub(" ", secondary).strip()
    problem = None
    if not surname:
        problem = "the name field has no primary identifier (surname) before '<<'"
    elif re.search(r"[0-9]", field):
        position = next(i for i, c in enumerate(field) if c.isdigit()) + 1
        problem = f"the name field contains a digit at field position {position}; names hold only A-Z and '<'"
    return NameReading(surname, given, truncated=bool(field) and field[-1] != "<", problem=problem)


def _strip_marks(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def to_mrz_name(text: str, *, recommended: bool = True) -> str:
    """One name written with MRZ characters: upper case, transliterated, separators as ``<``, others dropped."""
    upper = text.upper()
    if recommended:
        upper = "".join(_LATIN.get(c, c) for c in upper)
    plain = _strip_marks(upper).replace("'", "")
    return _DROP.sub("", _SEPARATORS.sub("<", plain.strip()))


def name_variants(text: str) -> set[str]:
    """The MRZ forms a printed name may take (recommended transliteration, and marks simply removed)."""
    return {to_mrz_name(text, recommended=True), to_mrz_name(text, recommended=False)}


def name_field(surname: str, given_names: str, width: int) -> tuple[str, bool]:
    """The name field of ``width`` characters, and whether the names had to be truncated to fit."""
    primary = to_mrz_name(surname)
    secondary = to_mrz_name(given_names)
    full = f"{primary}<<{secondary}" if secondary else primary
    truncated = len(full) > width
    return full[:width].ljust(width, "<"), truncated
