"""The web-session cookies, written in one place for the API's login and the pages' sign-in.

The session id is HttpOnly; the CSRF token is readable so that the page can echo it. Both are SameSite=Lax on
the whole site, and Secure unless ``PALERMO_COOKIE_SECURE`` is off (plain-HTTP development).
"""

from __future__ import annotations

from starlette.responses import Response

from palermo.auth.sessions import CSRF_COOKIE, SESSION_COOKIE, NewSession

PATH = "/"


def set_session_cookies(response: Response, started: NewSession, *, secure: bool) -> None:
    response.set_cookie(SESSION_COOKIE, started.session_id, httponly=True, secure=secure, samesite="lax", path=PATH)
    response.set_cookie(CSRF_COOKIE, started.csrf_token, httponly=False, secure=secure, samesite="lax", path=PATH)


def clear_session_cookies(response: Response) -> None:
    response.delete_cookie(SESSION_COOKIE, path=PATH)
    response.delete_cookie(CSRF_COOKIE, path=PATH)
