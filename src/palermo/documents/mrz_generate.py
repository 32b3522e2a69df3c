"""Writing MRZs: for the synthetic world, tests and benchmarks, including long numbers and deliberately broken ones."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from palermo.documents.check_digits import check_digit
from palermo.documents.mrz_dates import yymmdd
from palermo.documents.mrz_formats import FORMATS, MrzFormat, MrzFormatName, Span
from palermo.documents.mrz_names import name_field
from palermo.errors import InvalidInput


@dataclass(frozen=True)
class MrzSpec:
    """What to write. Codes are as in the MRZ (``D`` for Germany is padded to ``D<<``)."""

    format: MrzFormatName
    issuing_state: str
    document_number: str
    surname: str
    given_names: str
    nationality: str
    birth_date: date
    sex: str
    expiry_date: date
    document_code: str = ""
    optional_data: str = ""
    optional_data_2: str = ""


_DEFAULT_CODES = {"TD1": "I<", "TD2": "I<", "TD3": "P<", "MRV-A": "V<", "MRV-B": "V<"}


def _pad(text: str, width: int, what: str) -> str:
    if len(text) > width:
        raise InvalidInput(f"{what} {text!r} has {len(text)} characters; at most {width} fit")
    return text.ljust(width, "<")


def _put(lines: list[list[str]], span: Span, text: str) -> None:
    lines[span.line][span.start : span.end] = list(text)


def _number_and_optional(spec: MrzSpec, fmt: MrzFormat) -> tuple[str, str, str]:
    """Document number field, its check digit position and the optional data (long numbers continue there)."""
    width = fmt.field("optional_data").span.end - fmt.field("optional_data").span.start
    number = spec.document_number
    if len(number) <= 9:
        head = _pad(number, 9, "document number")
        return head, check_digit(head), _pad(spec.optional_data, width, "optional data")
    if not fmt.long_number:
        raise InvalidInput(f"document number {number!r} is longer than 9 characters; only TD1 and TD2 can extend it")
    tail = number[9:] + check_digit(number)
    return (
        number[:9],
        "<",
        _pad(tail + ("<" + spec.optional_data if spec.optional_data else ""), width, "long number and optional data"),
    )


def _fill_checks(lines: list[list[str]], fmt: MrzFormat) -> None:
    for chk in fmt.checks:
        if chk.id == "document_number_check_digit":
            continue
        data = "".join("".join(lines[s.line][s.start : s.end]) for s in chk.data)
        digit = "<" if chk.filler_allowed_when_empty and set(data) == {"<"} else check_digit(data)
        _put(lines, chk.digit, digit)


def make_mrz(spec: MrzSpec) -> list[str]:
    """The MRZ lines for ``spec``, with every check digit computed."""
    fmt = FORMATS[spec.format]
    lines = [["<"] * fmt.length for _ in range(fmt.lines)]
    code = (spec.document_code or _DEFAULT_CODES[fmt.name.value]).ljust(2, "<")
    number, number_digit, optional = _number_and_optional(spec, fmt)
    name_span = fmt.field("name").span
    values = {
        "document_code": code,
        "issuing_state": _pad(spec.issuing_state, 3, "issuing state"),
        "document_number": number,
        "document_number_check": number_digit,
        "optional_data": optional,
        "birth_date": yymmdd(spec.birth_date),
        "sex": spec.sex,
        "expiry_date": yymmdd(spec.expiry_date),
        "nationality": _pad(spec.nationality, 3, "nationality"),
        "name": name_field(spec.surname, spec.given_names, name_span.end - name_span.start)[0],
    }
    if fmt.has_field("optional_data_2"):
        span = fmt.field("optional_data_2").span
        values["optional_data_2"] = _pad(spec.optional_data_2, span.end - span.start, "optional data 2")
    for name, text in values.items():
        _put(lines, fmt.field(name).span, text)
    _fill_checks(lines, fmt)
    return ["".join(line) for line in lines]


def break_check_digit(lines: list[str], fmt_name: MrzFormatName, check_id: str) -> list[str]:
    """The same MRZ with one check digit made wrong (for tests and the synthetic world's forgeries)."""
    fmt = FORMATS[fmt_name]
    chk = next((c for c in fmt.checks if c.id == check_id), None)
    if chk is None:
        raise InvalidInput(f"{fmt.name} has no check {check_id!r}; it has {', '.join(c.id for c in fmt.checks)}")
    digit_span = chk.digit
    if check_id == "document_number_check_digit" and lines[digit_span.line][digit_span.start] == "<":
        optional = fmt.field("optional_data").span
        tail = lines[optional.line][optional.start : optional.end].split("<", 1)[0]
        digit_span = Span(optional.line, optional.start + len(tail) - 1, optional.start + len(tail))
    current = lines[digit_span.line][digit_span.start]
    wrong = str((int(current) + 1) % 10) if current.isdigit() else "1"
    row = lines[digit_span.line]
    broken = [*lines]
    broken[digit_span.line] = row[: digit_span.start] + wrong + row[digit_span.start + 1 :]
    return broken
