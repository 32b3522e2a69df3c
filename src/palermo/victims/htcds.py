"""HTCDS 2.0 exchange with NGOs: a victim case exported as the standard's record, on consent; records imported as cases.

**Export** (``victims.exchange``, a disclosure): the case's record for one provider, only when a consent of the case
for that provider is in force (not withdrawn, not expired), holding only the data categories that consent names.
No consent, a withdrawn or an expired one is refused with the reason, and the refusal is an audit entry. Every
record is validated against the standard's field list (:mod:`palermo.victims.htcds_spec`) before it leaves.

**Import** (``victims.open``, a collection): a document of records from a partner NGO, each validated (names,
types, picklists) and carrying ``con_Consent: true``, becomes a victim case; the record is kept as received in the
case's subject (sealed at rest), so an export of that case gives the standard's fields back as they came.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from functools import cache
from importlib import resources
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import select
from sqlalchemy.orm import Session

from palermo.auth.access import guard, record_access
from palermo.auth.actor import Actor
from palermo.auth.permissions import evaluate
from palermo.db.victims import VictimAssessment, VictimCase, VictimConsent, VictimObservation, VictimServiceProvider
from palermo.errors import InvalidInput, PermissionDenied
from palermo.taxonomies.countries import normalise_country
from palermo.victims.cases import CaseSubject, find_case, new_case
from palermo.victims.htcds_spec import STANDARD, record_problems, require_record
from palermo.victims.providers import provider_by_key
from palermo.victims.sealing import opened

EXPORT_PERMISSION = "victims.exchange"
MAX_RECORDS = 1000
CONTACT_FIELDS = ("prs_Email", "prs_HomePhone", "prs_MobilePhone", "prs_Mailing")


@cache
def _mapping() -> dict[str, Any]:
    text = (resources.files("palermo.victims") / "data" / "htcds_mapping.yaml").read_text(encoding="utf-8")
    loaded: dict[str, Any] = yaml.safe_load(text)
    return loaded


def category_of(field: str) -> str | None:
    """The consent's data category a field belongs to (``None``: sent with every record, ``con_Consent``)."""
    if field.startswith("con_"):
        return None
    if field == "prs_IdentityNumber":
        return "documents"
    if field.startswith(CONTACT_FIELDS):
        return "contact"
    if field.startswith(("prs_", "org_")):
        return "identity"
    if field.startswith(("vic_", "per_")):
        return "assessment"
    return "circumstances"  # cas_, cco_, hte_, spl_


class HtcdsDocument(BaseModel):
    """An exchange document: who sends it, to whom, on which consent, and the records."""

    model_config = ConfigDict(frozen=True)

    standard: str = STANDARD
    exported_at: str
    exported_by: str = Field(description="The sending agency")
    recipient: str = Field(description="The provider it is for (its key)")
    consent_id: int | None = Field(None, description="The consent the export rests on")
    records: list[dict[str, Any]]
    omitted: list[str] = Field(default_factory=list, description="Fields Palermo could not fill, and why")


class HtcdsImport(BaseModel):
    model_config = ConfigDict(frozen=True)

    cases: list[int] = Field(description="The victim cases opened, one per record, in the document's order")


def _refuse(session: Session, actor: Actor, subject: str, reason: str) -> PermissionDenied:
    record_access(session, replace(evaluate(actor, EXPORT_PERMISSION, subject=subject), granted=False, reason=reason))
    return PermissionDenied(reason, permission=EXPORT_PERMISSION)


def consent_for_export(
    session: Session, case_id: int, provider: VictimServiceProvider, on: dt.date
) -> tuple[VictimConsent | None, str]:
    """The newest consent of the case in force for ``provider`` on ``on``, or why there is none, in words."""
    rows = session.scalars(
        select(VictimConsent)
        .where(VictimConsent.case_id == case_id, VictimConsent.provider_id == provider.id)
        .order_by(VictimConsent.id.desc())
    ).all()
    gaps = []
    for consent in rows:
        if consent.withdrawn_at is not None:
            gaps.append(f"consent {consent.id}: withdrawn on {consent.withdrawn_at.date().isoformat()}")
        elif consent.valid_until < on:
            gaps.append(f"consent {consent.id}: expired on {consent.valid_until.isoformat()}")
        else:
            return consent, ""
    found = "; ".join(gaps) if gaps else "the case holds no consent for this provider"
    return None, f"no consent in force to send victim case {case_id} to {provider.key} ({found})"


def _names(subject: dict[str, Any]) -> dict[str, Any]:
    names = subject.get("names") or []
    if not names:
        return {}
    parts = names[0].split()
    return (
        {"prs_FirstName": " ".join(parts[:-1]) or parts[0], "prs_SecondName": parts[-1]}
        if len(parts) > 1
        else {"prs_SecondName": parts[0]}
    )


def _identity(subject: dict[str, Any], omitted: list[str]) -> dict[str, Any]:
    found = _names(subject)
    birth = subject.get("birth_date")
    if birth and len(birth) == 10:
        found["prs_Birthdate"] = birth
    elif birth:
        omitted.append(f"prs_Birthdate: the date of birth is known only as {birth} (the standard needs a full date)")
    if subject.get("sex"):
        found["prs_Gender"] = _mapping()["gender"][subject["sex"]]
    if subject.get("nationality"):
        found["prs_Citizenship"] = [subject["nationality"]]
    if subject.get("document_numbers"):
        found["prs_IdentityNumber"] = "; ".join(subject["document_numbers"])
    return found


def _assessment(session: Session, case_id: int, omitted: list[str]) -> dict[str, Any]:
    latest = session.scalars(
        select(VictimAssessment).where(VictimAssessment.case_id == case_id).order_by(VictimAssessment.version.desc())
    ).first()
    if latest is None:
        return {}
    found: dict[str, Any] = {"vic_TypeOfExploitation": _mapping()["type_of_exploitation"][latest.indicator_list]}
    if latest.presumed_victim:
        found["vic_TraffickingStatus"] = "PossibleVictimOfTrafficking"
    else:
        omitted.append(
            "vic_TraffickingStatus: the latest assessment does not presume a victim, which is no finding that the "
            "person is not one (NotAVictimOfTrafficking would say so)"
        )
    observed = session.scalars(select(VictimObservation).where(VictimObservation.assessment_id == latest.id))
    methods = {_mapping()["methods_of_control"].get(opened(session, o, "indicator_id")) for o in observed}
    if methods - {None}:
        found["vic_MethodsOfControl"] = sorted(m for m in methods if m)
    return found


def _record(
    session: Session, case: VictimCase, provider: VictimServiceProvider, consent: VictimConsent, on: dt.date
) -> tuple[dict[str, Any], list[str]]:
    omitted: list[str] = []
    subject = opened(session, case, "subject")
    derived: dict[str, Any] = {
        **_identity(subject, omitted),
        **_assessment(session, case.id, omitted),
        "cas_Status": "Active" if case.status == "open" else "Closed",
        "cas_ReferredOrganisation": provider.name,
        "cas_OutgoingReferralDate": on.isoformat(),
        "cas_ReasonForOutgoingReferral": "AdditionalServicesRequired",
        "cas_OutgoingReferralDetails": f"services consented to: {', '.join(consent.services)}",
    }
    received = subject.get("htcds") or {}
    assessed = {k: v for k, v in derived.items() if k.startswith("vic_")}
    merged = {**derived, **received, **assessed, "con_Consent": True}  # as received, unless assessed here since
    allowed = set(consent.data_categories)
    record = {k: v for k, v in merged.items() if category_of(k) is None or category_of(k) in allowed}
    left_out = sorted({c for k in merged if (c := category_of(k)) is not None and c not in allowed})
    if left_out:
        omitted.append(f"not consented to for {provider.key}: {', '.join(left_out)}")
    return require_record(record, f"victim case {case.id}"), omitted


def export_case(
    session: Session, actor: Actor, case_id: int, provider_key: str, *, agency: str, today: dt.date | None = None
) -> HtcdsDocument:
    """The case as an HTCDS 2.0 record for ``provider_key``, on the person's consent (refused and logged without)."""
    subject = f"victim_case:{case_id}"
    if not evaluate(actor, EXPORT_PERMISSION, subject=subject).granted:
        guard(session, actor, EXPORT_PERMISSION, subject=subject)  # logs the refusal and raises
    case = find_case(session, case_id)
    provider = provider_by_key(session, provider_key)
    on = today or dt.date.today()
    consent, reason = consent_for_export(session, case_id, provider, on)
    if consent is None:
        raise _refuse(session, actor, subject, reason)
    guard(session, actor, EXPORT_PERMISSION, subject=subject)  # the disclosure, logged with its justification
    record, omitted = _record(session, case, provider, consent, on)
    return HtcdsDocument(
        exported_at=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        exported_by=agency,
        recipient=provider.key,
        consent_id=consent.id,
        records=[record],
        omitted=omitted,
    )


def _records_of(document: Any) -> list[Any]:
    records = document.get("records") if isinstance(document, dict) else document
    if not isinstance(records, list) or not records:
        raise InvalidInput(f"an {STANDARD} document is an object with a non-empty list 'records' (or the list)")
    if len(records) > MAX_RECORDS:
        raise InvalidInput(f"an import holds at most {MAX_RECORDS} records, this one {len(records)}")
    if isinstance(document, dict) and document.get("standard", STANDARD) != STANDARD:
        raise InvalidInput(f"the document says standard {document.get('standard')!r}, not {STANDARD!r}")
    return records


def _record_problems(record: Any) -> list[str]:
    problems = record_problems(record)
    if problems:
        return problems
    if record.get("con_Consent") is not True:
        problems.append("con_Consent is not true: a record shared without the person's consent is not imported")
    if not (record.get("prs_FirstName") or record.get("prs_SecondName")):
        problems.append("names no one (prs_FirstName or prs_SecondName)")
    return problems


def subject_of_record(record: dict[str, Any]) -> CaseSubject:
    """The person as an HTCDS record names them, the record itself kept as received."""
    name = " ".join(record.get(f) or "" for f in ("prs_FirstName", "prs_MiddleName", "prs_SecondName")).split()
    sexes = {v: k for k, v in _mapping()["gender"].items() if k != "X"}
    citizenship = record.get("prs_Citizenship") or []
    numbers = [n.strip() for n in (record.get("prs_IdentityNumber") or "").split(";") if n.strip()]
    return CaseSubject(
        names=[" ".join(name)],
        birth_date=record.get("prs_Birthdate"),
        nationality=normalise_country(citizenship[0]) if citizenship else None,
        sex=sexes.get(record.get("prs_Gender") or ""),
        document_numbers=numbers,
        htcds=record,
    )


def import_cases(session: Session, actor: Actor, document: Any, *, source: str) -> HtcdsImport:
    """Open one victim case per record of an HTCDS 2.0 document; a document with any bad record is refused whole."""
    guard(session, actor, "victims.open", subject=f"htcds_import:{source[:100]}")
    records = _records_of(document)
    problems = [f"record {i}: {'; '.join(p)}" for i, r in enumerate(records, 1) if (p := _record_problems(r))]
    if problems:
        shown = problems[:20] + ([f"... and {len(problems) - 20} more"] if len(problems) > 20 else [])
        raise InvalidInput(f"the {STANDARD} document is refused, nothing imported: " + " | ".join(shown))
    cases = [
        new_case(
            session,
            actor.name,
            origin="manual",
            subject=subject_of_record(r),
            note=f"imported from {source} ({STANDARD})",
        ).id
        for r in records
    ]
    return HtcdsImport(cases=cases)
