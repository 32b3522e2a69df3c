"""The booth's busiest routes in one worker-thread hop: a screening, a document check, a person search.

A route built from the ordinary dependencies (``SessionDep``, ``ActorDep``, ``permitted``) costs a request two hops
to a worker thread (the actor is resolved in one, the handler runs in another) and FastAPI's resolution of a dozen
dependencies: together about a third of a screening's CPU on the server, which is what limits a border post's
throughput. These routes declare their permission with :func:`booth_route` instead: a dependency that does no I/O
reads the credentials on the event loop (refusing a request without any, 401, before its body is read), and the
handler hands one function to one worker thread (:func:`in_one_hop`), which opens the session, resolves the actor
exactly as ``ActorDep`` does, enforces the route's permission exactly as ``permitted`` does, does the work and
commits it with its audit entries. The request gate (``SessionGate``) applies as for every session.

The hop itself goes straight to a thread pool of the event loop (:func:`_in_a_thread`), not through anyio's
``to_thread`` (its capacity limiter, cancel scopes and clock cost a screening 0.3 ms of CPU, a seventh of it); like
anyio, a request cancelled while its work runs (a client that hangs up) waits for the work to end before it lets
go of its turn at the gate, so no more sessions are open than the pool has connections.

Refusals keep the order of every other route: no credentials 401 (before the input is read), then unknown
credentials 401 and a missing permission 403, and only then invalid input 422. FastAPI validates a route's
parameters and body before its handler runs, so when it finds them invalid on a booth route the 422 handler first
asks :func:`refusal_before_invalid_input` whether the caller would have been refused anyway.
"""

from __future__ import annotations

import asyncio
import contextvars
import functools
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

from fastapi import Depends, Request
from sqlalchemy.orm import Session

from palermo.api.deps import (
    PERMISSION_KEY,
    BearerDep,
    Credentials,
    JustificationHeader,
    RoutePermission,
    SessionCookieDep,
    SessionGate,
    resolve_actor,
)
from palermo.audit import group_commit
from palermo.auth.access import guard
from palermo.auth.actor import Actor
from palermo.auth.permissions import effective_permissions
from palermo.db.engine import session_factory
from palermo.errors import PalermoError
from palermo.node import Node

T = TypeVar("T")
Work = Callable[[Session, Actor, Node], T]
_STATE_KEY = "palermo_booth"


class BoothPermission(RoutePermission):
    """Declares the route's permission; :func:`in_one_hop` enforces it before the work, in the request's thread."""

    async def __call__(  # type: ignore[override]  # reads the credentials; the actor is resolved in the hop
        self,
        request: Request,
        bearer: BearerDep,
        cookie: SessionCookieDep,
        justification: JustificationHeader = None,
    ) -> None:
        setattr(request.state, _STATE_KEY, (self.permission_id, Credentials.of(bearer, cookie, justification)))


def booth_route(permission_id: str) -> dict[str, Any]:
    """Route keyword arguments that declare ``permission_id`` for a handler that calls :func:`in_one_hop`."""
    return {
        "dependencies": [Depends(BoothPermission(permission_id))],
        "openapi_extra": {PERMISSION_KEY: permission_id},
    }


async def in_one_hop(request: Request, work: Work[T]) -> T:
    """``work(session, actor, node)`` in one worker thread, committed; the session ends there however it ends."""
    permission_id, credentials = getattr(request.state, _STATE_KEY)
    node: Node = request.app.state.node
    gate: SessionGate = request.app.state.session_gate
    async with gate.entered():
        return await _in_a_thread(functools.partial(_run, node, request, credentials, permission_id, work))


#: worker threads of the booth routes (as many as anyio's default, which serves every other route)
REQUEST_THREADS = 40
_threads = ThreadPoolExecutor(REQUEST_THREADS, thread_name_prefix="palermo-booth")


async def _in_a_thread(call: Callable[[], T]) -> T:
    """``call()`` in a worker thread, in a copy of this context; a cancelled caller waits for it to end."""
    running = asyncio.get_running_loop().run_in_executor(_threads, contextvars.copy_context().run, call)
    try:
        return await asyncio.shield(running)
    except asyncio.CancelledError:
        await asyncio.wait({running})  # a thread cannot be stopped: hold the turn until the work has ended
        raise


async def refusal_before_invalid_input(request: Request) -> PalermoError | None:
    """For a booth request with invalid input: the 401 or 403 its caller gets first (recorded as usual), if any."""
    if getattr(request.state, _STATE_KEY, None) is None:  # not a booth route, or its own headers were invalid
        return None
    try:
        await in_one_hop(request, _nothing)
    except PalermoError as refusal:
        return refusal
    return None


def _nothing(_session: Session, _actor: Actor, _node: Node) -> None:
    return None


def _run(node: Node, request: Request, credentials: Credentials, permission_id: str, work: Work[T]) -> T:
    session = session_factory(node.engine)()
    try:
        actor = resolve_actor(session, node, request, credentials)
        if permission_id not in effective_permissions(actor):
            guard(session, actor, permission_id)  # records the refusal, raises PermissionDenied
        answer = work(session, actor, node)
        group_commit.commit(session)
        return answer
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()
