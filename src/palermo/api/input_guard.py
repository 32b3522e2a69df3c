"""Refuse NUL characters anywhere in a request with a clear 422, before any handler or database sees them.

PostgreSQL cannot store U+0000 in text and answers with an error that would otherwise surface as a 500; no
legitimate name, document number or query contains one.
"""

from __future__ import annotations

from fastapi import Request

from palermo.errors import InvalidInput

_NUL_FORMS = (b"\\u0000", b"\x00")


async def refuse_nul_characters(request: Request) -> None:
    if "\x00" in request.url.path or "%00" in request.url.query or "\x00" in request.url.query:
        raise InvalidInput("the request contains a NUL character, which no field accepts")
    if any("\x00" in value for value in request.query_params.values()):
        raise InvalidInput("the request contains a NUL character, which no field accepts")
    if request.method in ("POST", "PUT", "PATCH") and request.headers.get("content-type", "").startswith(
        "application/json"
    ):  # JSON bodies only: a form's stream must stay unread for the page that parses it
        body = await request.body()
        if any(form in body for form in _NUL_FORMS):
            raise InvalidInput("the request body contains a NUL character, which no field accepts")
