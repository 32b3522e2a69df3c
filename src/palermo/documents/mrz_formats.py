"""The five MRZ layouts of ICAO Doc 9303 as data: where each field lies and what each check digit covers.

Positions are 0-based and end-exclusive (the standard counts from 1). Sources: Doc 9303 Part 4 (TD3 passports),
Part 5 (TD1 cards), Part 6 (TD2 cards), Part 7 (MRV-A and MRV-B visas).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Literal

FieldKind = Literal["alpha", "numeric", "alnum", "name", "sex"]


class MrzFormatName(StrEnum):
    TD1 = "TD1"
    TD2 = "TD2"
    TD3 = "TD3"
    MRVA = "MRV-A"
    MRVB = "MRV-B"


@dataclass(frozen=True)
class Span:
    line: int
    start: int
    end: int

    def take(self, lines: list[str]) -> str:
        return lines[self.line][self.start : self.end]


@dataclass(frozen=True)
class FieldSpec:
    name: str
    span: Span
    kind: FieldKind


@dataclass(frozen=True)
class CheckSpec:
    """A check digit at ``digit`` computed over the concatenation of ``data``."""

    id: str
    data: tuple[Span, ...]
    digit: Span
    filler_allowed_when_empty: bool = False


@dataclass(frozen=True)
class MrzFormat:
    name: MrzFormatName
    lines: int
    length: int
    document_codes: frozenset[str]
    fields: tuple[FieldSpec, ...]
    checks: tuple[CheckSpec, ...]
    long_number: bool

    def field(self, name: str) -> FieldSpec:
        return next(f for f in self.fields if f.name == name)

    def has_field(self, name: str) -> bool:
        return any(f.name == name for f in self.fields)

    def kind_at(self, line: int, position: int) -> tuple[str, FieldKind] | None:
        """The field (name, kind) covering one character position."""
        for spec in self.fields:
            if spec.span.line == line and spec.span.start <= position < spec.span.end:
                return spec.name, spec.kind
        return None


def _f(name: str, line: int, start: int, end: int, kind: FieldKind) -> FieldSpec:
    return FieldSpec(name, Span(line, start, end), kind)


def _c(check_id: str, data: list[tuple[int, int, int]], digit: tuple[int, int], *, filler: bool = False) -> CheckSpec:
    return CheckSpec(
        check_id,
        tuple(Span(*d) for d in data),
        Span(digit[0], digit[1], digit[1] + 1),
        filler_allowed_when_empty=filler,
    )


def _two_line_second(length: int, *, optional_check: bool, composite: bool) -> tuple[FieldSpec, ...]:
    """Line 2 of TD2, TD3 and the visas: the same first 28 positions, then optional data and check digits."""
    tail: list[FieldSpec] = []
    optional_end = length - (1 if composite else 0) - (1 if optional_check else 0)
    tail.append(_f("optional_data", 1, 28, optional_end, "alnum"))
    if optional_check:
        tail.append(_f("optional_data_check", 1, optional_end, optional_end + 1, "numeric"))
    if composite:
        tail.append(_f("composite_check", 1, length - 1, length, "numeric"))
    return (
        _f("document_number", 1, 0, 9, "alnum"),
        _f("document_number_check", 1, 9, 10, "numeric"),
        _f("nationality", 1, 10, 13, "alpha"),
        _f("birth_date", 1, 13, 19, "numeric"),
        _f("birth_date_check", 1, 19, 20, "numeric"),
        _f("sex", 1, 20, 21, "sex"),
        _f("expiry_date", 1, 21, 27, "numeric"),
        _f("expiry_date_check", 1, 27, 28, "numeric"),
        *tail,
    )


def _two_line_first(length: int) -> tuple[FieldSpec, ...]:
    return (
        _f("document_code", 0, 0, 2, "alpha"),
        _f("issuing_state", 0, 2, 5, "alpha"),
        _f("name", 0, 5, length, "name"),
    )


def _common_checks() -> tuple[CheckSpec, ...]:
    return (
        _c("document_number_check_digit", [(1, 0, 9)], (1, 9)),
        _c("birth_date_check_digit", [(1, 13, 19)], (1, 19)),
        _c("expiry_date_check_digit", [(1, 21, 27)], (1, 27)),
    )


TD1 = MrzFormat(
    name=MrzFormatName.TD1,
    lines=3,
    length=30,
    document_codes=frozenset("ACI"),
    fields=(
        _f("document_code", 0, 0, 2, "alpha"),
        _f("issuing_state", 0, 2, 5, "alpha"),
        _f("document_number", 0, 5, 14, "alnum"),
        _f("document_number_check", 0, 14, 15, "numeric"),
        _f("optional_data", 0, 15, 30, "alnum"),
        _f("birth_date", 1, 0, 6, "numeric"),
        _f("birth_date_check", 1, 6, 7, "numeric"),
        _f("sex", 1, 7, 8, "sex"),
        _f("expiry_date", 1, 8, 14, "numeric"),
        _f("expiry_date_check", 1, 14, 15, "numeric"),
        _f("nationality", 1, 15, 18, "alpha"),
        _f("optional_data_2", 1, 18, 29, "alnum"),
        _f("composite_check", 1, 29, 30, "numeric"),
        _f("name", 2, 0, 30, "name"),
    ),
    checks=(
        _c("document_number_check_digit", [(0, 5, 14)], (0, 14)),
        _c("birth_date_check_digit", [(1, 0, 6)], (1, 6)),
        _c("expiry_date_check_digit", [(1, 8, 14)], (1, 14)),
        _c("composite_check_digit", [(0, 5, 30), (1, 0, 7), (1, 8, 15), (1, 18, 29)], (1, 29)),
    ),
    long_number=True,
)

TD2 = MrzFormat(
    name=MrzFormatName.TD2,
    lines=2,
    length=36,
    document_codes=frozenset("ACI"),
    fields=_two_line_first(36) + _two_line_second(36, optional_check=False, composite=True),
    checks=(
        *_common_checks(),
        _c("composite_check_digit", [(1, 0, 10), (1, 13, 20), (1, 21, 35)], (1, 35)),
    ),
    long_number=True,
)

TD3 = MrzFormat(
    name=MrzFormatName.TD3,
    lines=2,
    length=44,
    document_codes=frozenset("P"),
    fields=_two_line_first(44) + _two_line_second(44, optional_check=True, composite=True),
    checks=(
        *_common_checks(),
        _c("optional_data_check_digit", [(1, 28, 42)], (1, 42), filler=True),
        _c("composite_check_digit", [(1, 0, 10), (1, 13, 20), (1, 21, 43)], (1, 43)),
    ),
    long_number=False,
)

MRVA = MrzFormat(
    name=MrzFormatName.MRVA,
    lines=2,
    length=44,
    document_codes=frozenset("V"),
    fields=_two_line_first(44) + _two_line_second(44, optional_check=False, composite=False),
    checks=_common_checks(),
    long_number=False,
)

MRVB = MrzFormat(
    name=MrzFormatName.MRVB,
    lines=2,
    length=36,
    document_codes=frozenset("V"),
    fields=_two_line_first(36) + _two_line_second(36, optional_check=False, composite=False),
    checks=_common_checks(),
    long_number=False,
)

FORMATS: dict[MrzFormatName, MrzFormat] = {f.name: f for f in (TD1, TD2, TD3, MRVA, MRVB)}


def detect_format(lines: list[str]) -> MrzFormat | None:
    """The layout whose line count and length match; the visa layouts are told apart by the code ``V``."""
    shape = (len(lines), len(lines[0]) if lines else 0)
    visa = bool(lines) and lines[0][:1] == "V"
    by_shape = {
        (3, 30): TD1,
        (2, 36): MRVB if visa else TD2,
        (2, 44): MRVA if visa else TD3,
    }
    return by_shape.get(shape)
