"""Who is looking at a page: the session cookie's user, CSRF from the form field, and page permissions.

Pages use the API's cookies (``palermo_session``, ``palermo_csrf``). A state-changing form carries the CSRF token
in a ``csrf_token`` field (the API takes the ``X-CSRF-Token`` header instead). A visitor without a session is sent
to the sign-in page; one whose session ended is sent to the session-expired page. Every page route declares its
permission with ``**page("persons.read")`` (or ``**public_page()``), enforced before the view runs.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import Depends, Request
from fastapi.responses import HTMLResponse

from palermo.api.deps import PERMISSION_KEY, PUBLIC, SAFE_METHODS, NodeDep, SessionDep, client_address
from palermo.auth import sessions
from palermo.auth.access import guard
from palermo.auth.actor import Actor, user_actor
from palermo.auth.justification import optional_justification
from palermo.auth.permissions import SELF_SERVICE, effective_permissions, permission
from palermo.errors import NotAuthenticated, PermissionDenied

WEB_PREFIX = "/web"
CSRF_FIELD = "csrf_token"


class PageRedirect(Exception):
    """Send the browser elsewhere (sign-in, session expired, change password) instead of rendering."""

    def __init__(self, url: str) -> None:
        super().__init__(url)
        self.url = url


@dataclass(frozen=True)
class Page:
    """The signed-in user of a page: the actor for the core, the held permissions (for navigation), CSRF value."""

    actor: Actor
    username: str
    display_name: str
    csrf_token: str
    held: frozenset[str] = field(default_factory=frozenset)

    def may(self, permission_id: str) -> bool:
        return permission_id in self.held


def safe_next(target: str | None) -> str:
    """A local page to return to after sign-in; anything else (other sites, other paths) becomes the dashboard."""
    if target and target.startswith(f"{WEB_PREFIX}/") and not target.startswith("//") and "\\" not in target:
        return target
    return f"{WEB_PREFIX}/"


def _here(request: Request) -> str:
    query = f"?{request.url.query}" if request.url.query and request.method in SAFE_METHODS else ""
    return quote(f"{request.url.path}{query}", safe="")


async def posted_csrf(request: Request) -> str | None:
    """The ``csrf_token`` field of a posted form (None on safe methods); the form is parsed once and cached."""
    if request.method in SAFE_METHODS:
        return None
    form = await request.form()
    value = form.get(CSRF_FIELD)
    return value if isinstance(value, str) else None


def get_page(
    request: Request, session: SessionDep, node: NodeDep, csrf: Annotated[str | None, Depends(posted_csrf)]
) -> Page:
    """The page's user from the session cookie; CSRF-checked on posts; redirects when there is no live session."""
    cookie = request.cookies.get(sessions.SESSION_COOKIE)
    if not cookie:
        raise PageRedirect(f"{WEB_PREFIX}/login?next={_here(request)}")
    try:
        user, row = sessions.resolve_session(session, cookie, settings=node.settings)
    except NotAuthenticated:
        raise PageRedirect(f"{WEB_PREFIX}/session-expired?next={_here(request)}") from None
    if request.method not in SAFE_METHODS:
        try:
            sessions.check_csrf(row, csrf)
        except PermissionDenied:
            raise PermissionDenied(
                "this form's security token is missing or stale (CSRF check); reload the page and submit again"
            ) from None
    actor = user_actor(user, node.agency_code, client_address=client_address(request))
    page = Page(
        actor=actor,
        username=user.username,
        display_name=user.display_name,
        csrf_token=request.cookies.get(sessions.CSRF_COOKIE, ""),
        held=effective_permissions(actor),
    )
    request.state.page = page
    return page


PageDep = Annotated[Page, Depends(get_page)]


def justified(page: Page, text: str | None, case_pattern: str) -> Actor:
    """The page's actor carrying the justification typed in a form (a refusal names the accepted forms)."""
    return page.actor.justified(optional_justification(text, case_pattern))


def justified_or_error(
    page: Page, text: str, case_pattern: str, errors: dict[str, str], *, missing: str, field: str = "justification"
) -> Actor | None:
    """:func:`justified`, or ``None`` with the reason put against the form's ``field``: ``missing`` when nothing
    was typed, the refusal when what was typed is no justification."""
    if not text.strip():
        errors[field] = missing
        return None
    try:
        return justified(page, text, case_pattern)
    except PermissionDenied as exc:
        errors[field] = str(exc)
        return None


class PagePermission:
    """Refuses (403 page naming the permission, the refusal recorded) a user whose role lacks the permission."""

    def __init__(self, permission_id: str) -> None:
        self.permission_id = permission(permission_id).id

    def __call__(self, page: PageDep, session: SessionDep) -> None:
        if self.permission_id in page.held:
            return
        if page.actor.must_change_password and self.permission_id != SELF_SERVICE:
            raise PageRedirect(f"{WEB_PREFIX}/account/password")
        guard(session, page.actor, self.permission_id)


def page(permission_id: str) -> dict[str, Any]:
    """Route keyword arguments of a page that needs ``permission_id`` (declared, enforced, not in OpenAPI)."""
    return {
        "dependencies": [Depends(PagePermission(permission_id))],
        "openapi_extra": {PERMISSION_KEY: permission_id},
        "include_in_schema": False,
        "response_class": HTMLResponse,
    }


def public_page() -> dict[str, Any]:
    """Route keyword arguments of a page anyone may open (sign-in, session expired)."""
    return {"openapi_extra": {PERMISSION_KEY: PUBLIC}, "include_in_schema": False, "response_class": HTMLResponse}
