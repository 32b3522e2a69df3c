"""Committing requests that write nothing but their audit entries together: one append and one commit for many.

Every consultation is a write: its audit entry. Appended one request at a time, each request takes the audit
counter (SQLite's write lock; PostgreSQL's counter row) for several statements, and between statements the holder
must win the GIL back from dozens of request threads: at 50 clients the node answered fewer requests per second than
one client did. :func:`commit` queues a request's entries instead, and one of the waiting requests (the leader)
appends every queued entry in its own transaction, with one counter update and one insert, and commits; the
others wait for that commit and are told it succeeded or failed. A follower's answer is therefore never sent before
its entry is committed, and when the leader's commit fails every follower fails with it (no unlogged answer).
The more requests wait, the larger a batch, so the counter is held for one short transaction per batch.

Only a transaction that has written nothing else joins a batch (:func:`palermo.db.engine.writes_nothing`): an
operation that changes data commits its entries with its change, in its own transaction, as before. Entries keep
their format and hashes; only several of them share one ``logged_at``.
"""

from __future__ import annotations

import threading
import weakref
from typing import Any

from sqlalchemy.orm import Session

from palermo.audit.access_log import take_pending
from palermo.audit.entries import AuditEvent
from palermo.audit.log import append_many
from palermo.db.engine import writes_nothing
from palermo.errors import StoreError


class _Ticket:
    """One request's entries in the queue: written by a leader, or the request is made the next leader."""

    __slots__ = ("error", "events", "leads", "settled")

    def __init__(self, events: list[AuditEvent]) -> None:
        self.events = events
        self.settled = threading.Event()
        self.leads = False
        self.error: BaseException | None = None


class _Group:
    """The queue of one store's entries waiting for a commit, and whether a leader is writing a batch."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._queued: list[_Ticket] = []
        self._leading = False

    def commit(self, session: Session, events: list[AuditEvent]) -> None:
        ticket = _Ticket(events)
        with self._lock:
            self._queued.append(ticket)
            if not self._leading:
                self._leading = ticket.leads = True
        if not ticket.leads:
            ticket.settled.wait()
            if not ticket.leads:  # a leader wrote this request's entries
                if ticket.error is not None:
                    raise StoreError("the audit log could not be written; the answer is withheld") from ticket.error
                session.commit()  # nothing to write: ends the read transaction
                return
        self._lead(session)

    def _lead(self, session: Session) -> None:
        with self._lock:
            batch, self._queued = self._queued, []
        try:
            append_many(session, [event for ticket in batch for event in ticket.events])
            session.commit()
        except BaseException as exc:
            for ticket in batch:
                ticket.error = exc
            raise
        finally:
            for ticket in batch:
                ticket.settled.set()
            self._hand_over()

    def _hand_over(self) -> None:
        with self._lock:
            if self._queued:
                self._queued[0].leads = True
                self._queued[0].settled.set()
            else:
                self._leading = False


_GROUPS: weakref.WeakKeyDictionary[Any, _Group] = weakref.WeakKeyDictionary()
_GROUPS_LOCK = threading.Lock()


def _group(bind: Any) -> _Group:
    group = _GROUPS.get(bind)
    if group is None:
        with _GROUPS_LOCK:
            group = _GROUPS.setdefault(bind, _Group())
    return group


def commit(session: Session) -> None:
    """Commit ``session``: its audit entries in a batch with other requests' when they are all it writes."""
    if not writes_nothing(session):
        session.commit()
        return
    events = take_pending(session)
    if not events:
        session.commit()
        return
    _group(session.get_bind()).commit(session, events)
