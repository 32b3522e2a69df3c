"""Dates in the MRZ: ``YYMMDD`` with a two-digit year, placed in a century relative to the check date.

A date of birth is put in the latest century that keeps it on or before the check date; a date of expiry in the
latest century that keeps it at most ``max_years_ahead`` years after the check date (``document_checks`` taxonomy).
Doc 9303 Part 3 allows an unknown month or day of birth to be written as ``<<``.

A check date must lie between :data:`EARLIEST_CHECK_DATE` and :data:`LATEST_CHECK_DATE`: two-digit years are placed
up to two centuries back and ``max_years_ahead`` forward, which a date near year 1 or 9999 cannot hold (issue 17: a
check in year 9990 crashed). :func:`require_check_date` refuses others with :class:`InvalidInput`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from palermo.errors import InvalidInput

EARLIEST_CHECK_DATE = date(1900, 1, 1)
LATEST_CHECK_DATE = date(2999, 12, 31)


@dataclass(frozen=True)
class DateReading:
    value: date | None
    problem: str | None
    partial: bool = False


def check_date_problem(day: date) -> str | None:
    """Why ``day`` cannot be a check date, or ``None``."""
    if EARLIEST_CHECK_DATE <= day <= LATEST_CHECK_DATE:
        return None
    return (
        f"check date {day.isoformat()} is out of range: give a date from {EARLIEST_CHECK_DATE} to {LATEST_CHECK_DATE}"
    )


def require_check_date(day: date) -> date:
    """``day``, or :class:`InvalidInput` when it cannot be a check date."""
    problem = check_date_problem(day)
    if problem is not None:
        raise InvalidInput(problem, field="at")
    return day


def parse_check_date(text: str) -> date:
    """A check date from ``YYYY-MM-DD`` text (command lines), or :class:`InvalidInput`."""
    try:
        day = date.fromisoformat(text)
    except ValueError:
        raise InvalidInput(f"check date {text!r} is not a date YYYY-MM-DD", field="at") from None
    return require_check_date(day)


def _shift_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def _in_century(raw: str, latest: date) -> DateReading:
    yy, mm, dd = int(raw[0:2]), int(raw[2:4]), int(raw[4:6])
    for century in (latest.year // 100, latest.year // 100 - 1, latest.year // 100 - 2):
        try:
            candidate = date(century * 100 + yy, mm, dd)
        except ValueError:
            return DateReading(None, f"{raw!r} is not a calendar date (month {mm:02d}, day {dd:02d})")
        if candidate <= latest:
            return DateReading(candidate, None)
    return DateReading(None, f"{raw!r} cannot be placed in a century")  # pragma: no cover - three centuries back


def read_birth_date(raw: str, at: date) -> DateReading:
    """Date of birth: the latest matching date on or before ``at``; ``YY<<<<``/``YYMM<<`` are partially unknown."""
    if (raw[:2].isdigit() and raw[2:] == "<<<<") or (raw[:4].isdigit() and raw[4:] == "<<"):
        return DateReading(None, None, partial=True)
    if not raw.isdigit():
        return DateReading(None, f"{raw!r} is not YYMMDD (digits only)")
    return _in_century(raw, at)


def read_expiry_date(raw: str, at: date, max_years_ahead: int) -> DateReading:
    """Date of expiry: the latest matching date no more than ``max_years_ahead`` years after ``at``."""
    if not raw.isdigit():
        return DateReading(None, f"{raw!r} is not YYMMDD (digits only)")
    return _in_century(raw, _shift_years(at, max_years_ahead))


def yymmdd(day: date) -> str:
    return day.strftime("%y%m%d")
