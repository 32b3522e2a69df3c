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

import pytest
from playwright.sync_api import Browser, BrowserContext, expect

from palermo.api import create_app
from palermo.auth.actor import cli_actor
from palermo.db.engine import transaction
from palermo.network.build import build_network
from palermo.node import Node, init_node
from palermo.settings import Settings
from tests.conftest import StoreTemplates
from tests.factories import make_user
from tests.travel_world import NETWORK_ROUTE, TravelWorld, build
from tests.web.browser import node_only, phone_shot, served, shot, sign_in

pytestmark = pytest.mark.xdist_group("browser")

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


@pytest.fixture
def context(browser: Browser, base_url: str) -> Iterator[BrowserContext]:
    with node_only(browser, base_url) as created:
        yield created


def test_an_analyst_walks_from_the_route_map_to_the_hotspot_and_the_escort(
    context: BrowserContext, world: TravelWorld
) -> None:
    page = context.new_page()
    sign_in(page, "ana")
    page.get_by_role("link", name="Routes", exact=True).click()
    expect(page.get_by_role("heading", name="Route map")).to_be_visible()
    expect(page.locator("#route-map")).to_have_count(0)  # nothing analysed before the reason
    phone_shot(page, "network-routes-asked")
    page.get_by_label("Justification").fill(WHY)
    page.get_by_label("Volumes and periods by").select_option("week")
    page.get_by_role("button", name="Show the routes").click()
    expect(page.locator("#route-map")).to_have_attribute("data-drawn", "true")
    expect(page.locator("#route-map")).to_have_attribute("data-lines", "3")  # the network's and two ordinary (MXP, ATH)
    expect(page.locator("#route-map path.leaflet-interactive[stroke='#b10e1e']")).to_have_count(1)
    expect(page.locator("#trafficking-routes tbody th")).to_have_text([NETWORK_ROUTE])
    expect(page.locator("#trafficking-routes")).to_contain_text("2026-W")  # journeys per ISO week
    expect(page.locator("#chart-volumes")).to_have_attribute("data-drawn", "true")
    expect(page.locator("#hidden-special")).to_contain_text("2 special-category crossings")
    page.locator("#route-map path.leaflet-interactive[stroke='#b10e1e']").dispatch_event("mouseover")
    expect(page.locator(".leaflet-tooltip")).to_contain_text("a trafficking route")
    shot(page, "route-map-analyst")
    phone_shot(page, "network-routes")

    page.get_by_role("link", name="Hotspot map: where flagged crossings concentrate").click()
    expect(page.get_by_label("Volumes and periods by")).to_have_value("week")  # the same filters came along
    expect(page.locator("#hotspot-map")).to_have_attribute("data-drawn", "true")
    expect(page.locator("#hotspot-map")).to_have_attribute("data-circles", "3")
    expect(page.locator("#hotspots tbody tr").first).to_contain_text("Bari port (BRI)")
    shot(page, "hotspot-map-analyst")
    phone_shot(page, "network-hotspots")
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
