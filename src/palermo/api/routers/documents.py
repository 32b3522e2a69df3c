"""Travel documents: check an MRZ (and the visual zone) with lost/stolen registry lookups."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response

from palermo.api.answers import json_answer
from palermo.api.deps import API_PREFIX, ActorDep, NodeDep, SessionDep, committed, permitted
from palermo.documents import DocumentCheckResult, LostStolenRegistry
from palermo.documents.registry_cache import RegistryCache
from palermo.documents.service import DocumentCheckRequest, check_for

router = APIRouter(prefix=f"{API_PREFIX}/documents", tags=["documents"])


def get_registry(request: Request, node: NodeDep) -> LostStolenRegistry:
    """The node's lost/stolen registry, cached per app and reopened when its snapshot changes."""
    cache: RegistryCache | None = getattr(request.app.state, "document_registry", None)
    if cache is None or cache.home != node.home:
        cache = request.app.state.document_registry = RegistryCache(node.home)
    return cache.current()


RegistryDep = Annotated[LostStolenRegistry, Depends(get_registry)]


@router.post("/check", response_model=DocumentCheckResult, **permitted("documents.check"))
def check(body: DocumentCheckRequest, session: SessionDep, actor: ActorDep, registry: RegistryDep) -> Response:
    """Read the MRZ, run every document check and look the document up in the lost/stolen registry."""
    return committed(session, json_answer(check_for(session, actor, body, registry)))
