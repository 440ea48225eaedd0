"""The finance officer uploads police.uk crime data (a wrong file first), watches the import finish, opens the
trends with the five areas side by side, imports ONS's population estimates (a wrong file first) and reads crimes per
1,000 residents; a commission's Understand stage shows the trends for its area."""

import re
from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from commissioning.models import Commission
from funding.models import Stream
from opcc.calendar import financial_year_of
from opcc.demo import demo_email
from opcc.models import LocalPolicingArea, User
from opcc.services.demo_accounts import DEMO_PASSWORD
from reporting.crime import population
from reporting.crime.sample import OUT as SAMPLE
from reporting.models import CrimeImport, CrimeRecord, LocalAuthorityPopulation, PopulationImport
from tests import demo_data
from tests.browser.conftest import assert_is_accessible, screenshot, sign_in_through_the_page


@pytest.fixture
def demo(transactional_db, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    demo_data.load("core", "funding")


def look(page, axe, name):
    assert_is_accessible(page, axe)
    screenshot(page, f"reporting-crime-{name}")


def test_finance_imports_police_uk_data_and_reads_the_trends(page, live_server, demo, axe, tmp_path):
    base = live_server.url
    sign_in_through_the_page(page, base, demo_email("finance"), DEMO_PASSWORD)

    page.goto(f"{base}/dashboard/crime/")
    expect(page.locator("h1")).to_have_text("Crime trends")
    expect(page.locator(".govuk-inset-text").first).to_contain_text("No crime data has been imported yet")
    page.get_by_role("link", name="Import a police.uk file").click()
    expect(page.locator("h1")).to_have_text("Import police.uk crime data")
    look(page, axe, "import")

    # A spreadsheet of something else is refused, with the reason, and nothing is stored.
    wrong = tmp_path / "budget.csv"
    wrong.write_text("Name,Amount\nHousing,100\n")
    page.get_by_label("Upload a police.uk street-level crime file").set_input_files(str(wrong))
    page.get_by_role("button", name="Upload and import").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("budget.csv is not a police.uk street-level crime file")
    look(page, axe, "wrong-file")
    assert not CrimeImport.objects.exists()

    # The sample (three months of West Mercia): the task runs in-process here, so the import is finished at once.
    page.get_by_label("Upload a police.uk street-level crime file").set_input_files(str(SAMPLE))
    page.get_by_role("button", name="Upload and import").click()
    expect(page.locator("h1")).to_have_text(SAMPLE.name)
    expect(page.locator("#import-status")).to_contain_text("1,800 crimes imported")
    expect(page.locator("progress")).to_have_attribute("value", "100")
    look(page, axe, "import-finished")
    assert CrimeRecord.objects.count() == 1800

    # What an import still running looks like: a progress bar, a polite status and a way to check or stop checking.
    running = CrimeImport.objects.create(
        file_name="2026-10-west-mercia-street.csv",
        status="running",
        rows_total=10000,
        rows_done=4200,
        step="Saving 2026-10-west-mercia-street.csv",
        by=User.objects.get(email=demo_email("finance")),
    )
    page.goto(f"{base}/dashboard/crime/import/{running.pk}/?watch=off")
    expect(page.locator("#import-status")).to_contain_text("42% done")
    expect(page.get_by_role("link", name="Check progress")).to_be_visible()
    look(page, axe, "import-running")
    CrimeImport.objects.filter(pk=running.pk).update(
        status="done", rows_done=10000, rows_saved=9990, unmapped=10
    )
    page.get_by_role("link", name="Check progress").click()
    expect(page.locator("#import-status")).to_contain_text("9,990 crimes imported")

    page.goto(f"{base}/dashboard/crime/import/{CrimeImport.objects.get(file_name=SAMPLE.name).pk}/")
    page.get_by_role("link", name="See the crime trends").click()
    expect(page.locator("h1")).to_have_text("Crime trends")
    # The five areas side by side in one table, with a chart of the same figures; no rate without population.
    compare = page.get_by_role("table", name=re.compile("Crimes, residents and spend by local policing area"))
    expect(compare.locator("thead th")).to_have_text(
        [
            "Figure",
            "Herefordshire",
            "North Worcestershire",
            "Shropshire",
            "South Worcestershire",
            "Telford and Wrekin",
            "All areas",
        ]
    )
    expect(page.locator("#residents-note")).to_contain_text("No population estimates have been imported")
    expect(page.locator("canvas[data-chart]")).to_have_count(3)
    look(page, axe, "trends-no-population")

    # The ONS estimates: a wrong file first (the crime file again), refused with the reason and nothing saved.
    page.get_by_role("link", name="Import ONS population estimates").first.click()
    expect(page.locator("h1")).to_have_text("Population estimates")
    page.get_by_label("Year of the estimates").fill("2023")
    page.get_by_label("Upload the ONS mid-year population estimates").set_input_files(str(SAMPLE))
    page.get_by_role("button", name="Upload and import").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "The file is not the ONS mid-year population estimates"
    )
    look(page, axe, "population-wrong-file")
    assert not PopulationImport.objects.exists() and not LocalAuthorityPopulation.objects.exists()
    page.get_by_label("Year of the estimates").fill("2023")
    page.get_by_label("Upload the ONS mid-year population estimates").set_input_files(str(population.SAMPLE))
    page.get_by_role("button", name="Upload and import").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        "The mid-2023 population estimates are imported"
    )
    people = sum(LocalAuthorityPopulation.objects.values_list("population", flat=True))
    expect(page.get_by_role("table", name="Residents in mid-2023")).to_contain_text(f"{people:,}")
    look(page, axe, "population")

    # Crimes per 1,000 residents: all the areas' crimes over all their residents.
    page.get_by_role("link", name="Crime trends").first.click()
    rate = (Decimal(CrimeRecord.objects.count()) * 1000 / people).quantize(
        Decimal("0.1"), rounding=ROUND_HALF_UP
    )
    rate_row = compare.locator("tr", has=page.get_by_role("rowheader", name="Crimes per 1,000 residents"))
    expect(rate_row.locator("td").last).to_have_text(str(rate))
    expect(page.locator("#residents-note")).to_contain_text("mid-2023 estimates")
    look(page, axe, "trends")

    page.get_by_label("Local policing area").select_option("Herefordshire")
    page.get_by_label("Months").select_option("6 months")
    page.get_by_role("button", name="Show trends").click()
    expect(page.locator("h2#side-by-side")).to_have_text("Herefordshire")
    expect(compare.locator("thead th")).to_have_text(["Figure", "Herefordshire"])
    expect(page.locator("canvas[data-chart]")).to_have_count(2)  # one area: no chart comparing areas
    this_year = financial_year_of(timezone.localdate())  # the year the trends page shows money for by default
    expect(compare).to_contain_text(f"Committed in {this_year} to {this_year + 1}")
    expect(page.locator("#wide-row")).to_contain_text("West Mercia-wide")
    look(page, axe, "trends-herefordshire")

    # A commission serving Herefordshire shows its trends at the Understand stage.
    commission = Commission.objects.create(
        reference="C-9001",
        title="Burglary victims' support",
        summary="Support",
        stream=Stream.VICTIM_SERVICES,
        officer=User.objects.get(email=demo_email("officer")),
    )
    commission.areas.set([LocalPolicingArea.objects.get(slug="herefordshire")])
    page.goto(f"{base}/commissioning/{commission.pk}/understand/")
    expect(page.get_by_role("heading", name="Crime trends in Herefordshire")).to_be_visible()
    look(page, axe, "understand")
    page.get_by_role("link", name="See crime trends by month in Herefordshire").click()
    expect(page.locator("h2#side-by-side")).to_have_text("Herefordshire")
