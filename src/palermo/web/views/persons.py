"""Person search and the person record: personal data, so each page first asks why (a justification)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import HTMLResponse

from palermo.api.deps import MAX_ROW_ID, NodeDep, SessionDep
from palermo.errors import InvalidInput, PermissionDenied
from palermo.persons import lookup
from palermo.resolution.identities import identity_of
from palermo.taxonomies import taxonomy
from palermo.web.deps import WEB_PREFIX, PageDep, justified, page
from palermo.web.render import render

router = APIRouter(prefix=f"{WEB_PREFIX}/persons")
Justification = Annotated[str, Query(max_length=200, description="Case reference or legal-basis code.")]


def _form_context(justification: str, pattern: str) -> dict[str, object]:
    return {"justification": justification, "legal_bases": taxonomy("legal_bases").terms, "case_pattern": pattern}


@router.get("", **page("persons.search"))
def search(
    request: Request,
    session: SessionDep,
    node: NodeDep,
    page_: PageDep,
    name: Annotated[str, Query(max_length=200)] = "",
    justification: Justification = "",
) -> HTMLResponse:
    """Search person records by name; results appear only with a justification, and the search is recorded."""
    context = {
        **_form_context(justification, node.settings.case_reference_pattern),
        "name": name,
        "min_name": lookup.MIN_SEARCH_CHARACTERS,
        "results": None,
    }
    errors: dict[str, str] = {}
    if name or justification:
        if len(name.strip()) < lookup.MIN_SEARCH_CHARACTERS:
            errors["name"] = f"Enter at least {lookup.MIN_SEARCH_CHARACTERS} characters of a name."
        if not justification.strip():
            errors["justification"] = "Say why you search: a case reference or a legal-basis code."
    if (name or justification) and not errors:
        try:
            actor = justified(page_, justification, node.settings.case_reference_pattern)
            context["results"] = lookup.search_persons(session, actor, name)
        except (PermissionDenied, InvalidInput) as exc:
            errors[str(exc.details.get("field", "justification"))] = str(exc)
    context["field_errors"] = errors
    return render(request, "persons.html", context, status_code=422 if errors else 200)


@router.get("/{person_id}", **page("persons.read"))
def record(
    request: Request,
    session: SessionDep,
    node: NodeDep,
    page_: PageDep,
    person_id: Annotated[int, Path(ge=1, le=MAX_ROW_ID)],
    justification: Justification = "",
) -> HTMLResponse:
    """One person record with provenance, handling and grading; asks for a justification first."""
    context = {**_form_context(justification, node.settings.case_reference_pattern), "person_id": person_id}
    if not justification.strip():
        return render(request, "person_justify.html", context)
    try:
        actor = justified(page_, justification, node.settings.case_reference_pattern)
    except PermissionDenied as exc:
        context["field_errors"] = {"justification": str(exc)}
        return render(request, "person_justify.html", context, status_code=422)
    context["person"] = lookup.get_person(session, actor, person_id)
    context["identity_id"] = identity_of(session, person_id) if page_.may("identities.read") else None
    return render(request, "person.html", context)
