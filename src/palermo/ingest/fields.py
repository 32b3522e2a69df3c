"""Field types shared by the ingest formats: partial dates, country codes, lists, provenance overrides.

Each type validates one value and fails with a message that says what was expected, so a rejected row tells the
analyst exactly what to fix.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any

from pydantic import AfterValidator, BeforeValidator, Field

from palermo.errors import InvalidInput
from palermo.taxonomies import taxonomy
from palermo.taxonomies.countries import normalise_country

LIST_SEPARATOR = ";"
_PARTIAL_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


def split_list(value: Any) -> Any:
    """CSV carries lists as ``a;b;c``; JSON Lines and Parquet carry real arrays. Empty items are dropped."""
    if value is None:
        return []
    if isinstance(value, str):
        return [item.strip() for item in value.split(LIST_SEPARATOR) if item.strip()]
    return value


def partial_date(value: str) -> tuple[str, str]:
    """``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` (unknown parts may be ``00``) -> (ISO text, precision)."""
    match = _PARTIAL_DATE.match(value.strip())
    if match is None:
        raise ValueError(f"{value!r} is not a date: expected YYYY, YYYY-MM or YYYY-MM-DD (unknown parts as 00)")
    year, month, day = match.group(1), match.group(2), match.group(3)
    if month in (None, "00"):
        if day not in (None, "00"):
            raise ValueError(f"{value!r} has a day but no month")
        return year, "year"
    if not 1 <= int(month) <= 12:
        raise ValueError(f"{value!r} has month {month}, expected 01-12")
    if day in (None, "00"):
        return f"{year}-{month}", "month"
    try:
        dt.date(int(year), int(month), int(day))
    except ValueError:
        raise ValueError(f"{value!r} is not a calendar date") from None
    return f"{year}-{month}-{day}", "day"


def _check_partial_date(value: str) -> str:
    iso, _precision = partial_date(value)
    if int(iso[:4]) < 1850 or iso > dt.date.today().isoformat():
        raise ValueError(f"{value!r} is not a plausible date of birth (before 1850 or in the future)")
    return iso


def _country(value: str) -> str:
    try:
        return normalise_country(value)
    except InvalidInput as exc:
        raise ValueError(exc.message) from None


def _term_of(taxonomy_name: str) -> AfterValidator:
    def check(value: str) -> str:
        try:
            taxonomy(taxonomy_name).require(value)
        except InvalidInput as exc:
            raise ValueError(exc.message) from None
        return value

    return AfterValidator(check)


def _aware(value: dt.datetime) -> dt.datetime:
    """Times without an offset are taken as UTC (documented in docs/formats.md)."""
    return value if value.tzinfo is not None else value.replace(tzinfo=dt.UTC)


Text = Annotated[str, Field(min_length=1)]
Key = Annotated[str, Field(min_length=1, max_length=200, pattern=r"^\S(.*\S)?$")]
Country = Annotated[str, AfterValidator(_country)]
CountryList = Annotated[list[Country], BeforeValidator(split_list)]
TextList = Annotated[list[Text], BeforeValidator(split_list)]
BirthDate = Annotated[str, AfterValidator(_check_partial_date)]
Timestamp = Annotated[dt.datetime, AfterValidator(_aware)]
HandlingCode = Annotated[str, _term_of("handling_codes")]
Distribution = Annotated[str, _term_of("distributions")]
Reliability = Annotated[str, _term_of("source_reliability")]
Credibility = Annotated[
    str, BeforeValidator(lambda v: str(v) if isinstance(v, int) else v), _term_of("information_credibility")
]
Sensitivity = Annotated[str, _term_of("sensitivities")]
DocumentType = Annotated[str, _term_of("document_types")]
RelationshipKind = Annotated[str, _term_of("relationship_kinds")]
TravelPurpose = Annotated[str, _term_of("travel_purposes")]
NameKind = Annotated[str, _term_of("name_kinds")]
