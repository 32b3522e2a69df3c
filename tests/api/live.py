"""The real app served by uvicorn in a thread, with the options ``palermo serve`` uses (no mock of the server)."""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

import anyio.to_thread
import uvicorn
from fastapi import FastAPI

from palermo.api.server import SERVER_OPTIONS
from tests.factories import free_port


@contextmanager
def live_server(app: FastAPI, *, worker_threads: int | None = None) -> Iterator[tuple[str, int]]:
    """Serve ``app`` on a free loopback port; yields (host, port); stops the server afterwards.

    ``worker_threads``: the size of the server's thread pool for sync handlers and dependencies (default 40).
    """
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, **SERVER_OPTIONS))

    async def serve() -> None:
        if worker_threads is not None:
            anyio.to_thread.current_default_thread_limiter().total_tokens = worker_threads
        await server.serve()

    thread = threading.Thread(target=asyncio.run, args=(serve(),), daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError(f"the test server did not start on port {port}")
        time.sleep(0.05)
    try:
        yield "127.0.0.1", port
    finally:
        server.should_exit = True
        thread.join(timeout=10)
