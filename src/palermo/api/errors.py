"""One renderer for every error: ``{"error": code, "message": ...}`` with the error class's HTTP status.

Request validation problems answer 422 naming each field; unknown routes and methods answer JSON too; anything
unexpected answers 500 without details (and is logged), which the test suite treats as a bug.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import DBAPIError
from starlette.exceptions import HTTPException

from palermo.api.booth import refusal_before_invalid_input
from palermo.errors import NotAuthenticated, PalermoError, StoreError, TooManyAttempts
from palermo.logs import get_logger

log = get_logger(__name__)

HTTP_CODES = {404: "not_found", 405: "method_not_allowed", 401: "not_authenticated", 403: "permission_denied"}


def _palermo_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, PalermoError)
    headers = {}
    if isinstance(exc, TooManyAttempts) and "retry_after" in exc.details:
        headers["Retry-After"] = str(exc.details["retry_after"])
    if isinstance(exc, NotAuthenticated):
        headers["WWW-Authenticate"] = "Bearer"
    return JSONResponse(exc.to_dict(), status_code=exc.status_code, headers=headers)


def _field(error: dict[str, Any]) -> dict[str, str]:
    where = ".".join(str(part) for part in error.get("loc", ()))
    return {"field": where, "message": str(error.get("msg", "invalid")), "type": str(error.get("type", ""))}


async def _validation_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    refusal = await refusal_before_invalid_input(request)
    if refusal is not None:
        return _palermo_error(request, refusal)
    fields = [_field(e) for e in exc.errors()]
    message = "; ".join(f"{f['field']}: {f['message']}" for f in fields) or "invalid request"
    return JSONResponse({"error": "invalid_input", "message": message, "details": {"fields": fields}}, status_code=422)


def _http_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, HTTPException)
    code = HTTP_CODES.get(exc.status_code, "error")
    return JSONResponse({"error": code, "message": str(exc.detail)}, status_code=exc.status_code, headers=exc.headers)


def connection_lost(request: Request, exc: Exception) -> bool:
    """Whether a statement failed because the store's connection broke (a server restart); logged when so."""
    if not (isinstance(exc, DBAPIError) and exc.connection_invalidated):
        return False
    log.warning("store_connection_lost", path=request.url.path, error=repr(exc.orig))
    return True


def _store_lost(request: Request, exc: Exception) -> JSONResponse:
    """A broken store connection answers 503, try again; any other database error is unexpected."""
    if not connection_lost(request, exc):
        return _unexpected(request, exc)
    lost = StoreError("the connection to the store was lost (the database restarted?); try again")
    return JSONResponse(lost.to_dict(), status_code=lost.status_code, headers={"Retry-After": "1"})


def _unexpected(request: Request, exc: Exception) -> JSONResponse:
    log.error("unhandled_error", path=request.url.path, error=repr(exc))
    return JSONResponse({"error": "internal", "message": "internal error; see the server log"}, status_code=500)


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(PalermoError, _palermo_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(HTTPException, _http_error)
    app.add_exception_handler(DBAPIError, _store_lost)
    app.add_exception_handler(Exception, _unexpected)
