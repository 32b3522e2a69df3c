"""Prometheus metrics: requests counted and timed by method, route template and status."""

from __future__ import annotations

import time

from fastapi import FastAPI, Response
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Histogram, generate_latest
from starlette.types import ASGIApp, Message, Receive, Scope, Send

UNMATCHED = "<unmatched>"
# The start-up warm-up's own requests (palermo.api.warm) are not counted: in-process they carry this scope key,
# through the socket this header with the warm-up's key.
WARM_UP_SCOPE_KEY = "palermo.warm_up"
WARM_UP_HEADER = "X-Palermo-Warm-Up"


class HttpMetrics:
    """The metrics of one app, in its own registry (so several apps in one process do not collide)."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.requests = Counter(
            "palermo_http_requests",
            "HTTP requests by method, route template and status.",
            ["method", "route", "status"],
            registry=self.registry,
        )
        self.latency = Histogram(
            "palermo_http_request_duration_seconds",
            "HTTP request latency by method and route template.",
            ["method", "route"],
            registry=self.registry,
        )

    def render(self) -> Response:
        return Response(generate_latest(self.registry), media_type=CONTENT_TYPE_LATEST)


def route_template(scope: Scope) -> str:
    """The matched route's path template (``/api/v1/persons/{person_id}``), never the raw path."""
    route = scope.get("route")
    template = getattr(route, "path_format", None) or getattr(route, "path", None)
    return str(template) if template else UNMATCHED


class MetricsMiddleware:
    """Pure ASGI middleware: counts and times every HTTP request once its response has started.

    Every answer carries ``Server-Timing: app;dur=<ms>`` (W3C Server Timing): the milliseconds from the request
    reaching the application to its answer starting, so a client (a browser's developer tools, a benchmark) can
    tell the server's time from the network's and its own.
    """

    def __init__(self, app: ASGIApp, metrics: HttpMetrics, warm_up_key: str | None = None) -> None:
        self.app = app
        self.metrics = metrics
        self._warm_up = (WARM_UP_HEADER.lower().encode(), warm_up_key.encode()) if warm_up_key else None

    def _counted(self, scope: Scope) -> bool:
        if scope["type"] != "http" or scope.get(WARM_UP_SCOPE_KEY):
            return False
        if self._warm_up is None:
            return True
        name, key = self._warm_up
        return not any(header == name and value == key for header, value in scope.get("headers", ()))

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = [500]

        async def send_and_note(message: Message) -> None:
            if message["type"] == "http.response.start":
                status[0] = int(message["status"])
                took_ms = (time.perf_counter() - started) * 1000
                headers = [*message.get("headers", ()), (b"server-timing", f"app;dur={took_ms:.2f}".encode())]
                message = {**message, "headers": headers}
            await send(message)

        if not self._counted(scope):
            await self.app(scope, receive, send_and_note)
            return
        try:
            await self.app(scope, receive, send_and_note)
        finally:
            route = route_template(scope)
            self.metrics.requests.labels(scope["method"], route, str(status[0])).inc()
            self.metrics.latency.labels(scope["method"], route).observe(time.perf_counter() - started)


def install_metrics(app: FastAPI, metrics: HttpMetrics, *, warm_up_key: str | None = None) -> None:
    app.add_middleware(MetricsMiddleware, metrics=metrics, warm_up_key=warm_up_key)
