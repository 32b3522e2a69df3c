"""The sharing API: the exchange inbox, where partner nodes push signed, encrypted bundles; the answers to this
node's hit/no-hit queries; partners' receipts for what this node sent.

The inbox has two locks: the partner's service-account token (permission ``exchange.deliver``, held only by the
``partner_node`` role) and, inside the core, the bundle's Ed25519 signature checked against the partner registry.
The token's account must belong to the partner that signed the bundle (checked by the core before anything is
imported, and a refusal is logged). Once the inbox has answered, what waits in the outbox for that partner (a
query's answer above all) goes to it at once, in the background.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, BackgroundTasks, Path, Query
from pydantic import BaseModel, Field

from palermo.api.deps import API_PREFIX, ActorDep, NodeDep, SessionDep, permitted
from palermo.db.sharing import QUERY_STATUSES
from palermo.sharing import answers, receipts
from palermo.sharing.answers import AnswerView
from palermo.sharing.config import sharing_config
from palermo.sharing.inbox import ImportReport, receive
from palermo.sharing.outbox import push_after_receipt
from palermo.sharing.receipts import ReceiptView

router = APIRouter(prefix=f"{API_PREFIX}/exchange", tags=["exchange"])
REFERENCE = Path(min_length=1, max_length=36, description="The query's reference, as `palermo share query` printed it.")


class BundleIn(BaseModel):
    bundle: str = Field(
        min_length=10,
        max_length=sharing_config().exchange.max_bundle_bytes,
        description="A compact JWE (JWS inside) as produced by `palermo share export`.",
    )


@router.post("/inbox", **permitted("exchange.deliver"))
def inbox(
    body: BundleIn, session: SessionDep, node: NodeDep, actor: ActorDep, background: BackgroundTasks
) -> ImportReport:
    """Receive a bundle from a partner node: verify, refuse replays and unknown senders, import once; answer with
    the import report and this node's signed receipt."""
    report = receive(session, node, body.bundle, transport="http", deliverer=actor)
    background.add_task(push_after_receipt, node, report.partner)
    return report


@router.get("/answers", **permitted("sharing.query"))
def get_answers(
    session: SessionDep,
    actor: ActorDep,
    status: Annotated[str | None, Query(pattern=f"^({'|'.join(QUERY_STATUSES)})$")] = None,
    partner: Annotated[str | None, Query(max_length=64)] = None,
    limit: Annotated[int, Query(ge=1, le=answers.MAX_ANSWERS)] = 100,
) -> list[AnswerView]:
    """This node's hit/no-hit queries, newest first, with their answers and the details approved."""
    return answers.list_answers(session, actor, status=status, partner=partner, limit=limit)


@router.get("/answers/{reference}", **permitted("sharing.query"))
def get_answer(reference: Annotated[str, REFERENCE], session: SessionDep, actor: ActorDep) -> AnswerView:
    """One query this node asked, its answer and the details approved."""
    return answers.get_answer(session, actor, reference)


@router.get("/receipts", **permitted("partners.read"))
def get_receipts(
    session: SessionDep,
    actor: ActorDep,
    partner: Annotated[str | None, Query(max_length=64)] = None,
    limit: Annotated[int, Query(ge=1, le=receipts.MAX_RECEIPTS)] = 100,
) -> list[ReceiptView]:
    """Partners' signed receipts for the bundles this node sent, newest first."""
    return receipts.list_receipts(session, actor, partner=partner, limit=limit)
