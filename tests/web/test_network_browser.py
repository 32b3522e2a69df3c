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

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from palermo.api import create_app
from palermo.node import Node, init_node
from palermo.settings import Settings
from palermo.web import page_routes
from tests.conftest import StoreTemplates
from tests.factories import make_user
from tests.web.browser import (
    EXPECT_TIMEOUT_MS,
    NETWORK_MAP_PAGES,
    NETWORK_PAGES,
    node_only,
    phone_shot,
    served,
    shot,
    sign_in,
)
from tests.web.network_world import NetworkWorld, build_network_world

pytestmark = pytest.mark.xdist_group("browser")

WHY = "JIT-2026-0025"


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


@pytest.fixture
def context(browser: Browser, base_url: str) -> Iterator[BrowserContext]:
    with node_only(browser, base_url) as created:
        yield created


def drawn(page: Page, actors: int) -> None:
    """The graph is drawn with at least ``actors`` nodes (the script sets ``data-drawn`` when it has laid it out)."""
    page.wait_for_function(
        f"() => Number(document.getElementById('network-graph').dataset.drawn || 0) >= {actors}",
        timeout=EXPECT_TIMEOUT_MS,
    )
    expect(page.locator("#network-graph canvas").first).to_be_visible()


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
    phone_shot(page, "network-neighbourhood")

    page.locator("#community-of a").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Looks like a trafficking network")
    drawn(page, 7)
    expect(page.locator("#key-players li.key-player").first).to_contain_text("removing")
    expect(page.locator("#members")).to_contain_text("Vera")  # a supervisor holds victims.read
    shot(page, "n02-community")
    phone_shot(page, "network-community")

    page.locator("#key-players li.key-player h3 a").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("The network around")
    drawn(page, 2)
    shot(page, "n03-key-player-neighbourhood")

    page.get_by_role("link", name="Networks").click()
    page.get_by_label("Justification").fill(WHY)
    page.get_by_role("button", name="Show the network").click()
    expect(page.locator("#communities")).to_contain_text("Looks like a network")
    shot(page, "n04-networks")
    phone_shot(page, "network-communities")
    assert refused == []


def test_the_network_pages_are_all_checked() -> None:
    pages = {path for method, path in page_routes() if method == "GET" and path.startswith("/web/network/")}
    assert pages - set(NETWORK_MAP_PAGES) == set(NETWORK_PAGES)
    assert all(re.fullmatch(r"/web/network/[a-z/{}_]+", p) for p in pages)
