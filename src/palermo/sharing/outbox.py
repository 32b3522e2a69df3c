"""The persistent outbox: sealed bundles wait here until the partner's inbox has accepted them.

Delivery is at least once: a bundle leaves the outbox only on a 2xx answer; a partner that is down (connection
refused, timeout, 5xx) or refuses (4xx) is tried again after an exponential back-off, for as long as it stays a
partner. The receiver imports idempotently by bundle id, so a resend after a lost answer changes nothing there and
is answered with the same signed receipt, which the sender verifies and keeps (:mod:`palermo.sharing.receipts`).
"""

from __future__ import annotations

import datetime as dt
import json
import threading
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from palermo.db.engine import transaction
from palermo.db.sharing import DeliveryReceipt, OutboxMessage, Partner
from palermo.errors import PalermoError
from palermo.logs import get_logger
from palermo.node import Node
from palermo.sharing.config import sharing_config
from palermo.sharing.envelope import PalermoEnvelope
from palermo.sharing.receipts import ReceiptView, store_receipt
from palermo.sharing.receipts import view as receipt_view

log = get_logger(__name__)

INBOX_PATH = "/api/v1/exchange/inbox"


def enqueue(session: Session, partner: Partner, envelope: PalermoEnvelope, token: str) -> OutboxMessage:
    message = OutboxMessage(
        bundle_id=envelope.bundle_id,
        partner_id=partner.id,
        kind=envelope.kind,
        payload=token,
        attempts=0,
        next_attempt_at=dt.datetime.now(dt.UTC),
    )
    session.add(message)
    session.flush()
    return message


def backoff(attempts: int) -> dt.timedelta:
    config = sharing_config().exchange
    return dt.timedelta(seconds=min(config.retry_max_seconds, config.retry_base_seconds * 2 ** max(attempts - 1, 0)))


@dataclass(frozen=True)
class DeliveryReport:
    delivered: int
    failed: int
    waiting: int
    receipts: list[ReceiptView] = field(default_factory=list)  # the partners' receipts for what was delivered
    errors: list[str] = field(default_factory=list)  # "bundle-id partner: error", one per failed delivery


def _post(url: str, token: str | None, payload: str) -> dict[str, Any]:
    """POST the bundle; its answer (the import report, with the receipt). Raises ``OSError`` (``URLError`` and
    ``HTTPError`` included) on anything but 2xx."""
    if not url.startswith(("http://", "https://")):
        raise OSError(f"partner URL {url!r} is not http(s)")
    body = json.dumps({"bundle": payload}).encode()
    request = urllib.request.Request(url + INBOX_PATH, data=body, method="POST")  # noqa: S310 (scheme checked)
    request.add_header("Content-Type", "application/json")
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    timeout = sharing_config().exchange.http_timeout_seconds
    with urllib.request.urlopen(request, timeout=timeout) as answer:  # noqa: S310
        text = answer.read()
    try:
        parsed = json.loads(text)
    except ValueError:
        return {}
    return parsed if isinstance(parsed, dict) else {}


@dataclass(frozen=True)
class _Due:
    message_id: int
    partner: str
    url: str | None
    token: str | None
    payload: str


def _as_utc(at: dt.datetime) -> dt.datetime:
    return at if at.tzinfo else at.replace(tzinfo=dt.UTC)


def _due(session: Session, now: dt.datetime, partner: str | None, reachable: str | None) -> list[_Due]:
    """Undelivered bundles whose back-off has passed (any of ``reachable``'s), of ``partner`` or of every one."""
    statement = (
        select(OutboxMessage.id, Partner.name, Partner.url, Partner.outbound_token, OutboxMessage.payload)
        .add_columns(OutboxMessage.next_attempt_at)
        .join(Partner, Partner.id == OutboxMessage.partner_id)
        .where(OutboxMessage.delivered_at.is_(None), Partner.status == "active")
        .order_by(OutboxMessage.id)
    )
    if partner is not None:
        statement = statement.where(Partner.name == partner)
    return [
        _Due(message_id, name, url, token, payload)
        for message_id, name, url, token, payload, at in session.execute(statement)
        if name == reachable or _as_utc(at) <= now
    ]


def _error_text(exc: OSError) -> str:
    if isinstance(exc, urllib.error.HTTPError):
        return f"HTTP {exc.code}: {exc.read()[:300].decode(errors='replace')}"
    return str(exc)[:300]


_runs: dict[str, threading.Lock] = {}
_runs_guard = threading.Lock()


def _run_lock(node: Node) -> threading.Lock:
    """One delivery run at a time per node in a process (the server's pushes and a command's do not cross)."""
    with _runs_guard:
        return _runs.setdefault(str(node.home), threading.Lock())


def _settle(
    node: Node, due: _Due, answer: dict[str, Any] | None, error: str | None, now: dt.datetime
) -> ReceiptView | None:
    """Record one delivery attempt (committed on its own); the partner's receipt, verified and kept."""
    with transaction(node.engine) as session:
        message = session.get(OutboxMessage, due.message_id)
        assert message is not None
        message.attempts += 1
        if error is not None:
            message.last_error, message.next_attempt_at = error, now + backoff(message.attempts)
            log.warning("bundle_delivery_failed", bundle_id=message.bundle_id, error=error)
            return None
        message.delivered_at, message.last_error = dt.datetime.now(dt.UTC), None
        token = (answer or {}).get("receipt")
        if not isinstance(token, str):
            message.last_error = "delivered, but the partner gave no receipt"
            return None
        partner = session.get(Partner, message.partner_id)
        try:
            row = store_receipt(session, node, token, partner=partner)
        except PalermoError as exc:
            message.last_error = f"delivered, but its receipt was refused: {exc.message}"
            log.warning("receipt_refused", bundle_id=message.bundle_id, error=exc.message)
            return None
        return receipt_view(row, due.partner)


def deliver_pending(
    node: Node, *, now: dt.datetime | None = None, partner: str | None = None, reachable: str | None = None
) -> DeliveryReport:
    """Try every due bundle once (of ``partner`` only, if given); each outcome is committed on its own (a crash
    loses no delivery state), and each partner's receipt kept.

    ``reachable``: a partner known to be up (it has just delivered to this node, or an operator has just queued a
    message for it): its bundles go now, back-off or not.
    """
    now = now or dt.datetime.now(dt.UTC)
    with _run_lock(node):
        with transaction(node.engine) as session:
            due = _due(session, now, partner, reachable)
        delivered = failed = 0
        receipts, errors = [], []
        for item in due:
            answer, error = None, None
            try:
                answer = _post(item.url or "", item.token, item.payload)
            except OSError as exc:
                error = _error_text(exc)
            receipt = _settle(node, item, answer, error, now)
            if error is None:
                delivered += 1
                if receipt is not None:
                    receipts.append(receipt)
            else:
                failed += 1
                errors.append(f"{item.partner}: {error}")
        with transaction(node.engine) as session:
            statement = select(func.count()).select_from(OutboxMessage).where(OutboxMessage.delivered_at.is_(None))
            waiting = int(session.scalar(statement) or 0)
    return DeliveryReport(delivered, failed, waiting, receipts, errors)


def push_after_receipt(node: Node, partner: str) -> None:
    """After a partner delivered to this node: send it what waits for it (answers first of all) and whatever else is
    due (a withdrawal passed on). Runs after the inbox's answer; a partner still unreachable keeps its bundles
    queued for ``palermo share deliver``."""
    try:
        deliver_pending(node, reachable=partner)
    except Exception:  # a background task: nobody to raise to; the outbox keeps the bundles
        log.exception("push_after_receipt_failed", partner=partner)


@dataclass(frozen=True)
class OutboxEntry:
    bundle_id: str
    partner: str
    kind: str
    attempts: int
    delivered: bool
    last_error: str | None
    receipt: str | None  # "3 accepted, 1 refused" once the partner's receipt is kept


def list_outbox(session: Session) -> list[OutboxEntry]:
    statement = (
        select(OutboxMessage, Partner.name, DeliveryReceipt)
        .join(Partner, Partner.id == OutboxMessage.partner_id)
        .outerjoin(DeliveryReceipt, DeliveryReceipt.bundle_id == OutboxMessage.bundle_id)
        .order_by(OutboxMessage.id)
    )
    return [
        OutboxEntry(
            m.bundle_id,
            name,
            m.kind,
            m.attempts,
            m.delivered_at is not None,
            m.last_error,
            f"{r.imported} accepted, {r.echoes} echo(es), {len(r.refused)} refused" if r is not None else None,
        )
        for m, name, r in session.execute(statement)
    ]
