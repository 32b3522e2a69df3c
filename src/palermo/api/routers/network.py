"""Networks: build the link graph, its communities and key players, an actor's neighbourhood, exports."""

from __future__ import annotations

import tempfile
from pathlib import Path as FilePath
from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query, Response
from pydantic import BaseModel

from palermo.api.deps import API_PREFIX, MAX_ROW_ID, ActorDep, SessionDep, permitted
from palermo.network.alerts import NetworkAlerts, raise_network_alerts
from palermo.network.analysis import (
    MAX_LIMIT,
    CommunityDetail,
    CommunityList,
    KeyPlayerLine,
    community_detail,
    list_communities,
    top_key_players,
)
from palermo.network.build import BuildSummary, build_network
from palermo.network.export import export_network
from palermo.network.neighbourhood import Neighbourhood, neighbourhood

router = APIRouter(prefix=f"{API_PREFIX}/network", tags=["network"])

MEDIA_TYPES = {"graphml": "application/graphml+xml", "gexf": "application/gexf+xml", "i2": "text/csv"}


class BuildRequest(BaseModel):
    full: bool = False


@router.post("/build", **permitted("network.build"))
def build(body: BuildRequest, session: SessionDep, actor: ActorDep) -> BuildSummary:
    """Read the records' ties into the link graph: since the last build, or in full with ``{"full": true}``."""
    return build_network(session, actor, full=body.full)


@router.post("/alerts", **permitted("network.build"))
def alerts(session: SessionDep, actor: ActorDep) -> NetworkAlerts:
    """Raise alerts from the graph's patterns (each once, explained): what was found and the alerts opened."""
    return raise_network_alerts(session, actor)


@router.get("/communities", **permitted("network.read"))
def communities(
    session: SessionDep,
    actor: ActorDep,
    every: Annotated[bool, Query(alias="all", description="Every community, not only networks.")] = False,
    min_size: Annotated[int, Query(ge=1, le=100_000)] = 2,
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = 50,
) -> CommunityList:
    """Communities, largest first, with what ties each and its network evidence. Needs a justification."""
    return list_communities(session, actor, networks_only=not every, min_size=min_size, limit=limit)


@router.get("/communities/{community_id}", **permitted("network.read"))
def community(
    community_id: Annotated[int, Path(ge=1, le=MAX_ROW_ID)], session: SessionDep, actor: ActorDep
) -> CommunityDetail:
    """One community: members with names, key players explained. Needs a justification."""
    return community_detail(session, actor, community_id)


@router.get("/key-players", **permitted("network.read"))
def key_players(
    session: SessionDep, actor: ActorDep, limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = 20
) -> list[KeyPlayerLine]:
    """The strongest key players of every network, explained. Needs a justification."""
    return top_key_players(session, actor, limit=limit)


@router.get("/neighbourhood/{key}", **permitted("network.read"))
def neighbour(key: Annotated[str, Path(max_length=40)], session: SessionDep, actor: ActorDep) -> Neighbourhood:
    """The ties of identity:<id>, person:<id> or organisation:<id> and of what it shares, with their records."""
    return neighbourhood(session, actor, key)


@router.get("/export", **permitted("export.write"))
def export(
    session: SessionDep,
    actor: ActorDep,
    fmt: Annotated[Literal["graphml", "gexf", "i2"], Query(alias="format")] = "graphml",
    community_id: Annotated[int | None, Query(alias="community", ge=1, le=MAX_ROW_ID)] = None,
) -> Response:
    """The graph (or one community) as GraphML, GEXF or i2-style CSV. A disclosure: needs a justification."""
    with tempfile.TemporaryDirectory(prefix="palermo-network-") as folder:
        path = FilePath(folder) / f"network.{fmt}"
        export_network(session, actor, path, fmt, community=community_id)
        content = path.read_bytes()
    filename = f"network.{'csv' if fmt == 'i2' else fmt}"
    return Response(
        content,
        media_type=MEDIA_TYPES[fmt],
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
