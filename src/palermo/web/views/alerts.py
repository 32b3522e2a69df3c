"""The alert queue and the alert page: filter, sort and page alerts; read one with its explanation, the records it is
about and its history; assign it; close it with a disposition. Alerts hold personal data, so each page first asks
why (a justification), as the person pages do; the core checks the permissions and records every access."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, cast
from urllib.parse import urlencode

from fastapi import APIRouter, Form, Path, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from palermo.alerts import AlertFilters, alert_precision, alert_queue, assign_alert, dispose_alert, get_alert
from palermo.alerts.lifecycle import STATUSES
from palermo.alerts.queue import DECISIONS, SORTS, Sort
from palermo.api.deps import MAX_ROW_ID, NodeDep, SessionDep
from palermo.auth.actor import Actor
from palermo.errors import Conflict, InvalidInput
from palermo.resolution.identities import identity_of
from palermo.taxonomies import taxonomy
from palermo.web.deps import WEB_PREFIX, Page, PageDep, justified_or_error, page
from palermo.web.render import label_of, render

router = APIRouter(prefix=f"{WEB_PREFIX}/alerts")
PAGE_SIZE = 25
# the queue's age filter: label, and the bounds of the opening time relative to now (after, before)
AGES: dict[str, tuple[str, dt.timedelta | None, dt.timedelta | None]] = {
    "": ("Any age", None, None),
    "1d": ("Opened in the last 24 hours", dt.timedelta(days=1), None),
    "7d": ("Opened in the last 7 days", dt.timedelta(days=7), None),
    "30d": ("Opened in the last 30 days", dt.timedelta(days=30), None),
    "older7d": ("Waiting more than 7 days", None, dt.timedelta(days=7)),
}
SORT_LABELS = {"newest": "Newest first", "oldest": "Oldest first", "score": "Highest score first"}
Filter = Annotated[str, Query(max_length=32)]
Justification = Annotated[str, Query(max_length=200, description="Case reference or legal-basis code.")]
AlertId = Annotated[int, Path(ge=1, le=MAX_ROW_ID)]


def _choices() -> dict[str, object]:
    """The queue's filter options, (value, label) each, and the vocabularies the alert pages show."""
    options = {
        "status": [("", "Any status"), *((s, s.capitalize()) for s in STATUSES)],
        "decision": [("", "Any decision"), *((d, label_of("screening_decisions", d)) for d in DECISIONS)],
        "kind": [("", "Any kind"), *((k.id, k.label) for k in taxonomy("alert_kinds").terms)],
        "age": [(key, label) for key, (label, _, _) in AGES.items()],
        "sort": list(SORT_LABELS.items()),
    }
    return {
        "options": options,
        "sorts": SORT_LABELS,
        "dispositions": taxonomy("alert_dispositions").terms,
        "legal_bases": taxonomy("legal_bases").terms,
    }


def _actor(page_: Page, justification: str, node: NodeDep, errors: dict[str, str]) -> Actor | None:
    """The justified actor, or None with the reason against the justification field."""
    missing = "Say why you open alerts: a case reference or a legal-basis code."
    return justified_or_error(page_, justification, node.settings.case_reference_pattern, errors, missing=missing)


def _age_filters(age: str, errors: dict[str, str]) -> tuple[dt.datetime | None, dt.datetime | None]:
    if age not in AGES:
        errors["age"] = f"Choose one of the ages offered, not {age!r}."
        return None, None
    _, within, older = AGES[age]
    now = dt.datetime.now(dt.UTC)
    return (now - within if within else None), (now - older if older else None)


@router.get("", **page("alerts.read"))
def queue(
    request: Request,
    session: SessionDep,
    node: NodeDep,
    page_: PageDep,
    status: Filter = "",
    decision: Filter = "",
    kind: Filter = "",
    border_point: Annotated[str, Query(max_length=16)] = "",
    age: Filter = "",
    sort: Filter = "newest",
    page_number: Annotated[int, Query(alias="page", ge=1, le=100_000)] = 1,
    justification: Justification = "",
) -> HTMLResponse:
    """The queue, filtered, sorted and paged, with the total and the precision measured per decision."""
    chosen = {"status": status, "decision": decision, "kind": kind, "border_point": border_point.strip().upper()}
    shown = {**chosen, "age": age, "sort": sort}
    context: dict[str, object] = {**_choices(), "filters": shown, "justification": justification, "queue": None}
    errors: dict[str, str] = {}
    if not justification and not request.query_params:
        return render(request, "alerts.html", {**context, "field_errors": errors})
    after, before = _age_filters(age, errors)
    if sort not in SORTS:
        errors["sort"] = f"Choose one of the orders offered, not {sort!r}."
    actor = _actor(page_, justification, node, errors)
    if actor is not None and not errors:
        filters = AlertFilters(**{k: v or None for k, v in chosen.items()}, opened_after=after, opened_before=before)
        try:
            found = alert_queue(
                session, actor, filters, sort=cast(Sort, sort), offset=(page_number - 1) * PAGE_SIZE, limit=PAGE_SIZE
            )
            context.update(queue=found, precision=alert_precision(session, actor), page_number=page_number)
        except InvalidInput as exc:
            errors[str(exc.details.get("field", "status"))] = str(exc)
    query = {k: v for k, v in {**shown, "justification": justification}.items() if v}
    context.update(field_errors=errors, query=query, urlencode=urlencode)
    return render(request, "alerts.html", context, status_code=422 if errors else 200)


NOTICES = {"assigned": "The alert is assigned.", "closed": "The alert is closed."}


def _alert_page(
    request: Request,
    session: SessionDep,
    node: NodeDep,
    page_: Page,
    alert_id: int,
    justification: str,
    status: int = 200,
    errors: dict[str, str] | None = None,
    **extra: object,
) -> HTMLResponse:
    """The alert with its explanation and history; the justification form first when there is no justification."""
    errors = dict(errors or {})
    context: dict[str, object] = {**_choices(), "alert_id": alert_id, "justification": justification, **extra}
    actor = _actor(page_, justification, node, errors) if justification or errors else None
    if actor is None:
        return render(request, "alert_justify.html", {**context, "field_errors": errors}, 422 if errors else 200)
    alert = get_alert(session, actor, alert_id)
    identity = identity_of(session, alert.person_id) if alert.person_id and page_.may("identities.read") else None
    context.update(alert=alert, identity_id=identity, precision=alert_precision(session, actor), field_errors=errors)
    return render(request, "alert.html", context, status_code=status)


@router.get("/{alert_id}", **page("alerts.read"))
def alert_page(
    request: Request,
    session: SessionDep,
    node: NodeDep,
    page_: PageDep,
    alert_id: AlertId,
    justification: Justification = "",
    done: Annotated[str, Query(max_length=16)] = "",
) -> HTMLResponse:
    """One alert: decision, full explanation, the records it is about, assignment, disposition and history."""
    return _alert_page(request, session, node, page_, alert_id, justification, notice=NOTICES.get(done))


def _after_change(alert_id: int, justification: str, done: str) -> Response:
    query = urlencode({"justification": justification, "done": done})
    return RedirectResponse(f"{WEB_PREFIX}/alerts/{alert_id}?{query}#history", status_code=303)


@router.post("/{alert_id}/assign", **page("alerts.disposition"))
def assign(
    request: Request,
    session: SessionDep,
    node: NodeDep,
    page_: PageDep,
    alert_id: AlertId,
    assignee: Annotated[str, Form(max_length=200)] = "",
    justification: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    """Assign the alert (to oneself by default); the change is appended to its history."""
    errors: dict[str, str] = {}
    actor = _actor(page_, justification, node, errors)
    if actor is not None:
        try:
            assign_alert(session, actor, alert_id, assignee.strip() or page_.username)
            return _after_change(alert_id, justification, "assigned")
        except (InvalidInput, Conflict) as exc:
            errors["assignee"] = str(exc)
            return _alert_page(request, session, node, page_, alert_id, justification, exc.status_code, errors)
    return _alert_page(request, session, node, page_, alert_id, justification, 422, errors)


@router.post("/{alert_id}/disposition", **page("alerts.disposition"))
def dispose(
    request: Request,
    session: SessionDep,
    node: NodeDep,
    page_: PageDep,
    alert_id: AlertId,
    disposition: Annotated[str, Form(max_length=32)] = "",
    comment: Annotated[str, Form(max_length=2000)] = "",
    justification: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    """Close the alert with a disposition and a comment; a closed alert stays closed."""
    errors: dict[str, str] = {}
    form = {"disposition": disposition, "comment": comment}
    actor = _actor(page_, justification, node, errors)
    if actor is not None and not disposition:
        errors["disposition"] = "Choose how the alert ends."
    elif actor is not None:
        try:
            dispose_alert(session, actor, alert_id, disposition, comment.strip() or None)
            return _after_change(alert_id, justification, "closed")
        except (InvalidInput, Conflict) as exc:
            errors["disposition"] = str(exc)
            return _alert_page(
                request, session, node, page_, alert_id, justification, exc.status_code, errors, form=form
            )
    return _alert_page(request, session, node, page_, alert_id, justification, 422, errors, form=form)
