"""Start-up warm-up of the server: screening's in-memory state is loaded in the background, before readiness.

``/healthz`` answers at once; ``/readyz`` answers 503 ``not_ready`` until the warm-up has finished, so an
orchestrator or a load balancer sends no booth to a node whose first screening would take seconds. Requests that
arrive anyway are served (the first one simply waits for what it needs).

The warm-up loads screening's state and rehearses a screening's reads and writes (``palermo.screening.warmup``),
then knocks on each booth route through the whole HTTP stack without credentials (each answers 401 and touches no
data): through the server's own socket once a request (an orchestrator's first ``/readyz``) has shown the server's
address, else in-process on the server's event loop. Accepting a connection, the HTTP parser, middleware, routing,
body parsing, the loop's worker threads and the framework's per-route first-call work (FastAPI reads each
endpoint's source location on its first request) are then done before the first booth. The knocks carry
:data:`WARM_UP_HEADER` with the warm-up's key (through the socket) or :data:`WARM_UP_SCOPE_KEY` (in-process) and
are not counted in the metrics.
"""

from __future__ import annotations

import asyncio
import gc
import http.client
import ipaddress
import json
import secrets
import threading
from collections.abc import AsyncIterator, Callable, MutableMapping
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from typing import Any

from fastapi import FastAPI

from palermo.api.deps import API_PREFIX
from palermo.api.metrics import WARM_UP_HEADER, WARM_UP_SCOPE_KEY
from palermo.errors import NotReady
from palermo.logs import get_logger
from palermo.node import Node

BOOTH_ROUTES = (
    ("POST", f"{API_PREFIX}/screenings", "", {"names": ["Palermo Warmup"]}),
    ("POST", f"{API_PREFIX}/documents/check", "", {"mrz": ["P<UTOWARMUP"]}),
    ("GET", f"{API_PREFIX}/persons", "name=warm", None),
)

ADDRESS_WAIT_S = 2.0  # for a readiness probe to show the server its address, once screening is warm
KNOCKS_ON_LOOP_S = 20  # the knocks take well under a second; a loop that has not run them by then has stopped
log = get_logger(__name__)


def settle_heap() -> None:
    """Collect once, then exempt what start-up built from the cyclic garbage collector (``gc.freeze``).

    The name-symbol table, candidate index, taxonomies and the imported libraries are a few hundred thousand
    long-lived objects; a full collection walks them all (150 ms here), stalling whichever request triggers it.
    Frozen, they are never walked again; what requests allocate is still collected as before.
    """
    gc.collect()
    gc.freeze()


async def knock(app: FastAPI, method: str, path: str, query: str, body: object) -> int:
    """One request through ``app``'s whole stack, in-process, without credentials: its status."""
    payload = json.dumps(body).encode() if body is not None else b""
    delivered = False
    status = 0

    async def receive() -> MutableMapping[str, Any]:
        nonlocal delivered
        if not delivered:
            delivered = True
            return {"type": "http.request", "body": payload, "more_body": False}
        return {"type": "http.disconnect"}

    async def send(message: MutableMapping[str, Any]) -> None:
        nonlocal status
        if message["type"] == "http.response.start":
            status = int(str(message["status"]))

    headers = [(b"host", b"warm-up"), (b"content-length", str(len(payload)).encode())]
    headers += [(b"content-type", b"application/json")] if body is not None else []
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": query.encode(),
        "root_path": "",
        "headers": headers,
        "client": ("127.0.0.1", 0),
        "server": ("127.0.0.1", 0),
        WARM_UP_SCOPE_KEY: True,
    }
    await app(scope, receive, send)
    return status


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


def knock_over_http(address: tuple[str, int], key: str, *, times: int = 1) -> list[int]:
    """Each booth route ``times`` times through the server's own socket, each on a new connection: the statuses.

    Through the socket the knocks also run what an in-process knock skips: accepting a connection, the HTTP
    parser and the server's request cycle (the first screenings after start stayed 1.4 times slower without). The
    ``key`` header keeps them out of the metrics.
    """
    host, port = address
    statuses = []
    for _ in range(times):
        for method, path, query, body in BOOTH_ROUTES:
            connection = http.client.HTTPConnection(host, port, timeout=KNOCKS_ON_LOOP_S)
            try:
                headers = {WARM_UP_HEADER: key, "Content-Type": "application/json"}
                payload = json.dumps(body) if body is not None else None
                connection.request(method, f"{path}?{query}" if query else path, body=payload, headers=headers)
                answer = connection.getresponse()
                answer.read()
                statuses.append(answer.status)
            finally:
                connection.close()
    return statuses


def knock_booth_routes(app: FastAPI, *, times: int = 1, loop: asyncio.AbstractEventLoop | None = None) -> list[int]:
    """Each booth route ``times`` times (see the module docstring); the statuses, all 401.

    On ``loop``, the server's event loop, when given: the knocks then also start the loop's worker threads and warm
    its own code paths, which a knock on another loop leaves cold (the first requests were 1.5 times slower).
    """

    async def every() -> list[int]:
        return [await knock(app, *route) for _ in range(times) for route in BOOTH_ROUTES]

    if loop is not None and loop.is_running():
        on_loop = asyncio.run_coroutine_threadsafe(every(), loop)
        try:
            return on_loop.result(timeout=KNOCKS_ON_LOOP_S)
        except TimeoutError:  # the loop stopped meanwhile (a test client closed): knock on a loop of our own
            on_loop.cancel()
    return asyncio.run(every())


class WarmUp:
    """The state of one app's warm-up thread."""

    def __init__(self, node: Node) -> None:
        self._node = node
        self._done = threading.Event()
        self.error: str | None = None
        self._started = False
        self._start_lock = threading.Lock()
        self._app: FastAPI | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self.knocks: list[int] = []
        self.knocked_via = ""  # "socket" or "in-process"
        self.key = secrets.token_urlsafe(16)  # marks the knocks through the socket (not counted in the metrics)
        self._address: tuple[str, int] | None = None
        self._address_known = threading.Event()
        self._thread = threading.Thread(target=self._run, name="palermo-warm-up", daemon=True)

    def start(self, app: FastAPI | None = None, loop: asyncio.AbstractEventLoop | None = None) -> None:
        """Start warming (once per app: a server, or a test client, may run the app's lifespan again).

        ``app`` and ``loop`` (the server's event loop): where to knock once screening is warm.
        """
        with self._start_lock:
            if not self._started:
                self._started = True
                self._app = app
                self._loop = loop
                self._thread.start()

    def skip(self) -> None:
        """Ready without warming: the first screening loads what it needs."""
        self._done.set()

    def _run(self) -> None:
        from palermo.screening.warmup import REHEARSALS, warm_screening  # the screening stack loads in this thread

        try:
            warm_screening(self._node)
            self.knocks = self._knock(REHEARSALS)
            settle_heap()  # last: what the knocks' first-call work built is frozen too
        except Exception as exc:  # a failed warm-up must not stop the node: screening then warms on first use
            self.error = f"{type(exc).__name__}: {exc}"
            log.warning("api.warm_up_failed", error=self.error)
        finally:
            self._done.set()

    def note_address(self, server: object) -> None:
        """The server's own address as a request that reached it saw it (``scope["server"]``, from ``/readyz``).

        Only an IP address: a test client's made-up host name is no socket to knock on.
        """
        if self._address is not None or not isinstance(server, (tuple, list)) or len(server) != 2:
            return
        host, port = server
        if isinstance(host, str) and isinstance(port, int) and _is_ip(host):
            self._address = (host, port)
            self._address_known.set()

    def _knock(self, times: int) -> list[int]:
        """Through the server's socket once a probe has shown its address (waiting a moment for one), else
        in-process on the server's loop."""
        self._address_known.wait(ADDRESS_WAIT_S)
        if self._address is not None:
            try:
                statuses = knock_over_http(self._address, self.key, times=times)
                self.knocked_via = "socket"
                return statuses
            except OSError as exc:
                log.info("api.warm_up_knock_in_process", address=self._address, error=str(exc))
        if self._app is None:
            return []
        self.knocked_via = "in-process"
        return knock_booth_routes(self._app, times=times, loop=self._loop)

    def wait(self, timeout: float | None = None) -> bool:
        return self._done.wait(timeout)

    def require_done(self) -> None:
        if not self._done.is_set():
            raise NotReady("the node is warming up (loading name data and the candidate index); retry shortly")


def warm_up_lifespan(
    node: Node, *, enabled: bool = True
) -> tuple[WarmUp, Callable[[FastAPI], AbstractAsyncContextManager[None]]]:
    """The app's warm-up and the lifespan that starts it when the server starts (or, not ``enabled``, says it is
    done without warming anything)."""
    warm = WarmUp(node)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if enabled:
            warm.start(app, asyncio.get_running_loop())
        else:
            warm.skip()
        yield

    return warm, lifespan
