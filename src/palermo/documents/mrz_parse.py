"""Reading and validating an MRZ: layout detection, fields, long document numbers, codes, dates, check digits.

``parse_mrz`` never guesses silently: unreadable input raises :class:`MrzUnreadable` naming the line, the position
and what was expected; everything readable comes back as data plus a list of named checks.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from palermo.documents import mrz_dates
from palermo.documents.check_digits import MRZ_ALPHABET, check_digit, is_valid
from palermo.documents.models import Check, MrzData, MrzReading, OcrCorrection, check
from palermo.documents.mrz_formats import CheckSpec, MrzFormat, Span, detect_format
from palermo.documents.mrz_names import read_name_field
from palermo.documents.ocr import correct
from palermo.errors import InvalidInput
from palermo.taxonomies import taxonomy
from palermo.taxonomies.countries import is_icao_state_code

SHAPES = "2 lines of 36 or 44 characters, or 3 lines of 30 characters"
_JOINED = {90: 30, 88: 44, 72: 36}


class MrzUnreadable(InvalidInput):
    """The text cannot be read as an MRZ at all (wrong shape or characters outside the MRZ alphabet)."""

    code = "mrz_unreadable"


def split_lines(mrz: str | Sequence[str]) -> list[str]:
    """MRZ lines from text or a sequence; blank lines dropped, surrounding spaces trimmed; 90/88/72 joined split."""
    raw = mrz.splitlines() if isinstance(mrz, str) else [str(line) for line in mrz]
    lines = [line.strip() for line in raw if line.strip()]
    if len(lines) == 1 and len(lines[0]) in _JOINED:
        width = _JOINED[len(lines[0])]
        lines = [lines[0][i : i + width] for i in range(0, len(lines[0]), width)]
    return lines


def _require_shape(lines: list[str]) -> MrzFormat:
    if not lines:
        raise MrzUnreadable(f"no MRZ lines given; expected {SHAPES}")
    if len(lines) not in (2, 3):
        raise MrzUnreadable(f"{len(lines)} lines given; expected {SHAPES}")
    width = len(lines[0])
    for number, line in enumerate(lines[1:], start=2):
        if len(line) != width:
            raise MrzUnreadable(
                f"line {number} has {len(line)} characters but line 1 has {width}; "
                "all lines of an MRZ have the same length"
            )
    fmt = detect_format(lines)
    if fmt is None:
        raise MrzUnreadable(f"{len(lines)} lines of {width} characters; expected {SHAPES}")
    return fmt


def _require_alphabet(lines: list[str], *, lower_ok: bool) -> None:
    for number, line in enumerate(lines, start=1):
        for position, char in enumerate(line, start=1):
            if char in MRZ_ALPHABET or (lower_ok and char.upper() in MRZ_ALPHABET):
                continue
            hint = " (lower case: use --ocr to accept it)" if char.upper() in MRZ_ALPHABET else ""
            raise MrzUnreadable(
                f"line {number}, position {position}: character {char!r} is not allowed{hint}; expected A-Z, 0-9 or '<'"
            )


def _where(span: Span) -> str:
    return f"line {span.line + 1}, position {span.start + 1}"


def _digit_check(check_id: str, data: str, digit: str, digit_span: Span, covers: str) -> Check:
    computed = check_digit(data)
    if is_valid(data, digit):
        return check(check_id, True, f"check digit {digit} over {covers} {data!r} is correct")
    if not digit.isdigit():
        return check(
            check_id,
            False,
            f"{_where(digit_span)} holds {digit!r} where a check digit 0-9 is expected "
            f"(computed {computed} over {covers} {data!r})",
        )
    return check(
        check_id, False, f"{_where(digit_span)}: check digit is {digit}, computed {computed} over {covers} {data!r}"
    )


def _long_number(lines: list[str], fmt: MrzFormat) -> tuple[str, str, Check, bool]:
    """Document number, optional data and the number's check; TD1/TD2 numbers over 9 characters continue in the
    optional data, ending with their check digit, and leave ``<`` in the check digit position."""
    number_span = fmt.field("document_number").span
    digit_span = fmt.field("document_number_check").span
    optional = fmt.field("optional_data").span.take(lines)
    head, digit = number_span.take(lines), digit_span.take(lines)
    if not (fmt.long_number and digit == "<"):
        spec = next(c for c in fmt.checks if c.id == "document_number_check_digit")
        result = _digit_check(spec.id, head, digit, digit_span, "the document number")
        return head.rstrip("<"), optional.rstrip("<"), result, False
    tail = optional.split("<", 1)[0]
    if len(tail) < 2:
        detail = (
            f"{_where(digit_span)} holds '<' (long document number) but the optional data {optional!r} "
            "holds no continuation and check digit"
        )
        return head.rstrip("<"), optional.strip("<"), check("document_number_check_digit", False, detail), True
    number, long_digit = head + tail[:-1], tail[-1]
    tail_span = Span(digit_span.line, fmt.field("optional_data").span.start + len(tail) - 1, 0)
    result = _digit_check("document_number_check_digit", number, long_digit, tail_span, "the long document number")
    return number, optional[len(tail) :].strip("<"), result, True


def _other_digit_checks(lines: list[str], fmt: MrzFormat) -> list[Check]:
    results = []
    covers = {
        "birth_date_check_digit": "the date of birth",
        "expiry_date_check_digit": "the date of expiry",
        "optional_data_check_digit": "the personal number",
        "composite_check_digit": "the composite fields",
    }
    for spec in fmt.checks:
        if spec.id == "document_number_check_digit":
            continue
        results.append(_spec_check(lines, spec, covers[spec.id]))
    return results


def _spec_check(lines: list[str], spec: CheckSpec, covers: str) -> Check:
    data = "".join(span.take(lines) for span in spec.data)
    digit = spec.digit.take(lines)
    if spec.filler_allowed_when_empty and set(data) == {"<"} and digit in ("<", "0"):
        return check(spec.id, True, f"{covers} is empty and its check digit is {digit!r}, as allowed")
    return _digit_check(spec.id, data, digit, spec.digit, covers)


def _code_checks(lines: list[str], fmt: MrzFormat) -> list[Check]:
    code = fmt.field("document_code").span.take(lines)
    allowed = "".join(sorted(fmt.document_codes))
    code_ok = code[0] in fmt.document_codes and not (fmt.name in ("TD1", "TD2") and code[1] == "V")
    state = fmt.field("issuing_state").span.take(lines)
    nationality = fmt.field("nationality").span.take(lines)
    return [
        check(
            "document_code",
            code_ok,
            f"document code {code!r}"
            + (
                ""
                if code_ok
                else f"; {fmt.name} documents start with one of {allowed!r} "
                "(and a second character other than 'V' on cards)"
            ),
        ),
        check(
            "issuing_state_code",
            is_icao_state_code(state),
            f"issuing state {state!r}"
            + ("" if is_icao_state_code(state) else " is neither ISO 3166-1 alpha-3 nor an ICAO Doc 9303 code"),
        ),
        check(
            "nationality_code",
            is_icao_state_code(nationality),
            f"nationality {nationality!r}"
            + ("" if is_icao_state_code(nationality) else " is neither ISO 3166-1 alpha-3 nor an ICAO Doc 9303 code"),
        ),
    ]


def _date_checks(birth: mrz_dates.DateReading, expiry: mrz_dates.DateReading, raw: tuple[str, str]) -> list[Check]:
    birth_detail = f"date of birth {raw[0]!r}: " + (
        birth.problem or ("partially unknown" if birth.partial else f"{birth.value}")
    )
    expiry_detail = f"date of expiry {raw[1]!r}: " + (expiry.problem or f"{expiry.value}")
    return [
        check("birth_date_valid", birth.problem is None, birth_detail),
        check("expiry_date_valid", expiry.problem is None, expiry_detail),
    ]


def _document_type(code: str) -> str:
    term = taxonomy("mrz_document_codes").get(code[:1])
    return str(term.attributes["document_type"]) if term else "other"


def _read(lines: list[str], fmt: MrzFormat, at: date) -> tuple[MrzData, list[Check]]:
    number, optional, number_check, long_number = _long_number(lines, fmt)
    name = read_name_field(fmt.field("name").span.take(lines))
    raw_birth, raw_expiry = fmt.field("birth_date").span.take(lines), fmt.field("expiry_date").span.take(lines)
    ahead = int(taxonomy("document_checks").require("expiry_date_valid").attributes["max_years_ahead"])
    birth, expiry = mrz_dates.read_birth_date(raw_birth, at), mrz_dates.read_expiry_date(raw_expiry, at, ahead)
    sex = fmt.field("sex").span.take(lines)
    code = fmt.field("document_code").span.take(lines)
    data = MrzData(
        format=fmt.name.value,
        lines=lines,
        document_code=code.rstrip("<"),
        document_type=_document_type(code),
        issuing_state=fmt.field("issuing_state").span.take(lines).rstrip("<"),
        document_number=number,
        surname=name.surname,
        given_names=name.given_names,
        nationality=fmt.field("nationality").span.take(lines).rstrip("<"),
        birth_date=birth.value,
        birth_date_raw=raw_birth,
        expiry_date=expiry.value,
        expiry_date_raw=raw_expiry,
        sex=sex,
        optional_data=optional,
        optional_data_2=fmt.field("optional_data_2").span.take(lines).rstrip("<")
        if fmt.has_field("optional_data_2")
        else "",
        long_document_number=long_number,
    )
    checks = [
        *_code_checks(lines, fmt),
        number_check,
        *_other_digit_checks(lines, fmt),
        *_date_checks(birth, expiry, (raw_birth, raw_expiry)),
        check("sex_code", sex in "MFX<", f"sex {sex!r}" + ("" if sex in "MFX<" else "; expected M, F, X or '<'")),
        check(
            "name_format",
            name.problem is None,
            name.problem or f"surname {name.surname!r}, given names {name.given_names!r}",
        ),
        check(
            "name_truncated",
            not name.truncated,
            "the name fills its field to the last position and may be truncated"
            if name.truncated
            else "the name ends with fillers",
        ),
    ]
    return data, checks


def parse_mrz(mrz: str | Sequence[str], *, at: date | None = None, ocr: bool = False) -> MrzReading:
    """Read and check an MRZ given as text (lines separated by newlines) or as a sequence of lines.

    ``at`` (default: today) places two-digit years in a century (:class:`InvalidInput` when out of range, see
    :mod:`~palermo.documents.mrz_dates`); ``ocr`` applies confirmed OCR corrections.
    """
    day = mrz_dates.require_check_date(at or date.today())
    lines = split_lines(mrz)
    fmt = _require_shape(lines)
    _require_alphabet(lines, lower_ok=ocr)
    corrections: list[OcrCorrection] = []
    if ocr:
        lines, corrections = correct(lines, fmt)
    data, checks = _read(lines, fmt, day)
    return MrzReading(data=data, checks=checks, corrections=corrections)
