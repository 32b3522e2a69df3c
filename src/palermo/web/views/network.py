"""The network pages: the communities that look like networks, one community (members, key players explained, the
evidence, its ties as a graph), and an actor's neighbourhood as an interactive graph with the records behind each tie.

They call the API's core functions (``palermo.network.analysis``, ``palermo.network.neighbourhood``), so the
permission (``network.read``), the justification asked for first, and the access records are the core's. The graphs
are drawn by cytoscape (built from npm into ``static/vendor``); the same ties are in tables below them.
"""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import HTMLResponse

from palermo.api.deps import MAX_ROW_ID, NodeDep, SessionDep
from palermo.auth.actor import Actor
from palermo.network.analysis import MAX_LIMIT, CommunityDetail, community_detail, community_of, list_communities
from palermo.network.neighbourhood import Neighbourhood, checked_key, neighbourhood
from palermo.taxonomies import taxonomy
from palermo.web.deps import WEB_PREFIX, Page, PageDep, justified_or_error, page
from palermo.web.render import render

router = APIRouter(prefix=f"{WEB_PREFIX}/network")
Justification = Annotated[str, Query(max_length=200, description="Case reference or legal-basis code.")]
CommunityId = Annotated[int, Path(ge=1, le=MAX_ROW_ID)]
ActorKey = Annotated[str, Path(max_length=40)]
MISSING = "Say why you look at this network: a case reference or a legal-basis code."


def _justified(
    request: Request, node: NodeDep, page_: Page, justification: str, heading: str, action: str
) -> Actor | HTMLResponse:
    """The justified actor, or the page asking why (422 with the reason when what was typed is refused)."""
    errors: dict[str, str] = {}
    actor = None
    if justification:
        actor = justified_or_error(page_, justification, node.settings.case_reference_pattern, errors, missing=MISSING)
    if actor is not None:
        return actor
    context = {
        "heading": heading,
        "action": action,
        "justification": justification,
        "legal_bases": taxonomy("legal_bases").terms,
        "field_errors": errors,
    }
    return render(request, "network_justify.html", context, 422 if errors else 200)


@router.get("/communities", **page("network.read"))
def communities_page(
    request: Request,
    session: SessionDep,
    node: NodeDep,
    page_: PageDep,
    justification: Justification = "",
    every: Annotated[bool, Query(alias="all")] = False,
) -> HTMLResponse:
    """The communities that look like trafficking networks (every community with ``all=true``), largest first."""
    actor = _justified(request, node, page_, justification, "Networks", f"{WEB_PREFIX}/network/communities")
    if isinstance(actor, HTMLResponse):
        return actor
    found = list_communities(session, actor, networks_only=not every, limit=MAX_LIMIT)
    return render(request, "network_communities.html", {"found": found, "every": every, "justification": justification})


def _graph_data(nodes: list[dict[str, Any]], edges: list[dict[str, Any]]) -> dict[str, Any]:
    return {"nodes": nodes, "edges": edges}


def _community_graph(detail: CommunityDetail, why: str) -> dict[str, Any]:
    players = {p.key: rank for rank, p in enumerate(detail.key_players, start=1)}
    nodes = [
        {"id": m.key, "label": m.label, "kind": m.key.split(":", 1)[0], "player": players.get(m.key, 0),
         "href": _neighbourhood_href(m.key, why)}
        for m in detail.members
    ]  # fmt: skip
    edges = [
        {"source": t.source, "target": t.target, "kind": ", ".join(t.reasons), "weight": t.weight}
        for t in detail.member_ties
    ]
    return _graph_data(nodes, edges)


def _neighbourhood_href(key: str, why: str) -> str:
    return f"{WEB_PREFIX}/network/neighbourhood/{key}?{urlencode({'justification': why})}"


@router.get("/communities/{community_id}", **page("network.read"))
def community_page(
    request: Request,
    session: SessionDep,
    node: NodeDep,
    page_: PageDep,
    community_id: CommunityId,
    justification: Justification = "",
) -> HTMLResponse:
    """One community: its members, key players with their explanations, the network evidence, and its ties."""
    action = f"{WEB_PREFIX}/network/communities/{community_id}"
    actor = _justified(request, node, page_, justification, f"Community {community_id}", action)
    if isinstance(actor, HTMLResponse):
        return actor
    detail = community_detail(session, actor, community_id)
    labels = {m.key: m.label for m in detail.members}
    context = {
        "detail": detail,
        "labels": labels,
        "justification": justification,
        "graph": _community_graph(detail, justification),
        "neighbourhood_href": _neighbourhood_href,
    }
    return render(request, "network_community.html", context)


def _neighbourhood_graph(found: Neighbourhood, why: str) -> dict[str, Any]:
    nodes = [
        {"id": n.key, "label": n.label, "kind": n.kind, "centre": n.key == found.centre,
         "href": _neighbourhood_href(n.key, why) if n.kind in ("identity", "person", "organisation") else ""}
        for n in found.nodes
    ]  # fmt: skip
    edges = [{"source": t.source, "target": t.target, "kind": t.kind, "weight": len(t.records)} for t in found.ties]
    return _graph_data(nodes, edges)


@router.get("/neighbourhood/{key}", **page("network.read"))
def neighbourhood_page(
    request: Request,
    session: SessionDep,
    node: NodeDep,
    page_: PageDep,
    key: ActorKey,
    justification: Justification = "",
) -> HTMLResponse:
    """An actor's ties and those of what it shares, as a graph and a table, with the community it belongs to."""
    key = checked_key(key)
    action = f"{WEB_PREFIX}/network/neighbourhood/{key}"
    actor = _justified(request, node, page_, justification, f"The network around {key}", action)
    if isinstance(actor, HTMLResponse):
        return actor
    found = neighbourhood(session, actor, key)
    context = {
        "found": found,
        "labels": {n.key: n.label for n in found.nodes},
        "community": community_of(session, actor, key),
        "justification": justification,
        "graph": _neighbourhood_graph(found, justification),
        "neighbourhood_href": _neighbourhood_href,
    }
    return render(request, "network_neighbourhood.html", context)
