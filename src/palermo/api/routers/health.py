"""Health checks for orchestrators: liveness and readiness, no authentication."""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel

from palermo.api.deps import NodeDep, public
from palermo.node_status import check_ready

router = APIRouter(tags=["health"])


class Health(BaseModel):
    status: str
    schema_revision: str | None = None


@router.get("/healthz", **public())
def healthz() -> Health:
    """The process is up."""
    return Health(status="ok")


@router.get("/readyz", **public(), responses={503: {"description": "Store unreachable or behind"}})
def readyz(node: NodeDep) -> Health:
    """The store is reachable and at the latest migration (503 otherwise)."""
    return Health(status="ready", schema_revision=check_ready(node))
