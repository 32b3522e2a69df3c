"""The IOM Human Trafficking Case Data Standard 2.0 as data: its fields, their types and picklists, and a validator.

``data/htcds-2.0-fields.csv`` is the standard's field list as IOM publishes it (the ``UNMigration/HTCDS``
repository, CC BY 4.0). A record is a mapping of field names (with their prefix: ``prs_FirstName``) to values; a
value is checked against its field's type: ``Text``/``Long Text`` a string, ``Date`` an ISO date, ``Number`` a
number, ``Checkbox`` a boolean, ``Picklist`` one of the field's value names, ``Multiselect Picklist`` a list of
them, and the picklists that name ISO 3166 or ISO 639 instead of listing values a code of that standard.
"""

from __future__ import annotations

import csv
import datetime as dt
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import pycountry

from palermo.errors import InvalidInput

STANDARD = "IOM HTCDS 2.0"
TEXT_TYPES = {"Text", "Long Text", "Lookup [to organisation]", "Lookup [to person]", "Lookup [to user]"}


@dataclass(frozen=True)
class HtcdsField:
    name: str  # with its prefix: prs_FirstName
    label: str
    type: str  # as the standard writes it: Text, Date, Picklist, Multiselect Picklist ...
    values: tuple[str, ...]  # the picklist's value names (empty: free, or a code standard)
    code_standard: str | None  # "ISO 3166" or "ISO 639" when the picklist names a standard instead of values
    core: bool


def _code_standard(values: str, labels: str) -> str | None:
    text = f"{values} {labels}"
    return "ISO 3166" if "ISO 3166" in text else "ISO 639" if "ISO 639" in text else None


@cache
def htcds_fields() -> dict[str, HtcdsField]:
    """Every field of the standard that a record can carry, by name with prefix."""
    source = resources.files("palermo.victims") / "data" / "htcds-2.0-fields.csv"
    with source.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    found = {}
    for row in rows:
        name, kind = row["Field Name including Prefix"].strip(), row["Field Type"].strip()
        if not name or not kind:
            continue  # a section heading, or an example question without a field
        values, labels = row["Value Names (if picklist)"], row["Value Labels (if picklist)"]
        standard = _code_standard(values, labels)
        listed = () if standard else tuple(v.strip() for v in values.splitlines() if v.strip())
        found[name] = HtcdsField(
            name, row["Field Label"].strip(), kind, listed, standard, row["Core"].strip() == "Core"
        )
    return found


def _code(value: Any, standard: str) -> str | None:
    """What is wrong with ``value`` as a code of ``standard`` (None: nothing)."""
    if not isinstance(value, str):
        return f"a {standard} code is text, got {type(value).__name__}"
    if standard == "ISO 3166":
        known = pycountry.countries.get(alpha_3=value) if len(value) == 3 else pycountry.countries.get(alpha_2=value)
    else:
        known = pycountry.languages.get(alpha_3=value) if len(value) == 3 else pycountry.languages.get(alpha_2=value)
    return None if known else f"{value!r} is not an {standard} code"


def _problem(field: HtcdsField, value: Any) -> str | None:
    """What is wrong with ``value`` for ``field`` (None: nothing)."""
    kind = field.type
    if kind in TEXT_TYPES:
        return None if isinstance(value, str) else f"is text, got {type(value).__name__}"
    if kind == "Date":
        try:
            dt.date.fromisoformat(value)
        except (TypeError, ValueError):
            return f"is a date YYYY-MM-DD, got {value!r}"
        return None
    if kind in ("Number", "Geolocation"):
        ok = isinstance(value, int | float) and not isinstance(value, bool)
        return None if ok else f"is a number, got {value!r}"
    if kind == "Checkbox":
        return None if isinstance(value, bool) else f"is true or false, got {value!r}"
    many = kind == "Multiselect Picklist"
    if many and not isinstance(value, list):
        return f"is a list of picklist values, got {type(value).__name__}"
    for item in value if many else [value]:
        if field.code_standard:
            wrong = _code(item, field.code_standard)
            if wrong:
                return wrong
        elif kind == "Picklist or Text":
            if not isinstance(item, str):
                return f"is text, got {type(item).__name__}"
        elif item not in field.values:
            shown = ", ".join(field.values[:8]) + (" ..." if len(field.values) > 8 else "")
            return f"has no value {item!r} (one of {shown})"
    return None


def record_problems(record: Any) -> list[str]:
    """Every way ``record`` departs from the standard: unknown fields, wrong types, values not in a picklist."""
    if not isinstance(record, dict):
        return [f"a record is an object of HTCDS fields, got {type(record).__name__}"]
    fields = htcds_fields()
    problems = []
    for name, value in record.items():
        field = fields.get(name)
        if field is None:
            problems.append(f"{name!r} is not an {STANDARD} field")
        elif value is not None:
            wrong = _problem(field, value)
            if wrong:
                problems.append(f"{name} ({field.type}) {wrong}")
    return problems


def require_record(record: Any, where: str) -> dict[str, Any]:
    """``record`` when it is a valid HTCDS record, else :class:`InvalidInput` naming every problem."""
    problems = record_problems(record)
    if problems:
        raise InvalidInput(f"{where}: " + "; ".join(problems))
    assert isinstance(record, dict)
    return record
