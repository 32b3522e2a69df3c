"""A live node served on a free local port, and Debian's Chromium driven by Playwright (never its own download).

The browser modules (``test_*_browser.py``) share these: the browser launched for a module, a profile that may
reach only the node, screenshots, the sign-in form. Waits are bounded for a busy machine, never measurements."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from fastapi import FastAPI
from playwright.sync_api import Browser, BrowserContext, Page, expect, sync_playwright

from tests.factories import PASSWORD, free_port

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

# Bounded waits for a busy machine: a page or an action that takes longer than this is a failure.
EXPECT_TIMEOUT_MS = 20_000
ACTION_TIMEOUT_MS = 30_000
NAVIGATION_TIMEOUT_MS = 60_000
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}

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

#: the network pages, checked at 390 px by tests/web/test_network_browser.py on the network it builds
NETWORK_PAGES = (
    "/web/network/communities",
    "/web/network/communities/{community_id}",
    "/web/network/neighbourhood/{key}",
)


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


@contextmanager
def chromium() -> Iterator[Browser]:
    """Debian's Chromium, headless, with ``expect`` waiting at most ``EXPECT_TIMEOUT_MS``; fails if it is missing."""
    if not CHROMIUM.exists():
        pytest.fail(MISSING_CHROMIUM)
    ARTIFACTS.mkdir(exist_ok=True)
    expect.set_options(timeout=EXPECT_TIMEOUT_MS)
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        try:
            yield launched
        finally:
            launched.close()


def new_context(browser: Browser, base_url: str, **options: Any) -> tuple[BrowserContext, list[str]]:
    """A fresh browser profile; the list collects every URL it requests outside the node (must stay empty)."""
    context = browser.new_context(base_url=base_url, viewport=DESKTOP, **options)
    context.set_default_timeout(ACTION_TIMEOUT_MS)
    context.set_default_navigation_timeout(NAVIGATION_TIMEOUT_MS)
    outside: list[str] = []

    def only_the_node(route: Any) -> None:
        if route.request.url.startswith(base_url):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    context.route("**/*", only_the_node)
    return context, outside


@contextmanager
def node_only(browser: Browser, base_url: str, **options: Any) -> Iterator[BrowserContext]:
    """A fresh profile that may reach only the node: closing it fails the test if the pages asked elsewhere."""
    context, outside = new_context(browser, base_url, **options)
    try:
        yield context
    finally:
        context.close()
    assert outside == [], f"the pages requested outside the node: {outside}"


def shot(page: Page, name: str) -> None:
    """Save the page as a screenshot to look at; a page that renders nothing fails here."""
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    assert path.stat().st_size > 1000, f"screenshot {path.name} is empty"


def sign_in(page: Page, username: str, password: str = PASSWORD) -> None:
    """Sign in through the form and wait until the signed-in page is there (its sign-out button)."""
    page.goto("/web/login")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()


def phone_shot(page: Page, name: str) -> None:
    """The page at 390 px is no wider than the screen (wide tables scroll in their box), saved as ``390px-NAME``."""
    page.set_viewport_size(PHONE)
    wide = "() => document.documentElement.scrollWidth <= document.documentElement.clientWidth"
    page.wait_for_function(wide, timeout=EXPECT_TIMEOUT_MS)
    page.screenshot(path=str(ARTIFACTS / f"390px-{name}.png"), full_page=True)
    page.set_viewport_size(DESKTOP)
