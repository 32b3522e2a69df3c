"""The core entry point: one call that reads an MRZ and runs every document check, for the API, CLI and screening."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from palermo.documents.checks import date_checks, nationality_check, specimen_check, validity_check, visual_checks
from palermo.documents.lost_stolen import LostStolenRegistry
from palermo.documents.models import Check, DocumentCheckResult, MrzData, RegistryHit, VisualZone, check
from palermo.documents.mrz_parse import parse_mrz
from palermo.errors import InvalidInput


def registry_checks(data: MrzData, registry: LostStolenRegistry) -> tuple[list[Check], list[RegistryHit]]:
    """Exact and near lookups of the document in the lost/stolen registry."""
    try:
        exact = registry.lookup(data.issuing_state, data.document_number)
        near = registry.near(data.issuing_state, data.document_number)
    except InvalidInput as exc:
        return [check("registry_exact", False, f"cannot look up: {exc.message}")], []
    exact_detail = (
        f"reported {exact.status} on {exact.reported_date} by {exact.reporting_agency}" if exact else "not reported"
    )
    near_detail = (
        "; ".join(f"{h.document_number} ({h.status}): {h.reason}" for h in near) or "no stolen number one change away"
    )
    checks = [check("registry_exact", exact is None, exact_detail), check("registry_near", not near, near_detail)]
    return checks, ([exact] if exact else []) + near


def check_document(
    mrz: str | Sequence[str],
    *,
    visual: VisualZone | None = None,
    registry: LostStolenRegistry | None = None,
    at: date | None = None,
    ocr: bool = False,
) -> DocumentCheckResult:
    """Read the MRZ and run every check; raises ``MrzUnreadable`` (an ``InvalidInput``) when it cannot be read."""
    day = at or date.today()
    reading = parse_mrz(mrz, at=day, ocr=ocr)
    data = reading.data
    checks = [*reading.checks, *date_checks(data, day, visual)]
    validity = validity_check(data, visual, day)
    checks += [validity] if validity else []
    checks += [nationality_check(data), specimen_check(data)]
    if visual is not None:
        truncated = any(c.id == "name_truncated" and not c.passed for c in reading.checks)
        checks += visual_checks(data, visual, truncated)
    hits: list[RegistryHit] = []
    if registry is not None:
        registry_results, hits = registry_checks(data, registry)
        checks += registry_results
    fields = data.model_dump(exclude={"lines", "birth_date_raw", "expiry_date_raw"})
    return DocumentCheckResult(
        **fields,
        valid=all(c.passed for c in checks if c.severity == "error"),
        mrz_valid=reading.valid,
        checked_at=day,
        checks=checks,
        flags=[c.id for c in checks if c.severity == "flag" and not c.passed],
        ocr_corrections=reading.corrections,
        registry_hits=hits,
    )
