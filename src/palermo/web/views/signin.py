"""Sign-in (password, then the second factor when the account has one), sign-out, session expiry, own password."""

from __future__ import annotations

import hmac
import secrets
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from palermo.api.cookies import clear_session_cookies, set_session_cookies
from palermo.api.deps import NodeDep, SessionDep, client_address
from palermo.auth import login, sessions, users
from palermo.errors import InvalidInput, NotAuthenticated, TooManyAttempts
from palermo.web.deps import CSRF_FIELD, WEB_PREFIX, PageDep, page, public_page, safe_next
from palermo.web.render import render

router = APIRouter(prefix=WEB_PREFIX)
LOGIN_CSRF_COOKIE = "palermo_login_csrf"
Field = Annotated[str, Form(max_length=1024)]


def _login_form(request: Request, status: int = 200, **context: object) -> HTMLResponse:
    token = request.cookies.get(LOGIN_CSRF_COOKIE) or secrets.token_urlsafe(32)
    defaults = {"next": safe_next(request.query_params.get("next")), "username": "", "step": "password"}
    response = render(request, "login.html", {**defaults, **context, "login_csrf": token}, status_code=status)
    secure = bool(request.app.state.node.settings.cookie_secure)
    response.set_cookie(
        LOGIN_CSRF_COOKIE, token, httponly=True, secure=secure, samesite="strict", path=f"{WEB_PREFIX}/login"
    )
    return response


@router.get("/login", **public_page())
def login_page(request: Request) -> HTMLResponse:
    """The sign-in form."""
    signed_out = request.query_params.get("signed_out") == "1"
    return _login_form(request, notice="You are signed out." if signed_out else None)


def _set_session_cookies(response: Response, started: sessions.NewSession, secure: bool) -> None:
    set_session_cookies(response, started, secure=secure)
    response.delete_cookie(LOGIN_CSRF_COOKIE, path=f"{WEB_PREFIX}/login")


@router.post("/login", **public_page())
def sign_in(
    request: Request,
    session: SessionDep,
    node: NodeDep,
    username: Annotated[str, Form(max_length=64)] = "",
    password: Field = "",
    totp: Annotated[str, Form(max_length=16)] = "",
    next_page: Annotated[str, Form(alias="next", max_length=1024)] = "",
    csrf_token: Annotated[str, Form(alias=CSRF_FIELD, max_length=100)] = "",
) -> Response:
    """Check the credentials (and second factor); start a session and go to the page asked for."""
    form = {"username": username.strip(), "next": safe_next(next_page)}
    cookie = request.cookies.get(LOGIN_CSRF_COOKIE, "")
    if not cookie or not hmac.compare_digest(cookie, csrf_token):
        return _login_form(request, 403, error="The sign-in form expired; please sign in again.", **form)
    missing = {k: "Enter your " + k for k, v in (("username", username), ("password", password)) if not v.strip()}
    if missing:
        return _login_form(request, 422, field_errors=missing, error="Username and password are both needed.", **form)
    try:
        user = login.authenticate(
            session,
            username=form["username"],
            password=password,
            totp_code=totp.strip() or None,
            client_address=client_address(request),
            settings=node.settings,
        )
    except login.SecondFactorRequired:
        message = "This account has a second factor: enter your password again with the code from your app."
        return _login_form(request, 401, step="totp", notice=message, **form)
    except (NotAuthenticated, TooManyAttempts) as exc:
        refused = _login_form(request, exc.status_code, error=str(exc), step="totp" if totp else "password", **form)
        if "retry_after" in exc.details:
            refused.headers["Retry-After"] = str(exc.details["retry_after"])
        return refused
    started = sessions.start_session(session, user, client_address=client_address(request), settings=node.settings)
    target = f"{WEB_PREFIX}/account/password" if user.must_change_password else form["next"]
    response = RedirectResponse(target, status_code=303)
    _set_session_cookies(response, started, node.settings.cookie_secure)
    return response


@router.post("/logout", **page("auth.self"))
def sign_out(request: Request, session: SessionDep, _page: PageDep) -> Response:
    """End the session and go back to the sign-in page."""
    cookie = request.cookies.get(sessions.SESSION_COOKIE)
    if cookie:
        sessions.end_session(session, cookie)
    response = RedirectResponse(f"{WEB_PREFIX}/login?signed_out=1", status_code=303)
    clear_session_cookies(response)
    return response


@router.get("/session-expired", **public_page())
def session_expired(request: Request, node: NodeDep) -> HTMLResponse:
    """Explain that the session ended (idle or too old) and offer to sign in again."""
    context = {
        "next": safe_next(request.query_params.get("next")),
        "idle_minutes": node.settings.session_idle_minutes,
        "max_hours": node.settings.session_max_hours,
    }
    response = render(request, "session_expired.html", context, status_code=401)
    response.delete_cookie(sessions.SESSION_COOKIE)
    return response


@router.get("/account/password", **page("auth.self"))
def password_page(request: Request, page_: PageDep) -> HTMLResponse:
    """The form to change one's own password (required after a one-time password)."""
    return render(request, "password.html", {"must_change": page_.actor.must_change_password})


@router.post("/account/password", **page("auth.self"))
def change_password(
    request: Request,
    session: SessionDep,
    page_: PageDep,
    current_password: Field = "",
    new_password: Field = "",
    confirm_password: Field = "",
) -> Response:
    """Change one's own password; form messages say which field is wrong."""
    errors: dict[str, str] = {}
    if not new_password:
        errors["new_password"] = "Enter a new password."  # noqa: S105 (a message, not a password)
    elif new_password != confirm_password:
        errors["confirm_password"] = "The two new passwords differ."  # noqa: S105 (a message)
    if not errors:
        try:
            users.change_password(session, page_.actor, current=current_password, new=new_password)
        except InvalidInput as exc:
            errors[str(exc.details.get("field", "new_password"))] = str(exc)
    if errors:
        context = {"must_change": page_.actor.must_change_password, "field_errors": errors}
        return render(request, "password.html", context, status_code=422)
    return RedirectResponse(f"{WEB_PREFIX}/?password_changed=1", status_code=303)
