"""Purpose binding: a consultation of personal data names why, by case reference or legal-basis code.

A justification is either the id of a legal basis in ``legal_bases.yaml`` (``border_control``) or a case
reference matching ``PALERMO_CASE_REFERENCE_PATTERN`` (``JIT-2026-0042``). The shells parse it (HTTP header
``X-Palermo-Justification``; CLI ``--justification`` or ``PALERMO_JUSTIFICATION``) and the core refuses a
personal-data operation without one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from palermo.errors import ConfigurationError, PermissionDenied
from palermo.taxonomies import taxonomy

HEADER = "X-Palermo-Justification"
MAX_LENGTH = 200


@dataclass(frozen=True)
class Justification:
    kind: Literal["case", "legal_basis"]
    value: str

    def __str__(self) -> str:
        return f"{self.kind}:{self.value}"


def how_to_justify(pattern: str | None = None) -> str:
    """The sentence every refusal carries: how to give a justification, on each channel."""
    bases = ", ".join(taxonomy("legal_bases").ids)
    case = f"a case reference matching {pattern}" if pattern else "a case reference (e.g. JIT-2026-0042)"
    return (
        f"give {case} or a legal-basis code ({bases}): over HTTP in the {HEADER} header, "
        "on the command line with --justification or PALERMO_JUSTIFICATION"
    )


def parse_justification(text: str, case_pattern: str) -> Justification:
    """Read a justification; :class:`PermissionDenied` saying how to give one when it is neither form."""
    cleaned = text.strip()
    if cleaned in taxonomy("legal_bases").ids:
        return Justification("legal_basis", cleaned)
    try:
        matches = re.fullmatch(case_pattern, cleaned) is not None
    except re.error as exc:
        raise ConfigurationError(f"PALERMO_CASE_REFERENCE_PATTERN is not a regular expression: {exc}") from None
    if matches and len(cleaned) <= MAX_LENGTH:
        return Justification("case", cleaned)
    raise PermissionDenied(
        f"justification {cleaned[:60]!r} is neither a legal-basis code nor a case reference; "
        + how_to_justify(case_pattern)
    )


def optional_justification(text: str | None, case_pattern: str) -> Justification | None:
    return None if text is None or not text.strip() else parse_justification(text, case_pattern)
