"""The persistent outbox: sealed bundles wait here until the partner's inbox has accepted them.

Delivery is at least once: a bundle leaves the outbox only on a 2xx answer; a partner that is down (connection
refused, timeout, 5xx) or refuses (4xx) is tried again after an exponential back-off, for as long as it stays a
partner. The receiver imports idempotently by bundle id, so a resend after a lost answer changes nothing there.
"""

from __future__ import annotations

import datetime as dt
import json
import urllib.error
import urllib.request
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from palermo.db.engine import transaction
from palermo.db.sharing import OutboxMessage, Partner
from palermo.logs import get_logger
from palermo.node import Node
from palermo.sharing.config import sharing_config
from palermo.sharing.envelope import PalermoEnvelope

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


def _post(url: str, token: str | None, payload: str) -> None:
    """POST the bundle; raises ``OSError`` (``URLError``/``HTTPError`` included) on anything but 2xx."""
    if not url.startswith(("http://", "https://")):
        raise OSError(f"partner URL {url!r} is not http(s)")
    body = json.dumps({"bundle": payload}).encode()
    request = urllib.request.Request(url + INBOX_PATH, data=body, method="POST")  # noqa: S310 (scheme checked)
    request.add_header("Content-Type", "application/json")
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    timeout = sharing_config().exchange.http_timeout_seconds
    with urllib.request.urlopen(request, timeout=timeout) as answer:  # noqa: S310
        answer.read()


def _due(session: Session, now: dt.datetime) -> list[tuple[int, str | None, str | None, str]]:
    statement = (
        select(OutboxMessage.id, Partner.url, Partner.outbound_token, OutboxMessage.payload)
        .join(Partner, Partner.id == OutboxMessage.partner_id)
        .where(OutboxMessage.delivered_at.is_(None), Partner.status == "active")
        .order_by(OutboxMessage.id)
    )
    rows = session.execute(statement).all()
    due = []
    for message_id, url, token, payload in rows:
        message = session.get(OutboxMessage, message_id)
        assert message is not None
        at = (
            message.next_attempt_at
            if message.next_attempt_at.tzinfo
            else message.next_attempt_at.replace(tzinfo=dt.UTC)
        )
        if at <= now:
            due.append((message_id, url, token, payload))
    return due


def _error_text(exc: OSError) -> str:
    if isinstance(exc, urllib.error.HTTPError):
        return f"HTTP {exc.code}: {exc.read()[:300].decode(errors='replace')}"
    return str(exc)[:300]


def deliver_pending(node: Node, *, now: dt.datetime | None = None) -> DeliveryReport:
    """Try every due bundle once; each outcome is committed on its own (a crash loses no delivery state)."""
    now = now or dt.datetime.now(dt.UTC)
    with transaction(node.engine) as session:
        due = _due(session, now)
    delivered = failed = 0
    for message_id, url, token, payload in due:
        error = None
        try:
            _post(url or "", token, payload)
        except OSError as exc:
            error = _error_text(exc)
        with transaction(node.engine) as session:
            message = session.get(OutboxMessage, message_id)
            assert message is not None
            message.attempts += 1
            if error is None:
                message.delivered_at, message.last_error = dt.datetime.now(dt.UTC), None
                delivered += 1
            else:
                message.last_error, message.next_attempt_at = error, now + backoff(message.attempts)
                failed += 1
                log.warning("bundle_delivery_failed", bundle_id=message.bundle_id, error=error)
    with transaction(node.engine) as session:
        waiting = len(list(session.scalars(select(OutboxMessage.id).where(OutboxMessage.delivered_at.is_(None)))))
    return DeliveryReport(delivered, failed, waiting)


@dataclass(frozen=True)
class OutboxEntry:
    bundle_id: str
    partner: str
    kind: str
    attempts: int
    delivered: bool
    last_error: str | None


def list_outbox(session: Session) -> list[OutboxEntry]:
    statement = select(OutboxMessage, Partner.name).join(Partner).order_by(OutboxMessage.id)
    return [
        OutboxEntry(m.bundle_id, name, m.kind, m.attempts, m.delivered_at is not None, m.last_error)
        for m, name in session.execute(statement)
    ]
