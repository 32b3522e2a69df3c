"""A live node served on a free local port, and Debian's Chromium driven by Playwright (never its own download)."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import uvicorn
from fastapi import FastAPI

from tests.factories import free_port

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
MISSING_CHROMIUM = (
    f"page tests need Debian's Chromium at {CHROMIUM}: run `bash scripts/system-deps.sh` "
    "(apt-get install chromium); `playwright install` is not used"
)

#: the caseworker's pages, checked at 390 px by tests/web/test_victim_browser.py (test_browser.py leaves them to it)
VICTIM_PAGES = (
    "/web/victims/cases",
    "/web/victims/cases/{case_id}",
    "/web/victims/cases/{case_id}/interview",
    "/web/victims/cases/{case_id}/referral",
    "/web/victims/forms",
)

#: the route map and the hotspot map, checked at 390 px by tests/web/test_network_map_browser.py (on its travel world)
NETWORK_MAP_PAGES = ("/web/network/routes", "/web/network/hotspots")


@contextmanager
def served(app: FastAPI) -> Iterator[str]:
    """Serve ``app`` with uvicorn in a thread; yields the base URL, stops the server afterwards."""
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 120  # a bound for a busy machine, not a measurement
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError(f"the test server did not start on port {port}")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
