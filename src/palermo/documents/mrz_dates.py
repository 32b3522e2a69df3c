"""Dates in the MRZ: ``YYMMDD`` with a two-digit year, placed in a century relative to the check date.

A date of birth is put in the latest century that keeps it on or before the check date; a date of expiry in the
latest century that keeps it at most ``max_years_ahead`` years after the check date (``document_checks`` taxonomy).
Doc 9303 Part 3 allows an unknown month or day of birth to be written as ``<<``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class DateReading:
    value: date | None
    problem: str | None
    partial: bool = False


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
