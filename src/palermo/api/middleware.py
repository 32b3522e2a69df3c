"""The outermost layer of every answer: request size limits, NUL bytes in bodies, security headers.

A pure ASGI middleware, so that it acts before anything reads a body (FastAPI's body parsing, a page's form):

* **Size.** A request declaring a ``Content-Length`` over the limit answers 413 before one byte of its body is read;
  a body without one (chunked) is read only up to the limit, then 413. The limit is ``PALERMO_MAX_REQUEST_BYTES``,
  except for the exchange inbox with a bearer token, which takes bundles up to the sharing configuration's
  ``max_bundle_bytes`` (a caller without credentials never gets past the general limit).
* **NUL.** PostgreSQL cannot store U+0000 in text and no field accepts one: any body but a multipart upload that
  holds a NUL byte, a JSON ``\\u0000`` escape or a form's ``%00`` answers 422, whatever its declared content type.
* **Headers.** Every answer gets a Content-Security-Policy without ``unsafe-inline`` (the pages load only their own
  scripts and styles), ``frame-ancestors 'none'``, ``nosniff``, ``Referrer-Policy: no-referrer``, and
  ``Cache-Control: no-store`` on everything but static assets: API answers and pages carry personal data.
"""

from __future__ import annotations

import html
import json
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from palermo.api.deps import API_PREFIX
from palermo.errors import InvalidInput, PalermoError, PayloadTooLarge

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
App = Callable[[Scope, Receive, Send], Awaitable[None]]

INBOX_PATH = f"{API_PREFIX}/exchange/inbox"
STATIC_PREFIX = "/web/static/"
API_DOCS_PATH = f"{API_PREFIX}/docs"
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
    "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
# FastAPI's interactive API docs page is an inline script loading Swagger UI from a CDN; it shows no personal data.
API_DOCS_POLICY = (
    "default-src 'self'; script-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net; "
    "style-src 'self' https://cdn.jsdelivr.net; img-src 'self' data: https://fastapi.tiangolo.com; "
    "object-src 'none'; base-uri 'none'; frame-ancestors 'none'"
)
COMMON_HEADERS = (
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
    (b"cross-origin-opener-policy", b"same-origin"),
)
_FORM = b"application/x-www-form-urlencoded"
_MULTIPART = b"multipart/"
_NUL_FORMS = (b"\x00", b"\\u0000")


class RequestGuard:
    """See the module docstring. ``limit``: bytes of any body; ``inbox_limit``: of a credentialed bundle."""

    def __init__(self, app: App, *, limit: int, inbox_limit: int) -> None:
        self.app = app
        self.limit = limit
        self.inbox_limit = inbox_limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        send = _with_security_headers(scope, send)
        headers = dict(scope.get("headers") or [])
        try:
            limit = self._limit(scope, headers)
            _refuse_declared_size(headers, limit)
            body = await _read_body(receive, limit)
            _refuse_nul(headers, body)
        except PalermoError as exc:
            await _answer(scope, send, exc)
            return
        await self.app(scope, _replay(body, receive), send)

    def _limit(self, scope: Scope, headers: dict[bytes, bytes]) -> int:
        credentialed = headers.get(b"authorization", b"").lower().startswith(b"bearer ")
        return self.inbox_limit if scope.get("path") == INBOX_PATH and credentialed else self.limit


def _too_large(limit: int) -> PayloadTooLarge:
    return PayloadTooLarge(f"the request body is larger than this node accepts ({limit} bytes)", limit=limit)


def _refuse_declared_size(headers: dict[bytes, bytes], limit: int) -> None:
    declared = headers.get(b"content-length")
    if declared is None:
        return
    try:
        size = int(declared)
    except ValueError:
        raise InvalidInput("the Content-Length header is not a number") from None
    if size > limit:
        raise _too_large(limit)


async def _read_body(receive: Receive, limit: int) -> bytes:
    """The whole body, refusing it as soon as it grows past ``limit`` (the rest is never read)."""
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            break
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > limit:
            raise _too_large(limit)
        chunks.append(chunk)
        if not message.get("more_body", False):
            break
    return b"".join(chunks)


def _refuse_nul(headers: dict[bytes, bytes], body: bytes) -> None:
    content_type = headers.get(b"content-type", b"").lower()
    if not body or content_type.startswith(_MULTIPART):
        return
    forms = (*_NUL_FORMS, b"%00") if content_type.startswith(_FORM) else _NUL_FORMS
    if any(form in body for form in forms):
        raise InvalidInput("the request body contains a NUL character, which no field accepts")


def _replay(body: bytes, receive: Receive) -> Receive:
    """A ``receive`` that hands the app the body already read, then waits for the disconnect as usual."""
    sent = False

    async def replayed() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replayed


def _with_security_headers(scope: Scope, send: Send) -> Send:
    path: str = scope.get("path", "")
    policy = API_DOCS_POLICY if path == API_DOCS_PATH else CONTENT_SECURITY_POLICY
    extra = [*COMMON_HEADERS, (b"content-security-policy", policy.encode())]
    if not path.startswith(STATIC_PREFIX):
        extra.append((b"cache-control", b"no-store"))

    async def sending(message: Message) -> None:
        if message["type"] == "http.response.start":
            present = {name.lower() for name, _ in message.get("headers", [])}
            message["headers"] = [*message.get("headers", []), *(h for h in extra if h[0] not in present)]
        await send(message)

    return sending


async def _answer(scope: Scope, send: Send, exc: PalermoError) -> None:
    """The error as JSON (API) or a short HTML page (``/web``); the connection closes (the body is left unread)."""
    if str(scope.get("path", "")).startswith("/web"):
        status, message = exc.status_code, html.escape(exc.message)
        body = f"<!doctype html><title>{status}</title><h1>{status}</h1><p>{message}</p>"
        payload, content_type = body.encode(), b"text/html; charset=utf-8"
    else:
        payload, content_type = json.dumps(exc.to_dict()).encode(), b"application/json"
    headers = [(b"content-type", content_type), (b"content-length", str(len(payload)).encode())]
    if isinstance(exc, PayloadTooLarge):
        headers.append((b"connection", b"close"))
    await send({"type": "http.response.start", "status": exc.status_code, "headers": headers})
    await send({"type": "http.response.body", "body": payload})
