"""Document checks beyond the MRZ: expiry, validity period, holder age, codes, specimens and the visual zone."""

from __future__ import annotations

from datetime import date, timedelta

from palermo.documents.models import Check, MrzData, VisualZone, check
from palermo.documents.mrz_names import name_variants
from palermo.errors import InvalidInput
from palermo.taxonomies import taxonomy
from palermo.taxonomies.countries import normalise_country

_DAYS_PER_YEAR = 365.25


def _param(check_id: str, name: str) -> object:
    return taxonomy("document_checks").require(check_id).attributes[name]


def _years(later: date, earlier: date) -> int:
    return later.year - earlier.year - ((later.month, later.day) < (earlier.month, earlier.day))


def date_checks(data: MrzData, at: date, visual: VisualZone | None = None) -> list[Check]:
    """Expiry, birth in the future, implausible age, expiry before birth (each only when its dates are known).

    A two-digit MRZ year can never give an age over 100, so the age uses the visual zone's four-digit year of birth
    when it is given.
    """
    checks = []
    birth = visual.birth_date if visual and visual.birth_date else data.birth_date
    if data.expiry_date is not None:
        expired = data.expiry_date < at
        checks.append(
            check(
                "expired",
                not expired,
                f"expired on {data.expiry_date}" if expired else f"valid until {data.expiry_date}",
            )
        )
    if birth is not None:
        future = birth > at
        checks.append(check("birth_date_not_future", not future, f"date of birth {birth} vs check date {at}"))
        age, limit = _years(at, birth), int(str(_param("holder_age_plausible", "max_age_years")))
        checks.append(check("holder_age_plausible", 0 <= age <= limit, f"holder is {age} years old (limit {limit})"))
    if data.birth_date is not None and data.expiry_date is not None:
        after = data.expiry_date > data.birth_date
        checks.append(check("expiry_after_birth", after, f"expiry {data.expiry_date}, birth {data.birth_date}"))
    return checks


def _limit(document_type: str) -> tuple[int, int]:
    table = taxonomy("document_validity")
    term = table.get(document_type) or table.require("other")
    return int(term.attributes["max_years"]), int(term.attributes["margin_days"])


def validity_check(data: MrzData, visual: VisualZone | None, at: date) -> Check | None:
    """Validity no longer than the type allows: from the issue date when known, else from the check date."""
    if data.expiry_date is None:
        return None
    years, margin = _limit(data.document_type)
    issued = visual.issue_date if visual and visual.issue_date else None
    start, what = (issued, "issue date") if issued else (at, "check date")
    limit = start + timedelta(days=round(years * _DAYS_PER_YEAR) + margin)
    ok = data.expiry_date <= limit
    days = (data.expiry_date - start).days
    detail = (
        f"expiry {data.expiry_date} is {days} days after the {what} {start}; "
        f"a {data.document_type} allows {years} years + {margin} days"
    )
    return check("validity_period", ok, detail)


def nationality_check(data: MrzData) -> Check:
    same = data.nationality == data.issuing_state
    detail = f"nationality {data.nationality!r}, issuing state {data.issuing_state!r}" + (
        "" if same else " differ (e.g. a refugee or foreigner's document, or a forgery)"
    )
    return check("nationality_matches_issuing_state", same, detail)


def specimen_check(data: MrzData) -> Check:
    states = {str(s) for s in list(_param("specimen", "states"))}  # type: ignore[call-overload]
    numbers = {str(n) for n in list(_param("specimen", "numbers"))}  # type: ignore[call-overload]
    if data.issuing_state in states or data.nationality in states:
        return check(
            "specimen",
            False,
            f"state {data.issuing_state!r} is the ICAO specimen state; a specimen is not a travel document",
        )
    if data.document_number in numbers:
        return check("specimen", False, f"document number {data.document_number!r} is a known specimen number")
    return check("specimen", True, "neither a specimen state nor a known specimen number")


def _same_code(a: str, b: str) -> bool:
    try:
        return normalise_country(a) == normalise_country(b)
    except InvalidInput:  # an unknown code compares as text
        return a.strip().upper().rstrip("<") == b.strip().upper().rstrip("<")


def _name_matches(printed: str, mrz_name: str, truncated: bool) -> bool:
    wanted = mrz_name.replace(" ", "<")
    return any(v == wanted or (truncated and v.startswith(wanted)) for v in name_variants(printed))


def visual_checks(data: MrzData, visual: VisualZone, truncated: bool) -> list[Check]:
    """MRZ against the visual zone, field by field, for the fields the visual zone gives."""
    checks = []
    if visual.document_number is not None:
        printed = visual.document_number.replace(" ", "").upper()
        checks.append(
            check(
                "visual_document_number",
                printed == data.document_number,
                f"visual {printed!r}, MRZ {data.document_number!r}",
            )
        )
    for field, value, mrz_value in (
        ("surname", visual.surname, data.surname),
        ("given_names", visual.given_names, data.given_names),
    ):
        if value is not None:
            ok = _name_matches(value, mrz_value, truncated)
            checks.append(check(f"visual_{field}", ok, f"visual {value!r}, MRZ {mrz_value!r}"))
    for field, day, mrz_day in (
        ("birth_date", visual.birth_date, data.birth_date),
        ("expiry_date", visual.expiry_date, data.expiry_date),
    ):
        if day is not None:
            checks.append(check(f"visual_{field}", day == mrz_day, f"visual {day}, MRZ {mrz_day}"))
    if visual.sex is not None:
        same = visual.sex.strip().upper()[:1] == data.sex or (
            visual.sex.strip().upper() in ("X", "") and data.sex == "<"
        )
        checks.append(check("visual_sex", same, f"visual {visual.sex!r}, MRZ {data.sex!r}"))
    for field, code, mrz_code in (
        ("nationality", visual.nationality, data.nationality),
        ("issuing_state", visual.issuing_state, data.issuing_state),
    ):
        if code is not None:
            checks.append(check(f"visual_{field}", _same_code(code, mrz_code), f"visual {code!r}, MRZ {mrz_code!r}"))
    return checks
