"""The PCC opens "What the money achieves", filters it by a priority of the Plan and an area, and follows the people
supported to the returns behind them and on to one return; every page axe clean, looked at wide and on a phone."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from opcc.demo import demo_email
from opcc.demo_utils import overdue_quarter
from opcc.services.demo_accounts import DEMO_PASSWORD
from tests import demo_data
from tests.browser.conftest import assert_is_accessible, screenshot, sign_in_through_the_page

VICTIMS_FIRST = "Putting victims and survivors first"


@pytest.fixture
def demo(transactional_db, settings, tmp_path):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = tmp_path / "media"
    demo_data.load("core", "funding", "commissioning", "grants", "reporting")


def _year() -> int:
    """A year whose returns the demo has accepted: that of the quarter before the last overdue one."""
    return overdue_quarter(timezone.localdate()).previous().start_year


def _number(text: str) -> str:
    return re.match(r"[\d,]+", text.strip()).group()


def test_the_pcc_filters_by_priority_and_area_and_drills_down_to_a_return(page, live_server, demo, axe):
    base, year = live_server.url, _year()
    label = f"{year} to {year + 1}"
    sign_in_through_the_page(page, base, demo_email("pcc"), DEMO_PASSWORD)
    page.get_by_role("link", name="Dashboard", exact=True).click()
    page.get_by_role("link", name="What the money achieves").click()
    expect(page.locator("h1")).to_contain_text("What the money achieves")
    expect(page.locator("canvas[data-chart='by-money-chart']")).to_be_visible()
    expect(page.locator("#completeness")).to_contain_text("returns accepted for Q")
    assert_is_accessible(page, axe)
    screenshot(page, "outcomes-dashboard")

    # A priority of the Plan and the awards that serve West Mercia as a whole.
    page.get_by_label("Financial year", exact=True).select_option(str(year))
    page.get_by_label("Plan priority", exact=True).select_option(label=VICTIMS_FIRST)
    page.get_by_label("Local policing area", exact=True).select_option(label="West Mercia wide")
    page.get_by_role("button", name="Show").click()
    expect(page.locator("h1")).to_have_text(
        f"What the money achieves: {label}, {VICTIMS_FIRST}, West Mercia wide"
    )
    expect(page.locator("#by-table tbody tr[data-key]")).to_have_count(1)
    expect(page.locator("#by-table tbody tr[data-key] th")).to_have_text(VICTIMS_FIRST)
    assert_is_accessible(page, axe)
    screenshot(page, "outcomes-dashboard-victims-west-mercia")

    # Then one area: the same priority in Herefordshire.
    page.get_by_label("Local policing area", exact=True).select_option(label="Herefordshire")
    page.get_by_role("button", name="Show").click()
    expect(page.locator("h1")).to_have_text(
        f"What the money achieves: {label}, {VICTIMS_FIRST}, Herefordshire"
    )
    page.get_by_label("Local policing area", exact=True).select_option(label="West Mercia wide")
    page.get_by_role("button", name="Show").click()

    # The people supported lead to the accepted returns that reported them, adding up to the figure.
    people = page.locator("#by-table tr[data-total] td[data-figure='people'] a")
    figure = _number(people.inner_text())
    assert figure != "0"
    people.click()
    expect(page.locator("h1")).to_have_text("Accepted returns reporting people supported")
    expect(page.locator("[data-total='reported']")).to_have_text(figure)
    assert_is_accessible(page, axe)
    screenshot(page, "outcomes-list-people-supported")

    # And one of them opens the return itself.
    page.locator("table.govuk-table tbody tr").first.locator("a[href^='/monitoring/returns/']").click()
    expect(page).to_have_url(re.compile(r"/monitoring/returns/\d+/$"))
    assert_is_accessible(page, axe)
    screenshot(page, "outcomes-return")

    # On a phone the page reflows: nothing scrolls sideways but the tables in their own panes.
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(f"{base}/dashboard/outcomes/?year={year}&priority=none&by=area")
    expect(page.locator("h1")).to_contain_text("Not linked to a priority of the Plan")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    assert_is_accessible(page, axe)
    screenshot(page, "outcomes-dashboard-phone")
