"""The caseworker's victim cases: the list, and one case with its assessments (the indicators behind each result),
consents (their scope, expiry and withdrawal), referrals, and its export to a provider as an HTCDS 2.0 record.
Special-category data: each page first asks why (a justification), and the core checks ``victims.read`` and
records every access. See docs/web.md, "Victim cases"."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Form, Path, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response

from palermo.api.deps import MAX_ROW_ID, NodeDep, SessionDep
from palermo.auth.actor import Actor
from palermo.db.victims import CASE_STATUSES
from palermo.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from palermo.taxonomies import taxonomy
from palermo.victims.assessments import assessment_history
from palermo.victims.case_file import get_case
from palermo.victims.cases import list_cases
from palermo.victims.consent import withdraw_consent
from palermo.victims.htcds import export_case
from palermo.web.deps import WEB_PREFIX, Page, PageDep, justified_or_error, page
from palermo.web.i18n import LANGUAGES
from palermo.web.render import render

router = APIRouter(prefix=f"{WEB_PREFIX}/victims")
CASES = f"{WEB_PREFIX}/victims/cases"
LIST_SIZE = 200
Justification = Annotated[str, Query(max_length=200, description="Case reference or legal-basis code.")]
FormJustification = Annotated[str, Form(max_length=200)]
RowId = Annotated[int, Path(ge=1, le=MAX_ROW_ID)]
NOTICES = {
    "assessed": "The assessment is recorded; its result and the indicators behind it are below.",
    "consented": "The consent is recorded.",
    "withdrawn": "The consent is withdrawn: nothing more is shared under it, and its referrals are stopped.",
}


def victim_actor(page_: Page, justification: str, node: NodeDep, errors: dict[str, str]) -> Actor | None:
    """The justified actor, or None with the reason against the justification field."""
    missing = "Say why you open victim data: a case reference or a legal-basis code such as victim_protection."
    return justified_or_error(page_, justification, node.settings.case_reference_pattern, errors, missing=missing)


def case_address(case_id: int, justification: str, done: str = "", anchor: str = "") -> str:
    query = urlencode({k: v for k, v in {"justification": justification, "done": done}.items() if v})
    return f"{CASES}/{case_id}?{query}{anchor}"


def vocabularies() -> dict[str, object]:
    return {
        "legal_bases": taxonomy("legal_bases").terms,
        "services": taxonomy("victim_services").terms,
        "categories": taxonomy("victim_data_categories").terms,
        "referral_bases": taxonomy("referral_legal_bases").terms,
        "form_languages": [(lang.name, lang.native) for lang in LANGUAGES],
    }


@router.get("/cases", **page("victims.read"))
def cases(
    request: Request,
    session: SessionDep,
    node: NodeDep,
    page_: PageDep,
    status: Annotated[str, Query(max_length=16)] = "",
    justification: Justification = "",
) -> HTMLResponse:
    """The cases, newest first (those a border protect decision opened say so, with their alert)."""
    context: dict[str, object] = {
        **vocabularies(),
        "justification": justification,
        "status": status,
        "statuses": CASE_STATUSES,
        "found": None,
    }
    errors: dict[str, str] = {}
    if not justification and not request.query_params:
        return render(request, "victim_cases.html", {**context, "field_errors": errors})
    if status and status not in CASE_STATUSES:
        errors["status"] = f"Choose one of the statuses offered, not {status!r}."
    actor = victim_actor(page_, justification, node, errors)
    if actor is not None and not errors:
        context["found"] = list_cases(session, actor, status=status or None, limit=LIST_SIZE)
    context.update(field_errors=errors, limit=LIST_SIZE)
    return render(request, "victim_cases.html", context, status_code=422 if errors else 200)


def case_page(
    request: Request,
    session: SessionDep,
    node: NodeDep,
    page_: Page,
    case_id: int,
    justification: str,
    status: int = 200,
    errors: dict[str, str] | None = None,
    **extra: object,
) -> HTMLResponse:
    """The case with its assessments, consents and referrals; the justification form first without one."""
    errors = dict(errors or {})
    context: dict[str, object] = {**vocabularies(), "case_id": case_id, "justification": justification, **extra}
    actor = victim_actor(page_, justification, node, errors) if justification or errors else None
    if actor is None:
        return render(request, "victim_justify.html", {**context, "field_errors": errors}, 422 if errors else 200)
    case = get_case(session, actor, case_id)
    history = assessment_history(session, actor, case_id)
    context.update(case=case, history=list(reversed(history)), field_errors=errors)
    return render(request, "victim_case.html", context, status_code=status)


@router.get("/cases/{case_id}", **page("victims.read"))
def case(
    request: Request,
    session: SessionDep,
    node: NodeDep,
    page_: PageDep,
    case_id: RowId,
    justification: Justification = "",
    done: Annotated[str, Query(max_length=16)] = "",
) -> HTMLResponse:
    """One case: the person as known, every assessment version explained, consents and referrals."""
    return case_page(request, session, node, page_, case_id, justification, notice=NOTICES.get(done))


@router.post("/consents/{consent_id}/withdrawal", **page("victims.consent"))
def withdraw(
    request: Request,
    session: SessionDep,
    node: NodeDep,
    page_: PageDep,
    consent_id: RowId,
    case_id: Annotated[int, Form(ge=1, le=MAX_ROW_ID)],
    note: Annotated[str, Form(max_length=2000)] = "",
    justification: FormJustification = "",
) -> Response:
    """Withdraw a consent (the person's wish, recorded once): its referrals stop; back to the case (303)."""
    errors: dict[str, str] = {}
    actor = victim_actor(page_, justification, node, errors)
    if actor is None:
        return case_page(request, session, node, page_, case_id, justification, 422, errors)
    try:
        withdrawn = withdraw_consent(session, actor, consent_id, note.strip() or None)
    except (Conflict, NotFound, InvalidInput) as exc:
        errors[f"withdraw-{consent_id}"] = str(exc)
        return case_page(request, session, node, page_, case_id, justification, exc.status_code, errors)
    return RedirectResponse(case_address(withdrawn.case_id, justification, "withdrawn", "#consents"), 303)


@router.post("/cases/{case_id}/htcds", **page("victims.exchange"))
def export_htcds(
    request: Request,
    session: SessionDep,
    node: NodeDep,
    page_: PageDep,
    case_id: RowId,
    provider: Annotated[str, Form(max_length=64)] = "",
    justification: FormJustification = "",
) -> Response:
    """The case as an IOM HTCDS 2.0 record for one provider, downloaded as a JSON file, on the person's consent in
    force for that provider (only its data categories). Refused (no consent, withdrawn, expired): the case page
    with the reason next to the provider, and the refusal in the access log."""
    errors: dict[str, str] = {}
    actor = victim_actor(page_, justification, node, errors)
    if actor is None:
        return case_page(request, session, node, page_, case_id, justification, 422, errors)
    if not provider:
        errors["htcds-provider"] = "Choose the provider the record is for."
        return case_page(request, session, node, page_, case_id, justification, 422, errors)
    try:
        document = export_case(session, actor, case_id, provider, agency=node.agency_code)
    except (PermissionDenied, NotFound, InvalidInput) as exc:
        errors["htcds-provider"] = str(exc)
        return case_page(request, session, node, page_, case_id, justification, exc.status_code, errors)
    name = f"victim-case-{case_id}-htcds-{provider}.json"
    return JSONResponse(
        document.model_dump(mode="json"),
        headers={"Content-Disposition": f'attachment; filename="{name}"', "Cache-Control": "no-store"},
    )
