"""Mount the pages on the API's app: page routers, static files (our own and the built browser libraries)."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.routing import APIRoute, iter_route_contexts
from fastapi.staticfiles import StaticFiles

from palermo.logs import get_logger
from palermo.web.deps import WEB_PREFIX
from palermo.web.errors import install_page_errors
from palermo.web.render import STATIC, vendor_missing
from palermo.web.views import (
    admin,
    alerts,
    dashboard,
    documents,
    identities,
    network,
    network_maps,
    oversight,
    persons,
    screening,
    signin,
    victim_forms,
    victim_languages,
    victims,
    watchlists,
)

log = get_logger(__name__)
PAGE_ROUTERS = (
    signin.router,
    dashboard.router,
    screening.router,
    documents.router,
    alerts.router,
    persons.router,
    identities.router,
    network_maps.router,
    network.router,
    watchlists.router,
    victims.router,
    victim_forms.router,
    victim_languages.router,
    oversight.router,
    admin.router,
)


def page_routes() -> list[tuple[str, str]]:
    """Every (method, path) of the pages: the authorization matrix of the API leaves exactly these out."""
    return sorted(
        (method, str(context.path))
        for router in PAGE_ROUTERS
        for context in iter_route_contexts(router.routes)
        if isinstance(context.original_route, APIRoute)
        for method in context.methods or ()
    )


def install_web(app: FastAPI) -> None:
    """Add the pages, their error pages and ``/web/static`` to ``app`` (after the API's error handlers)."""
    missing = vendor_missing()
    if missing:
        log.warning("web_assets_missing", missing=missing, fix="run `make assets` (scripts/build-assets.sh)")
    install_page_errors(app)
    for router in PAGE_ROUTERS:
        app.include_router(router)
    app.mount(f"{WEB_PREFIX}/static", StaticFiles(directory=STATIC), name="web-static")
