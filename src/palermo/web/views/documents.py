"""The documents page, for second-line officers: check a document's MRZ (TD1/TD2/TD3, optionally correcting OCR
confusions, against a chosen date) and look a document up in the lost/stolen registry. The page calls the same
guarded core functions as the API (``check_for``, ``lookup_for``), so the permission, the justification and the
access record are the core's."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse
from pydantic import BaseModel, Field, ValidationError

from palermo.api.deps import NodeDep, SessionDep, committed
from palermo.api.routers.documents import RegistryDep
from palermo.auth.actor import Actor
from palermo.documents.models import DocumentCheckResult, RegistryHit
from palermo.documents.mrz_dates import parse_check_date
from palermo.documents.mrz_parse import MrzUnreadable
from palermo.documents.registry_keys import normalise_number
from palermo.documents.service import DocumentCheckRequest, check_for, lookup_for
from palermo.taxonomies import taxonomy
from palermo.taxonomies.countries import normalise_country
from palermo.web.deps import WEB_PREFIX, Page, PageDep, justified_or_error, page
from palermo.web.forms import checked, field_errors, lines_of
from palermo.web.render import render

router = APIRouter(prefix=f"{WEB_PREFIX}/documents")
DEFAULT_JUSTIFICATION = "border_control"
Text = Annotated[str, Field(max_length=200)]


class CheckForm(BaseModel):
    """The MRZ check as typed."""

    mrz: Annotated[str, Field(max_length=1000)] = ""
    ocr: bool = False
    at: Text = ""
    justification: Text = ""


class LookupForm(BaseModel):
    """The registry lookup as typed."""

    state: Text = ""
    number: Text = ""
    justification: Text = ""


def _page(
    request: Request,
    node: NodeDep,
    check: CheckForm | None = None,
    lookup: LookupForm | None = None,
    errors: dict[str, str] | None = None,
    result: DocumentCheckResult | None = None,
    hits: list[RegistryHit] | None = None,
) -> HTMLResponse:
    context = {
        "check": check or CheckForm(justification=DEFAULT_JUSTIFICATION),
        "lookup": lookup or LookupForm(justification=DEFAULT_JUSTIFICATION),
        "field_errors": errors or {},
        "result": result,
        "hits": hits,
        "legal_bases": taxonomy("legal_bases").terms,
    }
    return render(request, "documents.html", context, status_code=422 if errors else 200)


def _actor(page_: Page, text: str, node: NodeDep, errors: dict[str, str], field: str) -> Actor | None:
    """The justified actor, or None with the reason at the form's justification field."""
    missing = "Say why you check: a legal-basis code (border_control) or a case reference."
    return justified_or_error(page_, text, node.settings.case_reference_pattern, errors, missing=missing, field=field)


@router.get("", **page("documents.check"))
def documents(request: Request, node: NodeDep, page_: PageDep) -> HTMLResponse:
    """The two empty forms (the justification defaults to the legal basis ``border_control``)."""
    return _page(request, node)


def check_request(form: CheckForm, errors: dict[str, str]) -> DocumentCheckRequest | None:
    """The core's request from the form, or None with the errors next to their fields."""
    lines = lines_of(form.mrz)
    if not lines:
        errors["mrz"] = "Type or paste the MRZ lines."
    day = checked(errors, "at", parse_check_date, form.at)
    if errors:
        return None
    try:
        return DocumentCheckRequest(mrz=lines, ocr=form.ocr, at=day)
    except ValidationError as exc:
        errors.update(field_errors(exc, {"mrz": "mrz", "at": "at"}))
        return None


@router.post("/check", **page("documents.check"))
def check_mrz(
    request: Request,
    session: SessionDep,
    node: NodeDep,
    page_: PageDep,
    registry: RegistryDep,
    form: Annotated[CheckForm, Form()],
) -> HTMLResponse:
    """Check the MRZ: every check (failed ones first), OCR corrections, lost/stolen registry hits."""
    errors: dict[str, str] = {}
    body = check_request(form, errors)
    actor = _actor(page_, form.justification, node, errors, "justification")
    if body is None or actor is None or errors:
        return _page(request, node, check=form, errors=errors)
    try:
        result = check_for(session, actor, body, registry)
    except MrzUnreadable as exc:  # recorded as an access to an unreadable document, then refused
        session.commit()
        return _page(request, node, check=form, errors={"mrz": str(exc)})
    return committed(session, _page(request, node, check=form, result=result))


@router.post("/lookup", **page("documents.check"))
def lookup(
    request: Request,
    session: SessionDep,
    node: NodeDep,
    page_: PageDep,
    registry: RegistryDep,
    form: Annotated[LookupForm, Form()],
) -> HTMLResponse:
    """Look a typed document up in the lost/stolen registry: the exact entry and stolen ones one typo away."""
    errors: dict[str, str] = {}
    for field, value in (("state", form.state), ("number", form.number)):
        if not value.strip():
            errors[field] = {"state": "Type the issuing state.", "number": "Type the document number."}[field]
    checked(errors, "state", normalise_country, form.state)
    checked(errors, "number", normalise_number, form.number)
    actor = _actor(page_, form.justification, node, errors, "lookup_justification")
    if actor is None or errors:
        return _page(request, node, lookup=form, errors=errors)
    hits = lookup_for(session, actor, form.state, form.number, registry)
    return committed(session, _page(request, node, lookup=form, hits=hits))
