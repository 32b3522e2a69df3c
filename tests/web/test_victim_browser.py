"""The victim-support caseworker in a real browser (Debian's Chromium, headless): from a border protect decision to
the case, the structured interview with the rule's result explained, consent, a referral refused then made, the
withdrawal; the pages fit a 390 px phone; other roles get the 403 page. Screenshots go to ``tests/web/artifacts/``.

SQLite only (the store is not under test); one browser, server and node for the module, so under pytest-xdist the
tests run on the ``browser`` worker group like tests/web/test_browser.py.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from palermo.api import create_app
from palermo.db.engine import transaction
from palermo.node import Node, init_node
from palermo.settings import Settings
from palermo.victims.providers import load_providers
from palermo.web import page_routes
from tests.conftest import StoreTemplates
from tests.factories import load, make_user, operator, write_list
from tests.web.browser import VICTIM_PAGES, node_only, phone_shot, served, shot, sign_in

pytestmark = pytest.mark.xdist_group("browser")

PROVIDERS = Path(__file__).resolve().parents[1] / "victims" / "providers.csv"


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory, templates: StoreTemplates) -> Iterator[Node]:
    """A node with the shared list (a missing girl among others), four providers, an officer and a caseworker."""
    folder = tmp_path_factory.mktemp("victim-browser")
    url = templates.copy("sqlite", None, templates.migrated("sqlite", None), folder)
    node = init_node(Settings(home=folder / "home", database_url=url, agency="test-agency"))
    load(node, write_list(folder))
    with transaction(node.engine) as session:
        load_providers(session, operator(node), PROVIDERS)
    for username, role in (("bo", "border_officer"), ("vs", "victim_support"), ("ana", "analyst")):
        make_user(node, username, role)
    yield node
    node.engine.dispose()


@pytest.fixture(scope="module")
def base_url(world: Node) -> Iterator[str]:
    with served(create_app(world)) as url:
        yield url


@pytest.fixture
def context(browser: Browser, base_url: str) -> Iterator[BrowserContext]:
    with node_only(browser, base_url) as created:
        yield created


def sign_out(page: Page) -> None:
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_label("Username")).to_be_visible()


def tick(page: Page, indicator: str) -> None:
    page.locator(f'input[name="indicators"][value="{indicator}"]').check()


def fits_a_phone(page: Page, path: str) -> None:
    phone_shot(page, "victims-" + re.sub(r"[^a-z0-9]+", "-", path.split("?")[0]).strip("-"))


def test_from_a_protect_decision_to_a_consented_referral(context: BrowserContext) -> None:
    page = context.new_page()
    sign_in(page, "bo")
    page.get_by_role("link", name="Screening").click()
    page.get_by_label("Names").fill("Olena Shevchenko")
    page.get_by_role("button", name="Screen").click()
    expect(page.locator("#victim-case")).to_contain_text("Hand the traveller over to victim support")
    expect(page.locator("#victim-case-link")).to_have_count(0)  # the officer hands over, never reads the case
    expect(page.get_by_role("link", name="Victim cases")).to_have_count(0)
    case_id = int(re.findall(r"Victim case (\d+) is open", page.locator("#victim-case").inner_text())[0])
    shot(page, "v01-protect-handover")
    sign_out(page)

    sign_in(page, "vs")
    page.get_by_role("link", name="Victim cases").click()
    page.get_by_role("button", name="Show cases").click()  # victim_protection is filled in
    expect(page.locator("#cases")).to_contain_text("Border protect decision")
    shot(page, "v02-case-list")
    fits_a_phone(page, VICTIM_PAGES[0])
    page.get_by_role("link", name=f"Case {case_id}", exact=True).click()
    expect(page.get_by_role("heading", name=f"Victim case {case_id}")).to_be_visible()
    expect(page.locator("main")).to_contain_text("Olena Shevchenko")
    shot(page, "v03-case-new")

    page.get_by_role("link", name="Structured interview").click()
    expect(page.locator("#population-error")).to_contain_text("choose adult or child")
    page.get_by_label("Adult or child").select_option("adult")
    page.get_by_role("button", name="Show the indicators of this list").click()
    for indicator in ("dr.job_nature", "dr.work_conditions", "ec.excessive_hours", "ec.low_pay", "cd.documents"):
        tick(page, indicator)
    shot(page, "v04-interview")
    fits_a_phone(page, VICTIM_PAGES[2])
    page.get_by_role("button", name="Record the assessment").click()
    expect(page.get_by_role("status")).to_contain_text("The assessment is recorded")
    first = page.locator("article.assessment").first
    expect(first).to_contain_text("Not presumed")
    expect(first).to_contain_text("the means (coercion or abuse of vulnerability at destination)")
    shot(page, "v05-assessment-not-presumed")

    page.get_by_role("link", name="Revise the assessment").click()
    page.get_by_label("Adult or child").select_option("adult")
    page.get_by_role("button", name="Show the indicators of this list").click()
    for indicator in ("dr.job_nature", "dr.work_conditions", "ec.excessive_hours", "ec.low_pay", "cd.documents"):
        tick(page, indicator)
    tick(page, "cd.debt")
    expect(page.get_by_label("Why you revise the assessment")).to_have_attribute("required", "")  # says why
    page.get_by_label("Why you revise the assessment").fill("second interview: the debt to the recruiter")
    page.get_by_role("button", name="Record the assessment").click()
    latest = page.locator("article.assessment").first
    expect(latest).to_contain_text("Version 2 (the latest)")
    expect(latest).to_contain_text("Presumed victim of trafficking")
    expect(latest.locator("table.dimensions")).to_contain_text("(strong)")
    shot(page, "v06-assessment-presumed")
    fits_a_phone(page, VICTIM_PAGES[1])

    page.get_by_role("link", name="Consent and referral").click()
    page.locator("#referral-provider").select_option("shelter-vienna")
    page.get_by_label("Service").select_option("shelter")
    page.locator("#referral-data_categories-identity").check()
    page.get_by_role("button", name="Refer").click()
    expect(page.locator("#referral-basis-error")).to_contain_text("the case holds no consent")
    shot(page, "v07-referral-refused")
    page.locator("#consent-provider").select_option("shelter-vienna")
    page.locator("#consent-data_categories-identity").check()
    page.locator("#consent-services-shelter").check()
    page.get_by_label("Valid until (the last day)").fill((dt.date.today() + dt.timedelta(days=60)).isoformat())
    page.get_by_label("Language the person was informed in").fill("Romanian")
    page.get_by_role("button", name="Record the consent").click()
    expect(page.get_by_role("status")).to_contain_text("The consent is recorded")
    page.get_by_role("link", name="Consent and referral").click()
    page.locator("#referral-provider").select_option("shelter-vienna")
    page.get_by_label("Service").select_option("shelter")
    page.locator("#referral-data_categories-identity").check()
    page.get_by_role("button", name="Refer").click()
    expect(page.locator("#referral-made")).to_contain_text("Olena Shevchenko")
    shot(page, "v08-referral-made")
    fits_a_phone(page, VICTIM_PAGES[3])

    page.get_by_role("link", name="Back to the case").click()
    expect(page.locator("#referrals")).to_contain_text("Active")
    page.locator("#htcds-provider").select_option("shelter-vienna")
    with page.expect_download() as downloading:
        page.get_by_role("button", name="Download the HTCDS record").click()
    download = downloading.value
    assert download.suggested_filename.endswith("-htcds-shelter-vienna.json")
    record = json.loads(Path(download.path()).read_text(encoding="utf-8"))["records"][0]
    assert (record["prs_SecondName"], record["con_Consent"]) == ("Shevchenko", True)
    shot(page, "v085-htcds-export")
    page.get_by_label("Note on the withdrawal (optional)").fill("the person asked by phone")
    page.get_by_role("button", name=re.compile("Withdraw consent")).click()
    expect(page.get_by_role("status")).to_contain_text("The consent is withdrawn")
    expect(page.locator("#referrals")).to_contain_text("(consent withdrawn)")
    shot(page, "v09-consent-withdrawn")


def test_every_victim_page_is_checked_at_390_px_here() -> None:
    pages = {path for method, path in page_routes() if method == "GET" and path.startswith("/web/victims/")}
    assert pages == set(VICTIM_PAGES)


RTL = """() => {
  const form = document.querySelector('#victim-form'), h = form.querySelector('h2');
  const range = document.createRange(); range.selectNodeContents(h);
  const text = range.getBoundingClientRect(), box = h.getBoundingClientRect();
  return {direction: getComputedStyle(form).direction,
          fromRight: box.right - text.right, fromLeft: text.left - box.left};
}"""


def test_the_forms_read_right_to_left_in_arabic(context: BrowserContext) -> None:
    page = context.new_page()
    sign_in(page, "vs")
    page.goto("/web/victims/forms")
    english = page.evaluate(RTL)
    assert english["direction"] == "ltr"
    assert english["fromLeft"] < 2 < english["fromRight"]  # English starts at the left edge
    page.get_by_role("link", name="العربية").click()
    expect(page.locator("#victim-form")).to_have_attribute("dir", "rtl")
    expect(page.locator("#victim-form h2")).to_have_text("معلومات وأسئلة لك")
    arabic = page.evaluate(RTL)
    assert arabic["direction"] == "rtl"
    assert arabic["fromRight"] < 2 < arabic["fromLeft"]  # Arabic starts at the right edge
    shot(page, "v11-forms-arabic-rtl")
    fits_a_phone(page, VICTIM_PAGES[4])
    page.get_by_role("link", name="Română").click()
    expect(page.locator("#victim-form h3").last).to_have_text(
        "Consimțământul dumneavoastră pentru transmiterea informațiilor"
    )
    shot(page, "v12-forms-romanian")


def test_other_roles_get_the_403_page(context: BrowserContext) -> None:
    page = context.new_page()
    sign_in(page, "ana")
    expect(page.get_by_role("link", name="Victim cases")).to_have_count(0)
    answer = page.goto("/web/victims/cases?justification=victim_protection")
    assert answer is not None
    assert answer.status == 403
    expect(page.locator("main")).to_contain_text("victims.read")
    shot(page, "v10-analyst-refused")
