"""Oversight: is the access log intact (verification status), and an export for the oversight body."""

from __future__ import annotations

import datetime as dt
import json
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response

from palermo.api.deps import NodeDep, SessionDep
from palermo.audit.log import log_size
from palermo.audit.oversight_access import export_for_oversight, log_status
from palermo.errors import InvalidInput
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
