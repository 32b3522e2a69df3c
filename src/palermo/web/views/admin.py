"""Administration: user accounts, roles and their permissions, API tokens."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Path, Query, Request
from fastapi.responses import HTMLResponse, Response

from palermo.api.deps import MAX_ROW_ID, NodeDep, SessionDep
from palermo.auth import tokens, users
from palermo.auth.permissions import permissions
from palermo.auth.tokens import MAX_DAYS
from palermo.errors import PalermoError
from palermo.taxonomies import taxonomy
from palermo.web.deps import WEB_PREFIX, Page, PageDep, page
from palermo.web.render import render

router = APIRouter(prefix=f"{WEB_PREFIX}/admin")
Username = Annotated[str, Path(min_length=1, max_length=64)]


def _users_page(request: Request, session: SessionDep, page_: Page, status: int = 200, **extra: object) -> HTMLResponse:
    context = {"users": users.list_users(session, page_.actor), "roles": taxonomy("roles").terms, **extra}
    return render(request, "users.html", context, status_code=status)


@router.get("/users", **page("users.read"))
def users_page(request: Request, session: SessionDep, page_: PageDep) -> HTMLResponse:
    """Every account with its role and state; administrators also create, disable, enable and reset."""
    return _users_page(request, session, page_)


@router.post("/users", **page("users.manage"))
def create_user(
    request: Request,
    session: SessionDep,
    page_: PageDep,
    username: Annotated[str, Form(max_length=64)] = "",
    role: Annotated[str, Form(max_length=32)] = "",
    display_name: Annotated[str, Form(max_length=200)] = "",
) -> HTMLResponse:
    """Create an account; its one-time password is shown on the answer page, once."""
    try:
        new = users.create_user(
            session, page_.actor, username=username.strip(), role=role, display_name=display_name.strip() or None
        )
    except PalermoError as exc:
        form = {"username": username, "role": role, "display_name": display_name}
        return _users_page(request, session, page_, exc.status_code, form_error=str(exc), form=form)
    return _users_page(request, session, page_, created=new)


def _account_action(request: Request, session: SessionDep, page_: Page, action: str, username: str) -> HTMLResponse:
    if action == "reset":
        reset = users.reset_password(session, page_.actor, username)
        return _users_page(request, session, page_, created=reset)
    users.set_disabled(session, page_.actor, username, disabled=action == "disable")
    return _users_page(request, session, page_, notice=f"Account {username} {action}d.")


@router.post("/users/{username}/disable", **page("users.manage"))
def disable_user(request: Request, session: SessionDep, page_: PageDep, username: Username) -> HTMLResponse:
    """Disable an account: its sessions end and its tokens stop working."""
    return _account_action(request, session, page_, "disable", username)


@router.post("/users/{username}/enable", **page("users.manage"))
def enable_user(request: Request, session: SessionDep, page_: PageDep, username: Username) -> HTMLResponse:
    """Re-enable a disabled account."""
    return _account_action(request, session, page_, "enable", username)


@router.post("/users/{username}/reset", **page("users.manage"))
def reset_user(request: Request, session: SessionDep, page_: PageDep, username: Username) -> HTMLResponse:
    """A new one-time password for an account, shown once."""
    return _account_action(request, session, page_, "reset", username)


@router.get("/roles", **page("users.read"))
def roles_page(request: Request, page_: PageDep) -> HTMLResponse:
    """Roles and the permissions each holds (from permissions.yaml)."""
    context = {"roles": taxonomy("roles").terms, "permissions": list(permissions().values())}
    return render(request, "roles.html", context)


def _tokens_page(
    request: Request, session: SessionDep, page_: Page, everyone: bool, status: int = 200, **extra: object
) -> HTMLResponse:
    everyone = everyone and page_.may("tokens.manage_all")
    context = {
        "tokens": tokens.list_tokens(session, page_.actor, everyone=everyone),
        "everyone": everyone,
        "max_days": MAX_DAYS,
        **extra,
    }
    return render(request, "tokens.html", context, status_code=status)


@router.get("/tokens", **page("auth.self"))
def tokens_page(
    request: Request, session: SessionDep, page_: PageDep, everyone: Annotated[bool, Query()] = False
) -> HTMLResponse:
    """Your API tokens (everyone's for administrators): create one, revoke one."""
    return _tokens_page(request, session, page_, everyone)


@router.post("/tokens", **page("auth.self"))
def create_token(
    request: Request,
    session: SessionDep,
    node: NodeDep,
    page_: PageDep,
    name: Annotated[str, Form(max_length=200)] = "",
    days: Annotated[str, Form(max_length=8)] = "",
) -> Response:
    """Create a token with all your permissions; its secret is shown on the answer page, once."""
    try:
        lifetime = int(days) if days.strip() else node.settings.token_default_days
        new = tokens.create_token(session, page_.actor, name=name, scopes=None, days=lifetime)
    except ValueError:
        return _tokens_page(request, session, page_, False, 422, form_error=f"Days must be a whole number: {days!r}")
    except PalermoError as exc:
        return _tokens_page(request, session, page_, False, exc.status_code, form_error=str(exc))
    return _tokens_page(request, session, page_, False, created=new)


@router.post("/tokens/{token_id}/revoke", **page("auth.self"))
def revoke_token(
    request: Request, session: SessionDep, page_: PageDep, token_id: Annotated[int, Path(ge=1, le=MAX_ROW_ID)]
) -> HTMLResponse:
    """Revoke a token (yours, or anyone's for administrators); it stops working at once."""
    revoked = tokens.revoke_token(session, page_.actor, token_id)
    return _tokens_page(request, session, page_, False, notice=f"Token {revoked.prefix}… revoked.")
