"""The Splink comparisons of two person records: one per evidence, each a ladder of agreement levels.

Levels are Splink's own (translated to DuckDB or Spark SQL by Splink), so both engines compute the same thing.
Their ``label_for_charts`` is the human-readable detail shown in every link's explanation.
"""

from __future__ import annotations

from typing import Any

import splink.comparison_level_library as cll
from splink.comparison_library import CustomComparison

from palermo.resolution.config import ResolutionConfig

# the levels of the date-of-birth comparison at which two dates conflict (``conflicts.dates_conflict``, roughly)
DATE_CONFLICT_LEVELS = ("same year of birth, day or month differ", "dates of birth years apart")


def _level(creator: Any, label: str) -> Any:
    return creator.configure(label_for_charts=label)


def _name(column: str, config: ResolutionConfig, *, aliases: bool) -> CustomComparison:
    high, low = config.name_similarity
    levels = [
        cll.NullLevel(column),
        _level(cll.ExactMatchLevel(column), f"{column} identical"),
        _level(cll.ColumnsReversedLevel("given_name", "surname"), "given name and surname swapped"),
        _level(cll.JaroWinklerLevel(column, high), f"{column} nearly identical (Jaro-Winkler >= {high})"),
        _level(cll.JaroWinklerLevel(column, low), f"{column} similar (Jaro-Winkler >= {low})"),
    ]
    if aliases:
        levels.append(_level(cll.ArrayIntersectLevel("name_keys", 1), "a name token shared (alias, transliteration)"))
    levels.append(_level(cll.ElseLevel(), f"{column} different"))
    return CustomComparison(levels, output_column_name=column, comparison_description=column)


def _dob() -> CustomComparison:
    swapped = "dob_year_l = dob_year_r AND dob_month_l = dob_day_r AND dob_day_l = dob_month_r"
    partial = (
        "(dob_l IS NULL OR dob_r IS NULL) AND dob_year_l = dob_year_r "
        "AND (dob_month_l IS NULL OR dob_month_r IS NULL OR dob_month_l = dob_month_r)"
    )
    year_off = (
        "abs(cast(dob_year_l as int) - cast(dob_year_r as int)) = 1 "
        "AND (dob_month_l IS NULL OR dob_month_r IS NULL OR dob_month_l = dob_month_r) "
        "AND (dob_day_l IS NULL OR dob_day_r IS NULL OR dob_day_l = dob_day_r)"
    )
    levels = [
        cll.NullLevel("dob_year"),
        _level(cll.ExactMatchLevel("dob"), "date of birth identical"),
        cll.CustomLevel(swapped, label_for_charts="day and month swapped"),
        cll.CustomLevel(partial, label_for_charts="partial date agrees (year, or year and month)"),
        _level(cll.DamerauLevenshteinLevel("dob", 1), "date of birth one character apart"),
        cll.CustomLevel(year_off, label_for_charts="year of birth one apart, day and month agree"),
        _level(cll.ExactMatchLevel("dob_year"), DATE_CONFLICT_LEVELS[0]),
        _level(cll.ElseLevel(), DATE_CONFLICT_LEVELS[1]),
    ]
    return CustomComparison(levels, output_column_name="dob", comparison_description="date of birth")


def _exact(column: str, what: str) -> CustomComparison:
    levels = [
        cll.NullLevel(column),
        _level(cll.ExactMatchLevel(column), f"{what} identical"),
        _level(cll.ElseLevel(), f"{what} different"),
    ]
    return CustomComparison(levels, output_column_name=column, comparison_description=what)


def _shared(column: str, what: str, fuzzy: str | None = None) -> CustomComparison:
    levels = [cll.NullLevel(column), _level(cll.ArrayIntersectLevel(column, 1), f"a {what} in common")]
    if fuzzy is not None:
        levels.append(_level(cll.DamerauLevenshteinLevel(fuzzy, 1), f"{what} one character apart"))
    levels.append(_level(cll.ElseLevel(), f"no {what} in common"))
    return CustomComparison(levels, output_column_name=column, comparison_description=what)


def _text(column: str, what: str, thresholds: tuple[float, ...]) -> CustomComparison:
    levels = [cll.NullLevel(column), _level(cll.ExactMatchLevel(column), f"{what} identical")]
    levels += [_level(cll.JaroWinklerLevel(column, t), f"{what} similar (Jaro-Winkler >= {t})") for t in thresholds]
    levels.append(_level(cll.ElseLevel(), f"{what} different"))
    return CustomComparison(levels, output_column_name=column, comparison_description=what)


def person_comparisons(config: ResolutionConfig) -> list[CustomComparison]:
    """Names, date of birth, sex, nationality, documents, phones and address, in this order."""
    return [
        _name("surname", config, aliases=True),
        _name("given_name", config, aliases=False),
        _dob(),
        _exact("sex", "sex"),
        _shared("nationalities", "nationality"),
        _shared("documents", "document number", fuzzy="document"),
        _shared("phones", "phone number"),
        _text("address", "address", config.address_similarity),
        _exact("postcode", "postcode"),
        _text("city", "city", (config.address_similarity[0],)),
    ]
