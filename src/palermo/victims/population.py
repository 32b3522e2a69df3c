"""Adult or child: stated by the assessor, or read from the case's date of birth with the presumption of minority.

A date of birth may be partial (``1990``, ``1990-05``). When the person could still be under the adult age on the
interview date (the latest birth the partial date allows), they are assessed as a child: where the age is uncertain
and there are reasons to believe the person is a child, the person is presumed a child (Directive 2011/36/EU,
Article 13(2)).
"""

from __future__ import annotations

import calendar
import datetime as dt
from typing import Literal

from palermo.errors import InvalidInput

Population = Literal["adult", "child"]


def latest_birth(birth_date: str) -> dt.date:
    """The latest day a full or partial ISO date of birth allows."""
    parts = birth_date.split("-")
    try:
        year = int(parts[0])
        month = int(parts[1]) if len(parts) > 1 else 12
        day = int(parts[2]) if len(parts) > 2 else calendar.monthrange(year, month)[1]
        return dt.date(year, month, day)
    except (ValueError, IndexError):
        raise InvalidInput(f"date of birth {birth_date!r} is not YYYY, YYYY-MM or YYYY-MM-DD") from None


def youngest_age(birth_date: str, on: dt.date) -> int:
    """The least age the person can have on ``on``."""
    born = latest_birth(birth_date)
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def population_of(
    stated: Population | None, birth_date: str | None, on: dt.date, adult_age: int
) -> tuple[Population, str, str]:
    """``(population, basis, detail)``: stated by the assessor, else from the date of birth; refused without either."""
    if stated is not None:
        return (
            stated,
            "stated",
            f"assessed as {'a child' if stated == 'child' else 'an adult'} (stated by the assessor)",
        )
    if birth_date is None:
        raise InvalidInput(
            "the case holds no date of birth: state whether the person is an adult or a child; where the age is "
            "uncertain and the person may be a child, state child (Directive 2011/36/EU, Article 13(2))",
            field="population",
        )
    age = youngest_age(birth_date, on)
    if age < adult_age:
        return "child", "birth_date", f"assessed as a child: born {birth_date}, possibly only {age} on {on.isoformat()}"
    return "adult", "birth_date", f"assessed as an adult: born {birth_date}, at least {age} on {on.isoformat()}"
