"""A member of the public, not signed in, looks through the transparency pages and downloads the open data."""

from types import SimpleNamespace

import pytest
from playwright.sync_api import expect

from opcc.demo import PEOPLE, demo_email
from opcc.models import Role, User
from tests import demo_data
from tests.browser.conftest import assert_is_accessible, screenshot
from tests.reporting.transparency_factories import open_tender


@pytest.fixture
def demo(transactional_db, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    demo_data.load("core", "funding", "commissioning", "grants")
    # What the public reads of an award is its reviewed text (the whole demo approves it in reporting's part).
    from reporting.services import descriptions  # noqa: PLC0415

    descriptions.approve_all_as_they_are()
    officer = User.objects.get(email=demo_email("officer"))
    open_tender(
        SimpleNamespace(users={Role.COMMISSIONING_OFFICER: officer}),
        title="Sexual violence counselling (demo)",
    )
    from reporting.services import public_texts  # noqa: PLC0415

    public_texts.approve_all_as_they_are()  # services, grants' reasons and rounds, as the demo approves them


def look(page, axe, name):
    assert_is_accessible(page, axe)
    screenshot(page, f"transparency-{name}")
    text = page.locator("body").inner_text()
    for _local, full_name, *_rest in PEOPLE:
        assert full_name not in text, f"{full_name} is shown on {page.url}"
    assert "@demo.westmercia-opcc.example" not in text
    return text


def test_a_member_of_the_public_finds_grants_contracts_and_opportunities(page, live_server, demo, axe):
    base = live_server.url
    page.goto(f"{base}/transparency/")
    expect(page.locator("h1")).to_have_text("Grants, contracts and funding opportunities")
    look(page, axe, "index")

    # Grants made: filter by area and search, and the address keeps the filters.
    page.get_by_role("link", name="Grants made").first.click()
    expect(page.locator("h1")).to_have_text("Grants made")
    look(page, axe, "grants")
    page.get_by_label("Local policing area").select_option("shropshire")
    page.get_by_label("Recipient, project or reference").fill("taxi")
    page.get_by_role("button", name="Filter").click()
    assert "area=shropshire" in page.url and "q=taxi" in page.url
    expect(page.locator("tbody")).to_contain_text("Safer nights taxi marshals")
    look(page, axe, "grants-filtered")
    page.locator("tbody a").first.click()
    expect(page.get_by_role("heading", name="Reasons for the award")).to_be_visible()
    look(page, axe, "grant")

    # A grant offered through the grants app, with its conditions.
    page.goto(f"{base}/transparency/grants/?stream=cgs")
    look(page, axe, "grants-cgs")

    page.get_by_role("link", name="Contracts over £10,000").first.click()
    expect(page.locator("h1")).to_have_text("Contracts over £10,000")
    look(page, axe, "contracts")
    page.locator("tbody a").first.click()
    expect(page.get_by_text("Total value")).to_be_visible()
    look(page, axe, "contract")
    page.get_by_role("link", name="Contracts up to £10,000").first.click()
    look(page, axe, "contracts-small")

    page.get_by_role("link", name="Open grant rounds").first.click()
    expect(page.locator("h1")).to_have_text("Open grant rounds")
    look(page, axe, "rounds")
    page.locator(".govuk-summary-card__title a").first.click()
    expect(page.get_by_role("heading", name="How to apply")).to_be_visible()
    look(page, axe, "round")

    page.get_by_role("link", name="Invitations to tender").first.click()
    expect(page.locator("tbody")).to_contain_text("Sexual violence counselling (demo)")
    look(page, axe, "tenders")
    page.locator("tbody a").first.click()
    expect(page.get_by_role("heading", name="How bids are evaluated")).to_be_visible()
    look(page, axe, "tender")

    page.get_by_role("link", name="Open data").first.click()
    expect(page.locator("h1")).to_have_text("Open data: grants and contracts")
    look(page, axe, "open-data")
    grants = page.request.get(
        base + page.get_by_role("link", name="Grants as 360Giving JSON").get_attribute("href")
    )
    assert grants.ok and grants.json()["grants"]
    contracts = page.request.get(
        base + page.get_by_role("link", name="Contracts as OCDS JSON").get_attribute("href")
    )
    assert contracts.ok and contracts.json()["releases"]
    for _local, full_name, *_rest in PEOPLE:
        assert full_name not in grants.text() + contracts.text()

    # By keyboard: the skip link first, then the filters of a list.
    page.goto(f"{base}/transparency/contracts/")
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Skip to main content")).to_be_focused()
    page.get_by_label("Provider, service or reference").focus()
    page.keyboard.type("no such contract")
    page.keyboard.press("Enter")
    expect(page.locator("tbody")).to_contain_text("No contracts match")
    assert "q=no+such+contract" in page.url
