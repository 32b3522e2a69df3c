"""The watchlists page: every list with its category, entries and expiry, and a form that loads a file into a list
exactly as ``palermo watchlist load`` does (the same core load, validation and rejects report)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse
from pydantic import BaseModel, Field

from palermo.api.deps import NodeDep, SessionDep, committed
from palermo.db.watchlists import WATCHLIST_CATEGORIES
from palermo.errors import InvalidInput
from palermo.screening.watchlist_overview import watchlist_overview
from palermo.screening.watchlist_upload import UploadReport, load_uploaded_watchlist
from palermo.taxonomies import taxonomy
from palermo.web.deps import WEB_PREFIX, Page, PageDep, page
from palermo.web.render import render

router = APIRouter(prefix=f"{WEB_PREFIX}/watchlists")
FORMATS = {"": "From the file name (.csv, .jsonl, .json)", "csv": "CSV", "jsonl": "JSON Lines (or FollowTheMoney)"}
FORM_FIELDS = frozenset({"name", "category", "file_format", "file"})


class LoadForm(BaseModel):
    """The load form as typed, shown again with its errors."""

    name: Annotated[str, Field(max_length=200)] = ""
    category: Annotated[str, Field(max_length=32)] = ""
    file_format: Annotated[str, Field(max_length=8)] = ""


def _page(
    request: Request,
    session: SessionDep,
    node: NodeDep,
    page_: Page,
    form: LoadForm | None = None,
    errors: dict[str, str] | None = None,
    loaded: UploadReport | None = None,
) -> HTMLResponse:
    context = {
        "lists": watchlist_overview(session, page_.actor),
        "categories": taxonomy("watchlist_categories").terms,
        "formats": FORMATS,
        "form": form or LoadForm(),
        "field_errors": errors or {},
        "loaded": loaded,
        "max_bytes": node.settings.max_request_bytes,
    }
    return render(request, "watchlists.html", context, status_code=422 if errors else 200)


@router.get("", **page("watchlists.read"))
def watchlists(request: Request, session: SessionDep, node: NodeDep, page_: PageDep) -> HTMLResponse:
    """Every watchlist with its category, number of entries, expired entries and next expiry."""
    return _page(request, session, node, page_)


def _form_errors(form: LoadForm, file: UploadFile | None, limit: int) -> dict[str, str]:
    errors: dict[str, str] = {}
    if not form.name.strip() or len(form.name.strip()) > 180:
        errors["name"] = "Name the watchlist (at most 180 characters); a new name creates a list."
    if form.category and form.category not in WATCHLIST_CATEGORIES:
        errors["category"] = f"Choose one of the categories offered, not {form.category!r}."
    if form.file_format not in FORMATS:
        errors["file_format"] = f"Choose one of the formats offered, not {form.file_format!r}."
    if file is None or not file.filename:
        errors["file"] = "Choose the file to load."
    elif file.size is not None and file.size > limit:
        errors["file"] = f"The file is larger than this node accepts ({limit:,} bytes); load it with the CLI."
    return errors


@router.post("", **page("watchlists.write"))
def load(
    request: Request,
    session: SessionDep,
    node: NodeDep,
    page_: PageDep,
    form: Annotated[LoadForm, Form()],
    file: Annotated[UploadFile | None, File(description="CSV or JSON Lines watchlist file.")] = None,
) -> HTMLResponse:
    """Load the file into the list (created on first load); the report and the rejected rows above the lists."""
    limit = node.settings.max_request_bytes
    errors = _form_errors(form, file, limit)
    if errors or file is None:
        return _page(request, session, node, page_, form, errors)
    content = file.file.read(limit + 1)
    try:
        loaded = load_uploaded_watchlist(
            session,
            page_.actor,
            content,
            file.filename or "upload",
            name=form.name.strip(),
            agency_code=node.agency_code,
            home=node.home,
            list_category=form.category or None,
            file_format=form.file_format or None,
        )
    except InvalidInput as exc:
        session.rollback()
        where = str(exc.details.get("field") or "file")
        return _page(request, session, node, page_, form, {where if where in FORM_FIELDS else "file": str(exc)})
    return committed(session, _page(request, session, node, page_, LoadForm(), loaded=loaded))
