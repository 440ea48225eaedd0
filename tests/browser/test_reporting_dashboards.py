"""The PCC opens the dashboard, changes the year and a filter, moves to Performance, and follows figures
to the lists behind them; every page axe clean, with and without the charts' JavaScript."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from opcc.calendar import financial_year_of
from opcc.demo import demo_email
from opcc.demo_utils import overdue_quarter
from opcc.services.demo_accounts import DEMO_PASSWORD
from tests import demo_data
from tests.browser.conftest import assert_is_accessible, screenshot, shared_site, sign_in_through_the_page


def load_demo():
    demo_data.load("core", "funding", "commissioning", "grants", "reporting")


@pytest.fixture(scope="module")
def site(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo, loaded once: both journeys read the dashboards and change nothing."""
    with shared_site(django_db_blocker, tmp_path_factory, load_demo) as site:
        yield site


def _figure(link) -> int:
    return int(re.match(r"\d+", link.inner_text().replace(",", "")).group())


def _label(start_year: int) -> str:
    return f"{start_year} to {start_year + 1}"


def _years() -> tuple[int, int]:
    """The current financial year (the dashboard's default), and the year of the demo's overdue returns: the
    current one, or last year until the current year's first returns are due (the end of July)."""
    today = timezone.localdate()
    return financial_year_of(today), overdue_quarter(today).start_year


def test_the_pcc_reads_the_dashboard_and_follows_a_figure_to_its_list(page, site, axe):
    base = site.url
    this_year, returns_year = _years()
    sign_in_through_the_page(page, base, demo_email("pcc"), DEMO_PASSWORD)
    page.get_by_role("link", name="Dashboard", exact=True).click()
    expect(page.locator("h1")).to_have_text(f"Money in {_label(this_year)}")
    expect(page.locator("canvas[data-chart='money-chart']")).to_be_visible()
    expect(page.locator("#money")).to_contain_text("Victim Services")
    assert_is_accessible(page, axe)
    screenshot(page, "dashboard-money")

    # Another year, then one stream: the page and the sub-navigation keep the choice.
    page.get_by_label("Financial year").select_option(str(this_year - 1))
    page.get_by_role("button", name="Show").click()
    expect(page.locator("h1")).to_have_text(f"Money in {_label(this_year - 1)}")
    page.get_by_label("Financial year").select_option(str(returns_year))
    page.get_by_label("Stream", exact=True).select_option("victim_services")
    page.get_by_role("button", name="Show").click()
    expect(page.locator("h1")).to_have_text(f"Money in {_label(returns_year)}, Victim Services")
    expect(page.locator("#money tbody[data-stream]")).to_have_count(1)
    assert_is_accessible(page, axe)
    screenshot(page, "dashboard-money-victim-services")

    # A money figure leads to the commitments behind it.
    committed = page.locator("#money tbody[data-stream='victim_services'] tr").first.locator("a").nth(1)
    committed_text = committed.locator("strong").inner_text()
    committed.click()
    expect(page.locator("h1")).to_have_text("Commitments")
    expect(page.locator("[data-total='committed']")).to_have_text(committed_text)
    assert_is_accessible(page, axe)
    screenshot(page, "dashboard-list-commitments")
    page.get_by_role("link", name="Back to the dashboard").click()

    page.get_by_role("link", name="Performance").click()
    expect(page.locator("h1")).to_have_text(f"Performance in {_label(returns_year)}, Victim Services")
    for chart in ("returns-chart", "outcomes-chart", "rag-chart", "stages-chart"):
        expect(page.locator(f"canvas[data-chart='{chart}']")).to_be_visible()
    assert_is_accessible(page, axe)
    screenshot(page, "dashboard-performance")

    # The year's overdue returns: the figure is the length of the list it opens.
    overdue = page.locator("#returns tr[data-total] td[data-kind='overdue'] a")
    figure = _figure(overdue)
    assert figure > 0
    overdue.click()
    expect(page.locator("h1")).to_have_text("Overdue returns")
    expect(page.locator("#count")).to_contain_text(f"{figure} row")
    assert_is_accessible(page, axe)
    screenshot(page, "dashboard-list-overdue")
    with page.expect_download() as download:
        page.get_by_role("link", name="Excel (XLSX)").click()
    assert download.value.suggested_filename == f"dashboard-returns-{returns_year}.xlsx"

    # Crime trends sit in the same sub-navigation.
    page.go_back()
    expect(page.get_by_role("link", name="Crime trends")).to_have_attribute(
        "href", re.compile(r"^/dashboard/crime/")
    )


def test_the_dashboard_works_without_javascript(browser, site, axe):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    _this_year, returns_year = _years()  # a year with accepted returns, so awards have a RAG
    sign_in_through_the_page(page, site.url, demo_email("finance"), DEMO_PASSWORD)
    page.goto(f"{site.url}/dashboard/performance/")
    page.get_by_label("Financial year").select_option(str(returns_year))
    page.get_by_label("Local policing area").select_option("herefordshire")
    page.get_by_role("button", name="Show").click()
    expect(page.locator("h1")).to_have_text(f"Performance in {_label(returns_year)}, Herefordshire")
    rag = page.locator("#rag tbody tr").first.locator("a")
    figure = _figure(rag)
    rag.click()
    expect(page.locator("#count")).to_contain_text(f"{figure} row")
    screenshot(page, "dashboard-no-javascript-list")
    context.close()
