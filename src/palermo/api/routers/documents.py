"""Travel documents: check an MRZ (and the visual zone) with lost/stolen registry lookups."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response

from palermo.api.answers import json_answer
from palermo.api.booth import booth_route, in_one_hop
from palermo.api.deps import API_PREFIX, NodeDep
from palermo.documents import DocumentCheckResult, LostStolenRegistry
from palermo.documents.registry_cache import RegistryCache
from palermo.documents.service import DocumentCheckRequest, check_for
from palermo.node import Node

router = APIRouter(prefix=f"{API_PREFIX}/documents", tags=["documents"])


def registry_of(request: Request, node: Node) -> LostStolenRegistry:
    """The node's lost/stolen registry, cached per app and reopened when its snapshot changes."""
    cache: RegistryCache | None = getattr(request.app.state, "document_registry", None)
    if cache is None or cache.home != node.home:
        cache = request.app.state.document_registry = RegistryCache(node.home)
    return cache.current()


def get_registry(request: Request, node: NodeDep) -> LostStolenRegistry:
    """The registry as a dependency (for the pages)."""
    return registry_of(request, node)


RegistryDep = Annotated[LostStolenRegistry, Depends(get_registry)]


@router.post("/check", response_model=DocumentCheckResult, **booth_route("documents.check"))
async def check(body: DocumentCheckRequest, http: Request) -> Response:
    """Read the MRZ, run every document check and look the document up in the lost/stolen registry."""
    return await in_one_hop(
        http, lambda session, actor, node: json_answer(check_for(session, actor, body, registry_of(http, node)))
    )
