"""The screening console: a border officer screens a traveller (MRZ and/or typed identity, travel context) and gets
the decision with every reason on one page. The page calls ``palermo.screening.service.screen`` as the API does."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse
from pydantic import BaseModel, Field, ValidationError

from palermo.api.deps import NodeDep, SessionDep, committed
from palermo.documents.mrz_parse import MrzUnreadable
from palermo.errors import InvalidInput, PermissionDenied
from palermo.screening.entries import partial_date, sex_code
from palermo.screening.requests import CompanionIn, ScreeningRequest, ScreeningResult
from palermo.screening.service import screen
from palermo.taxonomies import taxonomy
from palermo.taxonomies.countries import normalise_country
from palermo.web.deps import WEB_PREFIX, PageDep, justified, page
from palermo.web.forms import blank_to_none, checked, field_errors, lines_of
from palermo.web.render import render

router = APIRouter(prefix=f"{WEB_PREFIX}/screening")
DEFAULT_JUSTIFICATION = "border_control"
Text = Annotated[str, Field(max_length=500)]
Area = Annotated[str, Field(max_length=5000)]
# ScreeningRequest field -> the form field that holds it (where its error is shown)
FORM_FIELDS = {"names": "names", "companions": "companions", "mrz": "mrz", "at": "form"}


class ScreeningForm(BaseModel):
    """What the officer typed (the posted form), kept as typed so that the form is shown again as it was."""

    mrz: Area = ""
    ocr: bool = False
    names: Area = ""
    birth_date: Text = ""
    nationality: Text = ""
    sex: Text = ""
    document_number: Text = ""
    issuing_state: Text = ""
    border_point: Text = ""
    direction: Text = ""
    companions: Area = ""
    booking_ref: Text = ""
    payer: Text = ""
    phone: Text = ""
    destination: Area = ""
    justification: Text = ""


def companions_of(text: str, errors: dict[str, str]) -> list[CompanionIn]:
    """One companion a line: ``name`` or ``name; YYYY-MM-DD``."""
    found = []
    for number, line in enumerate(lines_of(text), start=1):
        name, _, birth = (part.strip() for part in line.partition(";"))
        try:
            found.append(CompanionIn(name=name, birth_date=partial_date(birth, f"line {number}: birth date")))
        except (InvalidInput, ValidationError) as exc:
            message = str(exc) if isinstance(exc, InvalidInput) else f"line {number}: a name of 1 to 200 characters"
            errors.setdefault("companions", message)
    return found


def request_of(form: ScreeningForm) -> tuple[ScreeningRequest | None, dict[str, str]]:
    """The core's request from the form, or the errors to show next to each field."""
    errors: dict[str, str] = {}
    checked(errors, "birth_date", partial_date, form.birth_date)
    checked(errors, "sex", sex_code, form.sex)
    checked(errors, "nationality", normalise_country, form.nationality)
    checked(errors, "issuing_state", normalise_country, form.issuing_state)
    companions = companions_of(form.companions, errors)
    if not (form.mrz.strip() or form.names.strip() or form.document_number.strip()):
        errors["names"] = "Enter the MRZ lines, a name or a document number."
    if errors:
        return None, errors
    values = {k: blank_to_none(v) if isinstance(v, str) else v for k, v in form.model_dump().items()}
    values.pop("justification")
    values.update(mrz=lines_of(form.mrz) or None, names=lines_of(form.names), companions=companions)
    try:
        return ScreeningRequest.model_validate(values), {}
    except ValidationError as exc:
        return None, field_errors(exc, FORM_FIELDS)


def _console(request: Request, form: ScreeningForm, node: NodeDep, status: int = 200, **extra: object) -> HTMLResponse:
    context = {
        "form": form,
        "legal_bases": taxonomy("legal_bases").terms,
        "case_pattern": node.settings.case_reference_pattern,
        "field_errors": {},
        "result": None,
        **extra,
    }
    return render(request, "screening.html", context, status_code=status)


@router.get("", **page("screening.run"))
def console(request: Request, node: NodeDep, page_: PageDep) -> HTMLResponse:
    """The empty screening form (the justification defaults to the legal basis ``border_control``)."""
    return _console(request, ScreeningForm(justification=DEFAULT_JUSTIFICATION), node)


@router.post("", **page("screening.run"))
def run_screening(
    request: Request,
    session: SessionDep,
    node: NodeDep,
    page_: PageDep,
    form: Annotated[ScreeningForm, Form()],
) -> HTMLResponse:
    """Screen the traveller; the answer (decision, reasons, checks, hits, indicators, alert) above the form."""
    justification = form.justification
    screening, errors = request_of(form)
    if not justification.strip():
        errors["justification"] = "Say why you screen: a legal-basis code (border_control) or a case reference."
    if screening is None or errors:
        return _console(request, form, node, 422, field_errors=errors)
    try:
        actor = justified(page_, justification, node.settings.case_reference_pattern)
        result: ScreeningResult = screen(session, actor, screening, home=node.home)
    except PermissionDenied as exc:
        if exc.details.get("permission"):
            raise
        return _console(request, form, node, 422, field_errors={"justification": str(exc)})
    except MrzUnreadable as exc:
        return _console(request, form, node, 422, field_errors={"mrz": str(exc)})
    except InvalidInput as exc:
        return _console(request, form, node, 422, field_errors={"names": str(exc)})
    return committed(session, _console(request, form, node, result=result))
