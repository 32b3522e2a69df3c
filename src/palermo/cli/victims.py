"""``palermo victims``: ILO/EC indicator assessments, victim cases, service providers, consent and referral.

Every command but ``indicators`` and ``providers`` consults special-category data: it needs a justification
(``--justification`` or ``PALERMO_JUSTIFICATION``) and is logged. Answers print as JSON, except the tables.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import typer
from pydantic import BaseModel
from rich.table import Table

from palermo.cli.common import console, reports_errors
from palermo.cli.context import JUSTIFICATION, justified_operation, operation
from palermo.errors import InvalidInput
from palermo.victims import assessments, case_file, cases, consent, counts, htcds, providers, referrals, rekey
from palermo.victims.catalogue import indicator_list

app = typer.Typer(help="Victims: indicator assessments, victim cases, providers, consent and referral.")
providers_app = typer.Typer(help="Service providers (shelters, legal aid, medical, return, child protection).")
app.add_typer(providers_app, name="providers")

INDICATOR = typer.Option([], "--indicator", "-i", help="An observed indicator's id (repeat); see `indicators`.")
EXPLOITATION = typer.Option(..., "--exploitation", help="labour or sexual.")
POPULATION = typer.Option(None, "--population", help="adult or child (default: from the case's date of birth).")
OBSERVED_BY = typer.Option(None, "--observed-by", help="Who observed the indicators (default: the interviewer).")
INTERVIEWER = typer.Option(None, "--interviewer", help="Who held the interview (default: you).")
INTERVIEWED_AT = typer.Option(None, "--interviewed-at", help="When, ISO 8601 (default: now).")
NOTE = typer.Option(None, "--note", help="A note.")


def _print(answer: BaseModel | list[Any]) -> None:
    data = [a.model_dump(mode="json") for a in answer] if isinstance(answer, list) else answer.model_dump(mode="json")
    console.print_json(json.dumps(data, ensure_ascii=False))


def _assessment(
    exploitation: str,
    population: str | None,
    indicators: list[str],
    observed_by: str | None,
    interviewer: str | None,
    interviewed_at: str | None,
    note: str | None,
) -> dict[str, Any]:
    return {
        "exploitation": exploitation,
        "population": population,
        "interviewer": interviewer,
        "interviewed_at": interviewed_at,
        "observations": [{"indicator": i, "observed_by": observed_by} for i in indicators],
        "note": note,
    }


@app.command("indicators")
@reports_errors
def indicators(
    list_id: str = typer.Option(
        "adult_labour", "--list", help="adult_labour, adult_sexual, child_labour, child_sexual."
    ),
) -> None:
    """List the ILO/EC indicators of one list: id, dimension, strength, label."""
    listed = indicator_list(list_id)
    table = Table("id", "dimension", "strength", "indicator", title=listed.label)
    for i in listed.indicators:
        table.add_row(i.id, i.dimension, i.strength, i.label)
    console.print(table)


@app.command("open")
@reports_errors
def open_command(
    person_id: int = typer.Option(None, "--person-id", help="The person record the case is for."),
    identity_id: int = typer.Option(None, "--identity-id", help="The identity the case is for."),
    names: list[str] = typer.Option([], "--name", help="A name of the person (repeat)."),
    birth_date: str = typer.Option(None, "--birth-date", help="YYYY, YYYY-MM or YYYY-MM-DD."),
    nationality: str = typer.Option(None, "--nationality", help="Three-letter code."),
    note: str = NOTE,
    justification: str = JUSTIFICATION,
) -> None:
    """Open a victim case for a person record, an identity or a person named here."""
    subject = cases.CaseSubject(names=names, birth_date=birth_date, nationality=nationality)
    request = cases.CaseIn(person_id=person_id, identity_id=identity_id, subject=subject, note=note)
    with justified_operation(justification) as op:
        opened = cases.open_case(op.session, op.actor, request)
    console.print(f"victim case {opened.id} opened")


@app.command("cases")
@reports_errors
def cases_command(
    status: str = typer.Option(None, "--status", help="open or closed."),
    limit: int = typer.Option(100, min=1, max=cases.MAX_LIST, help="Most cases to list."),
    justification: str = JUSTIFICATION,
) -> None:
    """List victim cases, newest first, with the latest assessment's result."""
    with justified_operation(justification) as op:
        found = cases.list_cases(op.session, op.actor, status=status, limit=limit)
    table = Table("id", "opened", "by", "origin", "status", "presumed victim")
    for c in found:
        presumed = "not assessed" if c.presumed_victim is None else ("yes" if c.presumed_victim else "no")
        table.add_row(str(c.id), c.opened_at[:19], c.opened_by, c.origin, c.status, presumed)
    console.print(table)


@app.command("counts")
@reports_errors
def counts_command() -> None:
    """How many victim cases, by status and origin, assessed and presumed victims (no case named)."""
    with operation() as op:
        _print(counts.case_counts(op.session, op.actor))


@app.command("show")
@reports_errors
def show(case_id: int = typer.Argument(..., help="Case id."), justification: str = JUSTIFICATION) -> None:
    """Print one case with its consents and referrals, as JSON."""
    with justified_operation(justification) as op:
        _print(case_file.get_case(op.session, op.actor, case_id))


@app.command("assess")
@reports_errors
def assess(
    case_id: int = typer.Argument(..., help="Case id."),
    exploitation: str = EXPLOITATION,
    population: str = POPULATION,
    indicator: list[str] = INDICATOR,
    observed_by: str = OBSERVED_BY,
    interviewer: str = INTERVIEWER,
    interviewed_at: str = INTERVIEWED_AT,
    note: str = NOTE,
    justification: str = JUSTIFICATION,
) -> None:
    """Record a case's first indicator assessment; print the explained result as JSON."""
    fields = _assessment(exploitation, population, indicator, observed_by, interviewer, interviewed_at, note)
    request = assessments.AssessmentIn.model_validate(fields)
    with justified_operation(justification) as op:
        _print(assessments.record_assessment(op.session, op.actor, case_id, request))


@app.command("revise")
@reports_errors
def revise(
    assessment_id: int = typer.Argument(..., help="The latest assessment's id."),
    reason: str = typer.Option(..., "--reason", help="Why it is revised."),
    exploitation: str = EXPLOITATION,
    population: str = POPULATION,
    indicator: list[str] = INDICATOR,
    observed_by: str = OBSERVED_BY,
    interviewer: str = INTERVIEWER,
    interviewed_at: str = INTERVIEWED_AT,
    note: str = NOTE,
    justification: str = JUSTIFICATION,
) -> None:
    """Record a new version of an assessment (the old one stays); print it as JSON."""
    fields = _assessment(exploitation, population, indicator, observed_by, interviewer, interviewed_at, note)
    request = assessments.RevisionIn.model_validate(fields | {"reason": reason})
    with justified_operation(justification) as op:
        _print(assessments.revise_assessment(op.session, op.actor, assessment_id, request))


@app.command("history")
@reports_errors
def history(case_id: int = typer.Argument(..., help="Case id."), justification: str = JUSTIFICATION) -> None:
    """Every version of a case's assessment, oldest first, as JSON."""
    with justified_operation(justification) as op:
        _print(assessments.assessment_history(op.session, op.actor, case_id))


@app.command("consent")
@reports_errors
def consent_command(
    case_id: int = typer.Argument(..., help="Case id."),
    provider: str = typer.Option(..., "--provider", help="The provider's key."),
    categories: list[str] = typer.Option(..., "--category", help="A data category it allows (repeat)."),
    services: list[str] = typer.Option(..., "--service", help="A service it is for (repeat)."),
    until: dt.datetime = typer.Option(..., "--until", formats=["%Y-%m-%d"], help="Last day valid, YYYY-MM-DD."),
    informed_in: str = typer.Option(..., "--informed-in", help="The language the person was informed in."),
    given_by: str = typer.Option("person", "--given-by", help="person, or guardian for a child."),
    explained_by: str = typer.Option(None, "--explained-by", help="Who explained it (default: you)."),
    note: str = NOTE,
    justification: str = JUSTIFICATION,
) -> None:
    """Record the person's informed consent to share data with one provider."""
    request = consent.ConsentIn.model_validate(
        {
            "provider": provider,
            "data_categories": categories,
            "services": services,
            "valid_until": until.date(),
            "informed_in": informed_in,
            "given_by": given_by,
            "explained_by": explained_by,
            "note": note,
        }
    )
    with justified_operation(justification) as op:
        given = consent.record_consent(op.session, op.actor, case_id, request)
    console.print(f"consent {given.id} recorded for case {case_id}: {', '.join(categories)} to {provider}")


@app.command("withdraw")
@reports_errors
def withdraw(
    consent_id: int = typer.Argument(..., help="Consent id."), note: str = NOTE, justification: str = JUSTIFICATION
) -> None:
    """Record the withdrawal of a consent: its referrals stop, nothing more is shared under it."""
    with justified_operation(justification) as op:
        done = consent.withdraw_consent(op.session, op.actor, consent_id, note)
    stopped = ", ".join(map(str, done.stopped_referrals)) or "none"
    console.print(f"consent {consent_id} withdrawn; referrals stopped: {stopped}")


@app.command("refer")
@reports_errors
def refer(
    case_id: int = typer.Argument(..., help="Case id."),
    provider: str = typer.Option(..., "--provider", help="The provider's key."),
    service: str = typer.Option(..., "--service", help="The service referred to."),
    categories: list[str] = typer.Option(..., "--category", help="A data category shared (repeat)."),
    consent_id: int = typer.Option(None, "--consent-id", help="The consent it rests on (default: any covering it)."),
    legal_basis: str = typer.Option(None, "--legal-basis", help="Instead of consent: a referral legal basis."),
    basis_note: str = typer.Option(None, "--basis-note", help="Why the legal basis applies."),
    note: str = NOTE,
    justification: str = JUSTIFICATION,
) -> None:
    """Refer the person to a provider's service, on consent or a recorded legal basis; print it as JSON."""
    request = referrals.ReferralIn.model_validate(
        {
            "provider": provider,
            "service": service,
            "data_categories": categories,
            "consent_id": consent_id,
            "legal_basis": legal_basis,
            "legal_basis_note": basis_note,
            "note": note,
        }
    )
    with justified_operation(justification) as op:
        _print(referrals.refer(op.session, op.actor, case_id, request))


@providers_app.command("load")
@reports_errors
def providers_load(path: Path = typer.Argument(..., help="The providers CSV file.")) -> None:
    """Load or update service providers from a CSV file (by key)."""
    with operation() as op:
        loaded = providers.load_providers(op.session, op.actor, path)
    console.print(f"providers: {loaded.inserted} new, {loaded.updated} updated, {loaded.unchanged} unchanged")


@providers_app.command("list")
@reports_errors
def providers_list(
    service: str = typer.Option(None, "--service", help="Only providers of this service."),
    inactive: bool = typer.Option(False, "--inactive", help="Include inactive providers."),
) -> None:
    """List service providers."""
    with operation() as op:
        found = providers.list_providers(op.session, op.actor, service=service, include_inactive=inactive)
    table = Table("key", "name", "services", "country", "area", "contact", "children", "active")
    for p in found:
        table.add_row(
            p.key,
            p.name,
            ", ".join(p.services),
            p.country,
            p.area or "",
            p.contact,
            "yes" if p.serves_children else "no",
            "yes" if p.active else "no",
        )
    console.print(table)


@app.command("rekey")
@reports_errors
def rekey_command() -> None:
    """Rotate the victim field key: re-seal every encrypted victim field under a new key, then retire the old key."""
    with operation() as op:
        new_kid = rekey.prepare_next_key(op.node.home)
        report = rekey.reseal_all(op.session, op.actor, op.node.home, new_kid)
    rekey.finish_rotation(op.node.home)
    total = sum(report.fields.values())
    console.print(
        f"victim field key {report.old_key} replaced by {report.new_key}: {total} fields re-sealed "
        f"({', '.join(f'{t} {n}' for t, n in report.fields.items())}). Back up {op.node.home}/keys now."
    )


@app.command("htcds-export")
@reports_errors
def htcds_export(
    case_id: int = typer.Argument(..., help="Case id."),
    provider: str = typer.Option(..., "--provider", help="The provider (its key) the record is for."),
    output: Path = typer.Option(None, "--output", "-o", help="Write the document here (default: print it)."),
    justification: str = JUSTIFICATION,
) -> None:
    """Export a case as an IOM HTCDS 2.0 record for one provider, on the person's consent in force for it."""
    with justified_operation(justification) as op:
        document = htcds.export_case(op.session, op.actor, case_id, provider, agency=op.node.agency_code)
    text = json.dumps(document.model_dump(mode="json"), ensure_ascii=False, indent=2)
    if output is None:
        console.print_json(text)
        return
    output.write_text(text + "\n", encoding="utf-8")
    console.print(f"victim case {case_id} written to {output} for {provider} (consent {document.consent_id})")
    for note in document.omitted:
        console.print(f"  left out: {note}", highlight=False)


@app.command("htcds-import")
@reports_errors
def htcds_import(
    path: Path = typer.Argument(..., help="An HTCDS 2.0 document (JSON)."), justification: str = JUSTIFICATION
) -> None:
    """Open a victim case per record of an IOM HTCDS 2.0 document (refused whole when a record is not valid)."""
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InvalidInput(f"{path} is not a readable JSON document: {exc}") from None
    with justified_operation(justification) as op:
        imported = htcds.import_cases(op.session, op.actor, document, source=path.name)
    console.print(f"{len(imported.cases)} victim cases opened: {', '.join(map(str, imported.cases))}")
