"""The caseworker's forms on a victim case: the structured interview (indicators observed, the decision rule's result
explained on the case page), the person's informed consent, and a referral resting on it (or on another recorded
legal basis). Every form posts with the CSRF field and the justification; the core checks, records and refuses;
a refusal or a bad value is shown next to its field, never as a failure page."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError

from palermo.api.deps import NodeDep, SessionDep
from palermo.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from palermo.victims.assessments import AssessmentIn, RevisionIn, assessment_history, record_assessment
from palermo.victims.assessments import revise_assessment as revise
from palermo.victims.case_file import get_case
from palermo.victims.catalogue import dimensions, list_for
from palermo.victims.consent import ConsentIn, record_consent
from palermo.victims.population import population_of
from palermo.victims.providers import list_providers
from palermo.victims.referrals import ReferralIn, refer
from palermo.victims.rule import rule_parameters
from palermo.web.deps import WEB_PREFIX, Page, PageDep, page
from palermo.web.forms import blank_to_none, field_errors
from palermo.web.render import render
from palermo.web.views.victims import FormJustification, Justification, RowId, case_address, victim_actor, vocabularies

router = APIRouter(prefix=f"{WEB_PREFIX}/victims")
Choice = Annotated[str, Form(max_length=32)]
Text = Annotated[str, Form(max_length=2000)]
Many = Annotated[list[str], Form(max_length=100)]


def _population(stated: str, birth_date: str | None, errors: dict[str, str]) -> str:
    """The list's population: stated, else from the date of birth (presumption of minority); '' when neither."""
    if stated in ("adult", "child"):
        return stated
    if stated:
        errors["population"] = "Choose adult or child."
        return ""
    try:
        return population_of(None, birth_date, dt.date.today(), rule_parameters().adult_age)[0]
    except InvalidInput:
        return ""


def _interview(
    request: Request,
    session: SessionDep,
    node: NodeDep,
    page_: Page,
    case_id: int,
    justification: str,
    form: dict[str, Any],
    errors: dict[str, str],
    status: int = 200,
) -> HTMLResponse:
    context: dict[str, object] = {"case_id": case_id, "justification": justification, "form": form}
    actor = victim_actor(page_, justification, node, errors) if justification or errors else None
    if actor is None:
        return render(request, "victim_justify.html", {**context, **vocabularies(), "field_errors": errors}, 422)
    case = get_case(session, actor, case_id)
    history = assessment_history(session, actor, case_id)
    population = _population(form["population"], case.subject.get("birth_date"), errors)
    listed = list_for(population, form["exploitation"]) if population and form["exploitation"] else None
    context.update(
        case=case,
        latest=history[-1] if history else None,
        population=population,
        listed=listed,
        dimensions=dimensions(),
        field_errors=errors,
    )
    return render(request, "victim_interview.html", context, status_code=status if not errors else max(status, 422))


@router.get("/cases/{case_id}/interview", **page("victims.assess"))
def interview(
    request: Request,
    session: SessionDep,
    node: NodeDep,
    page_: PageDep,
    case_id: RowId,
    justification: Justification = "",
    exploitation: Annotated[str, Query(pattern="^(labour|sexual)?$")] = "labour",
    population: Annotated[str, Query(pattern="^(adult|child)?$")] = "",
) -> HTMLResponse:
    """The structured interview: choose the form of exploitation and adult or child, then tick what was observed."""
    form = {"exploitation": exploitation, "population": population, "indicators": []}
    return _interview(request, session, node, page_, case_id, justification, form, {})


@router.post("/cases/{case_id}/interview", **page("victims.assess"))
def assess(
    request: Request,
    session: SessionDep,
    node: NodeDep,
    page_: PageDep,
    case_id: RowId,
    exploitation: Choice = "",
    population: Choice = "",
    indicators: Many = [],  # noqa: B006 - FastAPI copies form defaults
    interviewer: Annotated[str, Form(max_length=200)] = "",
    interviewed_at: Annotated[str, Form(max_length=32)] = "",
    note: Text = "",
    reason: Text = "",
    justification: FormJustification = "",
) -> Response:
    """Record the assessment (version 1) or revise the latest; the case page shows the rule's result explained."""
    form = {
        "exploitation": exploitation,
        "population": population,
        "indicators": indicators,
        "interviewer": interviewer,
        "interviewed_at": interviewed_at,
        "note": note,
        "reason": reason,
    }
    errors: dict[str, str] = {}
    actor = victim_actor(page_, justification, node, errors)
    if actor is None:
        return _interview(request, session, node, page_, case_id, justification, form, errors)
    history = assessment_history(session, actor, case_id)
    fields = {
        "exploitation": exploitation,
        "population": population or None,
        "interviewer": blank_to_none(interviewer),
        "interviewed_at": blank_to_none(interviewed_at),
        "observations": [{"indicator": i} for i in indicators],
        "note": blank_to_none(note),
    }
    try:
        if history:
            done = revise(session, actor, history[-1].id, RevisionIn.model_validate({**fields, "reason": reason}))
        else:
            done = record_assessment(session, actor, case_id, AssessmentIn.model_validate(fields))
    except ValidationError as exc:
        errors.update(field_errors(exc, {"observations": "indicators"}))
    except (InvalidInput, Conflict) as exc:
        field = str(exc.details.get("field", "indicators"))
        errors["indicators" if field == "observations" else field] = str(exc)
    if errors:
        return _interview(request, session, node, page_, case_id, justification, form, errors, 422)
    return RedirectResponse(case_address(case_id, justification, "assessed", f"#assessment-{done.id}"), 303)


def _referral(
    request: Request,
    session: SessionDep,
    node: NodeDep,
    page_: Page,
    case_id: int,
    justification: str,
    errors: dict[str, str],
    status: int = 200,
    **extra: object,
) -> HTMLResponse:
    context: dict[str, object] = {**vocabularies(), "case_id": case_id, "justification": justification, **extra}
    actor = victim_actor(page_, justification, node, errors) if justification or errors else None
    if actor is None:
        return render(request, "victim_justify.html", {**context, "field_errors": errors}, 422 if errors else 200)
    context.setdefault("consent_form", {})
    context.setdefault("referral_form", {})
    context.update(
        case=get_case(session, actor, case_id),
        providers=list_providers(session, actor),
        today=dt.date.today(),
        field_errors=errors,
    )
    return render(request, "victim_referral.html", context, status_code=status if not errors else max(status, 422))


@router.get("/cases/{case_id}/referral", **page("victims.refer"))
def referral(
    request: Request,
    session: SessionDep,
    node: NodeDep,
    page_: PageDep,
    case_id: RowId,
    justification: Justification = "",
) -> HTMLResponse:
    """Record the person's consent, then refer on it (or on another recorded legal basis)."""
    return _referral(request, session, node, page_, case_id, justification, {})


@router.post("/cases/{case_id}/consents", **page("victims.consent"))
def consent(
    request: Request,
    session: SessionDep,
    node: NodeDep,
    page_: PageDep,
    case_id: RowId,
    provider: Annotated[str, Form(max_length=64)] = "",
    data_categories: Many = [],  # noqa: B006
    services: Many = [],  # noqa: B006
    valid_until: Annotated[str, Form(max_length=16)] = "",
    given_by: Choice = "person",
    informed_in: Annotated[str, Form(max_length=64)] = "",
    explained_by: Annotated[str, Form(max_length=200)] = "",
    note: Text = "",
    justification: FormJustification = "",
) -> Response:
    """Record the person's informed consent (what, to whom, for which services, until when); back to the form."""
    form = {
        "provider": provider,
        "data_categories": data_categories,
        "services": services,
        "valid_until": valid_until,
        "given_by": given_by,
        "informed_in": informed_in,
        "explained_by": explained_by,
        "note": note,
    }
    errors: dict[str, str] = {}
    actor = victim_actor(page_, justification, node, errors)
    if actor is not None:
        body = {**form, "explained_by": blank_to_none(explained_by), "note": blank_to_none(note)}
        try:
            record_consent(session, actor, case_id, ConsentIn.model_validate(body))
        except ValidationError as exc:
            errors.update({f"consent-{k}": v for k, v in field_errors(exc, {}).items()})
        except (InvalidInput, NotFound) as exc:
            errors[f"consent-{exc.details.get('field', 'provider')}"] = str(exc)
        if not errors:
            return RedirectResponse(case_address(case_id, justification, "consented", "#consents"), 303)
    return _referral(request, session, node, page_, case_id, justification, errors, 422, consent_form=form)


@router.post("/cases/{case_id}/referrals", **page("victims.refer"))
def referral_made(
    request: Request,
    session: SessionDep,
    node: NodeDep,
    page_: PageDep,
    case_id: RowId,
    provider: Annotated[str, Form(max_length=64)] = "",
    service: Choice = "",
    data_categories: Many = [],  # noqa: B006
    consent_id: Annotated[str, Form(max_length=12)] = "",
    legal_basis: Choice = "",
    legal_basis_note: Text = "",
    note: Text = "",
    justification: FormJustification = "",
) -> Response:
    """Refer on a consent or a recorded legal basis; the answer shows what was handed over. Refused: said why."""
    form = {
        "provider": provider,
        "service": service,
        "data_categories": data_categories,
        "consent_id": consent_id,
        "legal_basis": legal_basis,
        "legal_basis_note": legal_basis_note,
        "note": note,
    }
    errors: dict[str, str] = {}
    actor = victim_actor(page_, justification, node, errors)
    if actor is not None:
        body = {
            **form,
            "consent_id": consent_id.strip() or None,
            "legal_basis": legal_basis or None,
            "legal_basis_note": blank_to_none(legal_basis_note),
            "note": blank_to_none(note),
        }
        try:
            made = refer(session, actor, case_id, ReferralIn.model_validate(body))
            return _referral(request, session, node, page_, case_id, justification, {}, made=made)
        except ValidationError as exc:
            errors.update({f"referral-{k}": v for k, v in field_errors(exc, {}).items()})
        except (InvalidInput, NotFound, PermissionDenied) as exc:
            errors[f"referral-{exc.details.get('field', 'basis')}"] = str(exc)
    return _referral(request, session, node, page_, case_id, justification, errors, 422, referral_form=form)
