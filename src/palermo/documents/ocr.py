"""OCR-tolerant reading: fix the usual letter/digit confusions, only where the field type and a check digit agree.

* In a numeric field (dates, check digits) a confusable letter becomes its digit when the field's check digit then
  holds.
* In an alphabetic field (codes, states, names, sex) a confusable digit becomes its letter, since no digit may
  stand there; a state code is changed only when the result is a known code.
* In an alphanumeric field with a check digit (document number, TD3 personal number) a character is swapped with
  its pair only when exactly one such single swap makes the check digit hold.

Every change is reported as an :class:`OcrCorrection`.
"""

from __future__ import annotations

from functools import cache

from palermo.documents.check_digits import is_valid
from palermo.documents.models import OcrCorrection
from palermo.documents.mrz_formats import CheckSpec, FieldKind, MrzFormat
from palermo.taxonomies import taxonomy
from palermo.taxonomies.countries import is_icao_state_code

Grid = list[list[str]]
Position = tuple[int, int]


@cache
def _pairs() -> tuple[dict[str, str], dict[str, str]]:
    terms = taxonomy("ocr_confusions").terms
    to_digit = {str(t.attributes["letter"]): str(t.attributes["digit"]) for t in terms}
    return to_digit, {v: k for k, v in to_digit.items()}


def _kind(fmt: MrzFormat, pos: Position) -> tuple[str, FieldKind]:
    found = fmt.kind_at(*pos)
    return found if found is not None else ("unknown", "alnum")


def _record(grid: Grid, fmt: MrzFormat, fixes: dict[Position, str], reason: str, out: list[OcrCorrection]) -> None:
    for (line, col), new in sorted(fixes.items()):
        field, _ = _kind(fmt, (line, col))
        out.append(
            OcrCorrection(
                line=line + 1, position=col + 1, field=field, original=grid[line][col], corrected=new, reason=reason
            )
        )
        grid[line][col] = new


def _upper_case(grid: Grid, fmt: MrzFormat, out: list[OcrCorrection]) -> None:
    fixes = {(r, c): ch.upper() for r, row in enumerate(grid) for c, ch in enumerate(row) if ch.islower()}
    _record(grid, fmt, fixes, "lower-case letter; the MRZ uses upper case only", out)


def _alpha_fields(grid: Grid, fmt: MrzFormat, out: list[OcrCorrection]) -> None:
    _, to_letter = _pairs()
    for spec in fmt.fields:
        if spec.kind not in ("alpha", "name", "sex"):
            continue
        span = spec.span
        fixes = {
            (span.line, c): to_letter[grid[span.line][c]]
            for c in range(span.start, span.end)
            if grid[span.line][c] in to_letter
        }
        if not fixes:
            continue
        if spec.name in ("issuing_state", "nationality"):
            code = "".join(fixes.get((span.line, c), grid[span.line][c]) for c in range(span.start, span.end))
            if not is_icao_state_code(code):
                continue
        _record(grid, fmt, fixes, f"digit in the alphabetic field {spec.name}", out)


def _text(grid: Grid, positions: list[Position], fixes: dict[Position, str]) -> str:
    return "".join(fixes.get(p, grid[p[0]][p[1]]) for p in positions)


def _single_swaps(
    grid: Grid, fmt: MrzFormat, positions: list[Position], digit: Position, fixes: dict[Position, str]
) -> list[dict[Position, str]]:
    to_digit, to_letter = _pairs()
    found = []
    for pos in positions:
        if _kind(fmt, pos)[1] != "alnum":
            continue
        current = fixes.get(pos, grid[pos[0]][pos[1]])
        alternative = to_digit.get(current) or to_letter.get(current)
        if alternative is None:
            continue
        trial = {**fixes, pos: alternative}
        if is_valid(_text(grid, positions, trial), _text(grid, [digit], trial)):
            found.append(trial)
    return found


def _checked_field(grid: Grid, fmt: MrzFormat, spec: CheckSpec, out: list[OcrCorrection]) -> None:
    to_digit, _ = _pairs()
    positions = [(s.line, c) for s in spec.data for c in range(s.start, s.end)]
    digit = (spec.digit.line, spec.digit.start)
    fixes = {
        p: to_digit[grid[p[0]][p[1]]]
        for p in [*positions, digit]
        if _kind(fmt, p)[1] == "numeric" and grid[p[0]][p[1]] in to_digit
    }
    if is_valid(_text(grid, positions, fixes), _text(grid, [digit], fixes)):
        _record(grid, fmt, fixes, f"letter in a numeric field; the check digit ({spec.id}) confirms it", out)
        return
    swaps = _single_swaps(grid, fmt, positions, digit, fixes)
    if len(swaps) == 1:
        _record(grid, fmt, swaps[0], f"the only letter/digit swap that satisfies the check digit ({spec.id})", out)


def correct(lines: list[str], fmt: MrzFormat) -> tuple[list[str], list[OcrCorrection]]:
    """The lines with confirmed OCR corrections applied, and the list of corrections."""
    grid = [list(line) for line in lines]
    corrections: list[OcrCorrection] = []
    _upper_case(grid, fmt, corrections)
    _alpha_fields(grid, fmt, corrections)
    for spec in fmt.checks:
        if spec.id != "composite_check_digit" and grid[spec.digit.line][spec.digit.start] != "<":
            _checked_field(grid, fmt, spec, corrections)
    return ["".join(row) for row in grid], corrections
