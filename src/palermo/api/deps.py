"""Dependencies in the annotated style: ``SessionDep``, ``NodeDep``, ``ActorDep``, and route permissions.

Every route declares its permission with ``**permitted("persons.read")`` (or ``**public()``): the declaration
is visible in OpenAPI (``x-palermo-permission``), enforced before the handler runs, and enforced again (with the
justification) by the core operation the handler calls.
"""

from __future__ import annotations

import asyncio
import weakref
from collections.abc import AsyncIterator
from contextlib import AbstractAsyncContextManager, nullcontext
from dataclasses import dataclass
from typing import Annotated, Any, TypeVar

import anyio
from fastapi import Depends, Header, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.security import APIKeyCookie, HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy.orm import Session

from palermo.audit import group_commit
from palermo.auth import sessions, tokens
from palermo.auth.access import guard
from palermo.auth.actor import Actor, token_actor, user_actor
from palermo.auth.justification import HEADER, optional_justification
from palermo.auth.permissions import effective_permissions, permission
from palermo.db.engine import session_factory
from palermo.errors import NotAuthenticated
from palermo.node import Node

API_PREFIX = "/api/v1"
PERMISSION_KEY = "x-palermo-permission"
PUBLIC = "public"
MAX_ROW_ID = 2**31 - 1  # integer primary keys are 32-bit on PostgreSQL
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
T = TypeVar("T")

bearer_scheme = HTTPBearer(auto_error=False, description="An API token (`plm_...`) from POST /api/v1/tokens.")
cookie_scheme = APIKeyCookie(
    name=sessions.SESSION_COOKIE, auto_error=False, description="Web session cookie from POST /api/v1/auth/login."
)


async def get_node(request: Request) -> Node:
    node: Node = request.app.state.node
    return node


NodeDep = Annotated[Node, Depends(get_node)]


class SessionGate:
    """Lets at most as many request sessions open at once as the store's pool has connections; the rest wait here.

    A request's session holds its connection from its first statement to its commit, across the request's hops
    between the event loop and the worker threads. Without the gate, more requests than connections deadlock: the
    worker threads all wait for a connection while the requests holding the connections wait for a worker thread
    (at 50 clients on one worker, screenings waited out the 30 s pool timeout). Waiting here holds nothing.
    """

    def __init__(self, limit: int | None) -> None:
        self.limit = limit
        # one per event loop: the server's, the warm-up's knocks, a test client's
        self._semaphores: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Semaphore] = (
            weakref.WeakKeyDictionary()
        )

    def entered(self) -> AbstractAsyncContextManager[Any]:
        """A turn for one request's session, on the running event loop."""
        if self.limit is None:
            return nullcontext()
        loop = asyncio.get_running_loop()
        semaphore = self._semaphores.get(loop)
        if semaphore is None:
            semaphore = self._semaphores[loop] = asyncio.Semaphore(self.limit)
        return semaphore


async def get_session(request: Request, node: NodeDep) -> AsyncIterator[Session]:
    """One session per request: committed when the handler returns, rolled back when it raises.

    Dependencies that do no I/O are ``async``, so that they cost the request no hop to a worker thread: a session
    does no I/O until first used, so it is opened here on the event loop; its commit or rollback, which do, run in
    the thread pool, shielded so that a client that hangs up cannot leave a transaction half ended. A handler that
    commits its work itself (:func:`committed`) saves the request that last hop.
    """
    gate: SessionGate = request.app.state.session_gate
    async with gate.entered():
        session = session_factory(node.engine)()
        try:
            yield session
        except BaseException:
            with anyio.CancelScope(shield=True):
                await run_in_threadpool(_end, session, commit=False)
            raise
        if session.in_transaction():
            with anyio.CancelScope(shield=True):
                await run_in_threadpool(_end, session, commit=True)
        else:
            session.close()  # the handler committed: nothing is held, nothing to end


def committed(session: Session, answer: T) -> T:
    """``answer``, once the request's work is committed in the handler's own thread.

    For the busiest routes (a booth's screening, document check, person search): committing here rather than in
    :func:`get_session` saves the request a hop to a worker thread, a queue hand-off and a switch of the GIL.
    """
    group_commit.commit(session)
    return answer


def _end(session: Session, *, commit: bool) -> None:
    try:
        if commit:
            group_commit.commit(session)
        else:
            session.rollback()
    finally:
        session.close()


SessionDep = Annotated[Session, Depends(get_session, scope="function")]


BearerDep = Annotated[HTTPAuthorizationCredentials | None, Depends(bearer_scheme)]
SessionCookieDep = Annotated[str | None, Depends(cookie_scheme)]
JustificationHeader = Annotated[
    str | None,
    Header(
        alias=HEADER,
        max_length=300,
        description="Why personal data is consulted: a case reference or a legal-basis code.",
    ),
]


def client_address(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def _from_token(session: Session, node: Node, request: Request, secret: str) -> Actor:
    user, row = tokens.resolve_token(session, secret)
    scopes = frozenset(row.scopes.split())
    return token_actor(user, node.agency_code, token_id=row.id, scopes=scopes, client_address=client_address(request))


def _from_cookie(session: Session, node: Node, request: Request, session_id: str) -> Actor:
    user, row = sessions.resolve_session(session, session_id, settings=node.settings)
    if request.method not in SAFE_METHODS:
        sessions.check_csrf(row, request.headers.get(sessions.CSRF_HEADER))
    return user_actor(user, node.agency_code, client_address=client_address(request))


def get_actor(
    request: Request,
    session: SessionDep,
    node: NodeDep,
    bearer: BearerDep,
    cookie: SessionCookieDep,
    justification: JustificationHeader = None,
) -> Actor:
    """The one acting, from a bearer token or a session cookie (CSRF-checked on state-changing requests)."""
    return resolve_actor(session, node, request, Credentials.of(bearer, cookie, justification))


@dataclass(frozen=True, slots=True)
class Credentials:
    """What a request presents: an API token or a session cookie, and the justification header."""

    token: str | None
    cookie: str | None
    justification: str | None

    @classmethod
    def of(
        cls, bearer: HTTPAuthorizationCredentials | None, cookie: str | None, justification: str | None
    ) -> Credentials:
        token = bearer.credentials if bearer is not None and bearer.scheme.lower() == "bearer" else None
        if token is None and not cookie:
            raise NotAuthenticated(
                "log in (POST /api/v1/auth/login) or send an API token as `Authorization: Bearer ...`"
            )
        return cls(token, cookie or None, justification)


def resolve_actor(session: Session, node: Node, request: Request, credentials: Credentials) -> Actor:
    """The actor the credentials stand for (the token wins over a cookie), with their justification."""
    if credentials.token is not None:
        actor = _from_token(session, node, request, credentials.token)
    else:
        assert credentials.cookie is not None
        actor = _from_cookie(session, node, request, credentials.cookie)
    return actor.justified(optional_justification(credentials.justification, node.settings.case_reference_pattern))


ActorDep = Annotated[Actor, Depends(get_actor)]


class RoutePermission:
    """Refuses, before the handler runs, an actor who does not hold the route's permission at all."""

    def __init__(self, permission_id: str) -> None:
        self.permission_id = permission(permission_id).id

    async def __call__(self, actor: ActorDep, session: SessionDep) -> None:
        if self.permission_id not in effective_permissions(actor):
            await run_in_threadpool(guard, session, actor, self.permission_id)


def permitted(permission_id: str) -> dict[str, Any]:
    """Route keyword arguments that declare and enforce ``permission_id``."""
    return {
        "dependencies": [Depends(RoutePermission(permission_id))],
        "openapi_extra": {PERMISSION_KEY: permission_id},
    }


def public() -> dict[str, Any]:
    """Route keyword arguments declaring a route open to anyone (health, login)."""
    return {"openapi_extra": {PERMISSION_KEY: PUBLIC}}
