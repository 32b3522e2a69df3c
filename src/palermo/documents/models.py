"""What the documents package returns: checks with reasons, corrections, registry hits and the overall result.

``DocumentCheckResult.model_dump(mode="json")`` is the JSON documented in ``docs/documents.md``.
"""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from palermo.taxonomies import taxonomy

Severity = Literal["error", "flag"]


class Check(BaseModel):
    """One named check: passed or not, and why, in words an officer can read."""

    model_config = ConfigDict(frozen=True)

    id: str
    passed: bool
    detail: str
    severity: Severity = "error"


def check(check_id: str, passed: bool, detail: str) -> Check:
    """A check whose severity comes from the ``document_checks`` taxonomy (unknown ids are refused there)."""
    term = taxonomy("document_checks").require(check_id)
    severity: Severity = "flag" if term.attributes.get("severity") == "flag" else "error"
    return Check(id=check_id, passed=passed, detail=detail, severity=severity)


class OcrCorrection(BaseModel):
    """One character changed in OCR-tolerant mode, and what confirmed the change."""

    model_config = ConfigDict(frozen=True)

    line: int = Field(description="1-based line of the MRZ")
    position: int = Field(description="1-based position in the line")
    field: str
    original: str
    corrected: str
    reason: str


class MrzData(BaseModel):
    """The fields read from an MRZ, as printed (fillers removed, names split)."""

    model_config = ConfigDict(frozen=True)

    format: str
    lines: list[str]
    document_code: str
    document_type: str
    issuing_state: str
    document_number: str
    surname: str
    given_names: str
    nationality: str
    birth_date: date | None
    birth_date_raw: str
    expiry_date: date | None
    expiry_date_raw: str
    sex: str
    optional_data: str
    optional_data_2: str = ""
    long_document_number: bool = False


class MrzReading(BaseModel):
    """An MRZ as read: the data, the MRZ-level checks and any OCR corrections."""

    model_config = ConfigDict(frozen=True)

    data: MrzData
    checks: list[Check]
    corrections: list[OcrCorrection] = Field(default_factory=list)

    @property
    def valid(self) -> bool:
        return all(c.passed for c in self.checks if c.severity == "error")


class VisualZone(BaseModel):
    """Fields read from the visual inspection zone (printed page); any may be missing."""

    model_config = ConfigDict(frozen=True)

    document_number: str | None = None
    surname: str | None = None
    given_names: str | None = None
    nationality: str | None = None
    issuing_state: str | None = None
    birth_date: date | None = None
    expiry_date: date | None = None
    issue_date: date | None = None
    sex: str | None = None


class RegistryHit(BaseModel):
    """A lost/stolen registry entry that matches the document exactly or nearly."""

    model_config = ConfigDict(frozen=True)

    match: Literal["exact", "near"]
    confidence: float
    reason: str
    issuing_state: str
    document_number: str
    document_type: str
    status: str
    reported_date: date
    reporting_agency: str


class DocumentCheckResult(BaseModel):
    """The answer to "can this document be trusted?": fields, every check with its reason, and registry hits."""

    model_config = ConfigDict(frozen=True)

    valid: bool = Field(description="No check of severity `error` failed")
    mrz_valid: bool = Field(description="Every MRZ-level check passed (structure, codes, check digits)")
    format: str
    document_code: str
    document_type: str
    issuing_state: str
    document_number: str
    surname: str
    given_names: str
    nationality: str
    birth_date: date | None
    expiry_date: date | None
    sex: str
    optional_data: str
    optional_data_2: str
    long_document_number: bool
    checked_at: date
    checks: list[Check]
    flags: list[str] = Field(description="Ids of failed checks of severity `flag`")
    ocr_corrections: list[OcrCorrection]
    registry_hits: list[RegistryHit]
