"""Error pages: the API's errors, rendered as HTML for ``/web`` paths (403 names the missing permission).

The API keeps answering JSON; a request under ``/web`` gets a page with the status, what went wrong and what to do.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from fastapi import FastAPI, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, RedirectResponse
from sqlalchemy.exc import DBAPIError
from starlette.exceptions import HTTPException

from palermo.api.errors import connection_lost
from palermo.auth.permissions import permissions
from palermo.errors import PalermoError
from palermo.logs import get_logger
from palermo.web.deps import WEB_PREFIX, PageRedirect
from palermo.web.render import render

log = get_logger(__name__)
Handler = Callable[[Request, Exception], Response | Awaitable[Response]]
TITLES = {
    400: "Bad request",
    401: "Sign-in needed",
    403: "Not permitted",
    404: "Not found",
    405: "Method not allowed",
    409: "Conflict",
    422: "Please check what you entered",
    429: "Too many attempts",
    500: "Something went wrong",
    503: "Store unavailable",
}


def is_page(request: Request) -> bool:
    return request.url.path == WEB_PREFIX or request.url.path.startswith(f"{WEB_PREFIX}/")


def error_page(request: Request, status: int, message: str, **extra: Any) -> HTMLResponse:
    context = {"status": status, "title": TITLES.get(status, "Error"), "message": message, **extra}
    return render(request, "error.html", context, status_code=status)


def _palermo(request: Request, exc: Exception) -> HTMLResponse:
    assert isinstance(exc, PalermoError)
    wanted = exc.details.get("permission")
    missing = permissions().get(wanted) if isinstance(wanted, str) else None
    response = error_page(request, exc.status_code, str(exc), missing=missing)
    if "retry_after" in exc.details:
        response.headers["Retry-After"] = str(exc.details["retry_after"])
    return response


def _validation(request: Request, exc: Exception) -> HTMLResponse:
    assert isinstance(exc, RequestValidationError)
    fields = [(".".join(str(p) for p in e.get("loc", ())[1:]), str(e.get("msg", "invalid"))) for e in exc.errors()]
    return error_page(request, 422, "Some values in the address or form are not valid.", fields=fields)


def _http(request: Request, exc: Exception) -> HTMLResponse:
    assert isinstance(exc, HTTPException)
    message = "There is no page at this address." if exc.status_code == 404 else str(exc.detail)
    return error_page(request, exc.status_code, message)


def _unexpected(request: Request, exc: Exception) -> HTMLResponse:
    log.error("unhandled_page_error", path=request.url.path, error=repr(exc))
    return error_page(request, 500, "An unexpected error happened; it has been logged for the administrator.")


def _store_lost(request: Request, exc: Exception) -> HTMLResponse:
    if not connection_lost(request, exc):
        return _unexpected(request, exc)
    response = error_page(request, 503, "The connection to the database was lost; reload the page in a moment.")
    response.headers["Retry-After"] = "1"
    return response


def _redirect(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, PageRedirect)
    if request.headers.get("HX-Request"):
        return Response(status_code=204, headers={"HX-Redirect": exc.url})
    return RedirectResponse(exc.url, status_code=303)


def _for_pages(page_handler: Handler, api_handler: Handler) -> Handler:
    async def dispatch(request: Request, exc: Exception) -> Response:
        chosen = page_handler if is_page(request) else api_handler
        answer = chosen(request, exc)
        return await answer if isinstance(answer, Awaitable) else answer

    return dispatch


def install_page_errors(app: FastAPI) -> None:
    """Wrap the API's error handlers so that pages get HTML (call after the API's handlers are installed)."""
    page_handlers: dict[type[Exception], Handler] = {
        PalermoError: _palermo,
        RequestValidationError: _validation,
        HTTPException: _http,
        DBAPIError: _store_lost,
        Exception: _unexpected,
    }
    for kind, handler in page_handlers.items():
        api_handler = app.exception_handlers[kind]
        app.add_exception_handler(kind, _for_pages(handler, api_handler))
    app.add_exception_handler(PageRedirect, _redirect)
