"""The route map and the hotspot map in a real browser (Debian's Chromium, headless), over the hand-built travel world
of tests/network with its link graph built: an analyst asks why, sees the network's route in red on the map and in
the table, goes to the hotspot map with the same filters, and walks from Bari's evidence to the escort's identity; a
supervisor counts journeys per community; both pages fit a 390 px phone. Screenshots go to ``tests/web/artifacts/``
(``route-map-*``, ``hotspot-map-*``, ``390px-network-*``).

SQLite only (the store is not under test); one browser, server and node for the module, so under pytest-xdist the
tests run on the ``browser`` worker group like tests/web/test_browser.py.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect, sync_playwright

from palermo.api import create_app
from palermo.auth.actor import cli_actor
from palermo.db.engine import transaction
from palermo.network.build import build_network
from palermo.node import Node, init_node
from palermo.settings import Settings
from tests.conftest import StoreTemplates
from tests.factories import PASSWORD, make_user
from tests.network.travel_world import NETWORK_ROUTE, TravelWorld, build
from tests.web.browser import ARTIFACTS, CHROMIUM, CHROMIUM_ARGS, MISSING_CHROMIUM, served

pytestmark = pytest.mark.xdist_group("browser")

EXPECT_TIMEOUT_MS = 20_000
PHONE = {"width": 390, "height": 844}
WHY = "JIT-2026-0042"


@pytest.fixture(scope="module")
def node(tmp_path_factory: pytest.TempPathFactory, templates: StoreTemplates) -> Iterator[Node]:
    folder = tmp_path_factory.mktemp("network-maps")
    url = templates.copy("sqlite", None, templates.migrated("sqlite", None), folder)
    created = init_node(Settings(home=folder / "home", database_url=url, agency="test-agency"))
    yield created
    created.engine.dispose()


@pytest.fixture(scope="module")
def world(node: Node, tmp_path_factory: pytest.TempPathFactory) -> TravelWorld:
    """The travel world, its link graph built (for the communities), an analyst and a supervisor."""
    built = build(node, tmp_path_factory.mktemp("travel"))
    with transaction(node.engine) as session:
        build_network(session, cli_actor("cli:tester", node.agency_code), full=True)
    for username, role in (("ana", "analyst"), ("sup", "supervisor")):
        make_user(node, username, role)
    return built


@pytest.fixture(scope="module")
def base_url(node: Node, world: TravelWorld) -> Iterator[str]:
    with served(create_app(node)) as url:
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
    """A fresh profile that may only reach the node (the maps load nothing from elsewhere: no tile server)."""
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


def fits_a_phone(page: Page, name: str) -> None:
    page.set_viewport_size(PHONE)
    wide = "() => document.documentElement.scrollWidth <= document.documentElement.clientWidth"
    page.wait_for_function(wide, timeout=EXPECT_TIMEOUT_MS)
    page.screenshot(path=str(ARTIFACTS / f"390px-network-{name}.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})


def test_an_analyst_walks_from_the_route_map_to_the_hotspot_and_the_escort(
    context: BrowserContext, world: TravelWorld
) -> None:
    page = context.new_page()
    sign_in(page, "ana")
    page.get_by_role("link", name="Routes", exact=True).click()
    expect(page.get_by_role("heading", name="Route map")).to_be_visible()
    expect(page.locator("#route-map")).to_have_count(0)  # nothing analysed before the reason
    fits_a_phone(page, "routes-asked")
    page.get_by_label("Justification").fill(WHY)
    page.get_by_label("Volumes and periods by").select_option("week")
    page.get_by_role("button", name="Show the routes").click()
    expect(page.locator("#route-map")).to_have_attribute("data-drawn", "true")
    expect(page.locator("#route-map")).to_have_attribute("data-lines", "3")  # the network's and two ordinary (MXP, ATH)
    expect(page.locator("#route-map path.leaflet-interactive[stroke='#b10e1e']")).to_have_count(1)
    expect(page.locator("#trafficking-routes tbody th")).to_have_text([NETWORK_ROUTE])
    expect(page.locator("#trafficking-routes")).to_contain_text("2026-W")  # journeys per ISO week
    expect(page.locator("#hidden-special")).to_contain_text("2 special-category crossings")
    page.locator("#route-map path.leaflet-interactive[stroke='#b10e1e']").dispatch_event("mouseover")
    expect(page.locator(".leaflet-tooltip")).to_contain_text("a trafficking route")
    shot(page, "route-map-analyst")
    fits_a_phone(page, "routes")

    page.get_by_role("link", name="Hotspot map: where flagged crossings concentrate").click()
    expect(page.get_by_label("Volumes and periods by")).to_have_value("week")  # the same filters came along
    expect(page.locator("#hotspot-map")).to_have_attribute("data-drawn", "true")
    expect(page.locator("#hotspot-map")).to_have_attribute("data-circles", "3")
    expect(page.locator("#hotspots tbody tr").first).to_contain_text("Bari port (BRI)")
    shot(page, "hotspot-map-analyst")
    fits_a_phone(page, "hotspots")
    evidence = page.locator("details.hotspot-evidence", has_text="Bari port (BRI), whole range")
    expect(evidence).to_contain_text("beyond what its volume explains")
    escort = world.escort.split(":")[1]
    evidence.get_by_role("link", name=f"Identity #{escort}", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(f"#{escort}")
    expect(page.locator("main")).to_contain_text("Hoxha")


def test_a_supervisor_counts_the_routes_per_community(context: BrowserContext) -> None:
    page = context.new_page()
    sign_in(page, "sup")
    page.goto("/web/network/routes")
    page.get_by_label("Justification").fill(WHY)
    page.get_by_label("Use the link graph's communities").check()
    page.get_by_role("button", name="Show the routes").click()
    expect(page.locator("#trafficking-routes thead")).to_contain_text("Journeys per community")
    expect(page.locator("#trafficking-routes tbody td").last).to_contain_text("community:")
    expect(page.locator("#hidden-special")).to_have_count(0)  # a supervisor holds victims.read
    expect(page.locator("#route-map")).to_have_attribute("data-drawn", "true")
    shot(page, "route-map-communities")
    page.get_by_role("link", name="Hotspot map: where flagged crossings concentrate").click()
    expect(page.get_by_label("Use the link graph's communities")).to_be_checked()
    page.get_by_label("First day").fill("2026-02-30")
    page.get_by_role("button", name="Show the hotspots").click()
    expect(page.locator("#since-error")).to_contain_text("YYYY-MM-DD")
    expect(page.get_by_label("First day")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#hotspot-map")).to_have_count(0)
