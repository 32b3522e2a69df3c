"""Jinja2 templates of the pages, with the helpers every template uses (navigation, badges, dates)."""

from __future__ import annotations

import datetime as dt
from functools import cache
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from palermo import __version__
from palermo.taxonomies import Term, taxonomy

HERE = Path(__file__).resolve().parent
TEMPLATES = HERE / "templates"
STATIC = HERE / "static"
VENDOR = STATIC / "vendor"

# (label, path, permission) of the navigation; a link shows only to those who hold its permission.
NAVIGATION = (
    ("Dashboard", "/web/", "dashboard.read"),
    ("Screening", "/web/screening", "screening.run"),
    ("Alerts", "/web/alerts", "alerts.read"),
    ("Persons", "/web/persons", "persons.search"),
    ("Documents", "/web/documents", "documents.check"),
    ("Networks", "/web/network/communities", "network.read"),
    ("Routes", "/web/network/routes", "network.read"),
    ("Watchlists", "/web/watchlists", "watchlists.read"),
    ("Victim cases", "/web/victims/cases", "victims.read"),
    ("Oversight", "/web/oversight", "audit.read"),
    ("Users", "/web/admin/users", "users.read"),
    ("Roles", "/web/admin/roles", "users.read"),
    ("Tokens", "/web/admin/tokens", "auth.self"),
    ("Account", "/web/account/password", "auth.self"),
)


def label_of(taxonomy_name: str, term_id: str | None) -> str:
    """The label of a taxonomy term (the id itself when unknown)."""
    if term_id is None:
        return ""
    term = taxonomy(taxonomy_name).get(term_id)
    return term.label if term else term_id


def term_of(taxonomy_name: str, term_id: str) -> Term:
    """A taxonomy term with its attributes (refused when unknown)."""
    return taxonomy(taxonomy_name).require(term_id)


def when(value: dt.datetime | dt.date | None) -> str:
    if value is None:
        return "—"
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M UTC") if value.tzinfo else value.isoformat(" ")
    return value.isoformat()


@cache
def templates() -> Jinja2Templates:
    found = Jinja2Templates(directory=str(TEMPLATES))
    found.env.globals.update(navigation=NAVIGATION, version=__version__, label_of=label_of, term_of=term_of)
    found.env.filters["when"] = when
    return found


def render(request: Request, name: str, context: dict[str, Any], status_code: int = 200) -> HTMLResponse:
    """Render template ``name``; ``page`` (the signed-in user) comes from the request when not given."""
    context.setdefault("page", getattr(request.state, "page", None))
    return templates().TemplateResponse(request, name, context, status_code=status_code)


def vendor_missing() -> list[str]:
    """Browser libraries the pages load that are not built (run `make assets`)."""
    wanted = (
        "htmx.min.js",
        "chart.umd.min.js",
        "leaflet/leaflet.js",
        "topojson-client.min.js",
        "countries-110m.json",
        "cytoscape.min.js",
    )
    return [name for name in wanted if not (VENDOR / name).is_file()]
