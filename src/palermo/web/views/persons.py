"""Person search and the person record: personal data, so each page first asks why (a justification)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated
from urllib.parse import parse_qsl, urlencode

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import HTMLResponse
from pydantic import ValidationError

from palermo.api.deps import MAX_ROW_ID, NodeDep, SessionDep
from palermo.errors import InvalidInput, PermissionDenied
from palermo.persons import search as person_search
from palermo.persons.dossier import person_dossier
from palermo.persons.search import PersonFilters
from palermo.taxonomies import taxonomy
from palermo.web.deps import WEB_PREFIX, PageDep, justified, page
from palermo.web.render import render

router = APIRouter(prefix=f"{WEB_PREFIX}/persons")
Justification = Annotated[str, Query(max_length=200, description="Case reference or legal-basis code.")]


def _form_context(justification: str, pattern: str) -> dict[str, object]:
    return {"justification": justification, "legal_bases": taxonomy("legal_bases").terms, "case_pattern": pattern}


#: the search's own fields, carried from the results to a record and back ("Back to the results")
SEARCH_FIELDS = ("name", "birth_year", "nationality", "source", "page", "justification")


def search_address(query: Mapping[str, str]) -> str:
    """``/web/persons?...`` with only the search's own fields of ``query`` (never another path or host)."""
    kept = {k: query[k] for k in SEARCH_FIELDS if query.get(k)}
    return f"{WEB_PREFIX}/persons?{urlencode(kept)}"


def _filters(birth_year: str, nationality: str, source: str, errors: dict[str, str]) -> PersonFilters | None:
    raw = {"birth_year": birth_year.strip() or None, "nationality": nationality.strip().upper() or None}
    try:
        return PersonFilters.model_validate({**raw, "source": source.strip() or None})
    except ValidationError as exc:
        messages = {
            "birth_year": "Enter a year of birth as four digits, e.g. 1985.",
            "nationality": "Enter a nationality as a three-letter code, e.g. ALB.",
            "source": "Enter a source's name of at most 200 characters.",
        }
        for error in exc.errors():
            field = str(error["loc"][0])
            errors[field] = messages.get(field, str(error["msg"]))
        return None


@router.get("", **page("persons.search"))
def search(
    request: Request,
    session: SessionDep,
    node: NodeDep,
    page_: PageDep,
    name: Annotated[str, Query(max_length=200)] = "",
    birth_year: Annotated[str, Query(max_length=8)] = "",
    nationality: Annotated[str, Query(max_length=8)] = "",
    source: Annotated[str, Query(max_length=200)] = "",
    page_number: Annotated[int, Query(alias="page", ge=1, le=100_000)] = 1,
    justification: Justification = "",
) -> HTMLResponse:
    """Search person records through the name engine; results appear only with a justification, and are recorded."""
    shown = {"name": name, "birth_year": birth_year, "nationality": nationality.upper(), "source": source}
    context: dict[str, object] = {
        **_form_context(justification, node.settings.case_reference_pattern),
        **shown,
        "min_name": person_search.MIN_SEARCH_CHARACTERS,
        "results": None,
    }
    errors: dict[str, str] = {}
    if any(shown.values()) or justification:
        if len(name.strip()) < person_search.MIN_SEARCH_CHARACTERS:
            errors["name"] = f"Enter at least {person_search.MIN_SEARCH_CHARACTERS} characters of a name."
        if not justification.strip():
            errors["justification"] = "Say why you search: a case reference or a legal-basis code."
        filters = _filters(birth_year, nationality, source, errors)
        if filters is not None and not errors:
            try:
                actor = justified(page_, justification, node.settings.case_reference_pattern)
                found = person_search.search_page(session, actor, name, filters, page=page_number)
                query = {**shown, "justification": justification, "page": str(found.page)}
                back = urlencode({k: query[k] for k in SEARCH_FIELDS if k != "justification" and query.get(k)})
                context.update(results=found, back=back, pages=_pages(query, found.page, found.pages))
            except (PermissionDenied, InvalidInput) as exc:
                errors[str(exc.details.get("field", "justification"))] = str(exc)
    context["field_errors"] = errors
    return render(request, "persons.html", context, status_code=422 if errors else 200)


def _pages(query: dict[str, str], current: int, last: int) -> dict[str, str | None]:
    """Addresses of the previous and next pages of the same search (None at either end)."""
    return {
        "previous": search_address({**query, "page": str(current - 1)}) if current > 1 else None,
        "next": search_address({**query, "page": str(current + 1)}) if current < last else None,
    }


@router.get("/{person_id}", **page("persons.read"))
def record(
    request: Request,
    session: SessionDep,
    node: NodeDep,
    page_: PageDep,
    person_id: Annotated[int, Path(ge=1, le=MAX_ROW_ID)],
    justification: Justification = "",
    back: Annotated[str, Query(max_length=1000, description="The search this record was opened from.")] = "",
) -> HTMLResponse:
    """One person record with provenance, handling and grading; asks for a justification first."""
    searched = dict(parse_qsl(back))
    context = {
        **_form_context(justification, node.settings.case_reference_pattern),
        "person_id": person_id,
        "back": back if searched.get("name") else "",
        "back_address": search_address({**searched, "justification": justification}) if searched.get("name") else "",
    }
    if not justification.strip():
        return render(request, "person_justify.html", context)
    try:
        actor = justified(page_, justification, node.settings.case_reference_pattern)
    except PermissionDenied as exc:
        context["field_errors"] = {"justification": str(exc)}
        return render(request, "person_justify.html", context, status_code=422)
    dossier = person_dossier(session, actor, person_id)
    context.update(person=dossier.person, dossier=dossier, identity_link=page_.may("identities.read"))
    return render(request, "person.html", context)
