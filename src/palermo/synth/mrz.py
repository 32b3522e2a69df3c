"""A small ICAO 9303 machine readable zone writer: TD3 (passports) and TD1 (identity cards).

Self-contained on purpose; ``palermo.documents`` will carry the full MRZ implementation (parsing, checks).
"""

from __future__ import annotations

import datetime as dt
import unicodedata

_WEIGHTS = (7, 3, 1)
_SPECIAL = {"Ä": "AE", "Ö": "OE", "Ü": "UE", "ß": "SS", "Ø": "OE", "Æ": "AE", "Å": "AA", "Ñ": "N", "ı": "I"}
_MRZ_STATE = {"DEU": "D<<"}


def char_value(char: str) -> int:
    """Value of one MRZ character: digits as such, A-Z as 10-35, filler ``<`` as 0."""
    if char.isdigit():
        return int(char)
    if "A" <= char <= "Z":
        return ord(char) - 55
    if char == "<":
        return 0
    raise ValueError(f"{char!r} cannot appear in a machine readable zone")


def check_digit(field: str) -> str:
    """The 7-3-1 check digit of ``field`` (ICAO Doc 9303 Part 3, 4.9)."""
    return str(sum(char_value(c) * _WEIGHTS[i % 3] for i, c in enumerate(field)) % 10)


def mrz_text(text: str) -> str:
    """Upper-case A-Z with ``<`` for spaces and hyphens, diacritics transliterated (Doc 9303 Part 3, 6)."""
    out = []
    for char in text.upper():
        if char in _SPECIAL or char.lower() in _SPECIAL:
            out.append(_SPECIAL.get(char, _SPECIAL.get(char.lower(), "")))
            continue
        base = unicodedata.normalize("NFKD", char)[0]
        if "A" <= base <= "Z" or base.isdigit():
            out.append(base)
        elif base in " -":
            out.append("<")
    return "".join(out)


def _name_field(surname: str, given_names: str, width: int) -> str:
    field = f"{mrz_text(surname)}<<{mrz_text(given_names)}"
    return field[:width].ljust(width, "<")


def _date(value: dt.date) -> str:
    return value.strftime("%y%m%d")


def _state(code: str) -> str:
    return _MRZ_STATE.get(code, code)


def td3(
    *,
    number: str,
    issuing_state: str,
    nationality: str,
    surname: str,
    given_names: str,
    birth_date: dt.date,
    sex: str,
    expiry_date: dt.date,
) -> str:
    """Two 44-character lines of a passport MRZ, joined by ``|``."""
    doc = number[:9].ljust(9, "<")
    line1 = f"P<{_state(issuing_state)}{_name_field(surname, given_names, 39)}"
    parts = [doc + check_digit(doc), _state(nationality)]
    dob = _date(birth_date) + check_digit(_date(birth_date))
    exp = _date(expiry_date) + check_digit(_date(expiry_date))
    optional = "<" * 14
    composite = doc + check_digit(doc) + dob + exp + optional + check_digit(optional)
    line2 = f"{parts[0]}{parts[1]}{dob}{sex or '<'}{exp}{optional}{check_digit(optional)}{check_digit(composite)}"
    return f"{line1}|{line2}"


def td1(
    *,
    number: str,
    issuing_state: str,
    nationality: str,
    surname: str,
    given_names: str,
    birth_date: dt.date,
    sex: str,
    expiry_date: dt.date,
) -> str:
    """Three 30-character lines of an identity card MRZ, joined by ``|``."""
    doc = number[:9].ljust(9, "<")
    line1 = f"I<{_state(issuing_state)}{doc}{check_digit(doc)}" + "<" * 15
    dob = _date(birth_date) + check_digit(_date(birth_date))
    exp = _date(expiry_date) + check_digit(_date(expiry_date))
    line2_head = f"{dob}{sex or '<'}{exp}{_state(nationality)}" + "<" * 11
    composite = line1[5:30] + line2_head[0:7] + line2_head[8:15] + line2_head[18:29]
    line2 = line2_head + check_digit(composite)
    return f"{line1}|{line2}|{_name_field(surname, given_names, 30)}"


def break_check_digit(mrz: str) -> str:
    """The same MRZ with the document number's check digit wrong (a crude forgery)."""
    lines = mrz.split("|")
    index, position = (1, 9) if mrz.startswith("P") else (0, 14)
    line = lines[index]
    wrong = str((int(line[position]) + 1 + (len(line) % 8)) % 10)
    lines[index] = line[:position] + wrong + line[position + 1 :]
    return "|".join(lines)
