"""Health checks for orchestrators: liveness and readiness, no authentication."""

from __future__ import annotations

from fastapi import APIRouter, Request
from pydantic import BaseModel

from palermo.api.deps import NodeDep, public
from palermo.node_status import check_ready

router = APIRouter(tags=["health"])


class Health(BaseModel):
    status: str
    schema_revision: str | None = None


@router.get("/healthz", **public())
async def healthz() -> Health:
    """The process is up (answered on the event loop: no I/O, no worker thread, however busy the node is)."""
    return Health(status="ok")


@router.get("/readyz", **public(), responses={503: {"description": "Store unreachable or behind, or still warming up"}})
def readyz(node: NodeDep, request: Request) -> Health:
    """The store is reachable and at the latest migration, and screening is warm (503 otherwise)."""
    revision = check_ready(node)
    warm_up = request.app.state.warm_up
    warm_up.note_address(request.scope.get("server"))  # where the warm-up knocks through the server's own socket
    warm_up.require_done()
    return Health(status="ready", schema_revision=revision)
