"""Start-up warm-up of the server: screening's in-memory state is loaded in the background, before readiness.

``/healthz`` answers at once; ``/readyz`` answers 503 ``not_ready`` until the warm-up has finished, so an
orchestrator or a load balancer sends no booth to a node whose first screening would take seconds. Requests that
arrive anyway are served (the first one simply waits for what it needs).
"""

from __future__ import annotations

import gc
import threading
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager

from fastapi import FastAPI

from palermo.errors import NotReady
from palermo.logs import get_logger
from palermo.node import Node

log = get_logger(__name__)


def settle_heap() -> None:
    """Collect once, then exempt what start-up built from the cyclic garbage collector (``gc.freeze``).

    The name-symbol table, candidate index, taxonomies and the imported libraries are a few hundred thousand
    long-lived objects; a full collection walks them all (150 ms here), stalling whichever request triggers it.
    Frozen, they are never walked again; what requests allocate is still collected as before.
    """
    gc.collect()
    gc.freeze()


class WarmUp:
    """The state of one app's warm-up thread."""

    def __init__(self, node: Node) -> None:
        self._node = node
        self._done = threading.Event()
        self.error: str | None = None
        self._started = False
        self._start_lock = threading.Lock()
        self._thread = threading.Thread(target=self._run, name="palermo-warm-up", daemon=True)

    def start(self) -> None:
        """Start warming (once per app: a server, or a test client, may run the app's lifespan again)."""
        with self._start_lock:
            if not self._started:
                self._started = True
                self._thread.start()

    def _run(self) -> None:
        from palermo.screening.warmup import warm_screening  # the screening stack loads in this thread

        try:
            warm_screening(self._node)
            settle_heap()
        except Exception as exc:  # a failed warm-up must not stop the node: screening then warms on first use
            self.error = f"{type(exc).__name__}: {exc}"
            log.warning("api.warm_up_failed", error=self.error)
        finally:
            self._done.set()

    def wait(self, timeout: float | None = None) -> bool:
        return self._done.wait(timeout)

    def require_done(self) -> None:
        if not self._done.is_set():
            raise NotReady("the node is warming up (loading name data and the candidate index); retry shortly")


def warm_up_lifespan(node: Node) -> tuple[WarmUp, Callable[[FastAPI], AbstractAsyncContextManager[None]]]:
    """The app's warm-up and the lifespan that starts it when the server starts."""
    warm = WarmUp(node)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        warm.start()
        yield

    return warm, lifespan
