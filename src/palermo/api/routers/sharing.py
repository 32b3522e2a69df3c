"""The sharing API: the exchange inbox, where partner nodes push signed, encrypted bundles.

Two locks: the partner's service-account token (permission ``exchange.deliver``, held only by the
``partner_node`` role) and, inside the core, the bundle's Ed25519 signature checked against the partner registry.
The token's account must belong to the partner that signed the bundle (checked by the core before anything is
imported, and a refusal is logged).
"""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel, Field

from palermo.api.deps import API_PREFIX, ActorDep, NodeDep, SessionDep, permitted
from palermo.sharing.config import sharing_config
from palermo.sharing.inbox import ImportReport, receive

router = APIRouter(prefix=f"{API_PREFIX}/exchange", tags=["exchange"])


class BundleIn(BaseModel):
    bundle: str = Field(
        min_length=10,
        max_length=sharing_config().exchange.max_bundle_bytes,
        description="A compact JWE (JWS inside) as produced by `palermo share export`.",
    )


@router.post("/inbox", **permitted("exchange.deliver"))
def inbox(body: BundleIn, session: SessionDep, node: NodeDep, actor: ActorDep) -> ImportReport:
    """Receive a bundle from a partner node: verify, refuse replays and unknown senders, import once."""
    return receive(session, node, body.bundle, transport="http", deliverer=actor)
