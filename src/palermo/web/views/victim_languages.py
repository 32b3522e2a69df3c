"""The victim-facing forms in the person's language: the interview's questions and the consent text, from the gettext
catalogues of ``palermo.web.i18n``, laid out right to left for Arabic. No personal data: the caseworker reads them out,
shows or prints them; the answers and the consent are recorded on the case's own forms."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from palermo.errors import InvalidInput
from palermo.web.deps import WEB_PREFIX, PageDep, page
from palermo.web.i18n import LANGUAGES, language, translations
from palermo.web.render import render

router = APIRouter(prefix=f"{WEB_PREFIX}/victims")


@router.get("/forms", **page("victims.assess"))
def forms(request: Request, page_: PageDep, lang: Annotated[str, Query(max_length=16)] = "en") -> HTMLResponse:
    """The questions and the consent text in ``lang`` (an unknown code: English, with the message by the choices)."""
    errors: dict[str, str] = {}
    try:
        chosen = language(lang)
    except InvalidInput as exc:
        errors["lang"] = str(exc)
        chosen = language("en")
    context = {"languages": LANGUAGES, "chosen": chosen, "_": translations(chosen.code).gettext, "field_errors": errors}
    return render(request, "victim_forms.html", context, status_code=422 if errors else 200)
