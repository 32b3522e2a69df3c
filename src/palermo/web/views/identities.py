"""The identity page: everything known of one resolved identity, each link explained, and the analyst's judgements.

An identity holds personal data, so the page first asks why (a justification), as the person and alert pages do.
Confirming or rejecting a link or a merge with another identity calls the CLI's core functions (``judge_link`` or
``judge_merge``, then ``recluster``), so the judgement is the same append-only, attributed row and the identities are
clustered again at once.
"""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Form, Path, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from palermo.api.deps import MAX_ROW_ID, NodeDep, SessionDep
from palermo.audit import group_commit
from palermo.auth.actor import Actor
from palermo.errors import InvalidInput, NotFound
from palermo.resolution.judgements import VERDICTS, judge_link, judge_merge
from palermo.resolution.profile import identity_profile
from palermo.taxonomies import taxonomy
from palermo.web.deps import WEB_PREFIX, Page, PageDep, justified_or_error, page
from palermo.web.render import render

router = APIRouter(prefix=f"{WEB_PREFIX}/identities")
Justification = Annotated[str, Query(max_length=200, description="Case reference or legal-basis code.")]
IdentityId = Annotated[int, Path(ge=1, le=MAX_ROW_ID)]
NOTICES = {
    "confirm": "The link is confirmed: the two records stay one person in every later resolution.",
    "reject": "The link is rejected: the two records are kept apart in every later resolution.",
    "merge-confirm": "The merge is confirmed: the two identities are one person in every later resolution.",
    "merge-reject": "The merge is rejected: the two identities are kept apart in every later resolution.",
}


def _actor(page_: Page, justification: str, node: NodeDep, errors: dict[str, str]) -> Actor | None:
    """The justified actor, or None with the reason against the justification field."""
    missing = "Say why you open this identity: a case reference or a legal-basis code."
    return justified_or_error(page_, justification, node.settings.case_reference_pattern, errors, missing=missing)


def _identity_page(
    request: Request,
    session: SessionDep,
    node: NodeDep,
    page_: Page,
    identity_id: int,
    justification: str,
    status: int = 200,
    errors: dict[str, str] | None = None,
    **extra: object,
) -> HTMLResponse:
    errors = dict(errors or {})
    context: dict[str, object] = {
        "identity_id": identity_id,
        "justification": justification,
        "legal_bases": taxonomy("legal_bases").terms,
        "verdicts": VERDICTS,
        **extra,
    }
    actor = _actor(page_, justification, node, errors) if justification or errors else None
    if actor is None:
        return render(request, "identity_justify.html", {**context, "field_errors": errors}, 422 if errors else 200)
    context.update(profile=identity_profile(session, actor, identity_id), field_errors=errors)
    return render(request, "identity.html", context, status_code=status)


@router.get("/{identity_id}", **page("identities.read"))
def identity_page(
    request: Request,
    session: SessionDep,
    node: NodeDep,
    page_: PageDep,
    identity_id: IdentityId,
    justification: Justification = "",
    done: Annotated[str, Query(max_length=16)] = "",
) -> HTMLResponse:
    """One identity: its records with provenance, documents, travel timeline, alerts and explained links."""
    return _identity_page(request, session, node, page_, identity_id, justification, notice=NOTICES.get(done))


@router.post("/{identity_id}/judgements", **page("identities.judge"))
def judge(
    request: Request,
    session: SessionDep,
    node: NodeDep,
    page_: PageDep,
    identity_id: IdentityId,
    left: Annotated[int, Form(ge=1, le=MAX_ROW_ID)] = 0,
    right: Annotated[int, Form(ge=1, le=MAX_ROW_ID)] = 0,
    verdict: Annotated[str, Form(max_length=16)] = "",
    reason: Annotated[str, Form(max_length=2000)] = "",
    justification: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    """Confirm or reject a link (append-only, attributed), then cluster the identities again, as the CLI does."""
    errors: dict[str, str] = {}
    actor = _actor(page_, justification, node, errors)
    if actor is not None:
        try:
            judge_link(session, actor, left, right, verdict, reason.strip() or None)
        except (InvalidInput, NotFound) as exc:
            errors[f"verdict-{left}-{right}"] = str(exc)
            return _identity_page(request, session, node, page_, identity_id, justification, exc.status_code, errors)
        return _reclustered(session, node, actor, identity_id, justification, verdict)
    return _identity_page(request, session, node, page_, identity_id, justification, 422, errors)


def _reclustered(session: SessionDep, node: NodeDep, actor: Actor, identity_id: int, why: str, done: str) -> Response:
    """Commit the judgement, cluster the identities again as the CLI does, and go back to the identity (303)."""
    group_commit.commit(session)  # the judgement is in the store before the clustering reads it
    from palermo.resolution.batch import recluster  # loads Splink: only when a judgement is made

    recluster(node, actor=actor.name)
    query = urlencode({"justification": why, "done": done})
    return RedirectResponse(f"{WEB_PREFIX}/identities/{identity_id}?{query}#judgements", status_code=303)


@router.post("/{identity_id}/merges", **page("identities.judge"))
def judge_identities(
    request: Request,
    session: SessionDep,
    node: NodeDep,
    page_: PageDep,
    identity_id: IdentityId,
    other: Annotated[str, Form(max_length=16)] = "",
    verdict: Annotated[str, Form(max_length=16)] = "",
    reason: Annotated[str, Form(max_length=2000)] = "",
    justification: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    """Confirm or reject that this identity and another are one person (``palermo identity judge-merge``)."""
    errors: dict[str, str] = {}
    actor = _actor(page_, justification, node, errors)
    if actor is not None:
        other_id = int(other) if other.strip().isdigit() and len(other.strip()) <= 12 else None
        if other_id is None:
            errors["other"] = "Enter the number of the other identity."
            return _identity_page(request, session, node, page_, identity_id, justification, 422, errors, other=other)
        try:
            judge_merge(session, actor, identity_id, other_id, verdict, reason.strip() or None)
        except (InvalidInput, NotFound) as exc:
            errors["other"] = str(exc)
            return _identity_page(
                request, session, node, page_, identity_id, justification, exc.status_code, errors, other=other
            )
        return _reclustered(session, node, actor, identity_id, justification, f"merge-{verdict}")
    return _identity_page(request, session, node, page_, identity_id, justification, 422, errors)
