"""The node itself: identity, version, schema revision."""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict

from palermo.api.deps import API_PREFIX, ActorDep, NodeDep, SessionDep, permitted
from palermo.node_status import node_status

router = APIRouter(prefix=f"{API_PREFIX}/system", tags=["system"])


class NodeStatusOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    node_id: str
    agency_code: str
    version: str
    dialect: str
    schema_revision: str | None
    latest_revision: str


@router.get("/status", **permitted("system.read"))
def status(session: SessionDep, actor: ActorDep, node: NodeDep) -> NodeStatusOut:
    """Node id, agency, Palermo version, store dialect and schema revision."""
    return NodeStatusOut.model_validate(node_status(session, actor, node))
