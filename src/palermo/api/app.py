"""``create_app()``: the FastAPI application of one node.

``/api/v1/...`` carries the API (OpenAPI at ``/api/v1/openapi.json``, docs at ``/api/v1/docs``); ``/healthz``,
``/readyz`` and ``/metrics`` sit at the root for orchestrators and Prometheus.
"""

from __future__ import annotations

from fastapi import Depends, FastAPI, Response

from palermo import __version__
from palermo.api.deps import API_PREFIX, SessionGate, public
from palermo.api.errors import install_error_handlers
from palermo.api.input_guard import refuse_nul_characters
from palermo.api.metrics import HttpMetrics, install_metrics
from palermo.api.middleware import RequestGuard
from palermo.api.routers import (
    auth,
    documents,
    health,
    identities,
    network,
    network_routes,
    persons,
    screening,
    sharing,
    sources,
    stats,
    system,
    tokens,
    users,
    victims,
)
from palermo.api.warm import warm_up_lifespan
from palermo.db.engine import connections_at_most
from palermo.node import Node, open_node
from palermo.settings import get_settings
from palermo.sharing.config import sharing_config

BUNDLE_ENVELOPE_BYTES = 4096  # the JSON object around a bundle

DOMAIN_ROUTERS = (
    auth.router,
    users.router,
    tokens.router,
    sources.router,
    persons.router,
    documents.router,
    screening.router,
    identities.router,
    system.router,
    sharing.router,
    victims.router,
    network.router,
    network_routes.router,
    stats.router,
)


def create_app(node: Node | None = None, *, warm_up: bool = True) -> FastAPI:
    """The app for ``node`` (default: the node of this process's settings, opened now).

    ``warm_up``: warm screening before ``/readyz`` reports ready (``palermo.api.warm``). Without it the app is
    ready at once and its first screening loads what it needs: for tests and tools that serve no booth.
    """
    node = node or open_node(get_settings())
    warm, lifespan = warm_up_lifespan(node, enabled=warm_up)
    app = FastAPI(
        lifespan=lifespan,
        title="Palermo",
        version=__version__,
        description="API of a Palermo node. Authenticate with a session cookie or an API token; "
        "consultations of personal data need the X-Palermo-Justification header.",
        openapi_url=f"{API_PREFIX}/openapi.json",
        docs_url=f"{API_PREFIX}/docs",
        redoc_url=None,
        dependencies=[Depends(refuse_nul_characters)],
    )
    app.state.node = node
    app.state.warm_up = warm
    app.state.session_gate = SessionGate(connections_at_most(node.engine))
    metrics = HttpMetrics()
    install_error_handlers(app)
    install_metrics(app, metrics, warm_up_key=warm.key)
    inbox_limit = sharing_config().exchange.max_bundle_bytes + BUNDLE_ENVELOPE_BYTES
    app.add_middleware(RequestGuard, limit=node.settings.max_request_bytes, inbox_limit=inbox_limit)
    for router in (*DOMAIN_ROUTERS, health.router):
        app.include_router(router)  # routers carry their full prefix, so route templates are whole paths
    from palermo.web import install_web  # here, not at import: the pages import the API's dependencies

    install_web(app)  # pages under /web, after the API's error handlers (pages get HTML errors)

    @app.get("/metrics", include_in_schema=False, **public())
    def prometheus_metrics() -> Response:
        """Prometheus exposition of request counts and latencies."""
        return metrics.render()

    return app
