"""Refuse NUL characters in a request's path and query with a clear 422, before any handler or database sees them.

PostgreSQL cannot store U+0000 in text and answers with an error that would otherwise surface as a 500; no
legitimate name, document number or query contains one. Bodies are checked by
:class:`palermo.api.middleware.RequestGuard`, whatever their content type.
"""

from __future__ import annotations

from fastapi import Request

from palermo.errors import InvalidInput


async def refuse_nul_characters(request: Request) -> None:
    if "\x00" in request.url.path or "%00" in request.url.query or "\x00" in request.url.query:
        raise InvalidInput("the request contains a NUL character, which no field accepts")
    if any("\x00" in value for value in request.query_params.values()):
        raise InvalidInput("the request contains a NUL character, which no field accepts")
