"""Form helpers shared by pages: text fields to lists, and a model's validation errors as messages per form field."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from pydantic import ValidationError

from palermo.errors import InvalidInput


def lines_of(text: str) -> list[str]:
    """The non-blank lines of a text area, trimmed."""
    return [line.strip() for line in text.splitlines() if line.strip()]


def blank_to_none(text: str) -> str | None:
    return text.strip() or None


def checked(errors: dict[str, str], field: str, check: Callable[[str], Any], value: str) -> Any:
    """``check(value)`` (a core validator), or None with the core's message recorded against ``field``."""
    if not value.strip():
        return None
    try:
        return check(value)
    except InvalidInput as exc:
        errors[field] = str(exc)
        return None


def field_errors(exc: ValidationError, fields: Mapping[str, str]) -> dict[str, str]:
    """A model's validation errors keyed by form field (``fields``: model field -> form field), first per field.

    A list item's error names its line (``mrz`` line 2 is too long); a nested error names its line and field.
    """
    found: dict[str, str] = {}
    for error in exc.errors():
        loc = [str(part) for part in error.get("loc", ())]
        form_field = fields.get(loc[0], loc[0]) if loc else "form"
        where = f"line {int(loc[1]) + 1}: " if len(loc) > 1 and loc[1].isdigit() else ""
        what = f"{loc[2]} " if len(loc) > 2 else ""
        message = str(error.get("msg", "invalid")).removeprefix("Value error, ")
        found.setdefault(form_field, f"{where}{what}{message}")
    return found
