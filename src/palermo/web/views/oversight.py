"""Oversight: is the access log intact (verification status), an export for the oversight body, the oversight
report's findings with the entries behind each, and the access log itself, filtered and paged."""

from __future__ import annotations

import datetime as dt
import json
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response

from palermo.api.deps import NodeDep, SessionDep
from palermo.audit.log import log_size
from palermo.audit.log_view import AuditFilters, audit_log_page
from palermo.audit.oversight_access import export_for_oversight, log_status
from palermo.audit.report import finding_entries, report_with_entries
from palermo.auth.permissions import permissions
from palermo.errors import InvalidInput
from palermo.taxonomies import taxonomy
from palermo.web.deps import WEB_PREFIX, PageDep, page
from palermo.web.render import render

router = APIRouter(prefix=f"{WEB_PREFIX}/oversight")


@router.get("", **page("audit.read"))
def oversight(request: Request, session: SessionDep, page_: PageDep) -> HTMLResponse:
    """The oversight page; the verification itself loads separately (it reads the whole log)."""
    since = (dt.datetime.now(dt.UTC) - dt.timedelta(days=30)).date().isoformat()
    return render(request, "oversight.html", {"entries": log_size(session), "since": since})


@router.get("/verification", **page("audit.read"))
def verification(request: Request, session: SessionDep, node: NodeDep, page_: PageDep) -> HTMLResponse:
    """Verify every entry, the tree and the signed heads now; a fragment for htmx, a page without it."""
    status = log_status(session, page_.actor, node.home)
    fragment = request.headers.get("HX-Request") == "true"
    return render(request, "verification.html", {"status": status, "fragment": fragment})


def _since(text: str) -> dt.datetime:
    try:
        moment = dt.datetime.fromisoformat(text)
    except ValueError:
        raise InvalidInput(f"'since' {text!r} is not a date like 2026-01-31", field="since") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


@router.get("/export", **page("audit.read"))
def export(
    session: SessionDep, node: NodeDep, page_: PageDep, since: Annotated[str, Query(min_length=4, max_length=40)]
) -> Response:
    """Download the entries since a date with proofs (``palermo-audit-export/1``), verifiable offline."""
    document = export_for_oversight(session, page_.actor, node.home, _since(since))
    name = f"palermo-audit-export-{_since(since).date().isoformat()}.json"
    return Response(
        json.dumps(document, indent=1),
        media_type="application/json",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


LOG_PAGE_SIZE = 50
Filter = Annotated[str, Query(max_length=200)]
Day = Annotated[str, Query(max_length=40)]
FINDING_KINDS = {
    "consultation_without_case": "Consultations without a case reference",
    "volume_outlier": "Far more consultations than others of the same role",
    "out_of_hours": "Consultations outside office hours or at weekends",
    "special_category": "Consultations of special-category records",
    "bulk": "Bulk consultations, disclosures and transfers",
}


def _day(text: str, field: str, errors: dict[str, str], end: bool = False) -> dt.datetime | None:
    """Midnight UTC of a ``YYYY-MM-DD`` day (the next midnight for the end of a window), or None with an error."""
    if not text.strip():
        return None
    try:
        day = dt.date.fromisoformat(text.strip())
    except ValueError:
        errors[field] = f"{text!r} is not a date like 2026-01-31."
        return None
    moment = dt.datetime.combine(day, dt.time(), tzinfo=dt.UTC)
    return moment + dt.timedelta(days=1) if end else moment


def _window(since: str, until: str, errors: dict[str, str]) -> tuple[dt.datetime | None, dt.datetime | None]:
    start, end = _day(since, "since", errors), _day(until, "until", errors, end=True)
    if start and end and start >= end:
        errors["until"] = "The last day comes before the first day."
    return start, end


@router.get("/log", **page("audit.read"))
def access_log(
    request: Request,
    session: SessionDep,
    page_: PageDep,
    actor: Filter = "",
    permission: Annotated[str, Query(max_length=64)] = "",
    action: Annotated[str, Query(max_length=32)] = "",
    since: Day = "",
    until: Day = "",
    subject: Filter = "",
    page_number: Annotated[int, Query(alias="page", ge=1, le=1_000_000)] = 1,
    upto: Annotated[int | None, Query(ge=0, le=2**62)] = None,
) -> HTMLResponse:
    """The access log, newest first, 50 entries a page with the total; filters by actor, permission, action,
    days (UTC, both inclusive) and subject. The pages of one view hold the entries up to the newest at its first
    page (``upto``), since reading the log appends to it."""
    shown = {"actor": actor.strip(), "permission": permission, "action": action, "since": since, "until": until}
    shown["subject"] = subject.strip()
    errors: dict[str, str] = {}
    if permission and permission not in permissions():
        errors["permission"] = f"Choose one of the permissions offered, not {permission!r}."
    if action and taxonomy("audit_actions").get(action) is None:
        errors["action"] = f"Choose one of the actions offered, not {action!r}."
    start, end = _window(since, until, errors)
    query: dict[str, object] = {k: v for k, v in shown.items() if v}
    context: dict[str, object] = {
        "filters": shown,
        "permissions": sorted(permissions()),
        "actions": taxonomy("audit_actions").terms,
        "field_errors": errors,
        "log": None,
        "page_number": page_number,
        "query": query,
        "urlencode": urlencode,
    }
    if not errors:
        filters = AuditFilters(
            actor=shown["actor"] or None,
            permission=permission or None,
            action=action or None,
            since=start,
            until=end,
            subject=shown["subject"] or None,
            upto=upto,
        )
        offset = (page_number - 1) * LOG_PAGE_SIZE
        found = audit_log_page(session, page_.actor, filters, offset=offset, limit=LOG_PAGE_SIZE)
        context.update(log=found, query={**query, "upto": found.upto})
    return render(request, "oversight_log.html", context, status_code=422 if errors else 200)


@router.get("/report", **page("audit.report"))
def report(
    request: Request, session: SessionDep, node: NodeDep, page_: PageDep, since: Day = "", until: Day = ""
) -> HTMLResponse:
    """The oversight report over a window of days (default: the last 30), each finding with its first entries."""
    errors: dict[str, str] = {}
    if not since and not until and not request.query_params:
        since = (dt.datetime.now(dt.UTC) - dt.timedelta(days=29)).date().isoformat()
    start, end = _window(since, until, errors)
    context: dict[str, object] = {
        "filters": {"since": since, "until": until},
        "field_errors": errors,
        "found": None,
        "kinds": FINDING_KINDS,
        "urlencode": urlencode,
    }
    if not errors:
        context["found"] = report_with_entries(session, page_.actor, node.settings, since=start, until=end)
    return render(request, "oversight_report.html", context, status_code=422 if errors else 200)


@router.get("/report/entries", **page("audit.report"))
def report_finding(
    request: Request,
    session: SessionDep,
    node: NodeDep,
    page_: PageDep,
    kind: Annotated[str, Query(max_length=64)] = "",
    actor: Filter = "",
    since: Day = "",
    until: Day = "",
    page_number: Annotated[int, Query(alias="page", ge=1, le=1_000_000)] = 1,
) -> HTMLResponse:
    """Every entry behind one finding of the report over the same days, 50 a page."""
    errors: dict[str, str] = {}
    start, end = _window(since, until, errors)
    if kind not in FINDING_KINDS:
        errors["kind"] = f"{kind!r} is not a kind of finding of the oversight report."
    if errors:
        return render(
            request,
            "error.html",
            {"status": 422, "title": "Please check the address", "message": " ".join(errors.values())},
            status_code=422,
        )
    found = finding_entries(
        session,
        page_.actor,
        node.settings,
        kind=kind,
        finding_actor=actor or None,
        since=start,
        until=end,
        offset=(page_number - 1) * LOG_PAGE_SIZE,
        limit=LOG_PAGE_SIZE,
    )
    query = {k: v for k, v in {"kind": kind, "actor": actor, "since": since, "until": until}.items() if v}
    context = {"found": found, "kinds": FINDING_KINDS, "query": query, "page_number": page_number}
    return render(request, "oversight_finding.html", {**context, "urlencode": urlencode, "filters": query})
