"""An analyst in a real browser (Debian's Chromium, headless) walks from an alert to the network behind it: the
neighbourhood drawn as a graph (cytoscape, served by the node), the community with its key players explained, and
a key player's own neighbourhood; no script is refused by the Content-Security-Policy and nothing is loaded from
elsewhere; the pages fit a 390 px phone. Screenshots go to ``tests/web/artifacts/``.

SQLite only (the store is not under test); one browser, server and node for the module, so under pytest-xdist the
tests run on the ``browser`` worker group like tests/web/test_browser.py.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect, sync_playwright
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from palermo.api import create_app
from palermo.node import Node, init_node
from palermo.settings import Settings
from palermo.web import page_routes
from tests.conftest import StoreTemplates
from tests.factories import PASSWORD, make_user
from tests.web.browser import (
    ARTIFACTS,
    CHROMIUM,
    CHROMIUM_ARGS,
    MISSING_CHROMIUM,
    NETWORK_MAP_PAGES,
    NETWORK_PAGES,
    served,
)
from tests.web.network_world import NetworkWorld, build_network_world

pytestmark = pytest.mark.xdist_group("browser")

EXPECT_TIMEOUT_MS = 20_000
PHONE = {"width": 390, "height": 844}
WHY = "JIT-2026-0025"
OVERFLOW = """() => [...document.querySelectorAll('body *')]
    .filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1 && !e.closest('.scroll'))
    .slice(0, 5).map(e => e.outerHTML.slice(0, 120))"""


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory, templates: StoreTemplates) -> Iterator[tuple[Node, NetworkWorld]]:
    """The hand-built network world with its graph built, an alert on the recruiter, and a supervisor."""
    folder = tmp_path_factory.mktemp("network-browser")
    url = templates.copy("sqlite", None, templates.migrated("sqlite", None), folder)
    node = init_node(Settings(home=folder / "home", database_url=url, agency="test-agency"))
    network = build_network_world(node, folder)
    make_user(node, "sue", "supervisor")
    yield node, network
    node.engine.dispose()


@pytest.fixture(scope="module")
def base_url(world: tuple[Node, NetworkWorld]) -> Iterator[str]:
    with served(create_app(world[0])) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        pytest.fail(MISSING_CHROMIUM)
    ARTIFACTS.mkdir(exist_ok=True)
    expect.set_options(timeout=EXPECT_TIMEOUT_MS)
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        yield launched
        launched.close()


@pytest.fixture
def context(browser: Browser, base_url: str) -> Iterator[BrowserContext]:
    """A fresh profile that may only reach the node (nothing is loaded from elsewhere)."""
    created = browser.new_context(base_url=base_url, viewport={"width": 1280, "height": 900})
    created.set_default_timeout(30_000)
    outside: list[str] = []

    def only_the_node(route: Any) -> None:
        if route.request.url.startswith(base_url):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    created.route("**/*", only_the_node)
    yield created
    created.close()
    assert outside == []


def shot(page: Page, name: str) -> None:
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    assert path.stat().st_size > 1000, f"screenshot {path.name} is empty"


def sign_in(page: Page, username: str) -> None:
    page.goto("/web/login")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()


def drawn(page: Page, actors: int) -> None:
    """The graph is drawn with at least ``actors`` nodes (the script sets ``data-drawn`` when it has laid it out)."""
    page.wait_for_function(
        f"() => Number(document.getElementById('network-graph').dataset.drawn || 0) >= {actors}",
        timeout=EXPECT_TIMEOUT_MS,
    )
    expect(page.locator("#network-graph canvas").first).to_be_visible()


def fits_a_phone(page: Page, name: str) -> None:
    page.set_viewport_size(PHONE)
    wide = "() => document.documentElement.scrollWidth <= document.documentElement.clientWidth"
    try:
        page.wait_for_function(wide, timeout=EXPECT_TIMEOUT_MS)
    except PlaywrightTimeoutError:
        raise AssertionError(f"the {name} page scrolls sideways at 390 px: {page.evaluate(OVERFLOW)}") from None
    page.screenshot(path=str(ARTIFACTS / f"390px-network-{name}.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})


def test_from_an_alert_to_the_network_behind_it(context: BrowserContext, world: tuple[Node, NetworkWorld]) -> None:
    _, network = world
    page = context.new_page()
    refused: list[str] = []
    page.on("console", lambda m: refused.append(m.text) if m.type in ("error", "warning") else None)
    page.on("pageerror", lambda e: refused.append(str(e)))
    sign_in(page, "sue")
    page.goto(f"/web/alerts/{network.alert}")
    page.get_by_label("Justification").fill(WHY)
    page.get_by_role("button", name="Open the alert").click()
    page.get_by_role("link", name="the network around them").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("The network around Rado Recruiter")
    drawn(page, 5)
    expect(page.locator("#community-of")).to_contain_text("looks like a trafficking network")
    expect(page.locator("#ties")).to_contain_text("recruited by")
    shot(page, "n01-neighbourhood")
    fits_a_phone(page, "neighbourhood")

    page.locator("#community-of a").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Looks like a trafficking network")
    drawn(page, 7)
    expect(page.locator("#key-players li.key-player").first).to_contain_text("removing")
    expect(page.locator("#members")).to_contain_text("Vera")  # a supervisor holds victims.read
    shot(page, "n02-community")
    fits_a_phone(page, "community")

    page.locator("#key-players li.key-player h3 a").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("The network around")
    drawn(page, 2)
    shot(page, "n03-key-player-neighbourhood")

    page.get_by_role("link", name="Networks").click()
    page.get_by_label("Justification").fill(WHY)
    page.get_by_role("button", name="Show the network").click()
    expect(page.locator("#communities")).to_contain_text("Looks like a network")
    shot(page, "n04-networks")
    fits_a_phone(page, "communities")
    assert refused == []


def test_the_network_pages_are_all_checked() -> None:
    pages = {path for method, path in page_routes() if method == "GET" and path.startswith("/web/network/")}
    assert pages - set(NETWORK_MAP_PAGES) == set(NETWORK_PAGES)
    assert all(re.fullmatch(r"/web/network/[a-z/{}_]+", p) for p in pages)
